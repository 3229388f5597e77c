"""Leads and the sampling plan through the API and the command line, on both databases:
a unit whose regiment fought in one district in May 1972, a man of it who fell then, a
first burial there, and unnamed graves near and far.

The units, people, places' uses and graves are invented for the tests (the coordinates
are those of real districts, so the gazetteer can place their names).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive.lead_sources import burials_for
from archive.links import replace_clusters
from archive.models import AuditEntry, Person
from archive.users import Role
from decoder.dates import PartialDate
from tests.app_client import add_staff, context_of, make_client
from tests.cli_runner import Cli
from usecases.leads import evidence_of
from usecases.registry_cache import RegistryCache

PASSWORD = "correct horse battery"
REGISTRY = {"units": [
    {"id": "t-f950", "level": "division", "number": "950", "name": "Sư đoàn 950 (thử)"},
    {"id": "t-e7", "level": "regiment", "number": "7", "name": "Trung đoàn 7 (thử)",
     "parents": [{"unit": "t-f950", "from": "1965"}],
     "events": [{"from": "1972-04", "to": "1972-06", "title": "Chốt giữ (thử)", "place": "Hải Lăng",
                 "province": "Quảng Trị", "lat": 16.70, "lon": 107.23, "source": "thử"},
                {"from": "1968-01", "to": "1968-03", "title": "Tấn công (thử)", "place": "Hướng Hóa",
                 "province": "Quảng Trị", "lat": 16.63, "lon": 106.73, "source": "thử"}]}]}


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url, demo=False) as client:
        for role in (Role.OFFICER, Role.LAB, Role.ARCHIVIST):
            add_staff(context_of(client), role.value, PASSWORD, role)
        yield client


def auth(client: TestClient, role: Role) -> dict[str, str]:
    token = client.post("/api/v1/auth/token", data={"username": role.value, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


@pytest.fixture
def world(client: TestClient) -> dict[str, str]:
    officer = auth(client, Role.OFFICER)
    build_world(client, officer)
    return officer


def build_world(client: httpx.Client, officer: dict[str, str]) -> None:
    """The registry, two men of the regiment, two cemeteries, a first burial and three graves."""
    assert client.post("/api/v1/registry/import", headers=officer,
                       content=json.dumps(REGISTRY)).status_code == 200
    records: list[tuple[str, dict[str, Any]]] = [
        ("/api/v1/persons", {"id": "p-lam", "full_name": "Trần Văn Lâm", "birth_year": 1952,
                             "unit_text": "c3 d2 e7 f950", "death_date": "1972-05-20"}),
        ("/api/v1/persons", {"id": "p-xa", "full_name": "Đỗ Văn Xa", "unit_text": "e7 f950",
                             "death_date": "1968-02"}),
        ("/api/v1/cemeteries", {"id": "nt-gan", "name": "Nghĩa trang gần", "lat": 16.75, "lon": 107.19}),
        ("/api/v1/cemeteries", {"id": "nt-xa", "name": "Nghĩa trang xa", "lat": 10.80, "lon": 106.70}),
        ("/api/v1/burials", {"id": "b-1", "name": "Trần Văn Lâm", "unit_text": "c3 d2 e7",
                             "death_date": "1972-05-20", "place": "Hải Lăng", "lat": 16.71, "lon": 107.24,
                             "recovered": {"date": "1994-03", "grave": "g-near"}}),
    ]
    graves = [("g-near", "nt-gan", "1", {"lat": 16.71, "lon": 107.24, "date": "1994-03", "burial": "b-1"}),
              ("g-mid", "nt-gan", "2", {"lat": 16.60, "lon": 107.10, "date": "1994-03"}),
              ("g-far", "nt-xa", "1", {"lat": 10.80, "lon": 106.70, "date": "1990"})]
    for grave_id, cemetery, number, remains in graves:
        records.append(("/api/v1/graves", {"id": grave_id, "cemetery": cemetery, "number": number,
                                           "status": "unidentified", "remains_from": remains}))
    for path, body in records:
        assert client.post(path, json=body, headers=officer).status_code == 201, (path, body)


def test_leads_place_the_unit_and_rank_the_graves(client: TestClient, world: dict[str, str]) -> None:
    leads = client.get("/api/v1/persons/p-lam/leads", headers=world | {"Accept-Language": "vi"})
    assert leads.status_code == 200, leads.text
    found = leads.json()
    assert set(found) >= {"person_id", "death_date", "units", "areas", "graves"}
    assert found["units"][0]["unit_id"] == "t-e7"
    kinds = {area["kind"] for area in found["areas"]}
    assert {"unit_position", "initial_burial"} <= kinds
    position = next(area for area in found["areas"] if area["kind"] == "unit_position")
    assert position["place"] == "Hải Lăng"  # the May 1972 position, not the 1968 one
    assert position["reasons"][:2] == [  # English, whatever the language asked
        "Trung đoàn 7 (thử) was at Hải Lăng in April 1972 – June 1972 (Chốt giữ (thử))",
        "the person died on 20 May 1972"]
    assert [grave["grave_id"] for grave in found["graves"]][:2] == ["g-near", "g-mid"]
    assert "g-far" not in [grave["grave_id"] for grave in found["graves"]]
    assert all(grave["reasons"] for grave in found["graves"])
    geojson = client.get("/api/v1/persons/p-lam/leads.geojson", headers=world)
    assert geojson.headers["content-type"].startswith("application/geo+json")
    assert geojson.json()["type"] == "FeatureCollection"
    assert client.get("/api/v1/persons/p-none/leads", headers=world).status_code == 404


def test_the_sampling_plan_ranks_persons_and_their_relatives(client: TestClient,
                                                             world: dict[str, str]) -> None:
    for name, line, living in (("Trần Thị Cha", "paternal", True), ("Trần Thị Mất", "maternal", False),
                               ("Trần Thị Mẹ", "maternal", True)):
        body = {"name": name, "line": line, "living": living, "consent": True, "contact": "0999"}
        assert client.post("/api/v1/persons/p-lam/relatives", json=body, headers=world).status_code == 201
    plan = client.get("/api/v1/sampling-plan", params={"cemetery": "nt-gan"}, headers=auth(client, Role.LAB))
    assert plan.status_code == 200, plan.text
    found = plan.json()
    assert found["cemetery"] == "nt-gan"
    assert found["graves"] == 2
    assert found["persons"][0]["person_id"] == "p-lam"
    assert "g-near" in found["persons"][0]["graves"]
    relatives = found["persons"][0]["relatives"]
    assert [relative["name"] for relative in relatives] == ["Trần Thị Mẹ", "Trần Thị Mất", "Trần Thị Cha"]
    assert [relative["rank"] for relative in relatives] == [1, 2, 3]
    assert "0999" not in plan.text
    missing = client.get("/api/v1/sampling-plan", params={"cemetery": "nt-none"}, headers=world)
    assert missing.status_code == 404
    assert client.get("/api/v1/sampling-plan", params={"cemetery": "nt-gan"},
                      headers=auth(client, Role.ARCHIVIST)).status_code == 403


@pytest.mark.one_database
def test_the_command_prints_the_leads(client: TestClient, world: dict[str, str], database_url: str,
                                      tmp_path: Path) -> None:
    cli = Cli(tmp_path / "data", database_url)
    printed = cli("leads", "p-lam", "--json")
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout)["graves"][0]["grave_id"] == "g-near"
    text = cli("leads", "p-lam")
    assert "unit_position" in text.stdout
    assert "g-near in nt-gan" in text.stdout
    missing = cli("leads", "p-none")
    assert missing.returncode == 4
    assert missing.stderr.startswith("Error: There is no person record")


def test_officers_record_search_areas_and_their_search(client: TestClient, world: dict[str, str]) -> None:
    area = {"person_id": "p-lam", "place": "xã Hải Phú, huyện Hải Lăng", "level": "commune", "lat": 16.70,
            "lon": 107.23, "radius_km": 5}
    created = client.post("/api/v1/areas", json=area, headers=world)
    assert created.status_code == 201, created.text
    area_id = created.json()["id"]
    assert created.json()["status"] == "open"
    conclusion = {"status": "concluded", "note": "Đã rà soát hết, không thấy.", "date": "2026-11"}
    searched = client.post(f"/api/v1/areas/{area_id}", headers=world, json=conclusion)
    assert searched.status_code == 200
    assert (searched.json()["status"], searched.json()["status_date"]) == ("concluded", "2026-11")
    collection = client.get("/api/v1/areas", params={"person_id": "p-lam"}, headers=world)
    assert collection.headers["content-type"].startswith("application/geo+json")
    feature = collection.json()["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["status"] == "concluded"
    assert client.get("/api/v1/areas", params={"status": "open"}, headers=world).json()["features"] == []
    for bad in ({**area, "radius_km": 0}, {**area, "level": "hamlet"}, {**area, "lat": 91}):
        assert client.post("/api/v1/areas", json=bad, headers=world).status_code == 422
    assert client.post(f"/api/v1/areas/{area_id}", json={"lat": 16.7}, headers=world).status_code == 422
    only_note = client.post(f"/api/v1/areas/{area_id}", json={"note": "chỉ ghi chú"}, headers=world)
    assert only_note.status_code == 422
    assert client.post("/api/v1/areas/a-none", json={"status": "open"}, headers=world).status_code == 404
    assert client.post("/api/v1/areas", json=area, headers=auth(client, Role.LAB)).status_code == 403
    with context_of(client).resources.sessions() as session:
        query = (select(AuditEntry.details).where(AuditEntry.subject == f"area:{area_id}")
                 .order_by(AuditEntry.seq))
        changes = list(session.scalars(query))
    assert len(changes) == 2
    assert json.loads(changes[1])["before"]["status"] == "open"


def test_namesake_burials_are_read_by_given_name_and_a_death_date_within_a_month(
        client: TestClient, world: dict[str, str]) -> None:
    kept = (("b-day-near", "Lê Lâm", "1972-04-19"), ("b-month", "Hồ Văn Lâm", "1972-06"),
            ("b-year", "Lâm", "1972"), ("b-undated", "LÂM", None), ("b-after", "Trần Văn Lâm", "1972-06-20"))
    left = (("b-day-far", "Lê Lâm", "1972-04-18"), ("b-months-off", "Lâm", "1972-11"),
            ("b-next-year", "Hồ Văn Lâm", "1973"), ("b-years-off", "Trần Văn Lâm", "1968-02-01"),
            ("b-after-far", "Lâm", "1972-06-21"), ("b-other", "Trần Văn Hải", "1972-05-20"))
    for burial_id, name, died in kept + left:
        body = {"id": burial_id, "name": name, "death_date": died}
        assert client.post("/api/v1/burials", json=body, headers=world).status_code == 201
    with context_of(client).resources.sessions() as session:
        died = PartialDate.parse("1972-05-20")
        found = {burial.id for burial in burials_for(session, "p-none", "Trần Văn Lâm", died)}
        undated = {burial.id for burial in burials_for(session, "p-none", "Trần Văn Lâm")}
    assert found == {"b-1"} | {burial_id for burial_id, _, _ in kept}
    assert undated == found | {burial_id for burial_id, _, _ in left} - {"b-other"}


def test_hometowns_from_the_record_and_the_graves_are_compared(client: TestClient,
                                                               world: dict[str, str]) -> None:
    person = {"id": "p-ha", "full_name": "Hồ Văn Hà", "hometown": "xã Diễn Hùng, Diễn Châu, Nghệ An",
              "unit_text": "c3 d2 e7 f950", "death_date": "1972-05"}
    assert client.post("/api/v1/persons", json=person, headers=world).status_code == 201
    for grave_id, hometown in (("g-other-province", "Thái Bình"), ("g-plain", None),
                               ("g-same-district", "Diễn Châu, Nghệ Tĩnh")):
        body = {"id": grave_id, "cemetery": "nt-gan", "number": grave_id, "status": "partial",
                "hometown": hometown, "remains_from": {"lat": 16.70, "lon": 107.23}}
        assert client.post("/api/v1/graves", json=body, headers=world).status_code == 201
    ranked = [grave["grave_id"] for grave in
              client.get("/api/v1/persons/p-ha/leads", headers=world).json()["graves"]]
    assert ranked.index("g-same-district") < ranked.index("g-plain") < ranked.index("g-other-province")


def test_facts_the_record_lacks_come_from_a_linked_copy(client: TestClient, world: dict[str, str]) -> None:
    record = {"id": "p-bare", "full_name": "Hồ Văn Hà", "unit_text": "c3 d2 e7 f950"}
    copy = {"id": "p-copy", "full_name": "Hồ Văn Hà", "birth_year": 1950, "hometown": "Diễn Châu, Nghệ An",
            "death_date": "1972-05", "death_place": "Hải Lăng, Quảng Trị"}
    for body in (record, copy):
        assert client.post("/api/v1/persons", json=body, headers=world).status_code == 201
    sessions = context_of(client).resources.sessions
    with sessions.begin() as session:
        replace_clusters(session, [["person:p-bare", "person:p-copy"]])
    with sessions() as session:
        person = session.get(Person, "p-bare")
        assert person is not None
        evidence = evidence_of(session, person, RegistryCache(sessions).get())
    assert (evidence.birth_year, evidence.hometown, str(evidence.death_date), evidence.death_place) == (
        1950, "Diễn Châu, Nghệ An", "1972-05", "Hải Lăng, Quảng Trị")
    assert [unit.unit_id for unit in evidence.units] == ["t-e7"]
