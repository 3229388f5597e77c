"""Families' requests: submit without an account, follow with the secret, reviewed by staff."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.context import AppContext
from archive.users import Role
from tests.app_client import add_staff, make_client
from usecases.staff import check_audit_log

PASSWORD = "correct horse battery"


def request_body(name: str = "Nguyễn Văn Thành", **person: Any) -> dict[str, Any]:
    return {"requester": {"name": "Nguyễn Thị Hoa", "contact": "0912 345 678", "relation": "con gái"},
            "person": {"full_name": name, "birth_year": 1950, "unit_text": "Hòm thư 47120 HN", **person},
            "note": "Gia đình còn giữ giấy báo tử."}


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url) as client:
        context: AppContext = client.app.state.context  # type: ignore[attr-defined]
        add_staff(context, "officer", PASSWORD, Role.OFFICER)
        yield client


def officer(client: TestClient) -> dict[str, str]:
    token = client.post("/api/v1/auth/token", data={"username": "officer", "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_a_family_submits_and_follows_its_request(client: TestClient) -> None:
    created = client.post("/api/v1/requests", json=request_body())
    assert created.status_code == 201
    code, secret = created.json()["tracking_code"], created.json()["secret"]
    assert code.startswith("YC-")
    assert len(secret) >= 30
    seen = client.get(f"/api/v1/requests/{code}", headers={"X-Request-Secret": secret})
    assert seen.status_code == 200
    body = seen.json()
    assert (body["status"], body["person"]["full_name"]) == ("submitted", "Nguyễn Văn Thành")
    assert body["status_text"]["vi"].startswith("Đã nhận")
    lower = client.get(f"/api/v1/requests/{code.lower()}", headers={"X-Request-Secret": secret})
    assert lower.status_code == 200, "codes are read without regard to case"


def test_a_secret_never_unlocks_another_request(client: TestClient) -> None:
    first = client.post("/api/v1/requests", json=request_body()).json()
    second = client.post("/api/v1/requests", json=request_body("Trần Thị Hoa")).json()
    crossed = client.get(f"/api/v1/requests/{second['tracking_code']}",
                         headers={"X-Request-Secret": first["secret"]})
    assert crossed.status_code == 404
    unknown = client.get("/api/v1/requests/YC-ZZZZZZZZ", headers={"X-Request-Secret": first["secret"]})
    assert unknown.json() == crossed.json(), "a wrong secret and a wrong code look the same"
    assert client.get(f"/api/v1/requests/{first['tracking_code']}").status_code == 401
    assert client.get(f"/api/v1/requests/{first['tracking_code']}",
                      headers={"X-Request-Secret": ""}).status_code == 404


def test_officers_review_requests_in_order(client: TestClient) -> None:
    context: AppContext = client.app.state.context  # type: ignore[attr-defined]
    before = check_audit_log(sessions=context.resources.sessions).entries
    created = client.post("/api/v1/requests", json=request_body()).json()
    code, headers = created["tracking_code"], officer(client)
    queue = client.get("/api/v1/requests", params={"status": "submitted"}, headers=headers).json()
    assert [r["tracking_code"] for r in queue["requests"]] == [code]
    skip = client.post(f"/api/v1/requests/{code}/transition", json={"to": "approved"}, headers=headers)
    assert skip.status_code == 409
    for step in ("in_review", "approved"):
        moved = client.post(f"/api/v1/requests/{code}/transition", json={"to": step, "note": "ok"},
                            headers=headers)
        assert moved.status_code == 200, moved.text
        assert moved.json()["status"] == step
    family = client.get(f"/api/v1/requests/{code}", headers={"X-Request-Secret": created["secret"]}).json()
    assert family["status"] == "approved"
    audit = check_audit_log(sessions=context.resources.sessions)
    assert audit.intact
    assert audit.entries == before + 3, "submitted, in review, approved"


@pytest.mark.parametrize("body", [
    {"requester": {"name": "", "contact": "x"}, "person": {"full_name": "A"}},
    {"requester": {"name": "A", "contact": "x"}, "person": {"full_name": "A", "id": "p-1"}},
    {"requester": {"name": "A", "contact": "x"}, "person": {"full_name": "A", "death_date": "1972-02-30"}},
    {"requester": {"name": "A" * 300, "contact": "x"}, "person": {"full_name": "A"}},
    {"requester": {"name": "A", "contact": "x"}, "person": {"full_name": "A"}, "extra": 1},
])
def test_bad_requests_are_refused(client: TestClient, body: dict[str, Any]) -> None:
    assert client.post("/api/v1/requests", json=body).status_code == 422


def test_xss_in_a_request_comes_back_as_text(client: TestClient) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    created = client.post("/api/v1/requests", json=request_body(hostile)).json()
    seen = client.get(f"/api/v1/requests/{created['tracking_code']}",
                      headers={"X-Request-Secret": created["secret"]}).json()
    assert seen["person"]["full_name"] == hostile


def test_the_public_form_is_rate_limited(client: TestClient) -> None:
    statuses = [client.post("/api/v1/requests", json=request_body()).status_code for _ in range(21)]
    assert statuses[:20] == [201] * 20
    assert statuses[20] == 429


def test_a_wrong_method_names_every_method_of_the_path(client: TestClient) -> None:
    response = client.delete("/api/v1/requests")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
