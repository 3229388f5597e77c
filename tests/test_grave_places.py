"""Unnamed graves whose remains came from a place written without coordinates are put on
the map by the gazetteer when they are stored, and leads find them there, however far
away their cemetery lies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from archive.grave_schema import CemeteryRecord, GraveRecord
from archive.migrate import MIGRATIONS_DIR, upgrade_database
from archive.models import Grave
from archive.person_schema import PersonRecord
from decoder.registry_schema import RegistryDocument
from places import locate
from usecases.graves import import_grave_file, save_cemetery, save_grave
from usecases.leads import person_leads
from usecases.persons import save_person
from usecases.registry import import_document
from usecases.registry_cache import RegistryCache

HAI_PHU = "xã Hải Phú, huyện Hải Lăng, tỉnh Quảng Trị"
#: A cemetery in Hà Nội, some 600 km from Hải Lăng.
FAR = CemeteryRecord.model_validate({"id": "nt-far", "name": "Nghĩa trang xa (thử)",
                                     "lat": 21.03, "lon": 105.83})


def _grave(grave_id: str, status: str = "unidentified", **remains: Any) -> GraveRecord:
    named = {"name": "Lê Văn Tám"} if status in ("named", "named_no_remains") else {}
    return GraveRecord.model_validate({"id": grave_id, "cemetery": "nt-far", "number": grave_id,
                                       "status": status, "remains_from": remains or None, **named})


def _placed(sessions: sessionmaker[Session], grave_id: str) -> tuple[float | None, float | None]:
    with sessions() as session:
        grave = session.get(Grave, grave_id)
        assert grave is not None
        return grave.placed_lat, grave.placed_lon


def _hai_phu() -> tuple[float, float]:
    spot = locate(HAI_PHU)[0]
    return round(spot.lat, 6), round(spot.lon, 6)


def test_a_written_place_is_placed_and_the_point_follows_the_record(sessions: sessionmaker[Session]) -> None:
    save_cemetery(FAR, sessions=sessions, actor="t")
    for record in (_grave("g-written", place=HAI_PHU), _grave("g-point", place=HAI_PHU, lat=16.7, lon=107.2),
                   _grave("g-unknown", place="đồi 105"), _grave("g-named", "named", place=HAI_PHU),
                   _grave("g-none")):
        save_grave(record, sessions=sessions, actor="t")
    assert _placed(sessions, "g-written") == _hai_phu()
    assert _placed(sessions, "g-point") == (16.7, 107.2)  # the point given
    for grave_id in ("g-unknown", "g-named", "g-none"):
        assert _placed(sessions, grave_id) == (None, None), grave_id
    save_grave(_grave("g-written", place=HAI_PHU, lat=16.71, lon=107.21), sessions=sessions, actor="t")
    assert _placed(sessions, "g-written") == (16.71, 107.21)  # its own point now
    save_grave(_grave("g-point", place="Hải Lăng, Quảng Trị"), sessions=sessions, actor="t")
    district = locate("Hải Lăng, Quảng Trị")[0]
    assert _placed(sessions, "g-point") == (round(district.lat, 6), round(district.lon, 6))
    save_grave(_grave("g-point", "named", place="Hải Lăng, Quảng Trị"), sessions=sessions, actor="t")
    assert _placed(sessions, "g-point") == (None, None)  # named: leads do not rank it


def test_graves_imported_from_a_file_are_placed(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    save_cemetery(FAR, sessions=sessions, actor="t")
    records = [*(_grave(f"g-{i}", place=HAI_PHU) for i in range(30)),
               _grave("g-point", place=HAI_PHU, lat=16.7, lon=107.2),
               _grave("g-named", "named", place=HAI_PHU)]
    rows = [record.model_dump(mode="json", exclude_none=True) for record in records]
    path = tmp_path / "graves.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    report = import_grave_file(path, sessions=sessions, actor="t", max_bytes=1 << 20, workers=1)
    assert (report.created, report.problems) == (32, [])
    assert {_placed(sessions, f"g-{i}") for i in range(30)} == {_hai_phu()}
    assert _placed(sessions, "g-point") == (16.7, 107.2)
    assert _placed(sessions, "g-named") == (None, None)


def _alembic(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_the_migration_places_the_graves_stored_before_it(database_url: str) -> None:
    from archive.db import make_engine

    engine = make_engine(database_url)
    try:
        _alembic(engine, "0012")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO cemeteries (id, name, name_key, created_at, updated_at) "
                                    "VALUES ('nt-far', 'xa', 'xa', '2026-01-01', '2026-01-01')"))
            for grave_id, status, lat in (("g-old", "unidentified", None), ("g-old-named", "named", None),
                                          ("g-old-point", "partial", 16.7)):
                connection.execute(text(
                    "INSERT INTO graves (id, cemetery_id, zone, lot, row, number, status, remains_place, "
                    "remains_lat, remains_lon, sources, created_at, updated_at) VALUES (:id, 'nt-far', "
                    "'', '', '', :id, :status, :place, :lat, :lat, '[]', '2026-01-01', '2026-01-01')"),
                    {"id": grave_id, "status": status, "place": HAI_PHU, "lat": lat})
        upgrade_database(engine)
        with engine.connect() as connection:
            placed = dict(connection.execute(text("SELECT id, placed_lat FROM graves")).all())
        assert placed == {"g-old": _hai_phu()[0], "g-old-named": None, "g-old-point": 16.7}
    finally:
        engine.dispose()


REGISTRY = {"units": [
    {"id": "t-f950", "level": "division", "number": "950", "name": "Sư đoàn 950 (thử)"},
    {"id": "t-e7", "level": "regiment", "number": "7", "name": "Trung đoàn 7 (thử)",
     "parents": [{"unit": "t-f950", "from": "1965"}],
     "events": [{"from": "1972-04", "to": "1972-06", "title": "Chốt giữ (thử)", "place": "Hải Lăng",
                 "province": "Quảng Trị", "lat": 16.70, "lon": 107.23, "source": "thử"}]}]}


def test_leads_find_a_grave_by_its_written_place_far_from_its_cemetery(
        sessions: sessionmaker[Session]) -> None:
    cache = RegistryCache(sessions)
    import_document(RegistryDocument.model_validate(REGISTRY), sessions=sessions, registry=cache, actor="t")
    save_cemetery(FAR, sessions=sessions, actor="t")
    save_grave(_grave("g-hai-phu", place=HAI_PHU, date="1994-03"), sessions=sessions, actor="t")
    save_person(PersonRecord.model_validate({"id": "p-tam", "full_name": "Lê Văn Tám", "unit_text": "e7 f950",
                                             "death_date": "1972-05-20"}), sessions=sessions, actor="t")
    found = person_leads("p-tam", sessions=sessions, registry=cache)
    assert [grave["grave_id"] for grave in found["graves"]] == ["g-hai-phu"]
