"""``GET /api/v1/search`` over the archive: records published through the outbox."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.context import AppContext
from archive.models import Scan
from archive.pages import store_page
from ocr.model import OcrPage, OcrWord
from tests.app_client import make_client
from usecases.persons import import_person_lines

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
    with make_client(tmp_path / "data", database_url) as client:
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
