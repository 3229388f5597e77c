"""Who owns a transaction: a function holding the session factory (a use case, or one of
the archive's batch loops) begins and ends it; a function handed a ``Session`` only
flushes, so its caller's rollback undoes everything it did."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.audit import record_event
from archive.db import make_engine, make_session_factory
from archive.migrate import upgrade_database
from archive.models import AuditEntry, FamilyRequest, OutboxEntry, Person, Unit, User
from archive.person_schema import PersonRecord
from archive.persons import store_person
from archive.public_registry import public_document
from archive.registry_store import import_registry
from archive.requests import RequestCreate, create_request
from archive.users import Role, create_user
from tests.test_api_requests import request_body

ROOT = Path(__file__).resolve().parent.parent
#: The archive's batch loops, which commit a batch at a time so that long work keeps what
#: it has done: file ingest, person import, the outbox drain and the OCR worker (and the
#: migration, which runs before anything else).
BATCH_LOOPS = {"archive/ingest.py", "archive/persons.py", "archive/outbox.py", "archive/worker.py",
               "archive/migrate.py"}
ENDS_A_TRANSACTION = {"commit", "rollback", "begin"}


@pytest.fixture
def sessions(tmp_path: Path, database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    upgrade_database(engine)
    yield make_session_factory(engine)
    engine.dispose()


def test_archive_writes_are_undone_by_their_callers_rollback(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        store_person(session, PersonRecord(full_name="Nguyễn Văn Thành"))
        create_request(session, RequestCreate.model_validate(request_body()))
        create_user(session, "hoa", "mật khẩu đủ dài 2026", Role.OFFICER, actor="test")
        import_registry(session, document=public_document())
        record_event(session, actor="test", action="test.event", subject="test:1")
        session.rollback()
    with sessions() as session:
        for table in (Person, FamilyRequest, User, Unit, AuditEntry, OutboxEntry):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table.__tablename__


def _calls_ending_a_transaction(function: ast.AST) -> list[str]:
    return [node.func.attr for node in ast.walk(function)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ENDS_A_TRANSACTION
            and isinstance(node.func.value, ast.Name | ast.Attribute | ast.Call)
            and "session" in ast.unparse(node.func.value).lower()]


def _takes_a_session(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    return any(argument.annotation is not None and ast.unparse(argument.annotation) == "Session"
               for argument in arguments)


def _project_modules() -> Iterator[tuple[str, ast.Module]]:
    for package in ("decoder", "ocr", "search", "extracts", "archive", "usecases", "api"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def test_a_function_handed_a_session_never_ends_its_transaction() -> None:
    offenders = [f"{name}:{node.lineno} {node.name}"
                 for name, module in _project_modules() for node in ast.walk(module)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _takes_a_session(node)
                 and _calls_ending_a_transaction(node)]
    assert offenders == []


def test_transactions_begin_only_in_use_cases_and_the_batch_loops() -> None:
    owners = {name for name, module in _project_modules() if _calls_ending_a_transaction(module)}
    assert {name for name in owners if not name.startswith("usecases/")} <= BATCH_LOOPS
