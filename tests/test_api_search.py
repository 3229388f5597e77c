"""``GET /api/v1/search`` over the archive: records (graves too) published through the outbox."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.context import AppContext
from archive.grave_schema import CemeteryRecord, GraveRecord
from archive.models import OutboxEntry, Scan
from archive.pages import store_page
from archive.search_feed import all_documents, count_documents
from bench.graves import write_register
from ocr.model import OcrPage, OcrWord
from tests.app_client import context_of, make_client
from usecases.graves import import_cemetery_file, import_grave_file, save_cemetery, save_grave
from usecases.persons import import_person_lines
from usecases.searching import rebuild_index

PERSONS = [
    {"id": "hn-1972-0042", "full_name": "Nguyễn Văn Thành", "birth_year": 1950,
     "hometown": "xã Yên Phong, huyện Yên Phong, tỉnh Hà Bắc", "unit_text": "c2 d5 e88 f308",
     "death_date": "1972-07-15"},
    {"id": "hn-1971-0007", "full_name": "Nguyễn Văn Thanh", "unit_text": "Hòm thư 47120 HN",
     "death_date": "1971-03"},
]


def words_of(text: str) -> list[OcrWord]:
    words, offset = [], 0
    for index, word in enumerate(text.split()):
        start = text.index(word, offset)
        words.append(OcrWord(text=word, conf=0.9, box=[10 + 60 * index, 40, 50, 20], line=0, start=start,
                             end=start + len(word)))
        offset = start + len(word)
    return words


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    # The tests publish the outbox themselves: a publisher in the background, every second,
    # would publish a change before a slow machine asks whether it is published yet.
    with make_client(tmp_path / "data", database_url, publish_index=False) as client:
        context: AppContext = client.app.state.context  # type: ignore[attr-defined]
        lines = "\n".join(json.dumps(person, ensure_ascii=False) for person in PERSONS)
        import_person_lines(io.BytesIO(lines.encode()), sessions=context.resources.sessions, actor="test")
        text = "Đồng chí Nguyễn Vǎn Thànk hy sinh"
        with context.resources.sessions.begin() as session:
            scan = Scan(sha256="ab" * 32, filename="notice.png", media_type="image/png", size=1,
                        page_count=1)
            session.add(scan)
            session.flush()
            store_page(session, scan.id, OcrPage(number=1, text=text, confidence=0.9, rotation=0, skew=0.0,
                                                 words=words_of(text), width=400, height=100), None)
        context.resources.publish_changes()
        yield client


def test_search_follows_the_contract(client: TestClient) -> None:
    response = client.get("/api/v1/search", params={"q": "nguyen van thanh"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] >= 3
    for hit in body["hits"]:
        assert {"type", "id", "score", "title", "snippet"} <= set(hit)
    assert {hit["id"] for hit in body["hits"] if hit["type"] == "person"} == {"hn-1972-0042", "hn-1971-0007"}


def test_page_hits_carry_the_boxes_of_the_matching_words(client: TestClient) -> None:
    hit = client.get("/api/v1/search", params={"q": "nguyen van thanh", "type": "page"}).json()["hits"][0]
    assert hit["page_number"] == 1
    assert hit["boxes"] == [[130, 40, 50, 20], [190, 40, 50, 20], [250, 40, 50, 20]]


@pytest.mark.parametrize(("params", "first"), [
    ({"q": "Nguyễn Văn Thành"}, "hn-1972-0042"),
    ({"q": "e88"}, "hn-1972-0042"),
    ({"q": "Hòm thư 47120"}, "hn-1971-0007"),
    ({"q": "308", "type": "unit"}, "f308"),
    ({"q": "nguyen", "type": "person", "sort": "date"}, "hn-1971-0007"),
])
def test_first_hits(client: TestClient, params: dict[str, str], first: str) -> None:
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 200
    assert response.json()["hits"][0]["id"] == first


def test_the_unit_filter_uses_the_decoded_units_and_those_above_them(client: TestClient) -> None:
    def found(unit: str) -> set[str]:
        hits = client.get("/api/v1/search", params={"q": "nguyen", "unit": unit, "type": "person"}).json()
        return {hit["id"] for hit in hits["hits"]}

    assert "hn-1972-0042" in found("f308-e88")
    assert "hn-1972-0042" in found("f308"), "a regiment's man is in its division"
    assert found("f304") == set()


@pytest.mark.parametrize("params", [
    {"q": "x" * 10_000},
    {"q": ""},
    {"q": "!!! ???"},
    {"q": "nguyen", "offset": "-1"},
    {"q": "nguyen", "limit": "100000"},
    {"q": "nguyen", "limit": "0"},
    {"q": "nguyen", "type": "ship"},
    {"q": "nguyen", "sort": "random"},
    {"q": "nguyen", "date_from": "1972-13-01"},
    {"q": "nguyen", "date_from": "1973-01-01", "date_to": "1972-01-01"},
    {"q": "nguyen\" OR 1=1; DROP TABLE persons; --", "offset": "99999999"},
])
def test_bad_searches_get_a_clear_4xx(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize("query", ['"unbalanced', "a AND OR NOT (", "*?~^:[]{}", "' OR 1=1 --", "<script>"])
def test_query_syntax_never_breaks_the_search(client: TestClient, query: str) -> None:
    assert client.get("/api/v1/search", params={"q": query}).status_code in (200, 422)


# --- graves (type=grave): stored through the archive's grave store, published through the outbox ------

CEMETERIES: list[dict[str, Any]] = [
    {"id": "nt-truong-son", "name": "Nghĩa trang liệt sĩ quốc gia Trường Sơn", "level": "national",
     "district": "Gio Linh", "province": "Quảng Trị"},
    {"id": "nt-ben-tre", "name": "Nghĩa trang liệt sĩ tỉnh Bến Tre", "level": "province",
     "province": "Bến Tre"},
]
GRAVES: list[dict[str, Any]] = [
    {"id": "ts-b-3-4-12", "cemetery": "nt-truong-son", "zone": "B", "lot": "3", "row": "4", "number": "12",
     "status": "named", "name": "Nguyễn Văn Thành", "birth_year": 1950, "unit_text": "c2 d5 e88 f308",
     "death_date": "1972-07-15"},
    {"id": "ts-b-3-4-13", "cemetery": "nt-truong-son", "zone": "B", "lot": "3", "row": "4", "number": "13",
     "status": "unidentified"},
    {"id": "bt-1", "cemetery": "Nghĩa trang liệt sĩ tỉnh Bến Tre", "number": "1", "status": "named",
     "name": "Nguyễn Văn Thanh", "death_date": "1968"},
]


@pytest.fixture
def with_graves(client: TestClient) -> TestClient:
    context = context_of(client)
    sessions = context.resources.sessions
    for cemetery in CEMETERIES:
        save_cemetery(CemeteryRecord.model_validate(cemetery), sessions=sessions, actor="test")
    for grave in GRAVES:
        save_grave(GraveRecord.model_validate(grave), sessions=sessions, actor="test")
    context.resources.publish_changes()
    return client


def found(client: TestClient, **params: str) -> list[str]:
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 200, response.text
    return [hit["id"] for hit in response.json()["hits"]]


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "nguyen van thanh", "type": "grave"}, {"ts-b-3-4-12", "bt-1"}),
    ({"q": "Ngyen Vǎn Thànk", "type": "grave"}, {"ts-b-3-4-12", "bt-1"}),
    ({"q": "nguyen", "type": "grave", "cemetery": "nt-ben-tre"}, {"bt-1"}),
    ({"q": "nguyen", "type": "grave", "province": "Quảng Trị"}, {"ts-b-3-4-12"}),
    ({"q": "nguyen", "type": "grave", "unit": "f308"}, {"ts-b-3-4-12"}),
    ({"q": "nguyen", "type": "grave", "date_from": "1972-01-01"}, {"ts-b-3-4-12"}),
    ({"q": "truong son", "status": "unidentified"}, {"ts-b-3-4-13"}),
    ({"q": "vo danh", "cemetery": "nt-truong-son"}, {"ts-b-3-4-13"}),
])
def test_graves_are_searched_by_the_api(with_graves: TestClient, params: dict[str, str],
                                        expected: set[str]) -> None:
    assert set(found(with_graves, **params)) == expected


def test_a_grave_hit_follows_the_contract(with_graves: TestClient) -> None:
    body = with_graves.get("/api/v1/search", params={"q": "Nguyễn Văn Thành", "type": "grave"}).json()
    hit = body["hits"][0]
    assert (hit["type"], hit["id"]) == ("grave", "ts-b-3-4-12")
    assert hit["title"] == ("Nguyễn Văn Thành — Nghĩa trang liệt sĩ quốc gia Trường Sơn, "
                            "khu B, lô 3, hàng 4, mộ số 12")
    assert "có tên" in hit["snippet"]
    assert with_graves.get("/api/v1/search", params={"q": "x", "status": "lost"}).status_code == 422
    assert with_graves.get("/api/v1/search", params={"q": "x", "cemetery": "c" * 65}).status_code == 422


def test_a_grave_or_cemetery_changed_is_searched_as_it_now_is(with_graves: TestClient) -> None:
    context = context_of(with_graves)
    sessions = context.resources.sessions
    named = {**GRAVES[1], "status": "named", "name": "Lê Văn Tám", "reason": "identified by DNA"}
    save_grave(GraveRecord.model_validate(named), sessions=sessions, actor="test")
    renamed = CEMETERIES[0] | {"name": "Nghĩa trang Trường Sơn mới", "province": "Quảng Bình"}
    save_cemetery(CemeteryRecord.model_validate(renamed), sessions=sessions, actor="test")
    assert found(with_graves, q='"le van tam"', type="grave") == [], "not yet published"
    context.resources.publish_changes()
    assert found(with_graves, q='"le van tam"', type="grave") == ["ts-b-3-4-13"]
    assert found(with_graves, q="truong son", status="unidentified") == []
    moved = found(with_graves, q="truong son moi", province="quang binh", type="grave")
    assert set(moved) == {"ts-b-3-4-12", "ts-b-3-4-13"}


def test_reindex_rebuilds_the_graves(with_graves: TestClient) -> None:
    resources = context_of(with_graves).resources
    with resources.sessions() as session:
        assert count_documents(session) == len(list(chain.from_iterable(
            all_documents(session, resources.registry.get()))))
    assert rebuild_index(sessions=resources.sessions, index=resources.search_index,
                         registry=resources.registry) >= len(GRAVES)
    resources.reopen_index()
    assert set(found(with_graves, q="nguyen", type="grave")) == {"ts-b-3-4-12", "bt-1"}
    assert found(with_graves, q="vo danh", status="unidentified") == ["ts-b-3-4-13"]


def test_the_search_page_links_a_grave_to_its_page(with_graves: TestClient) -> None:
    page = with_graves.get("/search", params={"q": "nguyen van thanh"})
    assert page.status_code == 200
    assert 'href="/graves/ts-b-3-4-12"' in page.text
    assert 'href="/persons/ts-b-3-4-12"' not in page.text
    graves_only = with_graves.get("/search", params={"q": "truong son", "type": "grave"})
    assert '<option value="grave" selected>mộ trong nghĩa trang</option>' in graves_only.text
    assert 'href="/graves/ts-b-3-4-13"' in graves_only.text


def test_a_register_imported_by_worker_processes_is_queued_by_cemetery_and_found(
        client: TestClient, tmp_path: Path) -> None:
    """Two worker processes read the register; each batch queues its cemeteries, not each
    of its 1,200 graves, and every grave is searchable once the outbox is applied."""
    context = context_of(client)
    sessions = context.resources.sessions
    cemetery_file, grave_file = write_register(tmp_path, 1200, 4)
    import_cemetery_file(cemetery_file, sessions=sessions, actor="test", max_bytes=10**8)
    report = import_grave_file(grave_file, sessions=sessions, actor="test", max_bytes=10**8, workers=2)
    assert (report.created, report.problems) == (1200, [])
    with sessions() as session:
        queued = session.execute(select(OutboxEntry.entity, func.count()).group_by(OutboxEntry.entity)).all()
    assert dict(queued)["cemetery"] <= 4 * 2  # each cemetery once a batch it is written in
    assert dict(queued).get("grave", 0) == 0
    assert context.resources.publish_changes() > 0
    body = client.get("/api/v1/search", params={"q": "nghia trang", "type": "grave", "cemetery": "nt00002",
                                                "limit": 1}).json()
    assert body["total"] == 300
