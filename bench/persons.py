"""Person records at national scale: a generated JSON Lines list of martyr records imported
with the project's own import (what ``phienhieu persons import`` runs) into PostgreSQL and
into SQLite, beside the raw bulk path of each database for the same file.

Each line is CONTRACT's person JSON with an ``id`` (a national list numbers its records):
a name built as Vietnamese names are, birth year, hometown, enlistment, rank, unit, death
date and place; two in five name a relative, three in ten cite a page of a scan. The
import is ``usecases.persons.import_person_lines`` on a freshly migrated database, in a
process of its own so its peak memory (the RSS high-water mark) is its own; a file from
4 MB is read by worker processes, whose largest peak is given beside it. Then the same
file is imported again (every record unchanged). The raw path is what a database
administrator would do with the same file: PostgreSQL's ``COPY`` of the lines into a
plain table with one ``jsonb`` column, and for SQLite one ``executemany`` of the lines
into a plain table, in one transaction. Every name, place and number is invented.

Run: ``.venv/bin/python -m bench.persons [--persons 200000] [--json]``; PostgreSQL is
``--database-url`` or ``PHIENHIEU_TEST_POSTGRES_URL`` (each run works in a schema of its
own, dropped afterwards); ``--backends sqlite`` runs without it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from archive.db import make_engine, make_session_factory
from archive.migrate import upgrade_database
from archive.parallel import workers_for
from bench.graves import COMMUNES, DISTRICTS, PROVINCES, drop_schema, peak_rss_mb, postgres_schema
from bench.people import full_name
from bench.raw_paths import postgres_copy, sqlite_insert
from usecases.persons import import_person_lines

RANKS = ("Binh nhì", "Binh nhất", "Hạ sĩ", "Trung sĩ", "Thượng sĩ", "Chuẩn úy", "Thiếu úy", "Trung úy")
POSITIONS = ("Chiến sĩ", "Tiểu đội trưởng", "Trung đội phó", "Trung đội trưởng", "Y tá", "Liên lạc")
RELATIONS = ("mẹ", "bố", "vợ", "anh trai", "em gái", "con")


def person_record(index: int, rng: random.Random) -> dict[str, Any]:
    """One invented martyr record as CONTRACT's person JSON."""
    born = rng.randint(1925, 1956)
    enlisted = rng.randint(born + 17, min(born + 30, 1974))
    died = rng.randint(enlisted, 1975)
    record: dict[str, Any] = {
        "id": f"qg-{index:07d}", "full_name": full_name(rng), "birth_year": born,
        "hometown": f"xã {rng.choice(COMMUNES)}, huyện {rng.choice(DISTRICTS)}, tỉnh {rng.choice(PROVINCES)}",
        "enlisted": f"{enlisted}-{rng.randint(1, 12):02d}" if died > enlisted else str(enlisted),
        "rank": rng.choice(RANKS), "position": rng.choice(POSITIONS),
        "unit_text": f"c{rng.randint(1, 20)} d{rng.randint(1, 9)} e{rng.randint(1, 270)} "
                     f"f{rng.randint(300, 340)}",
        "death_date": (f"{died}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if died > enlisted
                       else str(died)),
        "death_place": f"{rng.choice(DISTRICTS)}, {rng.choice(PROVINCES)}"}
    if rng.random() < 0.4:
        record["relatives"] = [{"name": full_name(rng), "relation": rng.choice(RELATIONS)}]
    if rng.random() < 0.3:
        record["sources"] = [{"scan": str(rng.randint(1, 500)), "page": rng.randint(1, 40)}]
    return record


def write_list(path: Path, persons: int, seed: int = 17) -> Path:
    """``persons`` records, one JSON object a line, written a line at a time."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for index in range(persons):
            out.write(json.dumps(person_record(index, rng), ensure_ascii=False) + "\n")
    return path


def timed_import(sessions: Any, path: Path) -> tuple[Any, float]:
    """The import of ``path`` and its seconds."""
    started = time.perf_counter()
    with path.open("rb") as source:
        report = import_person_lines(source, sessions=sessions, actor="bench")
    return report, time.perf_counter() - started


def project_import(url: str, path: Path) -> dict[str, Any]:
    """Run in a process of its own: migrate, time the import and its repetition."""
    engine = make_engine(url)
    upgrade_database(engine)
    sessions = make_session_factory(engine)
    before_mb = peak_rss_mb()
    report, seconds = timed_import(sessions, path)
    if report.problems:
        raise SystemExit(f"{len(report.problems)} records refused, e.g. {report.problems[:3]}")
    peak_mb, worker_mb = peak_rss_mb(), peak_rss_mb(resource.RUSAGE_CHILDREN)
    again, again_seconds = timed_import(sessions, path)
    engine.dispose()
    lines = report.created + report.updated
    return {"created": report.created, "seconds": round(seconds, 2),
            "persons_per_second": round(lines / seconds), "peak_rss_mb": round(peak_mb),
            "rss_before_import_mb": round(before_mb), "workers": workers_for(path.stat().st_size),
            "worker_peak_rss_mb": round(worker_mb),
            "again": {"created": again.created, "updated": again.updated,
                      "unchanged": getattr(again, "unchanged", None), "seconds": round(again_seconds, 2),
                      "persons_per_second": round(lines / again_seconds)}}


def raw_postgres(url: str, path: Path) -> float:
    """Seconds to ``COPY`` the lines into a plain table with one ``jsonb`` column (CSV
    format with a quote and a delimiter no line holds, so each line is one value)."""
    return postgres_copy(url, path, create="CREATE TABLE raw_persons (doc jsonb)",
                         copy="COPY raw_persons FROM STDIN (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')")


def raw_sqlite(folder: Path, path: Path) -> float:
    """Seconds to insert the lines into a plain SQLite table (see :func:`sqlite_insert`)."""
    return sqlite_insert(folder, path, create="CREATE TABLE raw_persons (doc text)",
                         insert="INSERT INTO raw_persons VALUES (?)",
                         rows=lambda source: ((line,) for line in source))


def in_child(url: str, path: Path) -> dict[str, Any]:
    """:func:`project_import` in a fresh process, so its memory is measured alone."""
    # Not a multiprocessing.Pool: its processes are daemons, which may not start the
    # import's own worker processes.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        result: dict[str, Any] = pool.submit(project_import, url, path).result()
    return result


def run_backend(backend: str, folder: Path, path: Path, persons: int, *,
                postgres_url: str | None) -> dict[str, Any]:
    """The project's import and the raw bulk path on one database, and their ratio."""
    if backend == "sqlite":
        result = in_child(f"sqlite:///{folder / 'project.sqlite3'}", path)
        raw_seconds, raw_what = raw_sqlite(folder, path), "executemany of the lines into a plain table"
    else:
        if not postgres_url:
            raise SystemExit("PostgreSQL: give --database-url or set PHIENHIEU_TEST_POSTGRES_URL "
                             "(or run --backends sqlite)")
        schema, url = postgres_schema(postgres_url)
        try:
            result = in_child(url, path)
            raw_seconds, raw_what = raw_postgres(url, path), "COPY of the lines into a jsonb column"
        finally:
            drop_schema(postgres_url, schema)
    result["raw"] = {"what": raw_what, "seconds": round(raw_seconds, 2),
                     "persons_per_second": round(persons / raw_seconds)}
    result["slower_than_raw"] = round(result["seconds"] / raw_seconds, 1)
    return {"backend": backend, **result}


def run(persons: int, backends: list[str], *, postgres_url: str | None) -> dict[str, Any]:
    """Write the list, then measure each backend."""
    with tempfile.TemporaryDirectory(prefix="bench-persons-") as name:
        folder = Path(name)
        started = time.perf_counter()
        path = write_list(folder / "persons.jsonl", persons)
        report: dict[str, Any] = {
            "persons": persons, "file_mb": round(path.stat().st_size / 1e6, 1),
            "generate_seconds": round(time.perf_counter() - started, 1), "load_average": os.getloadavg()[0],
            "results": []}
        for backend in backends:
            report["results"].append(run_backend(backend, folder, path, persons, postgres_url=postgres_url))
    return report


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--backends", nargs="+", choices=["postgres", "sqlite"],
                        default=["postgres", "sqlite"])
    parser.add_argument("--database-url", default=os.environ.get("PHIENHIEU_TEST_POSTGRES_URL"),
                        help="a PostgreSQL database to work in (a schema of its own, dropped afterwards)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if args.persons < 1:
        parser.error("give at least one person")
    if "postgres" in args.backends and not args.database_url:
        parser.error("PostgreSQL: give --database-url or set PHIENHIEU_TEST_POSTGRES_URL "
                     "(or run --backends sqlite)")
    report = run(args.persons, args.backends, postgres_url=args.database_url)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{report['persons']:,} person records, a {report['file_mb']} MB JSON Lines file "
          f"(load average {report['load_average']:.1f})")
    for result in report["results"]:
        raw, again = result["raw"], result["again"]
        print(f"{result['backend']:<9} import {result['seconds']} s ({result['persons_per_second']:,}/s), "
              f"{result['workers']} worker(s), peak memory {result['peak_rss_mb']} MB "
              f"(workers {result['worker_peak_rss_mb']} MB); raw {raw['what']}: {raw['seconds']} s "
              f"({raw['persons_per_second']:,}/s), {result['slower_than_raw']}x; "
              f"again {again['seconds']} s ({again['persons_per_second']:,}/s)")


if __name__ == "__main__":
    main()
