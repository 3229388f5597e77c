"""Engines and sessions for SQLite (the default, in WAL mode) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from archive.errors import DatabaseUnavailableError


def default_sqlite_url(data_dir: Path) -> str:
    """The SQLite file in the data dir."""
    return f"sqlite:///{(data_dir / 'phienhieu.sqlite3').resolve()}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; ``postgresql://`` URLs use psycopg 3.

    SQLite connections run in WAL mode with foreign keys on and a busy timeout, so a CLI
    command and a server can share one file.

    Raises:
        DatabaseUnavailableError: the URL cannot be used.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailableError("The database URL is not a valid SQLAlchemy URL.") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    options: dict[str, Any] = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **options)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(parsed, **options)


def _configure_sqlite(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
