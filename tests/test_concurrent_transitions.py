"""A state change happens once: parallel moves of one request (or revokes of one extract)
give one success and conflicts, never two audited transitions."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api.context import AppContext
from archive.extracts import record_extract
from archive.models import AuditEntry
from archive.person_schema import PersonRecord
from archive.persons import store_person
from archive.requests import RequestCreate
from archive.users import Role
from decoder.errors import PhienhieuError
from tests.app_client import add_staff, make_settings
from tests.test_api_requests import request_body
from usecases.requests import decide_request, submit_request, view_request
from usecases.staff import set_account_active

PARALLEL = 12


@pytest.fixture
def context(tmp_path: Path, database_url: str) -> Iterator[AppContext]:
    context = AppContext.open(make_settings(tmp_path / "data", database_url))
    yield context
    context.close()


def race(action: Callable[[], object]) -> Counter[str]:
    """Run ``action`` in PARALLEL threads released at once; count successes and error codes."""
    start = threading.Barrier(PARALLEL)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run() -> None:
        start.wait()
        try:
            action()
            outcome = "ok"
        except PhienhieuError as error:
            outcome = error.code
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def submit(context: AppContext) -> str:
    """A new request's tracking code."""
    return submit_request(RequestCreate.model_validate(request_body()), sessions=context.resources.sessions,
                          blobs=context.resources.blobs).tracking_code


def transitions(context: AppContext, code: str) -> int:
    with context.resources.sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "request.transition", AuditEntry.subject == f"request:{code}")) or 0


def moves(context: AppContext, code: str) -> list[dict[str, str]]:
    """The audited moves of one request, oldest first."""
    with context.resources.sessions() as session:
        return [json.loads(entry.details) for entry in session.scalars(select(AuditEntry).where(
            AuditEntry.action == "request.transition", AuditEntry.subject == f"request:{code}")
            .order_by(AuditEntry.seq))]


def test_parallel_moves_of_one_request_succeed_once(context: AppContext) -> None:
    sessions = context.resources.sessions
    code = submit(context)
    outcomes = race(lambda: decide_request(code, "in_review", "", actor="officer", sessions=sessions))
    assert outcomes == Counter({"ok": 1, "invalid_transition": PARALLEL - 1})
    assert transitions(context, code) == 1
    targets = iter(["approved", "rejected"] * PARALLEL)
    lock = threading.Lock()

    def decide() -> object:
        with lock:
            to = next(targets)
        return decide_request(code, to, "", actor="officer", sessions=sessions)

    decided = race(decide)
    # approved -> rejected is itself a legal move, so a later thread may follow the first;
    # what must never happen is two moves out of one state.
    chain = moves(context, code)
    assert len(chain) == 1 + decided["ok"]
    assert [step["from"] for step in chain] == ["submitted", *[step["to"] for step in chain[:-1]]]
    assert chain[1]["from"] == "in_review"
    assert decided["ok"] in (1, 2)
    assert view_request(code, None, sessions=sessions).status in ("approved", "rejected")


def test_parallel_revokes_of_one_extract_succeed_once(context: AppContext) -> None:
    sessions = context.resources.sessions
    code = submit(context)
    decide_request(code, "in_review", "", actor="officer", sessions=sessions)
    decide_request(code, "approved", "", actor="officer", sessions=sessions)
    with sessions.begin() as session:
        person_id, _ = store_person(session, PersonRecord(full_name="Nguyễn Văn Thành"))
        record_extract(session, code, person_id, "PH-TEST-1", "0" * 64, actor="officer")
    outcomes = race(lambda: context.extracts.revoke("PH-TEST-1", "sai đơn vị", actor="officer"))
    assert outcomes == Counter({"ok": 1, "invalid_transition": PARALLEL - 1})
    with sessions() as session:
        revokes = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "extract.revoke"))
    assert revokes == 1
    assert view_request(code, None, sessions=sessions).status == "approved"


def test_parallel_disables_of_one_account_are_audited_once(context: AppContext) -> None:
    sessions = context.resources.sessions
    add_staff(context, "hoa", "mật khẩu đủ dài 2026", Role.ARCHIVIST)
    outcomes = race(lambda: set_account_active("hoa", False, actor="admin", sessions=sessions))
    assert outcomes == Counter({"ok": PARALLEL})
    with sessions() as session:
        disables = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "user.disable"))
    assert disables == 1
