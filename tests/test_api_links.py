"""The review queue through the API: an officer reads the pairs side by side and decides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from archive.users import Role
from bench.linkage_world import write_world
from tests.app_client import add_staff, context_of, make_client
from usecases.linkage import run_linkage
from usecases.lists import import_list_file

PASSWORD = "a long enough password"


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url) as client:
        context = context_of(client)
        add_staff(context, "officer", PASSWORD, Role.OFFICER)
        world = write_world(tmp_path / "world", persons=300, lists=3, seed=5)
        for path in world.lists:
            import_list_file(path, path.stem, sessions=context.resources.sessions, actor="test",
                             max_bytes=10**8)
        run_linkage(sessions=context.resources.sessions, actor="test")
        yield client


def officer(client: TestClient) -> dict[str, str]:
    token = client.post("/api/v1/auth/token", data={"username": "officer", "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_an_officer_reads_the_queue_and_decides(client: TestClient) -> None:
    headers = officer(client)
    queue = client.get("/api/v1/links/review", params={"limit": 5}, headers=headers).json()
    assert queue["total"] >= 1
    pair = queue["pairs"][0]
    assert {field["field"] for field in pair["fields"]} == {
        "name", "birth_year", "hometown", "unit", "death_date", "death_place"}
    assert pair["left"]["kind"] == "entry"
    assert 0.5 <= pair["probability"] <= 1
    decided = client.post(f"/api/v1/links/review/{pair['id']}", headers=headers,
                          json={"decision": "different", "note": "hai người khác nhau"})
    assert decided.status_code == 200
    assert decided.json()["status"] == "different"
    after = client.get("/api/v1/links/review", params={"limit": 200}, headers=headers).json()
    assert after["total"] == queue["total"] - 1
    for body, status in (({"decision": "maybe"}, 422), ({"decision": "same", "x": 1}, 422)):
        assert client.post("/api/v1/links/review/1", headers=headers, json=body).status_code == status
    missing = client.post("/api/v1/links/review/99999", headers=headers, json={"decision": "same"})
    assert missing.status_code == 404
    clusters = client.get("/api/v1/links/clusters", headers=headers).json()
    assert clusters["review"] == after["total"]
