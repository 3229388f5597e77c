"""Bulk writes of graves on both databases (``COPY`` on PostgreSQL), and a small run of the
graves benchmark. Every name and number here is invented."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive.bulk import insert_rows, refresh_statistics
from archive.models import Cemetery, Grave, GraveStatusChange, utc_now
from bench.graves import write_register
from usecases.graves import import_cemetery_file, import_grave_file

LIMIT = 10_000_000


def grave_row(number: int, **fields: object) -> dict[str, object]:
    now = utc_now()
    return {"id": f"g{number}", "cemetery_id": "nt-1", "zone": "", "lot": "1", "row": "2",
            "number": str(number),
            "status": "named", "name": "Nguyễn Văn Thử", "name_key": "nguyen van thu", "birth_year": None,
            "hometown": None, "hometown_key": None, "unit_text": 'c2 "d5"\te88\\f308', "death_date": None,
            "remains_place": None, "remains_lat": 16.75, "remains_lon": None, "remains_date": None,
            "remains_burial": None, "person_id": None, "sources": [{"scan": "s\n1", "page": 2}],
            "created_at": now, "updated_at": now, **fields}


def test_rows_are_copied_with_their_types_and_a_clash_is_an_integrity_error(
        sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.add(Cemetery(id="nt-1", name="Nghĩa trang Thử", name_key="nghia trang thu"))
    with sessions.begin() as session:
        insert_rows(session, Grave, [grave_row(1), grave_row(2, status="unidentified", name=None)])
        insert_rows(session, GraveStatusChange, [{"grave_id": "g1", "from_status": None, "to_status": "named",
                                                  "at": utc_now(), "actor": "test", "reason": None}])
    with sessions() as session:
        first = session.get(Grave, "g1")
        assert first is not None
        assert (first.name, first.unit_text, first.sources, first.remains_lat, first.birth_year) == (
            "Nguyễn Văn Thử", 'c2 "d5"\te88\\f308', [{"scan": "s\n1", "page": 2}], 16.75, None)
        assert first.created_at.tzinfo is not None
        assert session.scalars(select(Grave.name).where(Grave.id == "g2")).one() is None
        assert session.scalars(select(GraveStatusChange.to_status)).all() == ["named"]
    with pytest.raises(IntegrityError), sessions.begin() as session:
        insert_rows(session, Grave, [grave_row(3), grave_row(1)])
    with sessions() as session:
        assert session.get(Grave, "g3") is None  # nothing of the failed call is left
    with sessions.begin() as session:
        refresh_statistics(session, Grave)  # ANALYZE on PostgreSQL, nothing on SQLite


def test_a_generated_register_imports_whole_and_again_changes_nothing(
        sessions: sessionmaker[Session], tmp_path: Path) -> None:
    cemeteries, graves = write_register(tmp_path, 1200, 7)
    assert import_cemetery_file(cemeteries, sessions=sessions, actor="test", max_bytes=LIMIT).created == 7
    first = import_grave_file(graves, sessions=sessions, actor="test", max_bytes=LIMIT)
    assert (first.created, first.problems) == (1200, [])
    again = import_grave_file(graves, sessions=sessions, actor="test", max_bytes=LIMIT)
    assert (again.created, again.updated, again.unchanged, again.problems) == (0, 0, 1200, [])
    with sessions() as session:
        history = session.scalars(select(GraveStatusChange.grave_id)).all()
        assert len(history) == len(set(history)) == 1200


def test_the_benchmark_runs_small_and_prints_json(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "bench.graves", "--graves", "600", "--cemeteries", "6",
                          "--backends", "sqlite", "--count-runs", "1", "--json"],
                         capture_output=True, text=True, check=True, timeout=120)
    report = json.loads(run.stdout)
    result = report["results"][0]
    assert (report["graves"], result["backend"], result["graves"]) == (600, "sqlite", 600)
    assert result["again"]["unchanged"] == 600
    assert result["count"]["graves"] == 600
    assert result["graves_per_second"] > 0
    assert result["raw"]["graves_per_second"] > 0
