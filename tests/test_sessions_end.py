"""A staff token ends when its account signs out or is disabled, even if enabled again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.security import SESSION_COOKIE
from archive.users import Role
from tests.app_client import add_staff, context_of, make_client
from tests.test_api_staff import PASSWORD
from tests.test_web_pages import csrf, sign_in
from usecases.staff import set_account_active


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url) as client:
        context = context_of(client)
        add_staff(context, "officer", PASSWORD, Role.OFFICER)
        add_staff(context, "admin", PASSWORD, Role.ADMIN)
        yield client


def token(client: TestClient, name: str = "officer") -> str:
    response = client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def works(client: TestClient, bearer: str) -> bool:
    status = client.get("/api/v1/requests", headers={"Authorization": f"Bearer {bearer}"}).status_code
    assert status in (200, 401)
    return status == 200


def test_signing_out_ends_the_cookie_and_every_token(client: TestClient) -> None:
    other_device = token(client)
    sign_in(client, Role.OFFICER)
    cookie = client.cookies[SESSION_COOKIE]
    assert works(client, cookie)
    signed_out = client.post("/logout", data={"csrf_token": csrf(client)}, follow_redirects=False)
    assert signed_out.status_code == 303
    assert not works(client, cookie), "the old cookie, replayed as a bearer token, is dead"
    assert not works(client, other_device)
    client.cookies.set(SESSION_COOKIE, cookie)
    replayed = client.get("/queue", follow_redirects=False)
    assert replayed.status_code == 303, "the replayed cookie signs nobody in"
    fresh = token(client)
    assert works(client, fresh), "signing in again works"
    ended = client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {fresh}"})
    assert ended.status_code == 204
    assert not works(client, fresh)
    assert client.post("/api/v1/auth/logout").status_code == 401


def test_a_disabled_then_enabled_account_does_not_revive_its_old_tokens(client: TestClient) -> None:
    old = token(client)
    context = context_of(client)
    set_account_active("officer", False, actor="admin", sessions=context.resources.sessions)
    assert not works(client, old)
    set_account_active("officer", True, actor="admin", sessions=context.resources.sessions)
    assert not works(client, old), "enabling the account again does not bring back its old tokens"
    assert works(client, token(client))
