"""Graves at national scale: a generated register of graves imported with the project's own
import into PostgreSQL and into SQLite, beside the raw bulk path of each database, then
the count ("kiểm đếm") over every cemetery.

The register is one CSV file with the Vietnamese headers registers use (``Mã mộ``,
``Nghĩa trang``, ``Lô``, ``Hàng``, ``Số mộ``, ``Họ và tên``, ``Quê quán``, ``Đơn vị``,
``Ngày hy sinh``, ``Tình trạng``…), a quarter of the graves without a name, as the
country's are. The import is ``usecases.graves.import_grave_file`` (what ``phienhieu
graves import`` runs) on a freshly migrated database holding the cemeteries; each import
runs in a process of its own, so its peak memory (the RSS high-water mark) is its own; a
file from 4 MB is read by worker processes, whose largest peak is given beside it. The
raw path is what a database administrator would do with the same file: PostgreSQL's
``COPY … FROM STDIN (FORMAT csv)`` into a plain table with a column per header, and for
SQLite one ``executemany`` of the CSV's rows into a plain table, in one transaction. Then
the same file is imported again (every row unchanged), and the count is timed, best of 3.
Every name, place and number is invented.

Run: ``.venv/bin/python -m bench.graves [--graves 1000000] [--cemeteries 3000] [--json]``;
PostgreSQL is ``--database-url`` or ``PHIENHIEU_TEST_POSTGRES_URL`` (each run works in a
schema of its own, dropped afterwards); ``--backends sqlite`` runs without it.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import multiprocessing
import os
import random
import resource
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from archive.db import make_engine, make_session_factory
from archive.migrate import upgrade_database
from archive.parallel import workers_for
from bench.people import full_name
from bench.raw_paths import postgres_copy, sqlite_insert
from usecases.graves import FileImport, grave_counts, import_cemetery_file, import_grave_file

PROVINCES = ("Quảng Trị", "Quảng Bình", "Thừa Thiên Huế", "Nghệ An", "Hà Tĩnh", "Thanh Hóa", "Kon Tum",
             "Gia Lai", "Đắk Lắk", "Bình Phước", "Tây Ninh", "Long An", "Đồng Tháp", "An Giang",
             "Kiên Giang", "Cà Mau", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Lạng Sơn",
             "Cao Bằng", "Hà Giang", "Điện Biên", "Thái Bình", "Nam Định", "Ninh Bình", "Hải Dương")
DISTRICTS = ("Gio Linh", "Vĩnh Linh", "Hướng Hóa", "Cam Lộ", "Triệu Phong", "Hải Lăng", "Đắk Tô",
             "Ngọc Hồi", "Lộc Ninh", "Hớn Quản", "Châu Thành", "Tân Biên", "Đức Thọ", "Hương Khê",
             "Quỳnh Lưu", "Diễn Châu", "Yên Thành", "Thọ Xuân", "Kiến Xương", "Hải Hậu", "Kim Sơn")
COMMUNES = ("Yên Phong", "Tiên Du", "Quỳnh Lưu", "Hải Hậu", "Thanh Oai", "Kim Sơn", "Đông Anh", "Vũ Thư",
            "Hưng Hà", "Quỳnh Phụ", "Nghĩa Đàn", "Thạch Hà", "Cẩm Xuyên", "Hoằng Hóa", "Nga Sơn",
            "Tĩnh Gia", "Gia Viễn", "Ý Yên", "Trực Ninh", "Tứ Kỳ", "Thanh Miện", "Lục Ngạn")
LEVELS = ("quốc gia", "cấp tỉnh", "cấp huyện", "cấp xã")
#: Status words as registers write them, with how often each comes.
STATUS_WORDS = (("có tên", 0.67), ("vô danh", 0.25), ("thiếu thông tin", 0.05), ("mộ gió", 0.03))
GRAVE_HEADERS = ("Mã mộ", "Nghĩa trang", "Khu", "Lô", "Hàng", "Số mộ", "Họ và tên", "Năm sinh", "Quê quán",
                 "Đơn vị", "Ngày hy sinh", "Tình trạng", "Nơi quy tập", "Ngày quy tập")
CEMETERY_HEADERS = ("Mã nghĩa trang", "Tên nghĩa trang", "Cấp", "Xã", "Huyện", "Tỉnh", "Vĩ độ", "Kinh độ")
_MAX_BYTES = 64 * 1024 * 1024 * 1024


# --- the register -------------------------------------------------------------------------------


def cemetery_rows(count: int, rng: random.Random) -> Iterator[list[str]]:
    """``count`` invented cemeteries: id, name, level, commune, district, province, lat, lon."""
    for index in range(count):
        commune, district = rng.choice(COMMUNES), rng.choice(DISTRICTS)
        level = LEVELS[0] if index % 500 == 0 else rng.choice(LEVELS[1:])
        yield [f"nt{index:05d}", f"Nghĩa trang liệt sĩ {district} {index + 1}", level, f"xã {commune}",
               f"huyện {district}", f"tỉnh {rng.choice(PROVINCES)}", f"{rng.uniform(8.6, 23.3):.5f}",
               f"{rng.uniform(102.2, 109.4):.5f}"]


def grave_row(cemetery: int, index: int, rng: random.Random) -> list[str]:
    """One grave of a register: its place in the cemetery, then what its stone says."""
    status = rng.choices([word for word, _ in STATUS_WORDS], [weight for _, weight in STATUS_WORDS])[0]
    lot, row, number = index // 400 + 1, index // 20 % 20 + 1, index % 20 + 1
    born = rng.randint(1925, 1956)
    died = rng.randint(max(born + 17, 1954), 1979)
    death = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{died}"
    unit = rng.choice((f"c{rng.randint(1, 20)} d{rng.randint(1, 9)} e{rng.randint(1, 270)} "
                       f"f{rng.randint(300, 340)}",
                       f"Đại đội {rng.randint(1, 20)}, Tiểu đoàn {rng.randint(1, 9)}, Trung đoàn "
                       f"{rng.randint(1, 270)}", f"Hòm thư {rng.randint(10_000, 99_999)}"))
    hometown = f"xã {rng.choice(COMMUNES)}, huyện {rng.choice(DISTRICTS)}, tỉnh {rng.choice(PROVINCES)}"
    named = status in ("có tên", "mộ gió")
    partial = status == "thiếu thông tin"
    remains = status != "mộ gió"
    return [f"nt{cemetery:05d}-{index:05d}", f"nt{cemetery:05d}", "AB"[index % 2], str(lot), str(row),
            str(number), full_name(rng) if named else "", str(born) if named else "",
            hometown if named or partial else "", unit if named or partial else "",
            death if named or partial else "", status,
            f"{rng.choice(COMMUNES)}, {rng.choice(DISTRICTS)}" if remains and rng.random() < 0.6 else "",
            str(rng.randint(1980, 2015)) if remains and rng.random() < 0.5 else ""]


def write_register(folder: Path, graves: int, cemeteries: int, seed: int = 11) -> tuple[Path, Path]:
    """The cemeteries' and the graves' CSV files, written a row at a time."""
    rng = random.Random(seed)
    cemetery_path, grave_path = folder / "cemeteries.csv", folder / "graves.csv"
    with cemetery_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CEMETERY_HEADERS)
        writer.writerows(cemetery_rows(cemeteries, rng))
    with grave_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(GRAVE_HEADERS)
        for cemetery in range(cemeteries):
            share = graves // cemeteries + (cemetery < graves % cemeteries)
            writer.writerows(grave_row(cemetery, index, rng) for index in range(share))
    return cemetery_path, grave_path


# --- databases ----------------------------------------------------------------------------------


def postgres_schema(url: str) -> tuple[str, str]:
    """A new, empty schema in the database at ``url``: its name, and a URL that works in it."""
    schema = f"bench_graves_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, scoped.render_as_string(hide_password=False)


def drop_schema(url: str, schema: str) -> None:
    """Drop a schema made by :func:`postgres_schema` and all it holds."""
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """This process's resident-memory high-water mark (``RUSAGE_CHILDREN``: its largest
    child's that has ended)."""
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds(who: int) -> float:
    """Processor time used, user and system (``RUSAGE_CHILDREN``: by the children that ended)."""
    used = resource.getrusage(who)
    return used.ru_utime + used.ru_stime


def timed_import(grave_path: Path,
                 sessions: sessionmaker[Session]) -> tuple[FileImport, float, dict[str, float]]:
    """The graves' import, its seconds, and the processor time it took per grave, in µs, in
    the importing process and in its workers (start included): figures that hold on a
    machine where other work runs beside, as seconds do not."""
    cpu = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    report = import_grave_file(grave_path, sessions=sessions, actor="bench", max_bytes=_MAX_BYTES)
    seconds = time.perf_counter() - started
    per_grave = 1e6 / max(report.created + report.updated + report.unchanged, 1)
    importer = cpu_seconds(resource.RUSAGE_SELF) - cpu[0]
    workers = cpu_seconds(resource.RUSAGE_CHILDREN) - cpu[1]
    return report, seconds, {"importer": round(importer * per_grave, 1),
                             "workers": round(workers * per_grave, 1)}


def project_import(url: str, cemetery_path: Path, grave_path: Path, count_runs: int) -> dict[str, Any]:
    """Run in a process of its own: migrate, import the cemeteries, time the graves' import,
    its repetition (nothing changes) and the count."""
    engine = make_engine(url)
    upgrade_database(engine)
    sessions = make_session_factory(engine)
    cemeteries = import_cemetery_file(cemetery_path, sessions=sessions, actor="bench", max_bytes=_MAX_BYTES)
    if cemeteries.problems:
        raise SystemExit(f"cemeteries refused: {cemeteries.problems[:3]}")
    before_mb = peak_rss_mb()
    report, seconds, cpu = timed_import(grave_path, sessions)
    if report.problems:
        raise SystemExit(f"{len(report.problems)} graves refused, e.g. {report.problems[:3]}")
    peak_mb, worker_mb = peak_rss_mb(), peak_rss_mb(resource.RUSAGE_CHILDREN)
    again, again_seconds, again_cpu = timed_import(grave_path, sessions)
    counts = []
    for _ in range(count_runs):
        started = time.perf_counter()
        counted = grave_counts(sessions=sessions)
        counts.append(time.perf_counter() - started)
    engine.dispose()
    return {"graves": report.created, "seconds": round(seconds, 2),
            "graves_per_second": round(report.created / seconds), "cpu_us_per_grave": cpu,
            "peak_rss_mb": round(peak_mb),
            "rss_before_import_mb": round(before_mb), "workers": workers_for(grave_path.stat().st_size),
            "worker_peak_rss_mb": round(worker_mb),
            "again": {"unchanged": again.unchanged, "created": again.created, "updated": again.updated,
                      "seconds": round(again_seconds, 2),
                      "graves_per_second": round(again.unchanged / again_seconds),
                      "cpu_us_per_grave": again_cpu},
            "count": {"cemeteries": len(counted["cemeteries"]), "graves": counted["total"]["counts"]["total"],
                      "best_seconds": round(min(counts), 3), "runs": len(counts)}}


def raw_postgres(url: str, grave_path: Path) -> float:
    """Seconds to ``COPY`` the CSV into a plain table, as ``\\copy`` would."""
    columns = ", ".join(f"c{index} text" for index in range(len(GRAVE_HEADERS)))
    return postgres_copy(url, grave_path, create=f"CREATE TABLE raw_graves ({columns})",
                         copy="COPY raw_graves FROM STDIN (FORMAT csv, HEADER true)")


def raw_sqlite(folder: Path, grave_path: Path) -> float:
    """Seconds to insert the CSV's rows into a plain SQLite table (see :func:`sqlite_insert`)."""
    columns = ", ".join(f"c{index} text" for index in range(len(GRAVE_HEADERS)))
    marks = ", ".join("?" * len(GRAVE_HEADERS))
    return sqlite_insert(folder, grave_path, create=f"CREATE TABLE raw_graves ({columns})",
                         insert=f"INSERT INTO raw_graves VALUES ({marks})",
                         rows=lambda source: itertools.islice(csv.reader(source), 1, None))


def in_child(url: str, cemetery_path: Path, grave_path: Path, count_runs: int) -> dict[str, Any]:
    """:func:`project_import` in a fresh process, so its memory is measured alone."""
    # Not a multiprocessing.Pool: its processes are daemons, which may not start the
    # import's own worker processes.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        running = pool.submit(project_import, url, cemetery_path, grave_path, count_runs)
        result: dict[str, Any] = running.result()
    return result


def run_backend(backend: str, folder: Path, paths: tuple[Path, Path], graves: int, *,
                postgres_url: str | None, count_runs: int) -> dict[str, Any]:
    """The project's import and the raw bulk path on one database, and their ratio."""
    cemetery_path, grave_path = paths
    if backend == "sqlite":
        result = in_child(f"sqlite:///{folder / 'project.sqlite3'}", cemetery_path, grave_path, count_runs)
        raw_seconds, raw_what = raw_sqlite(folder, grave_path), "executemany into a plain table"
    else:
        if not postgres_url:
            raise SystemExit("PostgreSQL: give --database-url or set PHIENHIEU_TEST_POSTGRES_URL "
                             "(or run --backends sqlite)")
        schema, url = postgres_schema(postgres_url)
        try:
            result = in_child(url, cemetery_path, grave_path, count_runs)
            raw_seconds, raw_what = raw_postgres(url, grave_path), "COPY (FORMAT csv) into a plain table"
        finally:
            drop_schema(postgres_url, schema)
    result["raw"] = {"what": raw_what, "seconds": round(raw_seconds, 2),
                     "graves_per_second": round(graves / raw_seconds)}
    result["slower_than_raw"] = round(result["seconds"] / raw_seconds, 1)
    return {"backend": backend, **result}


def run(graves: int, cemeteries: int, backends: list[str], *, postgres_url: str | None,
        count_runs: int = 3) -> dict[str, Any]:
    """Write the register, then measure each backend."""
    with tempfile.TemporaryDirectory(prefix="bench-graves-") as name:
        folder = Path(name)
        started = time.perf_counter()
        paths = write_register(folder, graves, cemeteries)
        report: dict[str, Any] = {
            "graves": graves, "cemeteries": cemeteries, "file_mb": round(paths[1].stat().st_size / 1e6, 1),
            "generate_seconds": round(time.perf_counter() - started, 1), "load_average": os.getloadavg()[0],
            "results": []}
        for backend in backends:
            report["results"].append(run_backend(backend, folder, paths, graves, postgres_url=postgres_url,
                                                 count_runs=count_runs))
    return report


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--graves", type=int, default=1_000_000)
    parser.add_argument("--cemeteries", type=int, default=3_000)
    parser.add_argument("--backends", nargs="+", choices=["postgres", "sqlite"],
                        default=["postgres", "sqlite"])
    parser.add_argument("--database-url", default=os.environ.get("PHIENHIEU_TEST_POSTGRES_URL"),
                        help="a PostgreSQL database to work in (a schema of its own, dropped afterwards)")
    parser.add_argument("--count-runs", type=int, default=3, help="times the count is run (the best is kept)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    if args.graves < args.cemeteries or args.cemeteries < 1:
        parser.error("give at least one grave per cemetery")
    if "postgres" in args.backends and not args.database_url:
        parser.error("PostgreSQL: give --database-url or set PHIENHIEU_TEST_POSTGRES_URL "
                     "(or run --backends sqlite)")
    report = run(args.graves, args.cemeteries, args.backends, postgres_url=args.database_url,
                 count_runs=args.count_runs)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{report['graves']:,} graves in {report['cemeteries']:,} cemeteries, a {report['file_mb']} MB CSV "
          f"(load average {report['load_average']:.1f})")
    for result in report["results"]:
        raw = result["raw"]
        print(f"{result['backend']:<9} import {result['seconds']} s "
              f"({result['graves_per_second']:,} graves/s), "
              f"peak memory {result['peak_rss_mb']} MB; raw {raw['what']}: {raw['seconds']} s "
              f"({raw['graves_per_second']:,}/s), {result['slower_than_raw']}x; again "
              f"{result['again']['seconds']} s; count {result['count']['best_seconds']} s")


if __name__ == "__main__":
    main()
