"""Staff endpoints: tokens, the authorisation matrix, uploads, jobs, pages, persons, units."""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from archive.users import PERMISSIONS, Action, Role
from bench.synth import make_page
from tests.app_client import add_staff, context_of, make_client, worker_for

PASSWORD = "correct horse battery"


def png(seed: int = 1, dpi: int = 200) -> bytes:
    page = make_page(seed, dpi=dpi)
    out = io.BytesIO()
    Image.fromarray(page.image).save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url, max_upload_bytes=5_000_000) as client:
        context = context_of(client)
        for role in Role:
            add_staff(context, role.value, PASSWORD, role)
        yield client


def token(client: TestClient, name: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", data={"username": name, "password": password})
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "bearer"
    value: str = response.json()["access_token"]
    return value


def as_role(client: TestClient, role: Role | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(client, role.value)}"} if role else {}


# Every endpoint of the API, what it needs, and a request that reaches its handler.
ENDPOINTS: list[tuple[str, str, Action | None, dict[str, Any]]] = [
    ("GET", "/healthz", None, {}),
    ("POST", "/api/v1/decode", None, {"json": {"text": "e88"}}),
    ("POST", "/api/v1/decode/batch", None, {"json": {"items": [{"text": "e88"}]}}),
    ("GET", "/api/v1/search", None, {"params": {"q": "nguyen"}}),
    ("POST", "/api/v1/auth/token", None, {"data": {"username": "nobody", "password": "x"}}),
    ("POST", "/api/v1/scans", Action.UPLOAD_SCANS, {"files": {"file": ("a.png", b"junk")}}),
    ("GET", "/api/v1/scans/1", Action.READ_SCANS, {}),
    ("GET", "/api/v1/scans/1/pages/1", Action.READ_SCANS, {}),
    ("GET", "/api/v1/scans/1/pages/1/image", Action.READ_SCANS, {}),
    ("GET", "/api/v1/jobs/1", Action.READ_JOBS, {}),
    ("POST", "/api/v1/persons", Action.WRITE_PERSONS, {"json": {"full_name": "Lê Văn Tám"}}),
    ("GET", "/api/v1/persons/p-1", Action.READ_PERSONS, {}),
    ("GET", "/api/v1/units/f308", None, {}),
    ("GET", "/api/v1/units/f308/history.geojson", None, {}),
    ("POST", "/api/v1/registry/import", Action.IMPORT_REGISTRY, {"content": b'{"units": []}'}),
    ("POST", "/api/v1/requests", None, {"json": {
        "requester": {"name": "Nguyễn Thị Hoa", "contact": "0912 345 678", "relation": "con"},
        "person": {"full_name": "Nguyễn Văn Thành"}}}),
    ("GET", "/api/v1/requests", Action.HANDLE_REQUESTS, {}),
    ("GET", "/api/v1/requests/YC-NONE", Action.HANDLE_REQUESTS, {}),
    ("POST", "/api/v1/requests/YC-NONE/transition", Action.HANDLE_REQUESTS, {"json": {"to": "in_review"}}),
    ("POST", "/api/v1/requests/YC-NONE/extract", Action.ISSUE_EXTRACTS, {"json": {"person_id": "p-1"}}),
    ("GET", "/api/v1/extracts/TL-NONE.pdf", Action.HANDLE_REQUESTS, {}),
    ("POST", "/api/v1/extracts/TL-NONE/revoke", Action.REVOKE_EXTRACTS, {"json": {"reason": "nhầm"}}),
    ("GET", "/api/v1/verify/TL-NONE", None, {}),
    ("POST", "/api/v1/verify", None, {"files": {"file": ("x.pdf", b"%PDF-1.7 junk")}}),
    ("POST", "/api/v1/cemeteries", Action.WRITE_GRAVES, {"json": {"id": "nt-x", "name": "Nghĩa trang thử"}}),
    ("GET", "/api/v1/cemeteries", None, {}),
    ("GET", "/api/v1/cemeteries/nt-x", None, {}),
    ("POST", "/api/v1/graves", Action.WRITE_GRAVES, {"json": {
        "id": "g-x", "cemetery": "nt-x", "number": "1", "status": "unidentified"}}),
    ("GET", "/api/v1/graves", None, {"params": {"cemetery": "nt-x"}}),
    ("GET", "/api/v1/graves/count", None, {}),
    ("GET", "/api/v1/graves/g-x", None, {}),
    ("POST", "/api/v1/burials", Action.WRITE_GRAVES, {"json": {"id": "b-x"}}),
    ("GET", "/api/v1/burials/b-x", None, {}),
    ("GET", "/api/v1/cemeteries.geojson", None, {}),
    ("GET", "/api/v1/burials.geojson", None, {}),
    ("GET", "/api/v1/links/review", Action.REVIEW_LINKS, {}),
    ("POST", "/api/v1/links/review/999", Action.REVIEW_LINKS, {"json": {"decision": "same"}}),
    ("GET", "/api/v1/links/clusters", Action.REVIEW_LINKS, {}),
    ("POST", "/api/v1/links/unmerge", Action.REVIEW_LINKS, {"json": {"record": "person:p-1"}}),
    ("POST", "/api/v1/requests/YC-NONE/person", Action.HANDLE_REQUESTS, {"json": {"person_id": "p-1"}}),
    ("POST", "/api/v1/persons/p-1/relatives", Action.WRITE_RELATIVES, {"json": {"name": "Nguyễn Thị Mẫu"}}),
    ("GET", "/api/v1/persons/p-1/relatives", Action.READ_SAMPLES, {}),
    ("POST", "/api/v1/relatives/rel-none/erase", Action.WRITE_RELATIVES, {"json": {"reason": "yêu cầu"}}),
    ("POST", "/api/v1/samples", Action.CREATE_SAMPLES, {"json": {"kind": "remains", "grave_id": "g-x"}}),
    ("GET", "/api/v1/samples/s-none", Action.READ_SAMPLES, {}),
    ("POST", "/api/v1/samples/s-none/custody", Action.RECORD_CUSTODY, {"json": {"event": "sealed"}}),
    ("POST", "/api/v1/matches", Action.RECORD_MATCHES, {"json": {
        "reference_sample": "s-a", "remains_sample": "s-b", "conclusion": "match"}}),
    ("POST", "/api/v1/identifications", Action.IDENTIFY_GRAVES,
     {"json": {"grave_id": "g-x", "person_id": "p-1"}}),
    ("POST", "/api/v1/identifications/id-none/undo", Action.IDENTIFY_GRAVES, {"json": {"reason": "nhầm"}}),
    ("GET", "/api/v1/persons/p-1/leads", Action.READ_PERSONS, {}),
    ("GET", "/api/v1/persons/p-1/leads.geojson", Action.READ_PERSONS, {}),
    ("GET", "/api/v1/sampling-plan", Action.PLAN_SAMPLING, {"params": {"cemetery": "nt-x"}}),
    ("POST", "/api/v1/areas", Action.MANAGE_AREAS, {"json": {
        "place": "Hải Lăng", "level": "district", "lat": 16.7, "lon": 107.2, "radius_km": 10}}),
    ("POST", "/api/v1/areas/a-none", Action.MANAGE_AREAS, {"json": {"status": "searched"}}),
    ("GET", "/api/v1/areas", Action.READ_PERSONS, {}),
    ("POST", "/api/v1/auth/logout", None, {}),  # last: it ends the token the others used
]


def test_the_matrix_names_every_endpoint(client: TestClient) -> None:
    documented = {(method.upper(), template) for template, operations in
                  client.get("/openapi.json").json()["paths"].items() for method in operations}
    covered = set()
    for method, path, _, _ in ENDPOINTS:
        matches = {(m, t) for m, t in documented
                   if m == method and re.fullmatch(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(t)), path)}
        matches = {(m, t) for m, t in matches if t == path} or matches  # /graves/count, not /graves/{id}
        assert len(matches) == 1, (method, path, matches)
        covered |= matches
    assert covered == documented, "an endpoint is missing from the matrix"


@pytest.mark.parametrize("role", [None, *Role])
def test_every_endpoint_with_every_role(client: TestClient, role: Role | None) -> None:
    headers = as_role(client, role)
    for method, path, action, request in ENDPOINTS:
        status = client.request(method, path, headers=headers, **request).status_code
        if action is None:
            assert status not in (401, 403) or path.endswith(("/token", "/logout")), (method, path, status)
        elif role is None:
            assert status == 401, (method, path, status)
        elif role in PERMISSIONS[action]:
            assert status not in (401, 403, 500), (method, path, role, status)
        else:
            assert status == 403, (method, path, role, status)


def test_tokens_and_bad_credentials(client: TestClient) -> None:
    bad = client.post("/api/v1/auth/token", data={"username": "officer", "password": "wrong password"})
    assert bad.status_code == 401
    forged = client.get("/api/v1/jobs/1", headers={"Authorization": "Bearer not.a.token"})
    assert forged.status_code == 401
    wrong_scheme = client.get("/api/v1/jobs/1", headers={"Authorization": "Basic b2ZmaWNlcjp4"})
    assert wrong_scheme.status_code == 401
    good = as_role(client, Role.ARCHIVIST)
    assert client.get("/api/v1/jobs/999", headers=good).status_code == 404


def test_sign_in_is_rate_limited(client: TestClient) -> None:
    statuses = [client.post("/api/v1/auth/token", data={"username": "admin", "password": f"guess {n}"}
                            ).status_code for n in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]


def test_upload_read_and_follow_a_scan(client: TestClient) -> None:
    headers = as_role(client, Role.ARCHIVIST)
    image = png()
    response = client.post("/api/v1/scans", headers=headers, data={"collection": "Phông 308"},
                           files=[("file", ("giấy báo tử.png", image, "image/png"))])
    assert response.status_code == 202, response.text
    scan = response.json()["scans"][0]
    assert (scan["filename"], scan["duplicate"]) == ("giấy báo tử.png", False)
    job = client.get(f"/api/v1/jobs/{scan['job_id']}", headers=headers).json()
    assert (job["state"], job["progress"], job["error"]) == ("queued", 0.0, None)

    context = context_of(client)
    worker_for(context).run(
        threading.Event(), exit_when_idle=True)
    job = client.get(f"/api/v1/jobs/{scan['job_id']}", headers=headers).json()
    assert (job["state"], job["progress"]) == ("done", 1.0)
    page = client.get(f"/api/v1/scans/{scan['id']}/pages/1", headers=headers).json()
    assert "GIẤY BÁO TỬ" in page["text"].upper()
    assert page["words"][0]["box"]
    picture = client.get(page["image_url"], headers=headers)
    assert picture.status_code == 200
    assert picture.content == image
    listed = client.get(f"/api/v1/scans/{scan['id']}", headers=headers).json()
    summary = (listed["collection"], listed["uploaded_by"], listed["page_count"])
    assert summary == ("Phông 308", "archivist", 1)

    again = client.post("/api/v1/scans", headers=headers, files=[("file", ("copy.png", image, "image/png"))])
    assert again.status_code == 202
    assert again.json()["scans"][0] == {**scan, "duplicate": True, "filename": "copy.png"}


def test_a_bad_file_among_good_ones_stores_nothing(client: TestClient) -> None:
    headers = as_role(client, Role.ARCHIVIST)
    response = client.post("/api/v1/scans", headers=headers, files=[
        ("file", ("good.png", png(2), "image/png")),
        ("file", ("letter.pdf", b"%PDF-1.4 broken", "application/pdf"))])
    assert response.status_code == 422
    assert "letter.pdf" in response.json()["detail"]
    with context_of(client).resources.sessions() as session:
        from sqlalchemy import func, select

        from archive.models import Scan

        assert session.scalar(select(func.count()).select_from(Scan)) == 0


@pytest.mark.parametrize(("name", "stored"), [
    ("../../etc/passwd", None),
    ("evil\x00.png", None),
    ("đ" * 1000 + ".png", None),
    ("<script>alert(1)</script>.png", None),
])
def test_hostile_file_names_are_stored_harmlessly(client: TestClient, name: str, stored: str | None) -> None:
    headers = as_role(client, Role.ARCHIVIST)
    response = client.post("/api/v1/scans", headers=headers, files=[("file", (name, png(3), "image/png"))])
    assert response.status_code == 202, response.text
    filename = response.json()["scans"][0]["filename"]
    assert "/" not in filename
    assert "\x00" not in filename
    assert len(filename.encode()) <= 200
    if stored:
        assert filename == stored


def test_an_oversized_upload_is_refused(client: TestClient) -> None:
    headers = as_role(client, Role.ARCHIVIST)
    response = client.post("/api/v1/scans", headers=headers,
                           files=[("file", ("huge.png", b"\x89PNG" + b"\x00" * 6_000_000, "image/png"))])
    assert response.status_code == 413


def test_persons_are_stored_and_read_back_as_text(client: TestClient) -> None:
    headers = as_role(client, Role.OFFICER)
    record = {"id": "hn-1972-0042", "full_name": "Nguyễn Văn Thành", "death_date": "1972-07-15",
              "hometown": "<script>alert('x')</script>", "unit_text": "'; DROP TABLE persons; --"}
    created = client.post("/api/v1/persons", headers=headers, json=record)
    assert created.status_code == 201
    assert created.json() == {"id": "hn-1972-0042", "created": True}
    stored = client.get("/api/v1/persons/hn-1972-0042", headers=headers).json()
    assert stored["hometown"] == record["hometown"]
    assert stored["unit_text"] == record["unit_text"]
    impossible = client.post("/api/v1/persons", headers=headers,
                             json={"full_name": "Lê Văn Tám", "death_date": "1972-02-30"})
    assert impossible.status_code == 422
    assert client.get("/api/v1/persons/nobody", headers=headers).status_code == 404


def test_units_and_their_history_on_the_map(client: TestClient) -> None:
    unit = client.get("/api/v1/units/f308").json()
    assert unit["name"] == "Sư đoàn 308"
    assert unit["aliases"]
    history = client.get("/api/v1/units/f308/history.geojson")
    assert history.headers["content-type"].startswith("application/geo+json")
    features = history.json()["features"]
    assert features
    assert all(len(f["geometry"]["coordinates"]) == 2 for f in features)
    assert client.get("/api/v1/units/nowhere").status_code == 404


def test_registry_import_over_http(client: TestClient) -> None:
    headers = as_role(client, Role.OFFICER)
    document = {"units": [{"id": "f999", "level": "division", "number": "999", "name": "Sư đoàn 999"}]}
    imported = client.post("/api/v1/registry/import", headers=headers, content=json.dumps(document))
    assert imported.status_code == 200
    assert imported.json()["created"] == 1
    broken = client.post("/api/v1/registry/import", headers=headers, content=b"{not json")
    assert broken.status_code == 422
    assert broken.json()["problems"]
