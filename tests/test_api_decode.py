"""The HTTP API for decoding, over real storage (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.app_client import make_client


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path, database_url) as test_client:
        yield test_client


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_decode_follows_the_contract(client: TestClient) -> None:
    response = client.post("/api/v1/decode", json={"text": "c2 d5 e88 f308", "date": "1972-07"})
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "c2 d5 e88 f308"
    assert body["date"] == "1972-07"
    designation = body["designations"][0]
    assert {k: designation[k] for k in ("raw", "start", "end", "kind", "mailbox", "name")} == {
        "raw": "c2 d5 e88 f308", "start": 0, "end": 14, "kind": "chain", "mailbox": None,
        "name": None}
    assert [(e["level"], e["number"], e["qualifier"]) for e in designation["echelons"]] == [
        ("company", "2", None), ("battalion", "5", None), ("regiment", "88", None),
        ("division", "308", None)]
    best = body["candidates"][0]
    assert best["unit_id"] == "f308-e88"
    assert best["name"] == "Trung đoàn 88"
    assert best["level"] == "regiment"
    assert best["path"] == ["Sư đoàn 308", "Trung đoàn 88"]
    assert 0 < best["score"] <= 1
    assert best["valid"] is True
    assert any("under division 308 in 1972-07" in reason for reason in best["reasons"])
    assert best["history"], "the demo registry has Quảng Trị 1972 for Sư đoàn 308"
    item = best["history"][0]
    assert set(item) >= {"from", "to", "title", "place", "lat", "lon", "source"}


def test_mailbox_result_shape(client: TestClient) -> None:
    body = client.post("/api/v1/decode", json={"text": "Hòm thư 47120 HN-B5"}).json()
    assert body["date"] is None
    assert body["designations"][0]["kind"] == "mailbox"
    assert body["designations"][0]["mailbox"] == {"number": "47120", "letters": "HN", "suffix": "B5"}
    assert body["designations"][0]["echelons"] == []


def test_no_designation(client: TestClient) -> None:
    body = client.post("/api/v1/decode", json={"text": "lô 3, hàng 5, mộ số 18"}).json()
    assert body["designations"] == []
    assert body["candidates"] == []


@pytest.mark.parametrize(("payload", "status"), [
    ({"text": ""}, 422),
    ({"text": "c2", "date": "1972-13"}, 422),
    ({"text": "c2", "date": 1972}, 422),
    ({"text": 42}, 422),
    ({}, 422),
    ({"text": "c2", "extra": 1}, 422),
    ({"text": "c2\u0000d5"}, 422),
    ({"text": "c2 " * 100_000}, 413),
    ({"text": "x" * 9_000_000}, 413),
])
def test_bad_input_gets_a_clear_4xx(client: TestClient, payload: dict[str, object], status: int) -> None:
    response = client.post("/api/v1/decode", json=payload)
    assert response.status_code == status
    assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize("body", [b"{", b"not json", b"\xff\xfe\x00", b"[]", b"null"])
def test_malformed_json_is_a_422(client: TestClient, body: bytes) -> None:
    response = client.post("/api/v1/decode", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code in (400, 422)  # 400: the body is not even UTF-8
    assert isinstance(response.json()["detail"], str)


def test_batch_decodes_each_item_and_reports_bad_ones(client: TestClient) -> None:
    response = client.post("/api/v1/decode/batch", json={"items": [
        {"text": "c2 d5 e88 f308", "date": "1972-07"},
        {"text": "c2", "date": "not a date"},
        {"text": "Công trường 9", "date": "1968"},
    ]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["result"]["candidates"][0]["unit_id"] == "f308-e88"
    assert results[1]["result"] is None
    assert "not a date" in results[1]["error"]
    assert results[2]["result"]["candidates"][0]["unit_id"] == "f9"


def test_batch_limits(client: TestClient) -> None:
    assert client.post("/api/v1/decode/batch", json={"items": []}).status_code == 422
    many = {"items": [{"text": "e88"}] * 1001}
    assert client.post("/api/v1/decode/batch", json=many).status_code == 422


def test_openapi_documents_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/api/v1/decode"]["post"]["responses"]
    assert {"200", "413", "422"} <= set(responses)


def test_reasons_are_english_by_default_and_come_with_their_structured_form(client: TestClient) -> None:
    response = client.post("/api/v1/decode", json={"text": "c2 d5 e88 f308", "date": "1972-07"})
    assert response.headers["content-language"] == "en"
    assert "accept-language" in response.headers["vary"].lower()
    best = response.json()["candidates"][0]
    assert best["reasons"] == ["Trung đoàn 88 is regiment 88",
                               "company 2, battalion 5: below what the registry records for Trung đoàn 88",
                               "regiment 88 is under division 308 in 1972-07"]
    assert best["reasons_structured"] == [
        {"id": "unit_is", "params": {"unit": "Trung đoàn 88",
                                     "echelon": {"level": "regiment", "number": "88"}}},
        {"id": "below_recorded", "params": {"echelons": [{"level": "company", "number": "2"},
                                                         {"level": "battalion", "number": "5"}],
                                            "unit": "Trung đoàn 88"}},
        {"id": "parent_at_date", "params": {"child": {"level": "regiment", "number": "88"},
                                            "parent": {"level": "division", "number": "308"},
                                            "date": "1972-07"}}]


@pytest.mark.parametrize("accept", ["vi", "vi-VN,vi;q=0.9,en;q=0.8", "fr;q=1, vi;q=0.5", "en;q=0.1,vi"])
def test_vietnamese_accept_language_gives_vietnamese_reasons(client: TestClient, accept: str) -> None:
    response = client.post("/api/v1/decode", json={"text": "c2 d5 e88 f308", "date": "1972-07"},
                           headers={"Accept-Language": accept})
    assert response.headers["content-language"] == "vi"
    best = response.json()["candidates"][0]
    assert best["reasons"] == ["Trung đoàn 88 là trung đoàn 88",
                               "đại đội 2, tiểu đoàn 5: cấp dưới mà sổ đăng ký chưa ghi của Trung đoàn 88",
                               "trung đoàn 88 trực thuộc sư đoàn 308 vào 1972-07"]
    assert [reason["id"] for reason in best["reasons_structured"]] == [
        "unit_is", "below_recorded", "parent_at_date"]


@pytest.mark.parametrize("accept", ["en-GB", "fr, de;q=0.5", "*", "", "vi;q=0", "vi;q=abc", ";;,,=",
                                    "x" * 300])
def test_other_or_odd_accept_language_gives_english(client: TestClient, accept: str) -> None:
    response = client.post("/api/v1/decode", json={"text": "e88 f308", "date": "1972-07"},
                           headers={"Accept-Language": accept})
    assert response.status_code == 200
    assert response.json()["candidates"][0]["reasons"][-1] == "regiment 88 is under division 308 in 1972-07"


def test_batch_reasons_follow_accept_language(client: TestClient) -> None:
    items = {"items": [{"text": "Hòm thư 47120 HN", "date": "1974"}]}
    english = client.post("/api/v1/decode/batch", json=items).json()["results"][0]["result"]
    vietnamese = client.post("/api/v1/decode/batch", json=items,
                             headers={"Accept-Language": "vi"}).json()["results"][0]["result"]
    assert english["candidates"][0]["reasons"][0] == \
        "mailbox 47120 HN belonged to Trung đoàn 66 in 1974 (from 1974 to 1975)"
    assert vietnamese["candidates"][0]["reasons"][0] == \
        "hòm thư 47120 HN thuộc Trung đoàn 66 vào 1974 (từ 1974 đến 1975)"
    assert english["candidates"][0]["reasons_structured"] == vietnamese["candidates"][0]["reasons_structured"]
    assert english["candidates"][0]["reasons_structured"][0] == {"id": "code_held_at_date", "params": {
        "code": {"kind": "mailbox", "text": "47120 HN"}, "unit": "Trung đoàn 66", "date": "1974",
        "period": {"from": "1974", "to": "1975"}}}


def test_openapi_describes_the_structured_reasons(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    candidate = schemas["Candidate"]
    assert {"reasons", "reasons_structured"} <= set(candidate["required"])
    assert candidate["properties"]["reasons"]["items"] == {"type": "string"}
    assert "Reason" in schemas
    assert "ReasonId" in schemas
