"""Leads measured the way users get them: the generated world of :mod:`bench.leads` written
as CONTRACT's files, imported as a user imports them, and each person's leads asked of
the store as ``phienhieu leads`` and the API ask (``usecases.leads.person_leads``).

The world is the invented one of :mod:`bench.leads_world`. Its registry is imported as a
registry document; cemeteries, graves, first burials and persons as JSON Lines files
through the same import paths the CLI uses. A person's units are then decoded from his
written unit, as the store does, so the world's second candidate unit (an ambiguity the
generator adds to the evidence, not to the written unit) is not there. To tell what the
store's retrieval costs (graves fetched from the search boxes, first burials fetched by
given name and death date, claims read for the first graves) from what decoding changes,
the same persons are ranked in process too, with the evidence the store gathered and
every grave of the world.

Run: ``.venv/bin/python -m bench.leads_store [--persons 300] [--seed 11] [--json]``;
``--database-url`` (or ``PHIENHIEU_TEST_POSTGRES_URL``) for PostgreSQL, else a SQLite file.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from archive.db import make_engine, make_session_factory
from archive.migrate import upgrade_database
from archive.models import Person
from bench.graves import drop_schema, postgres_schema
from bench.leads import Scores, _burials_for, _by_given_name, _rank, _scores
from bench.leads_world import World, make_world
from decoder.registry_schema import RegistryDocument
from leads import Burial, Grave, leads_for
from usecases.graves import import_burial_file, import_cemetery_file, import_grave_file
from usecases.leads import evidence_of, person_leads
from usecases.persons import import_person_lines
from usecases.registry import import_document
from usecases.registry_cache import RegistryCache

#: How many graves a person's leads are asked for (the API's default is 20).
LISTED = 20
#: Files are read whole: a world of a few thousand rows.
MAX_BYTES = 1 << 30


def _date(value: object) -> str | None:
    return str(value) if value else None


def _grave_json(grave: Grave, number: int) -> dict[str, Any]:
    remains = {"place": grave.remains_place, "lat": grave.remains_lat, "lon": grave.remains_lon,
               "date": _date(grave.remains_date)}
    return {"id": grave.id, "cemetery": grave.cemetery, "number": str(number), "status": grave.status,
            "birth_year": grave.birth_year, "unit_text": grave.unit_text,
            "remains_from": {key: value for key, value in remains.items() if value is not None}}


def _burial_json(burial: Burial) -> dict[str, Any]:
    recovered = {"grave": burial.recovered_grave} if burial.recovered_grave else None
    return {"id": burial.id, "name": burial.name, "unit_text": burial.unit_text,
            "death_date": _date(burial.death_date), "burial_date": _date(burial.burial_date),
            "place": burial.place, "lat": burial.lat, "lon": burial.lon, "recovered": recovered}


def _person_jsons(world: World) -> Iterable[dict[str, Any]]:
    for truth in world.truths[:world.looked_for]:
        evidence = truth.evidence
        yield {"id": evidence.person_id, "full_name": evidence.name, "birth_year": evidence.birth_year,
               "unit_text": evidence.unit_text, "death_date": _date(evidence.death_date),
               "death_place": evidence.death_place, "burial_place": evidence.burial_place}


def _write(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def stock(world: World, folder: Path, sessions: sessionmaker[Session], cache: RegistryCache) -> None:
    """Write the world as CONTRACT's files in ``folder`` and import them as a user would."""
    import_document(RegistryDocument(units=list(world.registry)), sessions=sessions,
                    registry=cache, actor="bench")
    cemeteries = ({"id": cid, "name": f"Nghĩa trang {cid}", "lat": lat, "lon": lon}
                  for cid, (lat, lon) in world.cemeteries.items())
    graves = (_grave_json(grave, number) for number, grave in enumerate(world.graves))
    files = {"cemeteries": _write(folder / "cemeteries.jsonl", cemeteries),
             "graves": _write(folder / "graves.jsonl", graves),
             "burials": _write(folder / "burials.jsonl", (_burial_json(b) for b in world.burials))}
    for kind, load in (("cemeteries", import_cemetery_file), ("graves", import_grave_file),
                       ("burials", import_burial_file)):
        report = load(files[kind], sessions=sessions, actor="bench", max_bytes=MAX_BYTES)
        if report.problems:
            raise SystemExit(f"{kind}: {len(report.problems)} rows refused, the first: {report.problems[0]}")
    with _write(folder / "persons.jsonl", _person_jsons(world)).open("rb") as source:
        imported = import_person_lines(source, sessions=sessions, actor="bench")
    if imported.problems:
        raise SystemExit(f"persons: {len(imported.problems)} refused, the first: {imported.problems[0]}")


def run_store(world: World, sessions: sessionmaker[Session], cache: RegistryCache) -> tuple[Scores, Scores]:
    """Each person's leads from the store, and the same evidence ranked in process against
    every grave of the world (what the store's retrieval costs)."""
    index = _by_given_name(world.burials)
    claims = {b.recovered_grave: b for b in world.burials if b.recovered_grave}
    stored, alone, times = [], [], []
    for truth in world.truths[:world.looked_for]:
        person_id = truth.evidence.person_id
        start = time.perf_counter()
        found = person_leads(person_id, sessions=sessions, registry=cache, limit=LISTED)
        times.append(time.perf_counter() - start)
        stored.append(_rank([g["grave_id"] for g in found["graves"]], truth.grave_id, len(world.graves)))
        with sessions() as session:
            person = session.get(Person, person_id)
            assert person is not None
            evidence = evidence_of(session, person, cache.get())
        ranked = leads_for(evidence, cache.get(), burials=_burials_for(evidence, index), graves=world.graves,
                           limit=LISTED, claims=claims)
        alone.append(_rank([g.grave_id for g in ranked.graves], truth.grave_id, len(world.graves)))
    return _scores(stored, world, times), _scores(alone, world)


def measure(world: World, url: str) -> dict[str, Any]:
    """Stock a store at ``url`` with the world and measure its leads."""
    engine = make_engine(url)
    upgrade_database(engine)
    sessions = make_session_factory(engine)
    cache = RegistryCache(sessions)
    try:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            stock(world, Path(folder), sessions, cache)
            stocked = time.perf_counter() - started
        store, in_process = run_store(world, sessions, cache)
    finally:
        engine.dispose()
    return {"stock_s": round(stocked, 1), "store": asdict(store), "in_process": asdict(in_process)}


def main(argv: Sequence[str] | None = None) -> None:
    """Build the world, stock a store with it, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--database-url", default=os.environ.get("PHIENHIEU_TEST_POSTGRES_URL"))
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file even when PostgreSQL is given")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    world = make_world(args.persons, args.seed)
    if args.sqlite or not args.database_url:
        with tempfile.TemporaryDirectory() as folder:
            report = measure(world, f"sqlite:///{Path(folder) / 'leads.sqlite3'}") | {"backend": "sqlite"}
    else:
        schema, url = postgres_schema(args.database_url)
        try:
            report = measure(world, url) | {"backend": "postgres"}
        finally:
            drop_schema(args.database_url, schema)
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(f"{report['backend']}: {args.persons} persons among {len(world.graves)} graves "
          f"(stocked in {report['stock_s']} s)")
    for name in ("store", "in_process"):
        scores = report[name]
        cuts = "  ".join(f"{key} {value:.3f}" for key, value in scores["at"].items())
        timing = f"  {scores['ms_p50']} ms p50, {scores['ms_p99']} ms p99" if scores["ms_p50"] else ""
        kinds = ", ".join(f"{kind} {value:.3f}" for kind, value in scores["top10_by_collection"].items())
        print(f"{name:10s} {cuts}{timing}\n{'':10s} top10 by the true grave's record of its remains: {kinds}")


if __name__ == "__main__":
    main()
