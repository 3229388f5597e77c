"""The search map, its print copy, recorded search areas and the sampling plan as pages,
on both databases. The world is the one of ``tests/test_api_leads.py`` (invented)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from fastapi.testclient import TestClient

from api.security import CSRF_COOKIE
from archive.users import Role
from tests.app_client import add_staff, context_of, make_client, sign_in_page
from tests.test_api_leads import PASSWORD, auth, build_world


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url, demo=False) as client:
        for role in (Role.OFFICER, Role.LAB, Role.ARCHIVIST):
            add_staff(context_of(client), role.value, PASSWORD, role)
        build_world(client, auth(client, Role.OFFICER))
        yield client


def sign_in(client: TestClient, role: Role) -> None:
    sign_in_page(client, role.value, PASSWORD)


def test_the_search_map_draws_the_layers_and_records_areas(client: TestClient) -> None:
    sign_in(client, Role.OFFICER)
    page = client.get("/persons/p-lam/leads")
    assert page.status_code == 200
    for layer in ("layer-areas", "layer-recorded", "layer-burials", "layer-cemeteries", "layer-graves"):
        assert f'id="{layer}"' in page.text
        assert f'class="layer {layer}"' in page.text
    assert "<svg" in page.text
    assert "Hải Lăng" in page.text
    assert 'href="/graves/g-near"' in page.text
    for reason in ("Trung đoàn 7 (thử) có mặt ở Hải Lăng vào tháng 4 năm 1972 – tháng 6 năm 1972 "
                   "(Chốt giữ (thử))", "liệt sĩ hy sinh ngày 20 tháng 5 năm 1972",
                   "được căn cứ chỉ đích danh: hồ sơ an táng ban đầu b-1: cùng họ tên (Trần Văn Lâm), "
                   "cùng đơn vị (c3 d2 e7), ngày hy sinh khớp (1972-05-20)"):
        assert f"<li>{reason}</li>" in page.text
    assert "the person died" not in page.text
    assert page.text.count('class="grave"') == 2  # g-near and g-mid drawn; g-far is off the map
    adopted = client.post("/persons/p-lam/areas", data={
        "place": "Hải Lăng", "lat": "16.7", "lon": "107.23", "radius_km": "15", "level": "district",
        "csrf_token": client.cookies[CSRF_COOKIE]})
    assert adopted.status_code == 200
    assert "cần tìm kiếm" in adopted.text
    area_id = adopted.text.split('action="/areas/')[1].split('"')[0]
    concluded = client.post(f"/areas/{area_id}", data={"person_id": "p-lam", "status": "concluded",
                                                       "note": "Đã rà hết", "date": "2026-11",
                                                       "csrf_token": client.cookies[CSRF_COOKIE]})
    assert "đã kết luận (2026-11)" in concluded.text
    bad = client.post(f"/areas/{area_id}", data={"person_id": "p-lam", "status": "open", "radius_km": "0",
                                                 "csrf_token": client.cookies[CSRF_COOKIE]})
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text
    client.get("/lang/en")
    english = client.get("/persons/p-lam/leads").text
    assert "<li>the person died on 20 May 1972</li>" in english
    assert "hy sinh ngày" not in english


def test_the_print_copy_is_an_a4_pdf(client: TestClient) -> None:
    sign_in(client, Role.ARCHIVIST)
    pdf = client.get("/persons/p-lam/leads.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(pdf.content)
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert "Bản đồ tìm kiếm" in text
    assert "g-near" in text
    assert "liệt sĩ hy sinh ngày 20 tháng 5 năm 1972" in " ".join(text.split())
    assert 'name="place"' not in client.get("/persons/p-lam/leads").text  # archivists adopt nothing


def test_the_sampling_plan_page_and_its_list(client: TestClient) -> None:
    officer = auth(client, Role.OFFICER)
    body = {"name": "Trần Thị Mẹ", "line": "maternal", "living": True, "consent": True, "contact": "0999"}
    assert client.post("/api/v1/persons/p-lam/relatives", json=body, headers=officer).status_code == 201
    sign_in(client, Role.LAB)
    page = client.get("/cemeteries/nt-gan/sampling-plan")
    assert page.status_code == 200
    assert "Trần Thị Mẹ" in page.text
    assert "0999" not in page.text
    listing = client.get("/cemeteries/nt-gan/sampling-plan.csv")
    rows = list(csv.reader(io.StringIO(listing.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Hồ sơ liệt sĩ"
    assert rows[1][0] == "p-lam"
    assert rows[1][4] == "Trần Thị Mẹ"
    assert rows[1][6] == "dòng mẹ"
    sign_in(client, Role.ARCHIVIST)
    assert client.get("/cemeteries/nt-gan/sampling-plan").status_code == 403
