"""Bring a database to the latest schema; safe to call at every start, from many processes."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError

from archive.errors import DatabaseUnavailableError

#: The Alembic scripts, one per schema revision.
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 0x5048_4945  # any constant shared by every Phiên hiệu process

#: The newest migration; a test checks it against Alembic's own view of the scripts.
SCHEMA_HEAD = "0013"


def schema_version(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        version: str | None = connection.execute(
            text("SELECT version_num FROM alembic_version")).scalar()
        return version


def upgrade_database(engine: Engine) -> None:
    """Run every pending migration.

    Concurrent callers are serialised (an advisory lock on PostgreSQL, a lock file beside
    the SQLite database), so the second one finds the schema already at head.

    Raises:
        DatabaseUnavailableError: the database cannot be reached.
    """
    try:
        if schema_version(engine) == SCHEMA_HEAD:
            return  # the common case; it spares every CLI command Alembic's import time
        _run_alembic(engine)
    except OperationalError as error:
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailableError(
            f"The database at {where} cannot be opened ({error.orig})."
        ) from None


def _run_alembic(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with _file_lock(engine), engine.begin() as connection:
        _lock_database(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _lock_database(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
