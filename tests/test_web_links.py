"""The linkage pages: an officer reviews pairs side by side in Vietnamese and decides; a
person's page lists his copies across the lists and where they disagree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.web.session import CSRF_COOKIE
from archive.person_schema import PersonRecord
from archive.users import Role
from bench.linkage_world import write_world
from tests.app_client import add_staff, context_of, make_client
from usecases.linkage import decide_pair, pairs_for_review, run_linkage
from usecases.lists import import_list_file
from usecases.persons import save_person

PASSWORD = "a long enough password"


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url, demo=False) as client:
        sessions = context_of(client).resources.sessions
        world = write_world(tmp_path / "world", persons=300, lists=2, seed=8)
        for path in world.lists:
            import_list_file(path, path.stem, sessions=sessions, actor="test", max_bytes=10**8)
        save_person(PersonRecord.model_validate({
            "id": "p-1", "full_name": "Nguyễn Văn Thắng", "birth_year": 1950, "hometown": "Yên Phong, Hà Bắc",
            "unit_text": "c3 d2 e7 f950", "death_date": "1974-04-15"}), sessions=sessions, actor="test")
        extra = tmp_path / "extra.csv"
        extra.write_text("Họ và tên,Năm sinh,Quê quán,Đơn vị,Ngày hy sinh\n"
                         "Nguyen Van Thang,1950,Yên Phong - Hà Bắc,C3D2E7F950,15/4/74\n"
                         "NGUYỄN VĂN THẮNG,1950,\"xã Yên Phong, huyện Yên Phong, tỉnh Bắc Ninh\","
                         "e7 f950,1968\n",
                         encoding="utf-8")
        import_list_file(extra, "so-tinh", sessions=sessions, actor="test", max_bytes=10**8)
        run_linkage(sessions=sessions, actor="test")
        yield client


def sign_in(client: TestClient, role: Role) -> None:
    add_staff(context_of(client), role.value, PASSWORD, role)
    if CSRF_COOKIE not in client.cookies:
        client.get("/login")
    response = client.post("/login", data={"username": role.value, "password": PASSWORD,
                                           "csrf_token": client.cookies[CSRF_COOKIE], "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def test_an_officer_reviews_pairs_in_vietnamese_and_decides(client: TestClient) -> None:
    assert client.get("/links/review", follow_redirects=False).status_code in (303, 401)
    sign_in(client, Role.OFFICER)
    page = client.get("/links/review")
    assert page.status_code == 200
    assert "Xem xét đối chiếu" in page.text
    assert "Cùng một người" in page.text
    pair_id = page.text.split('id="pair-', 1)[1].split('"', 1)[0]
    decided = client.post(f"/links/review/{pair_id}", data={
        "decision": "different", "note": "hai người", "csrf_token": client.cookies[CSRF_COOKIE]},
        follow_redirects=False)
    assert decided.status_code == 303
    assert "Giữ riêng" in client.get(decided.headers["location"]).text
    assert f'id="pair-{pair_id}"' not in client.get("/links/review").text
    forged = client.post(f"/links/review/{pair_id}", data={"decision": "same", "csrf_token": "forged"})
    assert forged.status_code == 403


def test_an_archivist_may_not_review(client: TestClient) -> None:
    sign_in(client, Role.ARCHIVIST)
    assert client.get("/links/review").status_code == 403


def test_a_person_page_lists_his_copies_and_their_disagreement(client: TestClient) -> None:
    sign_in(client, Role.OFFICER)
    page = client.get("/persons/p-1")
    assert page.status_code == 200
    assert "Danh sách so-tinh, dòng 1" in page.text, "the copy written without marks is joined"
    assert 'id="conflicts"' not in page.text
    sessions = context_of(client).resources.sessions
    waiting = pairs_for_review(sessions=sessions, limit=200, offset=0)["pairs"]
    entry, person = {"kind": "entry", "source": "so-tinh", "row": 2}, {"kind": "person", "id": "p-1"}
    pair = next(p for p in waiting if entry in (p["left"], p["right"]) and person in (p["left"], p["right"]))
    decide_pair(pair["id"], "same", note="thư gia đình", sessions=sessions, actor="officer")
    page = client.get("/persons/p-1")
    assert "Danh sách so-tinh, dòng 2" in page.text
    conflicts = page.text.split('id="conflicts"', 1)[1].split("</div>", 1)[0]
    assert "1968" in conflicts
    assert "1974-04-15" in conflicts
