"""The cemetery and grave pages, the count's downloads, the GeoJSON of cemeteries and
first burials, a person's grave, staff corrections and the demonstration cemeteries, on
both databases.

The data is the demonstration set of ``phienhieu demo --samples``: every name and place
in it is invented.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from api.security import CSRF_COOKIE
from archive.grave_schema import CemeteryRecord
from archive.models import AuditEntry
from archive.users import Role
from tests.app_client import add_staff, context_of, make_client
from usecases.grave_views import load_grave_samples
from usecases.graves import save_cemetery
from usecases.persons import import_person_lines

PASSWORD = "correct horse battery"
DEMO = Path(__file__).resolve().parents[1] / "archive" / "demo"
ONE, TWO = "demo-nt-mau-mot", "demo-nt-mau-hai"
#: Bùi Quang Quý's grave (named, linked to demo-0001) and an unidentified one.
NAMED, UNNAMED = "demo-m1-a-1-1-3", "demo-m1-a-1-1-1"


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url, demo=False) as client:
        sessions = context_of(client).resources.sessions
        with (DEMO / "persons.jsonl").open("rb") as persons:
            import_person_lines(persons, sessions=sessions, actor="test")
        load_grave_samples(sessions=sessions)
        yield client


def csrf(client: TestClient) -> str:
    if CSRF_COOKIE not in client.cookies:
        client.get("/login")
    return client.cookies[CSRF_COOKIE]


def sign_in(client: TestClient, role: Role) -> None:
    """Make the role's account (hashing a password is slow: only the accounts a test uses) and sign in."""
    add_staff(context_of(client), role.value, PASSWORD, role)
    response = client.post("/login", data={"username": role.value, "password": PASSWORD,
                                           "csrf_token": csrf(client), "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text


def english(client: TestClient) -> None:
    client.get("/lang/en?next=/")


def counts(client: TestClient, cemetery: str) -> dict[str, int]:
    data: dict[str, int] = client.get(f"/api/v1/cemeteries/{cemetery}").json()["counts"]
    return data


def test_demo_cemeteries_load_once_and_again_change_nothing(client: TestClient) -> None:
    sessions = context_of(client).resources.sessions
    again = load_grave_samples(sessions=sessions)
    assert [(report.created, report.updated, report.problems) for report in again] == [(0, 0, [])] * 3
    assert [report.unchanged for report in again] == [2, 5, 36]
    assert counts(client, ONE) == {"named": 2, "unidentified": 17, "partial": 4, "named_no_remains": 1,
                                   "total": 24}
    assert counts(client, TWO)["total"] == 12
    for cemetery in (ONE, TWO):
        assert "(dữ liệu minh hoạ)" in client.get(f"/api/v1/cemeteries/{cemetery}").json()["name"]
    # One stone gives another month of death than the linked record: the count shows it.
    assert client.get(f"/api/v1/cemeteries/{TWO}").json()["disagreeing"] == 1


def test_the_cemeteries_page_lists_counts_and_draws_the_map(client: TestClient) -> None:
    page = client.get("/cemeteries")
    assert page.status_code == 200
    assert '<html lang="vi">' in page.text
    assert "Nghĩa trang liệt sĩ" in page.text
    assert page.text.count('class="cemetery-point"') == 2
    assert f'href="/cemeteries/{ONE}"' in page.text
    assert "<strong>24</strong>" in page.text
    filtered = client.get("/cemeteries", params={"province": "kon tum"}).text
    assert "Mẫu Một" in filtered.split('class="map"')[0]
    assert "Mẫu Hai" not in filtered.split('class="map"')[0]
    english(client)
    assert "Martyrs' cemeteries" in client.get("/cemeteries").text.replace("&#39;", "'")


def test_a_cemetery_page_has_its_plan_counts_and_finds_graves_by_name(client: TestClient) -> None:
    page = client.get(f"/cemeteries/{ONE}").text
    cells = re.findall(r'<a class="grave-cell (\w+)" href="/graves/([\w-]+)"', page)
    assert len(cells) == 24
    assert ("named", NAMED) in cells
    assert ("unidentified", UNNAMED) in cells
    assert page.index("demo-m1-a-1-1-2") < page.index("demo-m1-a-1-1-3") < page.index("demo-m1-b-1-1-1")
    assert "Chú giải" in page
    assert "khu A" in page
    assert "hàng 2" in page
    for query in ("Bùi Quang Quý", "bui quang quy", "QUANG"):
        found = client.get(f"/cemeteries/{ONE}", params={"q": query}).text
        assert f'href="/graves/{NAMED}">Bùi Quang Quý</a>' in found, query
    assert "Không có mộ nào" in client.get(f"/cemeteries/{ONE}", params={"q": "%_"}).text
    assert client.get("/cemeteries/nt-none").status_code == 404
    english(client)
    assert "Find a grave by name" in client.get(f"/cemeteries/{ONE}").text


def test_the_count_downloads_as_csv_and_excel(client: TestClient) -> None:
    one = client.get(f"/cemeteries/{ONE}/count.csv")
    assert one.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(one.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Dòng", "Mã", "Nghĩa trang"]
    assert rows[1][1] == ONE
    assert rows[1][4:] == ["2", "17", "4", "1", "24", "0"]
    everything = list(csv.reader(io.StringIO(client.get("/graves/count.csv").content.decode("utf-8-sig"))))
    kinds = ["nghĩa trang"] * 2 + ["tổng của tỉnh"] * 2 + ["tất cả nghĩa trang"]
    assert [row[0] for row in everything[1:]] == kinds
    assert everything[-1][8] == "36"
    sheet = load_workbook(io.BytesIO(client.get("/graves/count.xlsx").content), read_only=True).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Dòng"
    assert values[-1][8] == 36
    english(client)
    workbook = load_workbook(io.BytesIO(client.get(f"/cemeteries/{ONE}/count.xlsx").content), read_only=True)
    assert next(list(row) for row in workbook.active.iter_rows(values_only=True))[0] == "Row"  # type: ignore[union-attr]
    assert client.get("/cemeteries/nt-none/count.csv").status_code == 404


def test_a_name_written_like_a_formula_stays_text_in_both_files(client: TestClient) -> None:
    sessions = context_of(client).resources.sessions
    save_cemetery(CemeteryRecord(id="nt-bad", name='=HYPERLINK("http://x.example","bấm")', province="-1+1"),
                  sessions=sessions, actor="test")
    text = client.get("/cemeteries/nt-bad/count.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'-1+1" in text
    sheet = load_workbook(io.BytesIO(client.get("/cemeteries/nt-bad/count.xlsx").content)).active
    assert sheet is not None
    assert sheet["C2"].value.startswith("'=")
    assert sheet["C2"].data_type == "s"


def test_geojson_of_cemeteries_and_first_burials(client: TestClient) -> None:
    cemeteries = client.get("/api/v1/cemeteries.geojson")
    assert cemeteries.headers["content-type"] == "application/geo+json"
    data = cemeteries.json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 2
    feature = next(f for f in data["features"] if f["properties"]["id"] == ONE)
    assert feature["geometry"] == {"type": "Point", "coordinates": [107.85, 14.69]}
    assert feature["properties"]["counts"]["total"] == 24
    assert feature["properties"]["province"] == "Kon Tum"
    burials = client.get("/api/v1/burials.geojson").json()
    assert len(burials["features"]) == 5
    first = next(f for f in burials["features"] if f["properties"]["id"] == "demo-b-01")
    assert first["geometry"]["coordinates"] == [107.8, 14.66]
    assert first["properties"]["recovered"] == {"date": "1995-04", "grave": NAMED}


def test_a_grave_page_shows_stone_history_remains_and_sources(client: TestClient) -> None:
    page = client.get(f"/graves/{NAMED}").text
    assert "Bùi Quang Quý" in page
    assert "Có tên" in page
    assert "c13 d1 e192 f320" in page
    assert "demo-b-01" in page
    assert "bia gỗ" in page
    assert "1995-04" in page
    assert "imported from graves.csv" in page
    assert "/persons/demo-0001" not in page
    assert "cán bộ có thể mở" in page
    assert 'action="/graves/' not in page
    sign_in(client, Role.OFFICER)
    assert 'href="/persons/demo-0001">Bùi Quang Quý</a>' in client.get(f"/graves/{NAMED}").text
    english(client)
    assert "What the stone says" in client.get(f"/graves/{UNNAMED}").text
    assert client.get("/graves/none").status_code == 404


def test_a_person_page_says_where_he_lies_or_that_nobody_knows(client: TestClient) -> None:
    sign_in(client, Role.ARCHIVIST)
    assert f'href="/graves/{NAMED}">Nghĩa trang liệt sĩ Mẫu Một' in client.get("/persons/demo-0001").text
    assert "Chưa ai biết liệt sĩ yên nghỉ ở đâu" in client.get("/persons/demo-0004").text
    english(client)
    assert "Nobody knows yet where he lies" in client.get("/persons/demo-0004").text


def correction(client: TestClient, **fields: str) -> dict[str, str]:
    return {"status": "partial", "reason": "Bia được đọc lại khi tu sửa", "csrf_token": csrf(client),
            "birth_year": "1952", **fields}


def test_staff_correct_a_grave_with_a_reason_and_the_count_follows(client: TestClient) -> None:
    before = counts(client, ONE)
    refused = client.post(f"/graves/{UNNAMED}", data=correction(client), follow_redirects=False)
    assert refused.status_code == 303
    assert refused.headers["location"].startswith("/login")
    sign_in(client, Role.ARCHIVIST)
    assert client.post(f"/graves/{UNNAMED}", data=correction(client, csrf_token="wrong")).status_code == 403
    assert counts(client, ONE) == before
    page = client.get(f"/graves/{UNNAMED}").text
    assert 'action="/graves/' in page
    assert 'name="csrf_token"' in page
    saved = client.post(f"/graves/{UNNAMED}", data=correction(client), follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/graves/{UNNAMED}?saved=1"
    after = counts(client, ONE)
    assert (after["unidentified"], after["partial"]) == (before["unidentified"] - 1, before["partial"] + 1)
    grave = client.get(f"/api/v1/graves/{UNNAMED}").json()
    assert grave["birth_year"] == 1952
    assert grave["history"][-1] | {"at": None} == {
        "from": "unidentified", "to": "partial", "at": None, "actor": "archivist",
        "reason": "Bia được đọc lại khi tu sửa"}
    shown = client.get(f"/graves/{UNNAMED}?saved=1").text
    assert "Đã lưu thông tin sửa." in shown
    assert "Bia được đọc lại khi tu sửa" in shown


def test_a_correction_that_keeps_the_status_is_audited_with_its_reason(client: TestClient) -> None:
    sign_in(client, Role.OFFICER)
    data = correction(client, status="named", name="Bùi Quang Quý", hometown="xã Kim Sơn",
                      birth_year="1953", death_date="1973-11-09", unit_text="c13 d1 e192 f320",
                      reason="Quê quán đọc lại")
    assert client.post(f"/graves/{NAMED}", data=data, follow_redirects=False).status_code == 303
    assert client.get(f"/api/v1/graves/{NAMED}").json()["hometown"] == "xã Kim Sơn"
    with context_of(client).resources.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "grave.correct")).one()
        assert json.loads(entry.details) == {"reason": "Quê quán đọc lại", "fields": ["hometown"]}


@pytest.mark.parametrize(("fields", "said"), [
    ({"status": "unidentified", "name": "Ai Đó"}, "an unidentified grave has no name"),
    ({"status": "named"}, "needs the name on its stone"),
    ({"death_date": "1972-02-30"}, "does not exist"),
    ({"birth_year": "một"}, "bốn chữ số"),
    ({"birth_year": "²"}, "bốn chữ số"),
    ({"reason": " "}, "lý do"),
])
def test_a_bad_correction_is_refused_with_the_reason_and_keeps_what_was_typed(
        client: TestClient, fields: dict[str, str], said: str) -> None:
    sign_in(client, Role.ADMIN)
    before = client.get(f"/api/v1/graves/{UNNAMED}").json()
    response = client.post(f"/graves/{UNNAMED}", data=correction(client, **fields))
    assert response.status_code == 422
    assert said in response.text.lower() or said in response.text
    assert client.get(f"/api/v1/graves/{UNNAMED}").json() == before
