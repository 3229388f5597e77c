"""Leads at national scale, read from the database: one person's leads (his record decoded,
the graves and first burials inside his areas' search boxes fetched, the graves ranked)
with 1,000,000 graves and 300,000 first burials stored, timed person by person.

The world is invented: regiments moving between real district points of six central
provinces (``places``), persons of those regiments who fell in a year of one of their
positions, and cemeteries, graves (a quarter of them unnamed; of those, 55 % with the
point their remains were collected at, 25 % with a district written instead) and first
burials at district points of the whole country, a fifth of them in those six provinces
(the country's 836,000 martyrs' graves lie in every province, the wartime provinces holding
more of them). What is measured
is time, not accuracy (``bench.leads`` measures how well leads rank the true grave). The
rows are written with the database's bulk path (``COPY`` on PostgreSQL) to set the stage;
the timed part is ``usecases.leads.person_leads``, what the API and ``phienhieu leads`` run.

Run: ``.venv/bin/python -m bench.leads_db [--graves 1000000] [--burials 300000]
[--persons 200] [--json]``; PostgreSQL is ``--database-url`` or
``PHIENHIEU_TEST_POSTGRES_URL`` (a schema of its own, dropped afterwards); ``--sqlite``
runs on a SQLite file instead.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from archive.bulk import insert_rows, refresh_statistics
from archive.db import make_engine, make_session_factory
from archive.grave_stored import placed_point
from archive.migrate import upgrade_database
from archive.models import Burial, Cemetery, Grave, Person, utc_now
from bench.graves import drop_schema, postgres_schema
from bench.people import full_name
from decoder.plots import given_key, name_key
from decoder.registry_schema import RegistryDocument
from places.localities import Locality, localities
from usecases.leads import person_leads
from usecases.registry import import_document
from usecases.registry_cache import RegistryCache

THEATRE = ("Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Kon Tum", "Gia Lai")
REGIMENTS = 60
POSITIONS = 8
CEMETERIES = 3_000
BATCH = 20_000
STATUSES = (("named", 0.67), ("unidentified", 0.25), ("partial", 0.05), ("named_no_remains", 0.03))


#: The share of cemeteries, graves and first burials in the six provinces of the fighting.
THEATRE_SHARE = 0.2


def theatre() -> list[Locality]:
    """The districts the regiments move between."""
    return [unit for unit in localities() if unit.level == "district" and unit.province in THEATRE]


def country() -> list[Locality]:
    """Every district of the 2008–2025 map."""
    return [unit for unit in localities() if unit.level == "district"]


def _district(near: list[Locality], rest: list[Locality], rng: random.Random) -> Locality:
    return rng.choice(near if rng.random() < THEATRE_SHARE else rest)


Walk = list[tuple[int, Locality]]


def registry(rng: random.Random, places: list[Locality]) -> tuple[RegistryDocument, list[Walk]]:
    """Regiments of five divisions, each at a district for a year of 1965–1972."""
    units: list[dict[str, Any]] = [{"id": f"b-f{number}", "level": "division", "number": str(number),
                                    "name": f"Sư đoàn {number} (giả định)"} for number in range(901, 906)]
    walks = []
    for index in range(REGIMENTS):
        number = 100 + index
        walk = [(1965 + step, rng.choice(places)) for step in range(POSITIONS)]
        walks.append(walk)
        units.append({"id": f"b-e{number}", "level": "regiment", "number": str(number),
                      "name": f"Trung đoàn {number} (giả định)",
                      "parents": [{"unit": f"b-f{901 + index % 5}", "from": "1960"}],
                      "events": [{"from": f"{year}-01", "to": f"{year}-12", "title": "Đóng quân (giả định)",
                                  "place": place.name, "province": place.province, "lat": place.lat,
                                  "lon": place.lon, "source": "bench.leads_db (invented)"}
                                 for year, place in walk]})
    return RegistryDocument.model_validate({"units": units}), walks


def _near(place: Locality, km: float, rng: random.Random) -> tuple[float, float]:
    return (round(place.lat + rng.uniform(-km, km) / 111.0, 5),
            round(place.lon + rng.uniform(-km, km) / 106.0, 5))


def persons(count: int, walks: list[Walk], rng: random.Random) -> list[dict[str, Any]]:
    """Men of the regiments, each fallen in a year of one of his regiment's positions."""
    rows, now = [], utc_now()
    for index in range(count):
        regiment = rng.randrange(REGIMENTS)
        year, _ = rng.choice(walks[regiment])
        name = full_name(rng)
        rows.append({"id": f"bp-{index:05d}", "full_name": name, "name_key": name_key(name),
                     "unit_text": f"c{rng.randint(1, 12)} d{rng.randint(1, 3)} e{100 + regiment} "
                                  f"f{901 + regiment % 5}",
                     "death_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     "relatives": [],
                     "created_at": now, "updated_at": now})
    return rows


def cemeteries(places: list[Locality], rest: list[Locality], rng: random.Random) -> list[dict[str, Any]]:
    """Cemeteries at district points, a fifth of them in the six provinces."""
    now = utc_now()
    return [{"id": f"bn-{index:04d}", "name": f"Nghĩa trang giả định {index}",
             "name_key": f"nghia trang gia dinh {index}", "lat": lat, "lon": lon, "created_at": now,
             "updated_at": now}
            for index in range(CEMETERIES) for lat, lon in [_near(_district(places, rest, rng), 10, rng)]]


def graves(count: int, places: list[Locality], rest: list[Locality],
           rng: random.Random) -> Iterator[dict[str, Any]]:
    """Graves over the cemeteries; an unnamed one's remains came from a point (55 %), a
    district written without one (25 %, placed by the gazetteer as an import places it), or
    nowhere said (20 %)."""
    names = [name for name, _ in STATUSES]
    weights = [weight for _, weight in STATUSES]
    now = utc_now()
    for index in range(count):
        status = rng.choices(names, weights)[0]
        roll = rng.random() if status in ("unidentified", "partial") else 1.0
        district = _district(places, rest, rng) if roll < 0.8 else None
        point = _near(district, 15, rng) if district and roll < 0.55 else (None, None)
        written = f"{district.name}, {district.province}" if district and roll >= 0.55 else None
        placed = placed_point(status, written, *point)
        name = full_name(rng) if status in ("named", "named_no_remains") else None
        yield {"id": f"bg-{index:07d}", "cemetery_id": f"bn-{index % CEMETERIES:04d}", "zone": "", "lot": "",
               "row": str(index // CEMETERIES), "number": str(index), "status": status, "name": name,
               "name_key": name_key(name) if name else None, "remains_lat": point[0], "remains_lon": point[1],
               "remains_place": written, "placed_lat": placed[0], "placed_lon": placed[1],
               "remains_date": f"{rng.randint(1975, 2020)}" if district else None, "sources": [],
               "created_at": now, "updated_at": now}


def burials(count: int, places: list[Locality], rest: list[Locality],
            rng: random.Random) -> Iterator[dict[str, Any]]:
    """First burials, most with the point they were made at."""
    now = utc_now()
    for index in range(count):
        name = full_name(rng)
        point = _near(_district(places, rest, rng), 15, rng) if rng.random() < 0.7 else (None, None)
        yield {"id": f"bb-{index:07d}", "name": name, "given_key": given_key(name),
               "unit_text": f"e{100 + rng.randrange(REGIMENTS)}", "death_date": f"{rng.randint(1965, 1972)}",
               "lat": point[0], "lon": point[1], "witnesses": [], "sources": [], "created_at": now,
               "updated_at": now}


def _store(sessions: sessionmaker[Session], model: Any,
           rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            with sessions.begin() as session:
                insert_rows(session, model, batch)
            batch = []
    if batch:
        with sessions.begin() as session:
            insert_rows(session, model, batch)
    with sessions.begin() as session:
        refresh_statistics(session, model)


def _vacuum(engine: Engine) -> None:
    """What autovacuum does after a bulk load, done now: PostgreSQL's visibility map lets
    the index of unnamed graves' points answer without reading the table."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE graves, burials, cemeteries"))


def run(url: str, graves_count: int, burials_count: int, persons_count: int, seed: int = 5,
        profile: bool = False) -> dict[str, Any]:
    """Stock the database at ``url`` and time each person's leads (with ``profile``, the
    timed part's costliest functions are printed to standard error)."""
    rng = random.Random(seed)
    places, rest = theatre(), country()
    engine = make_engine(url)
    upgrade_database(engine)
    sessions = make_session_factory(engine)
    cache = RegistryCache(sessions)
    document, walks = registry(rng, places)
    import_document(document, sessions=sessions, registry=cache, actor="bench")
    started = time.perf_counter()
    _store(sessions, Person, persons(persons_count, walks, rng))
    _store(sessions, Cemetery, cemeteries(places, rest, rng))
    _store(sessions, Grave, graves(graves_count, places, rest, rng))
    _store(sessions, Burial, burials(burials_count, places, rest, rng))
    _vacuum(engine)
    stocked = time.perf_counter() - started
    person_leads("bp-00000", sessions=sessions, registry=cache)  # the registry and caches warmed
    times, ranked, areas = [], [], []
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    for index in range(persons_count):
        start = time.perf_counter()
        found = person_leads(f"bp-{index:05d}", sessions=sessions, registry=cache)
        times.append(time.perf_counter() - start)
        ranked.append(len(found["graves"]))
        areas.append(len(found["areas"]))
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    engine.dispose()
    times.sort()
    return {"graves": graves_count, "burials": burials_count, "persons": persons_count,
            "stock_seconds": round(stocked, 1),
            "p50_ms": round(1000 * statistics.median(times), 1),
            "p99_ms": round(1000 * times[min(len(times) - 1, round(0.99 * len(times)))], 1),
            "max_ms": round(1000 * times[-1], 1), "mean_areas": round(statistics.mean(areas), 1),
            "mean_graves_returned": round(statistics.mean(ranked), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graves", type=int, default=1_000_000)
    parser.add_argument("--burials", type=int, default=300_000)
    parser.add_argument("--persons", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("PHIENHIEU_TEST_POSTGRES_URL"))
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print where the timed part spends its time")
    args = parser.parse_args()
    if args.sqlite:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'leads.sqlite3'}"
            result = run(url, args.graves, args.burials, args.persons, profile=args.profile)
        result["backend"] = "sqlite"
    else:
        if not args.database_url:
            parser.error("give --database-url or PHIENHIEU_TEST_POSTGRES_URL, or --sqlite")
        schema, url = postgres_schema(args.database_url)
        try:
            result = run(url, args.graves, args.burials, args.persons, profile=args.profile)
            result["backend"] = "postgres"
        finally:
            drop_schema(args.database_url, schema)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['backend']}: {result['graves']:,} graves, {result['burials']:,} first burials "
              f"(stocked in {result['stock_seconds']} s); leads for {result['persons']} persons: "
              f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms")


if __name__ == "__main__":
    main()
