"""Cemeteries, graves and initial burials through the API, on both databases: staff write,
anyone reads; bad input is a clear 4xx and stores nothing.

Every name and place here is invented for the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from archive.users import Role
from tests.app_client import add_staff, context_of, make_client

PASSWORD = "correct horse battery"
CEMETERY = {"id": "nt-thu", "name": "Nghĩa trang liệt sĩ Thử", "level": "district", "district": "Thử",
            "province": "Quảng Trị", "lat": 16.8, "lon": 107.0, "contact": "0000 000 000"}


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url, demo=False) as client:
        add_staff(context_of(client), "hoa", PASSWORD, Role.ARCHIVIST)
        yield client


@pytest.fixture
def staff(client: TestClient) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": "hoa", "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def grave(grave_id: str, number: str, **fields: Any) -> dict[str, Any]:
    return {"id": grave_id, "cemetery": "nt-thu", "zone": "A", "lot": "1", "row": "2", "number": number,
            "status": "unidentified", **fields}


def test_staff_write_and_anyone_reads(client: TestClient, staff: dict[str, str]) -> None:
    assert client.post("/api/v1/cemeteries", json=CEMETERY).status_code == 401
    created = client.post("/api/v1/cemeteries", json=CEMETERY, headers=staff)
    assert (created.status_code, created.json()) == (201, {"id": "nt-thu", "created": True})
    assert client.post("/api/v1/cemeteries", json=CEMETERY, headers=staff).json()["created"] is False
    for number in ("1", "2"):
        response = client.post("/api/v1/graves", json=grave(f"g-{number}", number), headers=staff)
        assert response.status_code == 201
    named = grave("g-3", "3", status="named_no_remains", name="Lê Văn Thử", death_date="1972")
    assert client.post("/api/v1/graves", json=named, headers=staff).status_code == 201
    burial = {"id": "b-1", "name": "Lê Văn Thử", "burial_date": "1972-05-21", "witnesses": ["Trần Văn Một"],
              "recovered": {"date": "1994-03", "grave": "g-1"}}
    assert client.post("/api/v1/burials", json=burial, headers=staff).status_code == 201

    cemetery = client.get("/api/v1/cemeteries/nt-thu").json()
    assert cemetery["counts"] == {"named": 0, "unidentified": 2, "partial": 0, "named_no_remains": 1,
                                  "total": 3}
    assert client.get("/api/v1/cemeteries", params={"province": "quang tri"}).json()["total"] == 1
    page = client.get("/api/v1/graves", params={"cemetery": "nt-thu", "status": "unidentified", "limit": 1})
    assert page.json()["total"] == 2
    assert [g["id"] for g in page.json()["graves"]] == ["g-1"]
    assert client.get("/api/v1/graves/g-3").json()["name"] == "Lê Văn Thử"
    assert client.get("/api/v1/burials/b-1").json()["recovered"] == {"date": "1994-03", "grave": "g-1"}
    count = client.get("/api/v1/graves/count", params={"province": "Quảng Trị"}).json()
    assert count["total"]["counts"]["total"] == 3


def test_bad_input_is_a_clear_4xx_and_stores_nothing(client: TestClient, staff: dict[str, str]) -> None:
    client.post("/api/v1/cemeteries", json=CEMETERY, headers=staff)
    client.post("/api/v1/graves", json=grave("g-1", "1"), headers=staff)
    cases = [
        (grave("g-9", "1"), 409, "is grave 'g-1' already"),
        (grave("g-9", "9", cemetery="nt-none"), 422, "no cemetery"),
        (grave("g-9", "9", person_id="p-none"), 422, "no person record"),
        (grave("g-9", "9", death_date="1972-02-30", status="partial"), 422, "does not exist"),
        (grave("g-9", "9", death_date="2999", status="partial"), 422, "future"),
        (grave("g-9", "9", status="lost"), 422, "status"),
        (grave("g-9", "9", remains_from={"lat": 16.0, "lon": 190.0}), 422, "lon"),
        (grave("g-9", "9", name="Ai Đó"), 422, "no name"),
        (grave("g-9", "9", nickname="x"), 422, "nickname"),
    ]
    for body, status, words in cases:
        response = client.post("/api/v1/graves", json=body, headers=staff)
        assert response.status_code == status, (body, response.text)
        assert words in response.json()["detail"], response.json()
    assert client.get("/api/v1/graves/g-9").status_code == 404
    assert client.get("/api/v1/cemeteries/nt-none").status_code == 404
    for change in ({"lat": 91.0}, {"lon": None}, {"level": "village"}, {"name": " "}):
        assert client.post("/api/v1/cemeteries", json=CEMETERY | change, headers=staff).status_code == 422
    wrong_order = {"id": "b-2", "death_date": "1972-05-20", "burial_date": "1972-05-19"}
    assert client.post("/api/v1/burials", json=wrong_order, headers=staff).status_code == 422
    assert client.get("/api/v1/graves", params={"status": "lost"}).status_code == 422
    assert client.get("/api/v1/graves", params={"limit": 501}).status_code == 422


def test_a_status_change_shows_in_the_history(client: TestClient, staff: dict[str, str]) -> None:
    client.post("/api/v1/cemeteries", json=CEMETERY, headers=staff)
    client.post("/api/v1/graves", json=grave("g-1", "1"), headers=staff)
    identified = grave("g-1", "1", status="named", name="Lê Văn Thử", reason="hồ sơ quy tập khớp")
    response = client.post("/api/v1/graves", json=identified, headers=staff)
    assert response.json() == {"id": "g-1", "created": False}
    history = client.get("/api/v1/graves/g-1").json()["history"]
    assert [(h["from"], h["to"], h["actor"], h["reason"]) for h in history] == [
        (None, "unidentified", "hoa", None), ("unidentified", "named", "hoa", "hồ sơ quy tập khớp")]
