"""Linkage at national scale, and its accuracy on a world with known truth.

Three measurements, each on lists written by :mod:`bench.linkage_world` (every name,
place and unit invented):

1. **Accuracy**: a world of ``--persons`` (3,000) written in 3 lists, imported with
   ``phienhieu lists import`` and linked with ``phienhieu link`` (Splink on DuckDB): pairwise
   precision and recall against the truth, beside the simple rule (same folded name, birth
   years at most 1 apart) on the same lists.
2. **Scale on DuckDB**: about ``--entries`` (1,200,000) entries in 4 lists, imported into
   PostgreSQL (entries/s, beside a raw ``COPY`` of the same files) and linked; wall time and
   peak memory of the linking process.
3. **Spark**: ``--spark-entries`` (200,000) entries linked with ``--engine spark`` (local
   mode on this machine's cores), beside DuckDB on the same entries.

Each import and link runs in a process of its own, so its peak memory is its own.
Run: ``.venv/bin/python -m bench.linkage [--json] [--decisions N] [--skip-scale] [--skip-spark]``;
PostgreSQL is ``--database-url`` or ``PHIENHIEU_TEST_POSTGRES_URL`` (a schema of its own,
dropped afterwards); without it, SQLite.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from archive.db import make_engine, make_session_factory
from archive.migrate import upgrade_database
from bench.graves import drop_schema, postgres_schema
from bench.linkage_world import WorldFiles, baseline_clusters, pairwise_scores, read_truth, write_world
from usecases.linkage import decide_pair, export_clusters, pairs_for_review, run_linkage
from usecases.lists import import_list_file

#: Entries per person across 4 lists: each list holds 55–80 % of the persons.
_ENTRIES_PER_PERSON_4_LISTS = 2.7


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_lists(url: str, world: WorldFiles) -> dict[str, Any]:
    """In a process of its own: migrate, import every list; entries/s and peak memory."""
    engine = make_engine(url)
    upgrade_database(engine)
    sessions = make_session_factory(engine)
    started, entries = time.perf_counter(), 0
    for path in world.lists:
        report = import_list_file(path, path.stem, sessions=sessions, actor="bench", max_bytes=1 << 36)
        entries += report.entries
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"entries": entries, "seconds": round(seconds, 2), "entries_per_second": round(entries / seconds),
            "peak_rss_mb": round(_peak_mb())}


def link(url: str, engine_name: str, truth_path: str | None) -> dict[str, Any]:
    """In a process of its own: link, then score the clusters against the truth."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    started = time.perf_counter()
    steps: dict[str, float] = {}

    def timed(step: str, done: int, total: int) -> None:
        steps.setdefault(step, time.perf_counter())

    run = run_linkage(sessions=sessions, engine=engine_name, actor="bench",  # type: ignore[arg-type]
                      progress=timed)
    seconds = time.perf_counter() - started
    ends = [*list(steps.values())[1:], started + seconds]
    result: dict[str, Any] = {"engine": engine_name, **vars(run), "seconds": round(seconds, 1),
                              "steps": {step: round(end - begun, 1) for (step, begun), end
                                        in zip(steps.items(), ends, strict=True)},
                              "peak_rss_mb": round(_peak_mb())}
    if truth_path:
        clusters = [{f"{m['source']}:{m['row']}" for m in cluster["members"] if m["kind"] == "entry"}
                    for cluster in export_clusters(sessions=sessions)["clusters"]]
        result["scores"] = vars(pairwise_scores(clusters, read_truth(Path(truth_path))))
    engine.dispose()
    return result


def officers_decide(url: str, truth_path: str, count: int) -> dict[str, Any]:
    """In a process of its own: decide the first ``count`` pairs of the review queue (the
    least certain first) as the truth says, as officers would."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    truth = read_truth(Path(truth_path))
    decided = {"same": 0, "different": 0}
    for pair in pairs_for_review(sessions=sessions, limit=count, offset=0)["pairs"]:
        left, right = (f"{side['source']}:{side['row']}" for side in (pair["left"], pair["right"]))
        decision = "same" if truth[left] == truth[right] else "different"
        decide_pair(pair["id"], decision, note=None, sessions=sessions, actor="bench")
        decided[decision] += 1
    engine.dispose()
    return decided


def in_child(function: Any, *args: Any) -> dict[str, Any]:
    """``function(*args)`` in a fresh process (which may start processes of its own)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        result: dict[str, Any] = pool.submit(function, *args).result()
    return result


def raw_copy(url: str, world: WorldFiles) -> float:
    """Seconds to ``COPY`` the CSV lists into plain tables, as an administrator would."""
    engine = create_engine(url)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        started = time.perf_counter()
        for index, path in enumerate(p for p in world.lists if p.suffix == ".csv"):
            cursor.execute(f"CREATE TABLE raw_list_{index} ({', '.join(f'c{n} text' for n in range(6))})")
            with path.open("rb") as source, cursor.copy(
                    f"COPY raw_list_{index} FROM STDIN (FORMAT csv, HEADER true, ENCODING 'LATIN1')") as copy:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
        connection.commit()
        return time.perf_counter() - started
    finally:
        connection.close()
        engine.dispose()


def database(folder: Path, name: str, postgres_url: str | None) -> tuple[str, str | None]:
    """A fresh database: a schema of PostgreSQL when given, else a SQLite file."""
    if postgres_url:
        return postgres_schema(postgres_url)[::-1]
    return f"sqlite:///{folder / f'{name}.sqlite3'}", None


def accuracy(folder: Path, persons: int, postgres_url: str | None, decisions: int = 0) -> dict[str, Any]:
    """Measurement 1; with ``decisions``, officers then decide that many pairs of the
    review queue, and the lists are linked again."""
    world = write_world(folder / "accuracy", persons=persons, lists=3, seed=7)
    url, schema = database(folder, "accuracy", postgres_url)
    try:
        in_child(import_lists, url, world)
        result = in_child(link, url, "duckdb", str(world.truth))
        if decisions:
            result["decided"] = in_child(officers_decide, url, str(world.truth), decisions)
            result["after_decisions"] = in_child(link, url, "duckdb", str(world.truth))
    finally:
        if schema and postgres_url:
            drop_schema(postgres_url, schema)
    baseline = pairwise_scores(baseline_clusters(world), read_truth(world.truth))
    return {"persons": persons, "entries": world.entries, "link": result, "baseline": vars(baseline)}


def scale(folder: Path, entries: int, engines: list[str], postgres_url: str | None) -> dict[str, Any]:
    """Measurements 2 and 3: import and link about ``entries`` entries with each engine."""
    world = write_world(folder / f"scale-{entries}", persons=round(entries / _ENTRIES_PER_PERSON_4_LISTS),
                        lists=4, seed=13)
    url, schema = database(folder, f"scale-{entries}", postgres_url)
    try:
        imported = in_child(import_lists, url, world)
        if postgres_url:
            seconds = raw_copy(url, world)
            csv_entries = world.entries * 3 // 4  # the three CSV lists of four, roughly
            imported["raw_copy_csv_entries_per_second"] = round(csv_entries / seconds)
        runs = [in_child(link, url, engine, str(world.truth)) for engine in engines]
    finally:
        if schema and postgres_url:
            drop_schema(postgres_url, schema)
    return {"entries": world.entries, "database": "postgresql" if postgres_url else "sqlite",
            "import": imported, "runs": runs}


def main() -> None:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--persons", type=int, default=3000, help="persons of the accuracy world")
    parser.add_argument("--entries", type=int, default=1_200_000, help="entries of the DuckDB scale run")
    parser.add_argument("--spark-entries", type=int, default=200_000, help="entries of the Spark run")
    parser.add_argument("--decisions", type=int, default=0, help=(
        "officers decide this many review pairs of the accuracy world (by its truth), then it is relinked"))
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--database-url", default=os.environ.get("PHIENHIEU_TEST_POSTGRES_URL"))
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    report: dict[str, Any] = {"cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="bench-linkage-") as work:
        folder = Path(work)
        report["accuracy"] = accuracy(folder, args.persons, args.database_url, args.decisions)
        _show(report, args.json)
        if not args.skip_scale:
            report["duckdb_scale"] = scale(folder, args.entries, ["duckdb"], args.database_url)
            _show(report, args.json)
        if not args.skip_spark:
            report["spark"] = scale(folder, args.spark_entries, ["duckdb", "spark"], args.database_url)
    _show(report, args.json)


def _show(report: dict[str, Any], as_json: bool) -> None:
    print(json.dumps(report, ensure_ascii=False, indent=None if not as_json else 2), flush=True)


if __name__ == "__main__":
    main()
