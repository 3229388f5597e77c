"""The raw bulk paths the import benchmarks are set beside: what a database administrator
would do with the same file, timed alone (no reading, no checks, no indexes)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from sqlalchemy import create_engine


def postgres_copy(url: str, path: Path, *, create: str, copy: str) -> float:
    """Seconds to stream the file through ``copy`` (a ``COPY … FROM STDIN``) into the
    table ``create`` makes."""
    engine = create_engine(url)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(create)
        connection.commit()
        started = time.perf_counter()
        with path.open("rb") as source, cursor.copy(copy) as stream:
            while chunk := source.read(1 << 20):
                stream.write(chunk)
        connection.commit()
        seconds = time.perf_counter() - started
    finally:
        connection.close()
        engine.dispose()
    return seconds


def sqlite_insert(folder: Path, path: Path, *, create: str, insert: str,
                  rows: Callable[[IO[str]], Iterable[Any]]) -> float:
    """Seconds to insert the file's ``rows`` into the table ``create`` makes: one
    ``executemany``, one transaction, in WAL mode as the project's SQLite runs."""
    database = sqlite3.connect(folder / "raw.sqlite3")
    database.execute("PRAGMA journal_mode=WAL")
    database.execute(create)
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as source, database:
        database.executemany(insert, rows(source))
    seconds = time.perf_counter() - started
    database.close()
    return seconds
