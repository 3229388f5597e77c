"""The public registry: the whole file validated and cited, designations as officers type
them decoded to the units the sources name, and an office's own registry on top of it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.context import AppContext
from archive.public_registry import fact_sources, is_verified, ledger, public_document, sources
from decoder.decode import decode
from decoder.model import Level
from decoder.registry import Registry
from decoder.registry_schema import RegistryDocument
from decoder.registry_validation import validate_document
from tests.app_client import make_client, make_settings
from usecases.registry import decode_text, import_document, load_demo, load_public
from usecases.resources import Resources

DEMO_MAILBOXES = {"47120 HN", "52418 TB", "61275 QT", "38112 HB", "74013 TN", "20933 LS", "83526 KT"}


@pytest.fixture(scope="module")
def document() -> RegistryDocument:
    return public_document()


@pytest.fixture(scope="module")
def registry(document: RegistryDocument) -> Registry:
    return Registry(document.units)


def test_the_whole_file_is_valid_with_no_cycle_and_no_clash(document: RegistryDocument) -> None:
    assert validate_document(document, {}) == []
    assert len(document.units) >= 70


def test_no_unit_belongs_to_two_parents_of_one_level_at_once(document: RegistryDocument) -> None:
    levels = {unit.id: unit.level for unit in document.units}
    for unit in document.units:
        for first, second in combinations(unit.parents, 2):
            if levels[first.unit] == levels[second.unit]:
                assert not first.period.overlaps(second.period), (unit.id, first.unit, second.unit)
        for parent in unit.parents:
            assert levels[parent.unit].rank > unit.level.rank, (unit.id, parent.unit)


def test_every_fact_has_a_public_source(document: RegistryDocument) -> None:
    records, by_id = ledger()["facts"], sources()
    assert set(records) == {unit.id for unit in document.units}
    for unit in document.units:
        record = records[unit.id]
        assert len(record["parents"]) == len(unit.parents), unit.id
        assert len(record["codes"]) == len(unit.codes), unit.id
        assert len(record["events"]) == len(unit.events), unit.id
        assert ("founded" in record) == (unit.founded is not None), unit.id
        assert ("dissolved" in record) == (unit.dissolved is not None), unit.id
        for _, ids in fact_sources(record):
            assert ids, unit.id
            assert all(source in by_id for source in ids), unit.id
    for source in by_id.values():
        assert source.url.startswith(("http://", "https://"))
        assert source.title


def test_codes_and_events_name_their_pages_and_say_whether_two_publishers_agree(
        document: RegistryDocument) -> None:
    records, by_id = ledger()["facts"], sources()
    for unit in document.units:
        for code, ids in zip(unit.codes, records[unit.id]["codes"], strict=True):
            assert all(by_id[source].url in (code.source or "") for source in ids), code.code
            assert code.verified == is_verified(ids, by_id), code.code
        for event, ids in zip(unit.events, records[unit.id]["events"], strict=True):
            assert all(by_id[source].url in (event.source or "") for source in ids), event.title


def test_no_mailbox_enters_the_public_registry(document: RegistryDocument) -> None:
    codes = {code.code for unit in document.units for code in unit.codes}
    assert not codes & DEMO_MAILBOXES
    assert all(code.kind.value != "mailbox" for unit in document.units for code in unit.codes)


def test_the_sources_are_many_publishers_and_some_facts_are_verified() -> None:
    by_id = sources()
    assert len(by_id) >= 50
    assert len({source.publisher for source in by_id.values()}) >= 30
    facts = [ids for record in ledger()["facts"].values() for _, ids in fact_sources(record)]
    assert 0.3 < sum(is_verified(ids, by_id) for ids in facts) / len(facts) < 1


@pytest.mark.parametrize(("text", "date", "unit_id", "path"), [
    ("E2 F9", "1970", "f9-e2", ["Sư đoàn 9", "Trung đoàn 2 (Sư đoàn 9)"]),
    ("Công trường 7", "1970", "f7", ["Sư đoàn 7"]),
    ("Công trường 9", "1968", "f9", ["Sư đoàn 9"]),
    ("e141 f7", "1970", "f312-e141", ["Sư đoàn 7", "Trung đoàn 141"]),
    ("e141 f312", "1954", "f312-e141", ["Sư đoàn 312", "Trung đoàn 141"]),
    ("F341", "1975-04", "f341", ["Quân đoàn 4", "Sư đoàn 341"]),
    ("QK5", "1970", "qk5", ["Quân khu 5"]),
    ("Đoàn 559", "1965", "doan559", ["Đoàn 559"]),
    ("B3", "1970", "b3", ["Mặt trận Tây Nguyên"]),
    ("Q761", None, "f9-e1", ["Sư đoàn 9", "Trung đoàn 1 (Sư đoàn 9)"]),
    ("c3 d2 e66 f304", "1968", "f304-e66", ["Sư đoàn 304", "Trung đoàn 66"]),
    ("e66 f10", "1974", "f304-e66", ["Sư đoàn 10", "Trung đoàn 66"]),
    ("F309", "1979", "f309", ["Sư đoàn 309"]),
    ("Sư đoàn 317", "1983", "f317", ["Quân khu 7", "Sư đoàn 317"]),
    ("e747 f317", "1979", "f317-e747", ["Sư đoàn 317", "Trung đoàn 747 (Sư đoàn 317)"]),
    ("Nông trường 1", "1968", "f1", ["Mặt trận Tây Nguyên", "Sư đoàn 1"]),
    ("Sư đoàn 571", "1974", "f571", ["Đoàn 559", "Sư đoàn 571"]),
    ("Sư đoàn 341B", "1976", "f391", ["Sư đoàn 391"]),
    ("F348", "1980", "f348", ["Sư đoàn 348"]),
    ("Đại đoàn 349", "1955", "f349", ["Sư đoàn 349"]),
    ("F317", "1980", "f317", ["Mặt trận 479", "Sư đoàn 317"]),
])
def test_designations_typed_as_officers_do(registry: Registry, text: str, date: str | None,
                                           unit_id: str, path: list[str]) -> None:
    best = decode(text, date, registry).candidates[0]
    assert best.unit_id == unit_id
    assert best.valid
    assert best.path[-len(path):] == path


def test_a_regiment_is_under_the_division_of_the_date(registry: Registry) -> None:
    before = decode("e141 f7", "1954", registry).candidates
    assert not before or before[0].unit_id != "f312-e141" or not before[0].valid


def _write(path: Path, document: RegistryDocument) -> Path:
    path.write_text(json.dumps(document.to_json_data(), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def resources(tmp_path: Path, database_url: str) -> Iterator[Resources]:
    context = AppContext.open(make_settings(tmp_path / "data", database_url))
    yield context.resources
    context.close()


def best_unit(resources: Resources, text: str, date: str) -> str | None:
    """The id of the first candidate for ``text`` at ``date``, or None."""
    candidates = decode_text(text, date, registry=resources.registry, max_chars=20_000).candidates
    return candidates[0].unit_id if candidates else None


def test_an_office_registry_imported_afterwards_overrides_and_extends(resources: Resources) -> None:
    where = {"sessions": resources.sessions, "registry": resources.registry}
    assert load_public(**where).created == len(public_document().units)
    own = RegistryDocument.model_validate({"units": [
        {"id": "f9", "level": "division", "number": "9", "name": "Sư đoàn 9 (sổ của phòng)"},
        {"id": "f9-e3", "level": "regiment", "number": "3", "name": "Trung đoàn 3",
         "parents": [{"unit": "f9", "from": "1965-09-02", "to": None}]},
    ]})
    report = import_document(own, actor="officer", **where)
    assert (report.created, report.updated) == (1, 1)
    best = decode_text("e3 f9", "1970", registry=resources.registry, max_chars=20_000).candidates[0]
    assert best.unit_id == "f9-e3"
    assert best.path[-2:] == ["Sư đoàn 9 (sổ của phòng)", "Trung đoàn 3"]
    assert best_unit(resources, "Công trường 9", "1970") is None  # the office's f9 has no cover name
    assert best_unit(resources, "e141 f7", "1970") == "f312-e141"  # untouched
    again = load_public(**where)  # loading the public file again puts its f9 back, nothing else
    assert (again.created, again.updated) == (0, 1)
    assert best_unit(resources, "Công trường 9", "1970") == "f9"


def test_the_demo_is_the_public_registry_with_the_demo_units_on_top(resources: Resources) -> None:
    first = load_demo(sessions=resources.sessions, registry=resources.registry)
    assert first.created == len(public_document().units)
    again = load_demo(sessions=resources.sessions, registry=resources.registry)
    assert again.unchanged == first.created  # idempotent
    assert best_unit(resources, "Hòm thư 47120 HN", "1974") == "f304-e66"
    assert best_unit(resources, "F341", "1975") == "f341"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path / "data") as client:
        yield client


def test_the_coverage_page_counts_levels_facts_and_sources(client: TestClient) -> None:
    page = client.get("/registry/coverage")
    assert page.status_code == 200
    assert "Phạm vi sổ đăng ký công khai" in page.text
    assert "sư đoàn" in page.text
    assert "vi.wikipedia.org" in page.text
    client.get("/lang/en?next=/registry/coverage")
    english = client.get("/registry/coverage")
    assert "Public registry coverage" in english.text
    assert "facts verified" in english.text
    divisions = sum(unit.level == Level.DIVISION for unit in public_document().units)
    assert f"<td>{divisions}</td></tr>" in english.text
