"""Person records imported in batches on both databases (``COPY`` on PostgreSQL), read by
worker processes, and a small run of the persons benchmark. Every name and number here is
invented."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.models import AuditEntry, OutboxEntry, Page, Person, PersonSource, Scan
from decoder.plots import name_key, place_key
from usecases.persons import import_person_lines

SHA = "ab" * 32


def archived_pages(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    """A scan with two recognised pages: the scan's id and the pages' ids."""
    with sessions.begin() as session:
        scan = Scan(sha256=SHA, filename="giay-bao-tu.png", media_type="image/png", size=1, page_count=2)
        session.add(scan)
        session.flush()
        pages = [Page(scan_id=scan.id, number=number, width=10, height=10, text="", words=[], entities=[],
                      confidence=0.9, rotation=0, skew=0.0, steps=[], source="ocr", engine="test")
                 for number in (1, 2)]
        session.add_all(pages)
        session.flush()
        return scan.id, pages[0].id, pages[1].id


def line(index: int, **fields: Any) -> str:
    record = {"id": f"qg-{index:05d}", "full_name": "Nguyễn Văn Thành", "birth_year": 1950,
              "hometown": "xã Yên Phong, huyện Yên Phong, tỉnh Hà Bắc", "death_date": "1972-07-15"}
    return json.dumps(record | fields, ensure_ascii=False)


def as_file(lines: list[str]) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def audit_actions(sessions: sessionmaker[Session]) -> list[tuple[str, dict[str, Any]]]:
    with sessions() as session:
        return [(entry.action, json.loads(entry.details))
                for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def count(sessions: sessionmaker[Session], model: Any) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_file_read_by_workers_is_stored_in_batches_and_each_bad_line_reported(
        sessions: sessionmaker[Session]) -> None:
    scan_id, first_page, second_page = archived_pages(sessions)
    lines = [line(index) for index in range(1, 2501)]
    lines[4] = "{not json"
    lines[6] = "   "
    lines[1199] = line(1200, death_date="1949-05")
    lines[9] = line(10, sources=[{"scan": str(scan_id), "page": 1}, {"scan": SHA.upper(), "page": 2},
                                 {"scan": "987654", "page": 1},
                                 {"scan": SHA, "field": "full_name", "box": [1, 2, 30, 4]}])
    lines[10] = line(11, sources=[{"scan": "9" * 18, "page": 1}, {"scan": "ảnh chụp", "page": 1}])
    source, seen = as_file(lines), []
    report = import_person_lines(source, sessions=sessions, actor="test", progress=seen.append, workers=2)
    assert (report.created, report.updated, report.unchanged) == (2497, 0, 0)
    assert [number for number, _ in report.problems] == [5, 1200]
    assert "JSON" in report.problems[0][1]
    assert "before the birth" in report.problems[1][1]
    assert seen[-1] == len(source.getvalue())
    assert seen == sorted(seen)
    assert len(seen) == 3
    with sessions() as session:
        cited = session.scalars(select(PersonSource).where(PersonSource.person_id == "qg-00010")
                                .order_by(PersonSource.position)).all()
        assert [(source.scan, source.page, source.page_id) for source in cited] == [
            (str(scan_id), 1, first_page), (SHA.upper(), 2, second_page), ("987654", 1, None),
            (SHA, None, None)]
        assert (cited[3].field, cited[3].box, cited[0].box) == ("full_name", [1, 2, 30, 4], None)
        stored = session.get(Person, "qg-00011")
        assert stored is not None
        assert [source.page_id for source in stored.sources] == [None, None]
        assert (stored.name_key, stored.hometown_key) == (
            name_key("Nguyễn Văn Thành"), place_key("xã Yên Phong, huyện Yên Phong, tỉnh Hà Bắc"))
    assert count(sessions, OutboxEntry) == 2497
    actions = audit_actions(sessions)
    assert [action for action, _ in actions] == ["persons.store", "persons.store", "persons.import"]
    assert len(actions[0][1]["created"]) == 1000
    summary = actions[-1][1]
    assert {name: summary[name] for name in ("created", "updated", "unchanged", "refused")} == {
        "created": 2497, "updated": 0, "unchanged": 0, "refused": 2}
    assert len(summary["stored"]["created"]) == 497


def test_the_same_file_again_changes_nothing_and_an_update_replaces_the_sources(
        sessions: sessionmaker[Session]) -> None:
    scan_id, _, _ = archived_pages(sessions)
    cited = [{"scan": str(scan_id), "page": 1}, {"scan": "abc"}]
    lines = [line(index, sources=cited) for index in range(1, 31)]
    assert import_person_lines(as_file(lines), sessions=sessions, actor="test").created == 30
    with sessions() as session:
        stamped = session.scalar(select(Person.updated_at).where(Person.id == "qg-00003"))
    outbox, entries = count(sessions, OutboxEntry), len(audit_actions(sessions))
    again = import_person_lines(as_file(lines), sessions=sessions, actor="test")
    assert (again.created, again.updated, again.unchanged, again.problems) == (0, 30, 30, [])
    assert count(sessions, OutboxEntry) == outbox, "nothing changed, nothing for the index"
    assert audit_actions(sessions)[entries:] == [("persons.import", {
        "created": 0, "updated": 30, "unchanged": 30, "refused": 0,
        "stored": {"created": [], "updated": []}})]
    lines[2] = line(3, rank="Hạ sĩ", sources=[{"scan": "khác", "page": 4}])
    changed = import_person_lines(as_file(lines), sessions=sessions, actor="test")
    assert (changed.created, changed.updated, changed.unchanged) == (0, 30, 29)
    with sessions() as session:
        person = session.get(Person, "qg-00003")
        assert person is not None
        assert person.rank == "Hạ sĩ"
        assert person.updated_at > stamped
        assert [(source.scan, source.page, source.position) for source in person.sources] == [("khác", 4, 0)]
        assert session.scalar(select(func.count()).select_from(PersonSource)) == 29 * 2 + 1
        untouched = session.scalar(select(Person.updated_at).where(Person.id == "qg-00004"))
        assert untouched is not None
        assert untouched < person.updated_at
    assert audit_actions(sessions)[-1][1]["stored"] == {"created": [], "updated": ["qg-00003"]}


def test_an_id_twice_in_one_batch_keeps_the_later_line_and_a_record_without_an_id_is_new(
        sessions: sessionmaker[Session]) -> None:
    lines = [line(1, sources=[{"scan": "1", "page": 1}, {"scan": "2", "page": 2}]),
             line(1, full_name="Lê Văn Tám", sources=[{"scan": "3"}]),
             json.dumps({"full_name": "Trần Văn Ba"}), json.dumps({"full_name": "Trần Văn Ba"})]
    report = import_person_lines(as_file(lines), sessions=sessions, actor="test")
    assert (report.created, report.updated, report.problems) == (3, 1, [])
    with sessions() as session:
        person = session.get(Person, "qg-00001")
        assert person is not None
        assert person.full_name == "Lê Văn Tám"
        assert person.name_key == name_key("Lê Văn Tám")
        assert [source.scan for source in person.sources] == ["3"]
        assert len(session.scalars(select(Person.id).where(Person.full_name == "Trần Văn Ba")).all()) == 2


def test_each_batch_is_one_transaction(sessions: sessionmaker[Session]) -> None:
    def stop(read: int) -> None:  # called once a batch is committed
        raise RuntimeError("stopped")

    lines = [line(index, sources=[{"scan": "1", "page": 1}]) for index in range(1, 1501)]
    with pytest.raises(RuntimeError, match="stopped"):
        import_person_lines(as_file(lines), sessions=sessions, actor="test", progress=stop)
    assert (count(sessions, Person), count(sessions, PersonSource), count(sessions, OutboxEntry)) == (
        1000, 1000, 1000)
    assert [action for action, _ in audit_actions(sessions)] == ["persons.store"]


def test_the_benchmark_runs_small_and_prints_json() -> None:
    run = subprocess.run([sys.executable, "-m", "bench.persons", "--persons", "300", "--backends", "sqlite",
                          "--json"], capture_output=True, text=True, check=True, timeout=120)
    result = json.loads(run.stdout)["results"][0]
    assert (result["backend"], result["created"]) == ("sqlite", 300)
    assert result["again"]["unchanged"] == 300
