"""Sign-in limits: an address is refused past ten tries, whatever X-Forwarded-For it claims;
a name that keeps failing is slowed, never locked against its owner's right password."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.security import SignInDelay
from archive.users import Role
from tests.app_client import add_staff, context_of, make_client
from tests.live_server import live_server
from tests.test_api_requests import request_body
from tests.test_api_staff import PASSWORD


def tries_until_refused(base: str, tries: int = 12) -> int | None:
    """Sign-in tries, each claiming another forwarded address, until the first 429."""
    for number in range(1, tries + 1):
        response = httpx.post(f"{base}/api/v1/auth/token", timeout=30,
                              data={"username": f"nobody{number}", "password": "wrong password"},
                              headers={"X-Forwarded-For": f"203.0.113.{number}"})
        if response.status_code == 429:
            return number
        assert response.status_code == 401, response.text
    return None


def test_a_client_cannot_reset_its_limit_with_x_forwarded_for(tmp_path: Path) -> None:
    with live_server(tmp_path / "direct", workers=0) as base:
        assert tries_until_refused(base) == 11, "the header is ignored: the 11th try is refused"
    with live_server(tmp_path / "proxied", workers=0,
                     settings={"PHIENHIEU_TRUSTED_PROXIES": "127.0.0.1"}) as base:
        assert tries_until_refused(base) is None, "behind a named proxy, each forwarded address counts"


def test_the_sign_in_delay_grows_with_failures_and_forgets_them() -> None:
    now = [0.0]
    delay = SignInDelay(free_failures=3, longest_s=2.0, window_s=60, clock=lambda: now[0])
    waits = []
    for _ in range(7):
        waits.append(delay.wait_s("hoa"))
        delay.failed("hoa")
    assert waits == [0.0, 0.0, 0.0, 0.25, 0.5, 1.0, 2.0]
    assert delay.wait_s("lan") == 0.0, "other names are not slowed"
    now[0] = 61.0
    assert delay.wait_s("hoa") == 0.0, "failures older than the window are forgotten"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path / "data") as client:
        context = context_of(client)
        add_staff(context, "officer", PASSWORD, Role.OFFICER)
        context.guards.sign_in_delay.longest_s = 0.05
        yield client


def test_many_failures_on_a_name_never_lock_out_its_owner(client: TestClient) -> None:
    context = context_of(client)
    for _ in range(50):  # guesses from many other addresses
        context.guards.sign_in_delay.failed("officer")
    assert context.guards.sign_in_delay.wait_s("officer") > 0
    owner = client.post("/api/v1/auth/token", data={"username": "officer", "password": PASSWORD})
    assert owner.status_code == 200, owner.text


def test_the_family_lookup_api_is_rate_limited(client: TestClient) -> None:
    code = client.post("/api/v1/requests", json=request_body()).json()["tracking_code"]
    statuses = [client.get(f"/api/v1/requests/{code}", headers={"X-Request-Secret": f"guess{n}"}).status_code
                for n in range(11)]
    assert statuses == [404] * 10 + [429]
    pdf = client.get("/api/v1/extracts/PH-X.pdf", headers={"X-Request-Secret": "guess"})
    assert pdf.status_code == 429, "the extract download counts against the same limit"
