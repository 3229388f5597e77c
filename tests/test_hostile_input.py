"""Hostile text at the edge: control characters, bidirectional overrides, lookalike digits
and JSON built to crash a parser are a 4xx on SQLite and PostgreSQL, never a 500."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from PIL import Image
from starlette.routing import BaseRoute

from api.batch_csv import decode_rows
from api.guarded_route import GuardedRoute
from archive.blobs import safe_filename
from archive.users import Role
from decoder.errors import InvalidInputError
from decoder.untrusted import find_forbidden, forbidden_character, is_ascii_digits, parse_json
from tests.app_client import add_staff, context_of, make_client
from tests.test_api_requests import request_body
from tests.test_api_staff import PASSWORD
from tests.test_web_pages import csrf
from usecases.persons import import_person_lines
from usecases.registry import decode_text

NUL = "\x00"


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url) as client:
        context = context_of(client)
        for role in Role:
            add_staff(context, role.value, PASSWORD, role)
        yield client


def bearer(client: TestClient, role: Role) -> dict[str, str]:
    token = client.post("/api/v1/auth/token", data={"username": role.value, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def refused(response: object, field: str) -> None:
    status = getattr(response, "status_code", 0)
    text = getattr(response, "text", "")
    assert status == 422, f"{status}: {text[:300]}"
    assert field in text, text[:300]
    assert "U+" in text, text[:300]


def test_a_nul_anywhere_is_refused_with_the_field_named(client: TestClient) -> None:
    officer = bearer(client, Role.OFFICER)
    refused(client.post("/api/v1/requests", json=request_body(f"Nguyễn{NUL}Văn")), "body.person.full_name")
    refused(client.post("/api/v1/requests", json=request_body() | {"note": "a\x1bb"}), "body.note")
    refused(client.post("/api/v1/auth/token", data={"username": f"officer{NUL}", "password": "x"}),
            "form.username")
    refused(client.get("/api/v1/verify/PH%00X"), "path.serial")
    refused(client.get("/api/v1/requests/YC-%00", headers={"X-Request-Secret": "s"}), "path.code")
    refused(client.get("/api/v1/search", params={"q": f"Thành{NUL}"}), "query.q")
    refused(client.post("/api/v1/persons", json={"full_name": f"Lê{NUL}Văn"}, headers=officer),
            "body.full_name")
    refused(client.post("/api/v1/registry/import", content=json.dumps({f"units{NUL}": []}),
                        headers=officer | {"Content-Type": "application/json"}), "U+0000")
    refused(client.post("/api/v1/decode", json={"text": f"c2{NUL}d5"}), "body.text")


def test_the_pages_refuse_a_nul_in_a_form_or_an_address(client: TestClient) -> None:
    token = csrf(client)
    family = client.post("/request", data={"full_name": f"Trần{NUL}Bình", "requester_name": "Trần Thị Lan",
                                           "contact": "0900", "csrf_token": token})
    refused(family, "form.full_name")
    assert "<html" in family.text.lower(), "a page gets an error page, not JSON"
    refused(client.post("/login", data={"username": f"a{NUL}", "password": "x", "csrf_token": token}),
            "form.username")
    refused(client.get("/verify/PH%00"), "path.serial")
    refused(client.post("/track", data={"code": f"YC-{NUL}", "secret": "s", "csrf_token": token}),
            "form.code")
    assert client.get("/request").status_code == 200, "the service still answers"


def test_right_to_left_overrides_are_refused_in_text_and_dropped_from_file_names(client: TestClient) -> None:
    refused(client.post("/api/v1/requests", json=request_body("Lê\u202eVăn")), "U+202E")
    photo = io.BytesIO()
    Image.new("L", (60, 40), 200).save(photo, format="JPEG")
    upload = client.post("/api/v1/scans", headers=bearer(client, Role.ARCHIVIST),
                         files=[("file", ("rtl\u202egpj.exe", photo.getvalue(), "image/jpeg"))])
    refused(upload, "form.file")
    assert safe_filename("rtl\u202egnp.exe\x00") == "rtlgnp.exe_"


def test_a_superscript_birth_year_is_a_form_error_not_a_crash(client: TestClient) -> None:
    response = client.post("/request", data={"full_name": "Trần Văn Bình", "requester_name": "Trần Thị Lan",
                                             "contact": "0900", "birth_year": "19²5",
                                             "csrf_token": csrf(client)})
    assert response.status_code == 422, response.text[:300]
    assert [is_ascii_digits(text) for text in ("²", "1950", "")] == [False, True, False]


def test_registry_json_built_to_crash_the_parser_is_a_4xx(client: TestClient) -> None:
    officer = bearer(client, Role.OFFICER) | {"Content-Type": "application/json"}
    deep = "[" * 10_000 + "]" * 10_000
    nested = client.post("/api/v1/registry/import", content=deep, headers=officer)
    assert nested.status_code == 422, nested.text[:200]
    assert "nests deeper" in nested.text
    huge = client.post("/api/v1/registry/import", content='{"units": [], "n": ' + "9" * 5000 + "}",
                       headers=officer)
    assert huge.status_code == 422, huge.text[:200]
    assert "too long" in huge.text


def test_persons_import_refuses_bad_lines_and_keeps_the_good_ones(client: TestClient) -> None:
    context = context_of(client)
    lines = [json.dumps({"full_name": "Lê Văn An"}), json.dumps({"full_name": f"Lê{NUL}Văn"}),
             "[" * 5000, json.dumps({"full_name": "Lê Văn Ba", "sources": [{"scan": "²", "page": 1}]})]
    report = import_person_lines(io.BytesIO("\n".join(lines).encode()), sessions=context.resources.sessions,
                                 actor="test")
    assert (report.created, len(report.problems)) == (2, 2), report.problems
    assert "U+0000" in report.problems[0][1]
    assert "nests deeper" in report.problems[1][1]


def test_the_checks_name_what_they_refuse() -> None:
    assert forbidden_character("tab\tnewline\nCR\r ok") is None
    assert forbidden_character("a\x7fb") == "U+007F"
    assert forbidden_character("a\u2066b") == "U+2066"
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        parse_json(b"\xff")
    assert parse_json('{"a": [1, {"b": "c"}]}') == {"a": [1, {"b": "c"}]}


@pytest.mark.parametrize(("value", "found"), [
    ({"name": "Lê Văn", "birth_year": 1950, "unit": None}, None),  # a row: searched at once
    ({"name": "Lê\u202eVăn", "birth_year": 1950}, ("row.name", "U+202E")),
    ({"ok": "a", "unit\x00": 3}, ("row.unit\x00", "U+0000")),
    ({"name": "Lê", "notes": ["a", "b\x1f"]}, ("row.notes[1]", "U+001F")),
    ({"name": "Lê", "more": {"x": "\x7f"}}, ("row.more.x", "U+007F")),
])
def test_a_forbidden_character_is_found_with_its_path(value: object, found: tuple[str, str] | None) -> None:
    assert find_forbidden(value, "row") == found


def _api_routes(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)  # a router included in the app
        yield from _api_routes(included.routes) if included is not None else [route]


def test_every_route_refuses_forbidden_text_before_its_handler(tmp_path: Path) -> None:
    with make_client(tmp_path / "data", demo=False) as client:
        routes = list(_api_routes(client.app.routes))  # type: ignore[attr-defined]
    endpoints = [route for route in routes if isinstance(route, APIRoute)]
    unguarded = [route.path for route in endpoints if not isinstance(route, GuardedRoute)]
    assert len(endpoints) > 40
    assert not unguarded, unguarded


def test_decoded_csv_never_hands_a_spreadsheet_a_formula(client: TestClient) -> None:
    hostile = ('text,date,=cmd\n"=HYPERLINK(""http://evil.example"",""x"")",1972,@SUM(A1)\n'
               '+c2 d5 e88 f308,1972-07,-1\n"\tc2",,ok\n')
    context = context_of(client)
    decode = partial(decode_text, registry=context.resources.registry, max_chars=20_000)
    written, _ = decode_rows(io.StringIO(hostile), "hostile.csv", decode, max_rows=100)
    rows = list(csv.reader(io.StringIO(written)))
    assert rows[0][:3] == ["text", "date", "'=cmd"]
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[1][2] == "'@SUM(A1)"
    assert rows[2][0] == "'+c2 d5 e88 f308"
    assert rows[2][2] == "'-1"
    assert rows[3][0] == "'\tc2"
    assert rows[2][3] == "f308-e88", "the text is still decoded as it was written"
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] and cell[:1] in "=+-@\t\r"]
