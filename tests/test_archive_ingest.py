"""The archive end to end, as real processes: ingest, workers killed and racing, persons
import, audit verification."""

from __future__ import annotations

import io
import json
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from archive.blobs import BlobStore
from archive.ingest import Ingester
from archive.jobs import JobPolicy, job_status
from archive.models import Job, OutboxEntry, Page, Person, Scan
from archive.worker import Worker
from bench.synth import find_font, make_page
from ocr.options import OcrOptions
from tests.cli_runner import Cli


@pytest.fixture
def cli(tmp_path: Path, database_url: str, engine: Engine) -> Cli:
    """The command, on the same migrated database the test inspects through ``engine``."""
    return Cli(tmp_path / "data", database_url)


def store_of(cli: Cli) -> BlobStore:
    return BlobStore(Path(cli.env["PHIENHIEU_DATA_DIR"]) / "blobs")


def save_page(path: Path, seed: int, dpi: int = 200) -> None:
    page = make_page(seed, dpi=dpi)
    Image.fromarray(page.image).save(path, dpi=(dpi, dpi))


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def scan_checksums(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(select(Scan.sha256)).scalars())


@pytest.mark.one_database
def test_a_folder_goes_in_once_bad_files_are_skipped_and_pages_are_read(
        tmp_path: Path, cli: Cli, engine: Engine) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    save_page(folder / "notice.png", 1)
    save_page(folder / "sub" / "notice2.png", 2)
    (folder / "sub" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    (folder / "empty.jpg").write_bytes(b"")
    (folder / ".DS_Store").write_bytes(b"junk")
    run = cli("ingest", str(folder), "--collection", "Phông Sư đoàn 308", "--workers", "1", "--json")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert (report["added"], report["duplicate"], report["failed"]) == (2, 0, 2)
    assert report["ocr_failures"] == []
    failed = {Path(f["name"]).name: f["error"] for f in report["files"] if f["status"] == "failed"}
    assert set(failed) == {"broken.png", "empty.jpg"}
    assert "empty" in failed["empty.jpg"]
    assert "broken.png" in run.stderr
    with engine.connect() as connection:
        pages = connection.execute(select(Page.text, Page.confidence, Page.engine)).all()
        assert len(pages) == 2
        assert all("GIẤY BÁO TỬ" in page.text.upper() for page in pages), pages
        assert connection.scalar(select(func.count()).select_from(Scan)
                                 .where(Scan.collection_id.is_not(None))) == 2
    assert scan_checksums(engine) == set(store_of(cli).checksums())

    again = cli("ingest", str(folder), "--json")
    report = json.loads(again.stdout)
    assert (report["added"], report["duplicate"]) == (0, 2), "nothing new the second time"
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Scan)) == 2
        assert connection.scalar(select(func.count()).select_from(Page)) == 2
    assert cli("audit", "verify").returncode == 0


def test_a_worker_killed_in_the_middle_of_a_page_is_replaced(
        tmp_path: Path, cli: Cli, engine: Engine) -> None:
    save_page(tmp_path / "notice.png", 3, dpi=300)
    assert cli("ingest", str(tmp_path / "notice.png"), "--no-wait").returncode == 0
    cli.env["PHIENHIEU_JOB_LEASE_SECONDS"] = "2"

    def page_job() -> Job:
        with engine.connect() as connection:
            return connection.execute(select(Job).where(Job.kind == "ocr_page")).one()

    doomed = cli.start("worker")
    try:
        wait_for(lambda: page_job().state == "running", 60, "the first worker to take the page")
        time.sleep(0.3)  # into the OCR of the page
        assert page_job().state == "running"
        doomed.send_signal(signal.SIGKILL)
    finally:
        doomed.kill()
        doomed.communicate()
    survivor = cli.start("worker")
    try:
        wait_for(lambda: page_job().state == "done", 90, "another worker to finish the page")
    finally:
        survivor.send_signal(signal.SIGTERM)
        survivor.communicate(timeout=60)
    job = page_job()
    assert job.attempts == 2
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Page)) == 1
        assert connection.scalar(select(func.count()).select_from(OutboxEntry)) == 0, \
            "a worker on its own publishes what it read to the search index"


def test_a_killed_ingest_leaves_no_scan_without_blob_nor_blob_without_scan(
        tmp_path: Path, cli: Cli, engine: Engine) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(150):
        pixels = Image.new("L", (64, 64), color=index)
        pixels.save(folder / f"{index:03d}.png")
    ingest = cli.start("ingest", str(folder), "--no-wait")
    wait_for(lambda: len(scan_checksums(engine)) >= 10, 60, "the ingest to get going")
    ingest.send_signal(signal.SIGKILL)
    ingest.communicate()
    stored = scan_checksums(engine)
    assert 10 <= len(stored) < 150, "killed half-way"
    store = store_of(cli)
    # A blob placed in the instant before the kill is left for the next process to remove.
    assert stored <= set(store.checksums())
    assert len(set(store.checksums()) - stored) <= 1
    assert cli("audit", "verify").returncode == 0, "any command opens the archive and repairs it"
    assert stored == set(store.checksums())
    for checksum in stored:
        store.verified_path(checksum)

    resumed = cli("ingest", str(folder), "--no-wait", "--json")
    report = json.loads(resumed.stdout)
    assert report["added"] + report["duplicate"] == 150
    assert report["duplicate"] == len(stored)
    assert len(scan_checksums(engine)) == 150
    assert scan_checksums(engine) == set(store.checksums())


def tiny_pages(path: Path, count: int) -> None:
    font_path = find_font("DejaVuSans.ttf")
    font = ImageFont.truetype(str(font_path), 28) if font_path else ImageFont.load_default()
    frames = []
    for number in range(1, count + 1):
        frame = Image.new("L", (360, 70), color=255)
        ImageDraw.Draw(frame).text((12, 16), f"Trang {number}", fill=0, font=font)
        frames.append(frame)
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # SKIP LOCKED is PostgreSQL's
def test_four_workers_on_postgres_drain_120_page_jobs_each_once(
        tmp_path: Path, cli: Cli, engine: Engine, database_url: str) -> None:
    tiny_pages(tmp_path / "roster.tiff", 120)
    assert cli("ingest", str(tmp_path / "roster.tiff"), "--no-wait").returncode == 0
    workers = [cli.start("worker", "--exit-when-idle", "--json") for _ in range(4)]
    reports = []
    for process in workers:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        reports.append(json.loads(out))
    assert sum(report["done"] for report in reports) == 120
    assert sum(report["failed"] + report["lost"] for report in reports) == 0
    assert sum(1 for report in reports if report["done"]) >= 2, "the work was shared"
    with engine.connect() as connection:
        jobs = connection.execute(select(Job.state, Job.attempts).where(Job.kind == "ocr_page")).all()
        assert len(jobs) == 120
        assert {(state, attempts) for state, attempts in jobs} == {("done", 1)}
        numbers = connection.execute(select(Page.number)).scalars().all()
        assert sorted(numbers) == list(range(1, 121))
        sample = connection.execute(select(Page.text).where(Page.number == 97)).scalar_one()
        assert "97" in sample


def person_line(**fields: object) -> str:
    return json.dumps({"full_name": "Nguyễn Văn Thành", **fields}, ensure_ascii=False)


@pytest.mark.one_database
def test_persons_import_stores_good_lines_and_reports_bad_ones(
        tmp_path: Path, cli: Cli, engine: Engine) -> None:
    lines = [
        person_line(id="hn-1972-0042", birth_year=1950, death_date="1972-07-15",
                    unit_text="c2 d5 e88 f308", relatives=[{"name": "Nguyễn Thị Hoa", "relation": "mẹ"}],
                    sources=[{"scan": "1", "page": 1, "field": "death_date", "box": [10, 20, 300, 40]}]),
        person_line(death_date="1972-02-30"),
        person_line(full_name="A" * 10_000_000),
        "{not json",
        person_line(birth_year=1950, death_date="1949-05"),
        person_line(nickname="Ba"),
        "",
        person_line(full_name="Lê Văn Tám", hometown="xã Yên Phong,   tỉnh Hà Bắc"),
    ]
    source = tmp_path / "persons.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = cli("persons", "import", str(source), "--json")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert (report["created"], report["updated"]) == (2, 0)
    refused = {item["line"]: item["reason"] for item in report["refused"]}
    assert set(refused) == {2, 3, 4, 5, 6}
    assert "does not exist" in refused[2]
    assert "bytes" in refused[3]
    assert "JSON" in refused[4]
    assert "before the birth" in refused[5]
    assert "nickname" in refused[6]
    assert "line 2:" in run.stderr
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Person)) == 2
        hometown = connection.scalar(select(Person.hometown).where(Person.full_name == "Lê Văn Tám"))
        assert hometown == "xã Yên Phong, tỉnh Hà Bắc"

    source.write_text(person_line(id="hn-1972-0042", rank="Hạ sĩ") + "\n", encoding="utf-8")
    again = json.loads(cli("persons", "import", str(source), "--json").stdout)
    assert (again["created"], again["updated"]) == (0, 1), "the same id updates its record"
    with engine.connect() as connection:
        record = connection.execute(select(Person).where(Person.id == "hn-1972-0042")).one()
        assert record.rank == "Hạ sĩ"
        assert record.death_date is None, "an update replaces the record"


def test_persons_import_of_a_missing_file_is_one_sentence(tmp_path: Path, cli: Cli) -> None:
    run = cli("persons", "import", str(tmp_path / "nowhere.jsonl"))
    assert run.returncode == 3
    assert run.stderr.startswith("Error: Cannot read")
    assert "Traceback" not in run.stderr


@pytest.mark.one_database
def test_audit_verify_reports_tampering(cli: Cli, engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "p.jsonl").write_text(person_line() + "\n", encoding="utf-8")
    assert cli("persons", "import", str(tmp_path / "p.jsonl")).returncode == 0
    assert cli("demo").returncode == 0
    intact = cli("audit", "verify", "--json")
    assert intact.returncode == 0
    assert json.loads(intact.stdout)["entries"] == 2
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1"))
    tampered = cli("audit", "verify")
    assert tampered.returncode == 1
    assert "entry 1 was altered" in tampered.stderr


def test_the_worker_stops_cleanly_on_sigterm(cli: Cli) -> None:
    worker = cli.start("worker")
    assert worker.stderr is not None
    for line in worker.stderr:  # started and listening for signals
        if "is taking jobs" in line:
            break
    time.sleep(0.5)
    worker.send_signal(signal.SIGTERM)
    _, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "0 page(s) done" in err


def test_a_page_that_cannot_be_decoded_fails_at_once_and_the_others_are_kept(
        tmp_path: Path, sessions: sessionmaker[Session], blobs: BlobStore) -> None:
    first = Image.fromarray(make_page(7).image)
    second = Image.new("L", first.size, color=255)
    whole = io.BytesIO()
    first.save(whole, format="TIFF", save_all=True, append_images=[second], dpi=(200, 200))
    damaged = whole.getvalue()[: len(whole.getvalue()) - second.width * second.height // 2]
    policy = JobPolicy(max_attempts=3)
    ingester = Ingester(sessions, blobs, OcrOptions(), policy)
    outcome = ingester.ingest_stream(io.BytesIO(damaged), "two-pages.tif")
    assert (outcome.status, outcome.pages) == ("added", 2)
    report = Worker(sessions, blobs, OcrOptions(), policy).run(threading.Event(), exit_when_idle=True)
    assert (report.done, report.failed, report.retried) == (1, 1, 0), "no retry of a damaged page"
    with sessions() as session:
        assert outcome.job_id is not None
        status = job_status(session, outcome.job_id)
        assert status is not None
        assert status.state == "failed"
        assert status.error is not None
        assert status.error.startswith("page 2:")
        assert "damaged" in status.error
        assert session.scalars(select(Page.number)).all() == [1]
