"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL when reachable.

Nothing here imports Playwright: the browser tests bring their own fixtures
(``tests.browser``), so the rest of the suite runs where no browser is installed."""

from __future__ import annotations

import difflib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from archive.blobs import BlobStore
from archive.db import make_engine, make_session_factory
from archive.migrate import upgrade_database

POSTGRES_URL = os.environ.get(
    "PHIENHIEU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Set by scripts/services.sh, which starts the services: a missing one is then a failure.
SERVICES_REQUIRED = os.environ.get("PHIENHIEU_TEST_REQUIRE_SERVICES") == "1"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
#: The ``snapshot`` fixture: ``snapshot(name, data)``.
Snapshot = Callable[[str, Any], None]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--snapshot-update", action="store_true", default=False,
                     help="write snapshots that are missing or differ (tests/snapshots/), "
                          "for review before they are committed")


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, or fail it when the test command promised one."""
    if SERVICES_REQUIRED:
        pytest.fail(f"{reason} (scripts/services.sh should have started it)")
    pytest.skip(reason)


def _postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to connect means "skip", with the reason
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def postgres_problem() -> str | None:
    return _postgres_problem()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 postgres_problem: str | None) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    if postgres_problem:
        skip_or_fail(f"PostgreSQL not reachable at {POSTGRES_URL}: {postgres_problem}")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated database on each backend."""
    engine = make_engine(database_url)
    upgrade_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Snapshot:
    """A check of data, as sorted JSON, against ``tests/snapshots/NAME.json``.

    A missing or different snapshot fails the test; only ``pytest --snapshot-update``
    writes it, so the repository changes only when asked to.
    """
    update = bool(request.config.getoption("--snapshot-update"))

    def check(name: str, data: Any) -> None:
        path = SNAPSHOTS / f"{name}.json"
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            return
        if update:
            path.write_text(text, encoding="utf-8")
            return
        if old is None:
            pytest.fail(f"snapshot {path.name} is missing: run pytest --snapshot-update, "
                        "review the new file and commit it")
        diff = "".join(difflib.unified_diff(old.splitlines(keepends=True), text.splitlines(keepends=True),
                                            f"{path.name} (stored)", f"{path.name} (built now)"))
        pytest.fail(f"snapshot {path.name} differs; if the change is meant, run pytest "
                    f"--snapshot-update and commit the file:\n{diff}")

    return check


_skipped: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A slow test marked ``one_database`` runs on PostgreSQL alone: what it tests (OCR, the
    search index, the command line, the API's promises) does not change with the database,
    and its SQLite run would cost the suite as much again."""
    dropped = [item for item in items if item.get_closest_marker("one_database")
               and getattr(item, "callspec", None) is not None
               and item.callspec.params.get("database_url") == "sqlite"]  # type: ignore[attr-defined]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and SERVICES_REQUIRED:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under the test command a skipped test is a gap in its set-up: the run fails."""
    if _skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\n{len(_skipped)} test(s) skipped where the test command promised everything they need: "
              + ", ".join(_skipped[:10]))
