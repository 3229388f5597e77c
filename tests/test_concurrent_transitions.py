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

from api.services import Services
from archive.extracts import record_extract
from archive.models import AuditEntry
from archive.person_schema import PersonRecord
from archive.persons import store_person
from archive.requests import RequestCreate
from archive.users import Role
from decoder.errors import PhienhieuError
from tests.app_client import make_settings
from tests.test_api_requests import request_body

PARALLEL = 12


@pytest.fixture
def services(tmp_path: Path, database_url: str) -> Iterator[Services]:
    services = Services(make_settings(tmp_path / "data", database_url))
    yield services
    services.close()


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


def transitions(services: Services, code: str) -> int:
    with services.sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "request.transition", AuditEntry.subject == f"request:{code}")) or 0


def moves(services: Services, code: str) -> list[dict[str, str]]:
    """The audited moves of one request, oldest first."""
    with services.sessions() as session:
        return [json.loads(entry.details) for entry in session.scalars(select(AuditEntry).where(
            AuditEntry.action == "request.transition", AuditEntry.subject == f"request:{code}")
            .order_by(AuditEntry.seq))]


def test_parallel_moves_of_one_request_succeed_once(services: Services) -> None:
    code = services.create_request(RequestCreate.model_validate(request_body())).tracking_code
    outcomes = race(lambda: services.move_request(code, "in_review", "", actor="officer"))
    assert outcomes == Counter({"ok": 1, "invalid_transition": PARALLEL - 1})
    assert transitions(services, code) == 1
    targets = iter(["approved", "rejected"] * PARALLEL)
    lock = threading.Lock()

    def decide() -> object:
        with lock:
            to = next(targets)
        return services.move_request(code, to, "", actor="officer")

    decided = race(decide)
    # approved -> rejected is itself a legal move, so a later thread may follow the first;
    # what must never happen is two moves out of one state.
    chain = moves(services, code)
    assert len(chain) == 1 + decided["ok"]
    assert [step["from"] for step in chain] == ["submitted", *[step["to"] for step in chain[:-1]]]
    assert chain[1]["from"] == "in_review"
    assert decided["ok"] in (1, 2)
    assert services.request_view(code, None)["status"] in ("approved", "rejected")


def test_parallel_revokes_of_one_extract_succeed_once(services: Services) -> None:
    code = services.create_request(RequestCreate.model_validate(request_body())).tracking_code
    services.move_request(code, "in_review", "", actor="officer")
    services.move_request(code, "approved", "", actor="officer")
    with services.sessions.begin() as session:
        person_id, _ = store_person(session, PersonRecord(full_name="Nguyễn Văn Thành"))
        record_extract(session, code, person_id, "PH-TEST-1", "0" * 64, actor="officer")
    outcomes = race(lambda: services.extracts.revoke("PH-TEST-1", "sai đơn vị", actor="officer"))
    assert outcomes == Counter({"ok": 1, "invalid_transition": PARALLEL - 1})
    with services.sessions() as session:
        revokes = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "extract.revoke"))
    assert revokes == 1
    assert services.request_view(code, None)["status"] == "approved"


def test_parallel_disables_of_one_account_are_audited_once(services: Services) -> None:
    services.create_user("hoa", "mật khẩu đủ dài 2026", Role.ARCHIVIST)
    outcomes = race(lambda: services.set_user_active("hoa", False, actor="admin"))
    assert outcomes == Counter({"ok": PARALLEL})
    with services.sessions() as session:
        disables = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "user.disable"))
    assert disables == 1
