"""The archive's building blocks on real databases: schema, blobs, audit log, outbox, jobs."""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from archive.audit import record_event, verify_audit_log
from archive.blobs import BlobStore, safe_filename
from archive.errors import BlobCorruptError, BlobMissingError, TooLargeFileError
from archive.ingest import recover_interrupted_ingests
from archive.jobs import JobPolicy, claim_job, enqueue_scan, fail_job, finish_job, job_status, renew_lease
from archive.models import AuditEntry, Base, Job, OutboxEntry, Page, Scan, utc_now
from archive.outbox import Change, drain_outbox, pending_changes, record_change
from archive.pages import store_page
from ocr.model import OcrPage, Region

# --- schema -------------------------------------------------------------------------------


def test_the_migrations_build_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert differences == []


# --- blobs --------------------------------------------------------------------------------


def test_a_blob_is_stored_once_by_checksum_and_read_back_verified(blobs: BlobStore) -> None:
    staged = blobs.stage(io.BytesIO(b"page one"), "a.png", max_bytes=100)
    assert blobs.commit(staged) is True
    again = blobs.stage(io.BytesIO(b"page one"), "b.png", max_bytes=100)
    assert again.sha256 == staged.sha256
    assert blobs.commit(again) is False
    assert blobs.read(staged.sha256) == b"page one"
    assert list(blobs.checksums()) == [staged.sha256]
    assert not any(blobs.incoming.iterdir()), "staged files are cleaned up"


def test_corruption_on_disk_is_caught_on_read(blobs: BlobStore) -> None:
    digest = blobs.put(b"original bytes")
    blobs.path(digest).write_bytes(b"originaL bytes")
    with pytest.raises(BlobCorruptError):
        blobs.read(digest)
    blobs.remove(digest)
    with pytest.raises(BlobMissingError):
        blobs.verified_path(digest)


def test_a_checksum_cannot_name_a_path_outside_the_store(blobs: BlobStore) -> None:
    with pytest.raises(BlobMissingError):
        blobs.path("../../etc/passwd")


def test_an_oversized_stream_leaves_nothing_behind(blobs: BlobStore) -> None:
    with pytest.raises(TooLargeFileError):
        blobs.stage(io.BytesIO(b"x" * 5000), "big.tif", max_bytes=4096)
    assert not any(blobs.incoming.iterdir())
    assert not list(blobs.checksums())


@pytest.mark.parametrize(("given", "expected"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\scans\\giấy báo tử.png", "giấy báo tử.png"),
    ("a\x00b.png", "a_b.png"),
    ("..", "scan"),
    (".hidden", "hidden"),
    ("", "scan"),
])
def test_hostile_file_names_become_safe(given: str, expected: str) -> None:
    assert safe_filename(given) == expected


def test_very_long_file_names_are_cut_on_a_character_boundary() -> None:
    name = safe_filename("đ" * 1000 + ".png")
    assert len(name.encode()) <= 200
    assert set(name) == {"đ"}


def test_recovery_waits_while_a_placement_is_under_way(blobs: BlobStore) -> None:
    digest = "cd" * 32
    with blobs.placing(digest), blobs.interrupted_placements() as found:
        assert found is None, "a live writer is placing a blob"
    with blobs.interrupted_placements() as found:
        assert found == set(), "a finished placement leaves no marker"


def test_a_blob_left_by_a_killed_writer_is_removed_unless_referenced(
        sessions: sessionmaker[Session], blobs: BlobStore) -> None:
    orphan, kept = blobs.put(b"orphan"), blobs.put(b"kept")
    with sessions.begin() as session:
        session.add(Scan(sha256=kept, filename="k.png", media_type="image/png", size=4, page_count=1))
    for digest in (orphan, kept):  # what a writer killed between rename and commit leaves
        (blobs.incoming / f"placing-{digest}-99999-dead").touch()
    assert recover_interrupted_ingests(sessions, blobs) == 1
    assert set(blobs.checksums()) == {kept}
    assert not list(blobs.incoming.glob("placing-*-*"))


def test_stale_staged_files_are_swept(blobs: BlobStore) -> None:
    (blobs.incoming / "dead-writer").mkdir()
    assert blobs.sweep_incoming(older_than_s=3600) == 0
    assert blobs.sweep_incoming(older_than_s=-1) == 1
    assert not any(blobs.incoming.iterdir())


# --- audit log ----------------------------------------------------------------------------


def _append(sessions: sessionmaker[Session], count: int, actor: str = "tester") -> None:
    for index in range(count):
        with sessions.begin() as session:
            record_event(session, actor=actor, action="test.event", subject=f"thing:{index}",
                         details={"index": index, "tên": "Nguyễn Văn Thành"})


def test_an_untouched_audit_log_verifies(sessions: sessionmaker[Session]) -> None:
    _append(sessions, 5)
    with sessions() as session:
        report = verify_audit_log(session)
    assert report.intact, report.problems
    assert report.entries == 5


def test_a_rolled_back_change_leaves_no_audit_entry(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        record_event(session, actor="a", action="x", subject="y")
        session.rollback()  # the change it went with failed
    _append(sessions, 1)
    with sessions() as session:
        report = verify_audit_log(session)
    assert report.intact
    assert report.entries == 1


def test_the_audit_log_refuses_updates_and_deletes(sessions: sessionmaker[Session]) -> None:
    _append(sessions, 2)
    for statement in ("UPDATE audit_log SET actor = 'forger'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), sessions.begin() as session:
            session.execute(text(statement))


def _drop_guards(session: Session) -> None:
    """What someone with the database owner's rights could do."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))


@pytest.mark.parametrize(("tampering", "problem"), [
    ("UPDATE audit_log SET details = 'forged' WHERE seq = 3", "entry 3 was altered"),
    ("DELETE FROM audit_log WHERE seq = 2", "entry 2 is missing"),
    ("DELETE FROM audit_log WHERE seq = 5", "entries were removed from the end"),
    ("UPDATE audit_log SET actor = 'forger' WHERE seq = 1", "entry 1 was altered"),
])
def test_tampering_is_detected(sessions: sessionmaker[Session], tampering: str, problem: str) -> None:
    _append(sessions, 5)
    with sessions.begin() as session:
        _drop_guards(session)
        session.execute(text(tampering))
    with sessions() as session:
        report = verify_audit_log(session)
    assert not report.intact
    assert any(problem in line for line in report.problems), report.problems


def test_concurrent_writers_extend_one_chain(sessions: sessionmaker[Session]) -> None:
    errors: list[BaseException] = []

    def write(actor: str) -> None:
        try:
            _append(sessions, 10, actor)
        except BaseException as error:  # collected and failed on below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(f"writer-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with sessions() as session:
        report = verify_audit_log(session)
        assert report.intact, report.problems
        assert report.entries == 40
        assert session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) == 40


# --- outbox -------------------------------------------------------------------------------


def test_the_outbox_is_written_with_the_change_or_not_at_all(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        record_change(session, "person", ["p-1"])
        session.rollback()  # the change it went with failed
    with sessions.begin() as session:
        record_change(session, "person", ["p-2", "p-3"])
    with sessions() as session:
        assert pending_changes(session) == 2


def test_a_failing_index_is_retried_with_back_off_until_it_succeeds(
        sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        record_change(session, "page", [1, 2])
    index: dict[str, int] = {}
    failures = 2

    def apply(changes: list[Change]) -> None:
        nonlocal failures
        if failures:
            failures -= 1
            raise ConnectionError("index unavailable")
        for change in changes:
            index[f"{change.entity}:{change.entity_id}"] = index.get(change.entity_id, 0) + 1

    first = drain_outbox(sessions, apply)  # type: ignore[arg-type]
    assert (first.applied, first.failed) == (0, 2)
    assert "index unavailable" in (first.error or "")
    assert drain_outbox(sessions, apply).applied == 0, "not due again yet"  # type: ignore[arg-type]
    with sessions.begin() as session:
        entries = session.scalars(select(OutboxEntry)).all()
        assert {entry.attempts for entry in entries} == {1}
        assert all(entry.next_attempt_at > utc_now() for entry in entries)
        for entry in entries:
            entry.next_attempt_at = utc_now() - timedelta(seconds=1)
    assert drain_outbox(sessions, apply).failed == 2  # type: ignore[arg-type]
    with sessions.begin() as session:
        entries = session.scalars(select(OutboxEntry)).all()
        assert {entry.attempts for entry in entries} == {2}
        waits = {(entry.next_attempt_at - utc_now()).total_seconds() for entry in entries}
        assert all(1 < wait <= 2 for wait in waits), "the wait doubles"
        for entry in entries:
            entry.next_attempt_at = utc_now() - timedelta(seconds=1)
    assert drain_outbox(sessions, apply).applied == 2  # type: ignore[arg-type]
    assert index == {"page:1": 1, "page:2": 1}
    with sessions() as session:
        assert pending_changes(session) == 0


# --- jobs ---------------------------------------------------------------------------------

POLICY = JobPolicy(lease_s=30, max_attempts=3, retry_base_s=10)


def _scan(sessions: sessionmaker[Session], pages: int) -> tuple[int, int]:
    with sessions.begin() as session:
        scan = Scan(sha256=f"{pages:064x}", filename="s.png", media_type="image/png", size=1,
                    page_count=pages)
        session.add(scan)
        session.flush()
        return scan.id, enqueue_scan(session, scan.id, pages, POLICY)


def _claim(sessions: sessionmaker[Session], worker: str = "w1", **kwargs: object):  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        return claim_job(session, worker, POLICY, **kwargs)  # type: ignore[arg-type]


def test_pages_are_claimed_in_order_and_the_scan_job_gathers_them(sessions: sessionmaker[Session]) -> None:
    _, parent = _scan(sessions, 2)
    first, second = _claim(sessions), _claim(sessions, "w2")
    assert (first.page_number, second.page_number) == (1, 2)
    assert _claim(sessions) is None, "nothing else is due"
    with sessions.begin() as session:
        assert finish_job(session, first)
    with sessions() as session:
        status = job_status(session, parent)
        assert status is not None
        assert (status.state, status.progress) == ("running", 0.5)
    with sessions.begin() as session:
        assert finish_job(session, second, note="page 2 was blank")
    with sessions() as session:
        status = job_status(session, parent)
        assert status is not None
        assert (status.state, status.progress) == ("done", 1.0)
        assert status.error == "page 2: page 2 was blank"


def test_an_expired_lease_lets_another_worker_take_the_job(sessions: sessionmaker[Session]) -> None:
    _scan(sessions, 1)
    dead = _claim(sessions, "dies")
    assert _claim(sessions, "w2") is None, "the lease still holds"
    later = utc_now() + timedelta(seconds=POLICY.lease_s + 1)
    taken = _claim(sessions, "w2", now=later)
    assert taken.job_id == dead.job_id
    assert taken.attempts == 2
    with sessions.begin() as session:
        assert not finish_job(session, dead), "the dead worker's lease is gone"
        assert not renew_lease(session, dead, POLICY)
        assert finish_job(session, taken)


def test_failures_back_off_then_end_failed_with_the_error(sessions: sessionmaker[Session]) -> None:
    _, parent = _scan(sessions, 1)
    now = utc_now()
    waits = []
    for attempt in range(1, POLICY.max_attempts + 1):
        claim = _claim(sessions, now=now)
        assert claim is not None, f"attempt {attempt} is due"
        assert claim.attempts == attempt
        failed_at = utc_now()
        with sessions.begin() as session:
            state = fail_job(session, claim, f"tesseract crashed ({attempt})", POLICY)
        with sessions() as session:
            job = session.get(Job, claim.job_id)
            assert job is not None
            if state == "queued":
                waits.append((job.run_after - failed_at).total_seconds())
                assert _claim(sessions, now=now) is None, "not before the back-off"
                now = job.run_after
    assert state == "failed"
    assert [round(wait) for wait in waits] == [10, 20]
    with sessions() as session:
        status = job_status(session, parent)
        assert status is not None
        assert status.state == "failed"
        assert "tesseract crashed (3)" in (status.error or "")


def test_a_job_whose_worker_dies_every_time_ends_failed(sessions: sessionmaker[Session]) -> None:
    _, parent = _scan(sessions, 1)
    now = utc_now()
    for _ in range(POLICY.max_attempts):
        assert _claim(sessions, now=now) is not None
        now += timedelta(seconds=POLICY.lease_s + 1)
    assert _claim(sessions, now=now) is None
    with sessions() as session:
        status = job_status(session, parent)
        assert status is not None
        assert status.state == "failed"
        assert "stopped without finishing" in (status.error or "")


def test_job_status_of_an_unknown_job_is_none(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        assert job_status(session, 12345) is None


def test_blob_paths_are_under_the_store(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "b")
    digest = "ab" * 32
    assert store.path(digest).is_relative_to(tmp_path / "b")


def test_a_page_keeps_its_regions_that_are_not_print(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        scan = Scan(sha256="cd" * 32, filename="signed.png", media_type="image/png", size=1, page_count=1)
        session.add(scan)
        session.flush()
        page = OcrPage(number=1, text="Giấy báo tử", confidence=0.9, rotation=0, skew=0.0, words=[],
                       width=400, height=300,
                       regions=[Region(kind="signature", box=[200, 220, 120, 40], detail="one long stroke")])
        store_page(session, scan.id, page, None)
        scan_id = scan.id
    with sessions() as session:
        stored = session.scalar(select(Page).where(Page.scan_id == scan_id))
        assert stored is not None
        assert stored.regions == [
            {"kind": "signature", "box": [200, 220, 120, 40], "detail": "one long stroke"}]
