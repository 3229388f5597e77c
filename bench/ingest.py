"""The archive's cost: pages per minute end to end (ingest -> OCR by the queue's workers
-> pages stored) beside the bare OCR pipeline on the same pages, with 1 and 2 processes.

The archive run is ``phienhieu ingest FOLDER --workers N`` on an empty data dir: storing
each file by checksum, queueing a job per page, N worker processes claiming, reading and
recording the pages, outbox and audit entries included. The bare run is
``phienhieu ocr FILES --workers N`` (the same pipeline, no archive), so both pay for
starting a command. Overhead is the extra wall time over the bare run; the steady cost per page is measured
apart, in one process: the same pages read by the bare pipeline, then stored and read
through the queue by one in-process worker.

Run: ``.venv/bin/python -m bench.ingest [--pages 48] [--workers 1 2] [--json]``
(``--database-url`` to run the archive on an empty PostgreSQL database instead of SQLite).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.ocr import degraded_set
from ocr.options import OcrOptions
from ocr.runner import ocr_files


def bare_command_seconds(paths: list[Path], workers: int) -> float:
    """Wall time of ``phienhieu ocr`` on the pages: the pipeline with no archive."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "api.cli", "ocr", *map(str, paths), "--workers",
                    str(workers), "--json"], check=True, capture_output=True)
    return time.perf_counter() - started


def bare_seconds(paths: list[Path], workers: int) -> float:
    """Wall time of the OCR pipeline alone, in this process and its pool."""
    started = time.perf_counter()
    result = ocr_files(paths, OcrOptions(), workers=workers)
    seconds = time.perf_counter() - started
    failed = [page for file in result.files for page in file.pages if page.error]
    if failed:
        raise SystemExit(f"bare OCR failed on {len(failed)} pages")
    return seconds


def archive_seconds(folder: Path, workers: int, database_url: str | None) -> tuple[float, float]:
    """Wall time of ``phienhieu ingest`` with its workers, and of storing alone."""
    with tempfile.TemporaryDirectory() as data_dir:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PHIENHIEU_")}
        env["PHIENHIEU_DATA_DIR"] = data_dir
        if database_url:
            env["PHIENHIEU_DATABASE_URL"] = database_url
        command = [sys.executable, "-m", "api.cli", "ingest", str(folder), "--json"]
        # The database is created and migrated first, outside the timing.
        subprocess.run([sys.executable, "-m", "api.cli", "audit", "verify"], env=env, check=True,
                       capture_output=True)
        started = time.perf_counter()
        run = subprocess.run([*command, "--workers", str(workers)], env=env, capture_output=True,
                             text=True, check=False)
        seconds = time.perf_counter() - started
        if run.returncode != 0:
            raise SystemExit(f"ingest failed: {run.stderr.strip()}")
    with tempfile.TemporaryDirectory() as data_dir:
        env["PHIENHIEU_DATA_DIR"] = data_dir
        subprocess.run([sys.executable, "-m", "api.cli", "audit", "verify"], env=env, check=True,
                       capture_output=True)
        started = time.perf_counter()
        subprocess.run([*command, "--no-wait"], env=env, capture_output=True, check=True)
        storing = time.perf_counter() - started
    return seconds, storing


def steady_overhead(paths: list[Path], database_url: str | None) -> dict[str, float]:
    """Per-page cost of the archive around OCR, without process start-up: one process
    reads the pages bare, then stores them and reads them through the queue."""
    from api.context import AppContext
    from api.settings import Settings
    from archive.worker import Worker
    from usecases.scans import make_ingester

    bare = bare_seconds(paths, 0)
    with tempfile.TemporaryDirectory() as data_dir:
        context = AppContext.open(Settings(data_dir=Path(data_dir), database_url=database_url))
        resources = context.resources
        try:
            ingester = make_ingester(sessions=resources.sessions, blobs=resources.blobs,
                                     policy=resources.job_policy)
            started = time.perf_counter()
            for path in paths:
                ingester.ingest_path(path)
            storing = time.perf_counter() - started
            worker = Worker(resources.sessions, resources.blobs, OcrOptions(), resources.job_policy)
            started = time.perf_counter()
            report = worker.run(threading.Event(), exit_when_idle=True)
            working = time.perf_counter() - started
        finally:
            context.close()
    if report.done != len(paths):
        raise SystemExit(f"the worker read {report.done} of {len(paths)} pages")
    return {"bare_ms_per_page": round(bare / len(paths) * 1000, 1),
            "store_ms_per_file": round(storing / len(paths) * 1000, 1),
            "worker_ms_per_page": round(working / len(paths) * 1000, 1),
            "overhead": round((storing + working) / bare - 1, 4)}


def run(count: int, worker_counts: list[int], database_url: str | None) -> dict[str, Any]:
    """Generate the pages, then time both ways for each number of processes."""
    os.environ["OMP_THREAD_LIMIT"] = "1"  # one Tesseract thread per process, everywhere
    pages = degraded_set(count)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, page in enumerate(pages):
            path = Path(folder) / f"page{index:03d}.png"
            path.write_bytes(page.png_bytes())
            paths.append(path)
        for workers in worker_counts:
            bare = bare_command_seconds(paths, workers)
            archived, storing = archive_seconds(Path(folder), workers, database_url)
            results.append({
                "workers": workers,
                "bare_pages_per_minute": round(count / bare * 60, 1),
                "archive_pages_per_minute": round(count / archived * 60, 1),
                "overhead": round(archived / bare - 1, 4),
                "store_files_per_second": round(count / storing, 1),
            })
        steady = steady_overhead(paths, database_url)
    return {"pages": count, "database": "postgresql" if database_url else "sqlite",
            "results": results, "steady": steady}


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=48)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--database-url", help="an empty database for the archive runs")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    report = run(args.pages, args.workers, args.database_url)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{report['pages']} generated pages, archive on {report['database']}")
    print(f"{'processes':>9}{'bare OCR p/min':>16}{'archive p/min':>15}{'overhead':>10}"
          f"{'store files/s':>15}")
    for row in report["results"]:
        print(f"{row['workers']:>9}{row['bare_pages_per_minute']:>16}"
              f"{row['archive_pages_per_minute']:>15}{row['overhead']:>10.1%}"
              f"{row['store_files_per_second']:>15}")
    steady = report["steady"]
    print(f"steady state, one process: bare OCR {steady['bare_ms_per_page']} ms/page; archive "
          f"{steady['store_ms_per_file']} ms/file to store + {steady['worker_ms_per_page']} ms/page "
          f"through the queue; overhead {steady['overhead']:.1%}")


if __name__ == "__main__":
    main()
