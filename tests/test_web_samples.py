"""The pages of relatives, DNA samples and identification, on both databases: who may
open and use them, what they show, and what a family reads on its tracking page.

Every name and contact here is invented for the tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.security import CSRF_COOKIE
from archive.users import Role
from tests.app_client import add_staff, context_of, make_client, sign_in_page

PASSWORD = "correct horse battery"


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url, demo=False) as client:
        context = context_of(client)
        for role in (Role.OFFICER, Role.LAB, Role.ARCHIVIST):
            add_staff(context, role.value, PASSWORD, role)
        token = client.post("/api/v1/auth/token", data={"username": "officer", "password": PASSWORD}).json()
        officer = {"Authorization": f"Bearer {token['access_token']}"}
        for path, body in (("/api/v1/persons", {"id": "p-thu", "full_name": "Lê Văn Thử"}),
                           ("/api/v1/cemeteries", {"id": "nt-thu", "name": "Nghĩa trang Thử"}),
                           ("/api/v1/graves", {"id": "g-1", "cemetery": "nt-thu", "number": "1",
                                               "status": "unidentified"})):
            assert client.post(path, json=body, headers=officer).status_code == 201
        yield client


def sign_in(client: TestClient, role: Role) -> None:
    sign_in_page(client, role.value, PASSWORD)


def post(client: TestClient, path: str, data: dict[str, str]) -> str:
    """Send a page's form; the page it leads to."""
    response = client.post(path, data=data | {"csrf_token": client.cookies[CSRF_COOKIE]})
    assert response.status_code == 200, response.text
    page: str = response.text
    return page


def test_the_pages_follow_a_sample_from_relative_to_named_grave(client: TestClient) -> None:
    sign_in(client, Role.OFFICER)
    page = post(client, "/persons/p-thu/relatives", {"name": "Nguyễn Thị Mẫu", "relation": "em gái",
                                                     "line": "maternal", "living": "yes",
                                                     "contact": "0999 111 222", "consent": "yes"})
    assert "Nguyễn Thị Mẫu" in page
    assert "0999 111 222" in page
    relative_id = re.search(r'name="relative_id" value="([^"]+)"', page)
    assert relative_id is not None
    sample_page = post(client, "/persons/p-thu/samples", {"relative_id": relative_id.group(1)})
    assert "Chuỗi bảo quản nguyên vẹn." in sample_page
    reference = re.search(r"Mẫu (PH\d{11})", sample_page)
    assert reference is not None
    post(client, f"/samples/{reference.group(1)}/custody", {"event": "sealed", "place": "Quảng Trị"})
    remains_page = post(client, "/graves/g-1/samples", {"collected_by": "Đội quy tập"})
    remains = re.search(r"Mẫu (PH\d{11})", remains_page)
    assert remains is not None

    sign_in(client, Role.LAB)
    assert "0999 111 222" not in client.get("/persons/p-thu/relatives").text
    label = client.get(f"/samples/{reference.group(1)}/label")
    assert label.status_code == 200
    assert "<svg" in label.text
    assert client.get("/graves/g-1/dna").status_code == 200
    matched = post(client, f"/samples/{reference.group(1)}/match",
                   {"remains": remains.group(1), "lr": "2,5e7", "conclusion": "match"})
    match_id = re.search(r"<code>(m-[0-9a-f]+)</code>: trùng khớp", matched)
    assert match_id is not None
    by_lab = client.post("/graves/g-1/identify", data={"person_id": "p-thu", "matches": match_id.group(1),
                                                       "csrf_token": client.cookies[CSRF_COOKIE]})
    assert by_lab.status_code == 403

    sign_in(client, Role.OFFICER)
    refused = client.post("/graves/g-1/identify", data={"person_id": "p-thu",
                                                        "csrf_token": client.cookies[CSRF_COOKIE]})
    assert refused.status_code == 409
    assert "basis" in refused.text
    named = post(client, "/graves/g-1/identify", {"person_id": "p-thu", "matches": match_id.group(1)})
    assert "Gắn tên theo hồ sơ p-thu" in named
    assert "Gắn tên cho ngôi mộ này" not in named  # a named grave is not offered again


def test_archivists_and_strangers_do_not_see_samples(client: TestClient) -> None:
    for path in ("/samples", "/persons/p-thu/relatives", "/graves/g-1/dna"):
        client.cookies.clear()
        assert client.get(path, follow_redirects=False).status_code == 303  # to sign in
    sign_in(client, Role.ARCHIVIST)
    for path in ("/samples", "/persons/p-thu/relatives", "/graves/g-1/dna"):
        assert client.get(path).status_code == 403
    assert "Mẫu ADN" not in client.get("/graves/g-1").text


def test_a_bad_form_is_a_page_with_one_sentence(client: TestClient) -> None:
    sign_in(client, Role.OFFICER)
    for path, data in (("/persons/p-thu/relatives", {"name": " ", "line": "maternal"}),
                       ("/persons/p-none/relatives", {"name": "Ai Đó", "line": "other"}),
                       ("/graves/g-1/identify", {"person_id": "p-thu", "scan": "9", "page": "x"})):
        response = client.post(path, data=data | {"csrf_token": client.cookies[CSRF_COOKIE]})
        assert response.status_code in (404, 409, 422), (path, response.status_code)
        assert 'role="alert"' in response.text or "<h1>" in response.text
        assert "Traceback" not in response.text
