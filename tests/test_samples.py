"""Relatives, DNA samples, custody chains, laboratory comparisons and identifications
through the API, on both databases.

Every name, place and contact here is invented for the tests.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from archive.models import AuditEntry, OutboxEntry, Relative, Scan
from archive.samples import barcode_is_valid
from archive.users import Role
from tests.app_client import add_staff, context_of, make_client
from usecases.samples import check_sample_chains

PASSWORD = "correct horse battery"
FAMILY_REQUEST = {"requester": {"name": "Lê Thị Hỏi", "contact": "0900 000 000", "relation": "cháu"},
                  "person": {"full_name": "Lê Văn Thử"}}
RELATIVE: dict[str, Any] = {"name": "Nguyễn Thị Mẫu", "relation": "em gái", "line": "maternal",
                            "living": True, "contact": "0999 111 222, xóm Thử"}


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    with make_client(tmp_path / "data", database_url, demo=False) as client:
        for role in Role:
            add_staff(context_of(client), role.value, PASSWORD, role)
        yield client


def headers(client: TestClient, role: Role) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": role.value, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def world(client: TestClient) -> dict[str, dict[str, str]]:
    """A person, a cemetery with two unidentified graves, and a token per role."""
    tokens = {role.value: headers(client, role) for role in Role}
    officer = tokens["officer"]
    person = {"id": "p-thu", "full_name": "Lê Văn Thử", "birth_year": 1950, "death_date": "1972-05-20"}
    assert client.post("/api/v1/persons", json=person, headers=officer).status_code == 201
    assert client.post("/api/v1/cemeteries", json={"id": "nt-thu", "name": "Nghĩa trang Thử"},
                       headers=officer).status_code == 201
    for number in ("1", "2"):
        grave = {"id": f"g-{number}", "cemetery": "nt-thu", "number": number, "status": "unidentified"}
        assert client.post("/api/v1/graves", json=grave, headers=officer).status_code == 201
    return tokens


def reference_sample(client: TestClient, auth: dict[str, str], **fields: Any) -> dict[str, str]:
    body = {"kind": "reference", "person_id": "p-thu", "relative": RELATIVE, "consent": True,
            "collected_at": "2026-11-02", "collected_by": "Tổ lấy mẫu Thử"} | fields
    response = client.post("/api/v1/samples", json=body, headers=auth)
    assert response.status_code == 201, response.text
    created: dict[str, str] = response.json()
    return created


def remains_sample(client: TestClient, auth: dict[str, str], grave_id: str = "g-1") -> dict[str, str]:
    response = client.post("/api/v1/samples", json={"kind": "remains", "grave_id": grave_id}, headers=auth)
    assert response.status_code == 201, response.text
    created: dict[str, str] = response.json()
    return created


def custody(client: TestClient, sample_id: str, event: str, auth: dict[str, str], **fields: Any) -> Any:
    return client.post(f"/api/v1/samples/{sample_id}/custody", json={"event": event} | fields, headers=auth)


def test_a_sample_gets_a_barcode_and_a_chain_of_custody(client: TestClient, world: dict[str, Any]) -> None:
    officer, lab = world["officer"], world["lab"]
    created = reference_sample(client, officer)
    assert barcode_is_valid(created["barcode"])
    assert not barcode_is_valid(created["barcode"][:-1] + str((int(created["barcode"][-1]) + 1) % 10))
    for event, auth in (("collected", officer), ("sealed", officer), ("shipped", officer), ("received", lab),
                        ("analysed", lab)):
        assert custody(client, created["id"], event, auth, place="Hà Nội").status_code == 201
    sample = client.get(f"/api/v1/samples/{created['barcode']}", headers=lab).json()
    assert [event["event"] for event in sample["custody"]] == ["collected", "sealed", "shipped", "received",
                                                              "analysed"]
    assert [event["by"] for event in sample["custody"]][-1] == "lab"
    assert sample["chain_intact"] is True
    assert sample["relative"]["line"] == "maternal"
    assert "contact" not in json.dumps(sample)


def test_custody_refuses_what_cannot_follow(client: TestClient, world: dict[str, Any]) -> None:
    officer = world["officer"]
    sample = remains_sample(client, officer)
    first = custody(client, sample["id"], "collected", officer, at="2026-11-02T08:00:00+07:00")
    assert first.status_code == 201
    before = custody(client, sample["id"], "sealed", officer, at="2026-11-01T08:00:00+07:00")
    assert before.status_code == 409
    assert "before" in before.json()["detail"]
    naive = custody(client, sample["id"], "sealed", officer, at="2026-11-02T09:00:00")
    assert naive.status_code == 422
    future = custody(client, sample["id"], "sealed", officer, at="2099-01-01T00:00:00+00:00")
    assert future.status_code == 422
    assert custody(client, sample["id"], "destroyed", officer).status_code == 201
    after = custody(client, sample["id"], "stored", officer)
    assert after.status_code == 409
    assert "destroyed" in after.json()["detail"]
    assert custody(client, "s-none", "stored", officer).status_code == 404


@pytest.mark.parametrize(("body", "reason"), [
    ({"kind": "reference", "relative": RELATIVE, "consent": True}, "person_id"),
    ({"kind": "reference", "person_id": "p-thu", "consent": True}, "relative"),
    ({"kind": "reference", "person_id": "p-thu", "relative": RELATIVE}, "consent"),
    ({"kind": "remains"}, "grave_id"),
    ({"kind": "remains", "grave_id": "g-1", "relative": RELATIVE}, "no relative"),
    ({"kind": "saliva", "grave_id": "g-1"}, "kind"),
])
def test_incomplete_samples_are_refused(client: TestClient, world: dict[str, Any], body: dict[str, Any],
                                        reason: str) -> None:
    response = client.post("/api/v1/samples", json=body, headers=world["officer"])
    assert response.status_code == 422
    assert reason in response.json()["detail"]


def test_unknown_records_are_404_and_store_nothing(client: TestClient, world: dict[str, Any]) -> None:
    officer = world["officer"]
    for body in ({"kind": "remains", "grave_id": "g-none"},
                 {"kind": "reference", "person_id": "p-none", "relative": RELATIVE, "consent": True}):
        assert client.post("/api/v1/samples", json=body, headers=officer).status_code == 404
    assert client.get("/api/v1/persons/p-thu/relatives", headers=officer).json()["relatives"] == []


def test_a_tampered_event_breaks_the_chain(client: TestClient, world: dict[str, Any]) -> None:
    officer = world["officer"]
    sample = reference_sample(client, officer)
    for event in ("collected", "sealed", "shipped"):
        assert custody(client, sample["id"], event, officer).status_code == 201
    sessions = context_of(client).resources.sessions
    assert check_sample_chains(sessions=sessions).problems == []
    with sessions.begin() as session:
        with pytest.raises(Exception, match="append-only"), session.begin_nested():
            session.execute(text("UPDATE custody_events SET by = 'someone' WHERE seq = 2"))
        _allow_tampering(session)
        session.execute(text("UPDATE custody_events SET by = 'someone else' WHERE seq = 2"))
    tampered = client.get(f"/api/v1/samples/{sample['id']}", headers=officer).json()
    assert tampered["chain_intact"] is False
    assert any("event 2" in problem and "altered" in problem for problem in tampered["chain_problems"])
    assert check_sample_chains(sessions=sessions).problems


def test_a_removed_last_event_and_a_changed_sample_are_detected(client: TestClient,
                                                                world: dict[str, Any]) -> None:
    officer = world["officer"]
    first, second = remains_sample(client, officer, "g-1"), remains_sample(client, officer, "g-2")
    for event in ("collected", "sealed"):
        assert custody(client, first["id"], event, officer).status_code == 201
    sessions = context_of(client).resources.sessions
    with sessions.begin() as session:
        _allow_tampering(session)
        session.execute(text("DELETE FROM custody_events WHERE sample_id = :id AND seq = 2"),
                        {"id": first["id"]})
        session.execute(text("UPDATE samples SET grave_id = 'g-1' WHERE id = :id"), {"id": second["id"]})
    removed = client.get(f"/api/v1/samples/{first['id']}", headers=officer).json()
    assert removed["chain_intact"] is False
    assert "removed" in " ".join(removed["chain_problems"])
    changed = client.get(f"/api/v1/samples/{second['id']}", headers=officer).json()
    assert changed["chain_intact"] is False
    assert "altered" in " ".join(changed["chain_problems"])


def _allow_tampering(session: Any) -> None:
    """What someone going round the application would do first."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE custody_events DISABLE TRIGGER custody_events_append_only"))
    else:
        session.execute(text("DROP TRIGGER IF EXISTS custody_events_no_update"))
        session.execute(text("DROP TRIGGER IF EXISTS custody_events_no_delete"))


def _matched(client: TestClient, world: dict[str, Any], conclusion: str = "match",
             grave_id: str = "g-1") -> str:
    reference = reference_sample(client, world["officer"])
    remains = remains_sample(client, world["officer"], grave_id)
    response = client.post("/api/v1/matches", json={"reference_sample": reference["id"],
                                                    "remains_sample": remains["barcode"], "lr": 2.5e7,
                                                    "conclusion": conclusion}, headers=world["lab"])
    assert response.status_code == 201, response.text
    match_id: str = response.json()["id"]
    return match_id


def test_identification_is_refused_without_a_basis(client: TestClient, world: dict[str, Any]) -> None:
    officer = world["officer"]
    inconclusive = _matched(client, world, "inconclusive")
    other_grave = _matched(client, world, "match", grave_id="g-2")
    for body, reason in (({}, "basis"), ({"matches": [inconclusive]}, "inconclusive"),
                         ({"matches": [other_grave]}, "not of a remains sample of the grave"),
                         ({"matches": ["m-none"]}, "no laboratory comparison"),
                         ({"documents": [{"scan": "12345", "page": 1}], "note": "giấy báo tử"},
                          "not an archived"),
                         ({"documents": [{"scan": "12345"}]}, "not an archived")):
        response = client.post("/api/v1/identifications",
                               json={"grave_id": "g-1", "person_id": "p-thu"} | body, headers=officer)
        assert response.status_code == 409, (body, response.text)
        assert reason in response.json()["detail"], (reason, response.json())
    grave = client.get("/api/v1/graves/g-1").json()
    assert grave["status"] == "unidentified"
    assert grave["person_id"] is None


def test_identification_names_the_grave_keeps_its_history_and_can_be_undone(
        client: TestClient, world: dict[str, Any]) -> None:
    officer = world["officer"]
    code = client.post("/api/v1/requests", json=FAMILY_REQUEST).json()
    family = {"X-Request-Secret": code["secret"]}
    assert client.post(f"/api/v1/requests/{code['tracking_code']}/person", json={"person_id": "p-thu"},
                       headers=officer).status_code == 200
    assert client.get(f"/api/v1/requests/{code['tracking_code']}", headers=family).json()["progress"] == []
    match_id = _matched(client, world)
    assert client.get(f"/api/v1/requests/{code['tracking_code']}",
                      headers=family).json()["progress"] == ["sample_taken", "analysed"]
    named = client.post("/api/v1/identifications", json={"grave_id": "g-1", "person_id": "p-thu",
                                                         "matches": [match_id]}, headers=officer)
    assert named.status_code == 201, named.text
    grave = client.get("/api/v1/graves/g-1").json()
    assert (grave["status"], grave["person_id"], grave["name"]) == ("named", "p-thu", "Lê Văn Thử")
    assert [(line["from"], line["to"]) for line in grave["history"]][-1] == ("unidentified", "named")
    tracked = client.get(f"/api/v1/requests/{code['tracking_code']}", headers=family).json()
    assert tracked["progress"] == ["sample_taken", "analysed", "identified"]
    again = client.post("/api/v1/identifications", json={"grave_id": "g-1", "person_id": "p-thu",
                                                         "matches": [match_id]}, headers=officer)
    assert again.status_code == 409
    assert "is named" in again.json()["detail"]

    undo = client.post(f"/api/v1/identifications/{named.json()['id']}/undo", json={"reason": "mẫu nhầm"},
                       headers=officer)
    assert undo.status_code == 200
    grave = client.get("/api/v1/graves/g-1").json()
    assert (grave["status"], grave["person_id"], grave["name"]) == ("unidentified", None, None)
    assert [line["to"] for line in grave["history"]] == ["unidentified", "named", "unidentified"]
    assert client.post(f"/api/v1/identifications/{named.json()['id']}/undo", json={"reason": "lại"},
                       headers=officer).status_code == 409
    with context_of(client).resources.sessions() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions.count("grave.identify") == 1
    assert actions.count("grave.identify.undo") == 1


def test_identification_on_documents_needs_a_note(client: TestClient, world: dict[str, Any]) -> None:
    officer = world["officer"]
    context = context_of(client)
    with context.resources.sessions.begin() as session:
        session.add(Scan(sha256="a" * 64, filename="giay-bao-tu.png", media_type="image/png", size=1,
                         page_count=1))
    base = {"grave_id": "g-2", "person_id": "p-thu", "documents": [{"scan": "a" * 64, "page": 1}]}
    refused = client.post("/api/v1/identifications", json=base, headers=officer)
    assert refused.status_code == 409
    assert "note" in refused.json()["detail"]
    note = {"note": "Bia mộ gốc và giấy báo tử trùng khớp."}
    named = client.post("/api/v1/identifications", json=base | note, headers=officer)
    assert named.status_code == 201, named.text


def test_relatives_contacts_are_for_officers_only_and_can_be_erased(client: TestClient,
                                                                   world: dict[str, Any]) -> None:
    officer, lab, archivist = world["officer"], world["lab"], world["archivist"]
    created = client.post("/api/v1/persons/p-thu/relatives", json=RELATIVE, headers=officer)
    assert created.status_code == 201
    relative_id = created.json()["id"]
    assert client.get("/api/v1/persons/p-thu/relatives", headers=officer).json()["relatives"][0]["contact"]
    seen_by_lab = client.get("/api/v1/persons/p-thu/relatives", headers=lab).json()["relatives"][0]
    assert "contact" not in seen_by_lab
    assert seen_by_lab["line"] == "maternal"
    assert client.get("/api/v1/persons/p-thu/relatives", headers=archivist).status_code == 403
    reference_sample(client, officer, relative=None, relative_id=relative_id)

    erased = client.post(f"/api/v1/relatives/{relative_id}/erase", json={"reason": "yêu cầu của gia đình"},
                         headers=officer)
    assert erased.status_code == 200
    assert client.get("/api/v1/persons/p-thu/relatives", headers=officer).json()["relatives"] == []
    body = {"kind": "reference", "person_id": "p-thu", "relative_id": relative_id, "consent": True}
    again = client.post("/api/v1/samples", json=body, headers=officer)
    assert again.status_code == 422
    assert "erased" in again.json()["detail"]
    with context_of(client).resources.sessions() as session:
        erasure = session.scalar(select(AuditEntry).where(AuditEntry.action == "relative.erase"))
        assert erasure is not None
        assert erasure.subject == f"relative:{relative_id}"
        stored = session.get(Relative, relative_id)
        assert stored is not None
        assert (stored.name, stored.contact, stored.erased_at is not None) == ("", None, True)


def test_sample_and_relative_data_stay_out_of_search_family_pages_and_logs(
        client: TestClient, world: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    officer = world["officer"]
    with caplog.at_level(logging.DEBUG):
        sample = reference_sample(client, officer)
        custody(client, sample["id"], "collected", officer, note="Ống số 7, niêm phong đỏ")
        client.get(f"/api/v1/samples/{sample['id']}", headers=officer)
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    for secret in (RELATIVE["name"], RELATIVE["contact"], sample["barcode"], "niêm phong đỏ"):
        assert secret not in logged
    context = context_of(client)
    with context.resources.sessions() as session:
        entities = set(session.scalars(select(OutboxEntry.entity)))
        audit = " ".join(session.scalars(select(AuditEntry.details)))
    assert entities <= {"person", "grave", "cemetery"}
    assert RELATIVE["name"] not in audit
    assert RELATIVE["contact"] not in audit
    context.resources.publish_changes()
    hits = client.get("/api/v1/search", params={"q": "Nguyễn Thị Mẫu"}).json()["hits"]
    assert all(RELATIVE["name"] not in json.dumps(hit, ensure_ascii=False) for hit in hits)
    assert client.get("/api/v1/search", params={"q": sample["barcode"]}).json()["total"] == 0
    code = client.post("/api/v1/requests", json=FAMILY_REQUEST).json()
    linked = client.post(f"/api/v1/requests/{code['tracking_code']}/person", json={"person_id": "p-thu"},
                         headers=officer)
    assert linked.status_code == 200
    family_view = client.get(f"/api/v1/requests/{code['tracking_code']}",
                             headers={"X-Request-Secret": code["secret"]}).text
    for secret in (RELATIVE["name"], sample["barcode"], sample["id"], "maternal"):
        assert secret not in family_view
    for path in (f"/api/v1/samples/{sample['id']}", "/api/v1/persons/p-thu/relatives"):
        assert client.get(path, headers={"X-Request-Secret": code["secret"]}).status_code == 401
