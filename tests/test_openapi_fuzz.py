"""Schemathesis against ``/openapi.json``: generated requests, valid and not, for every
operation; no 500s, and every response matches what the schema documents.

One check is left out: "schema-valid data is accepted". The API checks meaning the
schema cannot say (a date that names no real day, a death before a birth, an empty
designation) and refuses it with a documented 422.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from api.app import create_app
from api.context import AppContext
from api.settings import Settings
from archive.users import Role
from tests.app_client import add_staff
from usecases.registry import load_demo
from usecases.staff import accounts

FUZZ_ADMIN = "fuzz-admin"


@pytest.fixture
def fuzzed_services(tmp_path: Path, database_url: str) -> Iterator[AppContext]:
    """The demo registry and an administrator, on SQLite and on PostgreSQL."""
    context = AppContext.open(Settings(data_dir=tmp_path / "data", database_url=database_url))
    load_demo(sessions=context.resources.sessions, registry=context.resources.registry)
    add_staff(context, FUZZ_ADMIN, "a long fuzzing password", Role.ADMIN)
    yield context
    context.close()


def admin_token(context: AppContext) -> str:
    """A token for the administrator as the account is now (a fuzzed sign-out ends the last)."""
    user = next(user for user in accounts(sessions=context.resources.sessions) if user.username == FUZZ_ADMIN)
    return context.guards.token_signer.issue(user)


@pytest.mark.one_database
def test_the_api_keeps_its_documented_promises(fuzzed_services: AppContext) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(context=fuzzed_services,
                                                                        publish_index=False))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20

    for operation in operations:
        # Derandomised: every run tries the same cases, so a failure is never a matter of luck.
        @settings(max_examples=30, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def call(case: schemathesis.Case) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {admin_token(fuzzed_services)}"},
                                   excluded_checks=[checks.positive_data_acceptance])

        call()
