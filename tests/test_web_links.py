"""The linkage pages: an officer reviews pairs side by side in Vietnamese and decides; a
person's page lists his copies across the lists and where they disagree."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.web.pages_lists import STAGED_SECONDS, sweep_staged
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
    queue = pairs_for_review(sessions=context_of(client).resources.sessions, limit=1, offset=0)
    name_field = next(field for field in queue["pairs"][0]["fields"] if field["field"] == "name")
    assert name_field["left_written"] != name_field["left"]  # the name as written, marks and all
    assert name_field["left_written"] in page.text
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


def test_a_list_is_uploaded_previewed_then_imported(client: TestClient) -> None:
    sign_in(client, Role.ARCHIVIST)
    page = client.get("/lists")
    assert "Danh sách nguồn" in page.text
    assert "so-tinh" in page.text
    content = ("Họ và tên,Năm sinh,Nguyên quán,Đơn vị,Ngày hy sinh,Ghi chú\n"
               "Trần Văn Bình,1948,Yên Phong - Hà Bắc,C1D1E9F304,03/72,x\n,1950,,,,\n").encode()
    csrf = client.cookies[CSRF_COOKIE]
    preview = client.post("/lists/preview", data={"source": "so moi", "csrf_token": csrf},
                          files={"file": ("../../etc/passwd.csv", content, "text/csv")})
    assert preview.status_code == 200
    mapping = preview.text.split('id="mapping"', 1)[1].split("</table>", 1)[0]
    assert "Ghi chú" in mapping
    assert "bỏ qua" in mapping
    rows = preview.text.split('id="preview"', 1)[1].split("</table>", 1)[0]
    assert "c1 d1 e9 f304" in rows
    assert "1972-03" in rows
    assert "Hà Bắc" in rows
    assert "Bị từ chối" in rows
    assert "so moi" not in client.get("/lists").text, "nothing is stored before the import"
    token = preview.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    done = client.post("/lists/import", data={"token": token, "suffix": ".csv", "source": "so moi",
                                              "csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303
    assert "Đã nhập danh sách so moi: 1 dòng, 1 dòng bị từ chối" in client.get(done.headers["location"]).text
    again = client.post("/lists/import", data={"token": token, "suffix": ".csv", "source": "so moi",
                                               "csrf_token": client.cookies[CSRF_COOKIE]})
    assert again.status_code in (400, 422)
    assert "Tệp này không còn chờ nhập" in again.text


def test_uploads_never_imported_are_swept_after_a_day(tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    old, fresh = folder / "old.csv", folder / "fresh.csv"
    for path in (old, fresh):
        path.write_text("Họ và tên\nA\n", encoding="utf-8")
    now = time.time()
    os.utime(old, (now - STAGED_SECONDS - 60, now - STAGED_SECONDS - 60))
    assert sweep_staged(folder, now=now) == 1
    assert not old.exists()
    assert fresh.exists()
    assert sweep_staged(tmp_path / "nowhere", now=now) == 0


def test_bad_uploads_are_refused_with_a_sentence(client: TestClient) -> None:
    sign_in(client, Role.ARCHIVIST)
    csrf = client.cookies[CSRF_COOKIE]
    nameless = client.post("/lists/preview", data={"source": "x", "csrf_token": csrf},
                           files={"file": ("x.csv", "Năm sinh\n1950\n".encode(), "text/csv")})
    assert nameless.status_code == 422
    assert "no column holds the names" in nameless.text
    exe = client.post("/lists/preview", data={"source": "x", "csrf_token": csrf},
                      files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert exe.status_code == 422
    bomb = client.post("/lists/preview", data={"source": "x", "csrf_token": csrf},
                       files={"file": ("x.xlsx", b"PK\x03\x04 not a zip", "application/octet-stream")})
    assert bomb.status_code == 422
    bad_name = client.post("/lists/preview", data={"source": "a:b", "csrf_token": csrf},
                           files={"file": ("x.csv", "Họ tên\nA\n".encode(), "text/csv")})
    assert bad_name.status_code == 422
    forged = client.post("/lists/import", data={"token": "0" * 32, "suffix": ".csv", "source": "x",
                                                "csrf_token": csrf})
    assert forged.status_code in (400, 422)
    traversal = client.post("/lists/import", data={"token": "../../" + "a" * 26, "suffix": ".csv",
                                                   "source": "x", "csrf_token": csrf})
    assert traversal.status_code == 422
