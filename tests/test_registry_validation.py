"""Registry documents: field checks with JSON paths, and whole-document checks."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from decoder.registry_schema import RegistryDocument
from decoder.registry_validation import validate_document
from tests.factories import code, document, parent, unit


def problems(*units: dict[str, Any], stored: RegistryDocument | None = None) -> list[str]:
    existing = {u.id: u for u in stored.units} if stored else {}
    return [str(p) for p in validate_document(document(*units), existing)]


def test_a_sound_document_has_no_problems() -> None:
    assert problems(
        unit("f308", "division", "308", "Sư đoàn 308"),
        unit("e88", "regiment", "88", "Trung đoàn 88", parents=[parent("f308", "1949")]),
    ) == []


def test_parent_may_come_later_in_the_file_or_be_stored() -> None:
    assert problems(unit("e88", "regiment", "88", "T", parents=[parent("f308")]),
                    unit("f308", "division", "308", "S")) == []
    stored = document(unit("f308", "division", "308", "S"))
    assert problems(unit("e88", "regiment", "88", "T", parents=[parent("f308")]),
                    stored=stored) == []


def test_missing_parent_is_reported_with_its_path() -> None:
    assert problems(unit("e88", "regiment", "88", "T", parents=[parent("f999")])) == [
        "$.units[0].parents[0].unit: parent 'f999' is neither in this file nor stored"]


def test_cycles_are_reported_once() -> None:
    found = problems(
        unit("a", "division", "1", "A", parents=[parent("b")]),
        unit("b", "corps", "1", "B", parents=[parent("c")]),
        unit("c", "front", "1", "C", parents=[parent("a")]),
    )
    assert found == ["$.units[0].parents: parent links form a cycle: a -> b -> c -> a"]


def test_a_cycle_through_a_stored_unit_is_found() -> None:
    stored = document(unit("b", "corps", "1", "B", parents=[parent("a")]),
                      unit("a", "division", "1", "A"))
    found = problems(unit("a", "division", "1", "A", parents=[parent("b")]), stored=stored)
    assert found == ["$.units[0].parents: parent links form a cycle: a -> b -> a"]


def test_self_parent_and_duplicate_ids() -> None:
    found = problems(unit("a", "division", "1", "A", parents=[parent("a")]),
                     unit("a", "division", "2", "A2"))
    assert "$.units[1].id: unit id 'a' is already used by $.units[0]" in found
    assert any("cannot be its own parent" in p for p in found)


def test_overlapping_code_periods() -> None:
    found = problems(
        unit("x", "regiment", "1", "X", codes=[code("47120 HN", "mailbox", "1971", "1972")]),
        unit("y", "regiment", "2", "Y", codes=[code("47120  hn", "mailbox", "1972-06", "1973")]),
    )
    assert found == ["$.units[1].codes[0]: the code is also held by 'x' at $.units[0].codes[0] "
                     "in an overlapping period"]


def test_reused_codes_in_separate_periods_are_fine() -> None:
    assert problems(
        unit("x", "regiment", "1", "X", codes=[code("47120 HN", "mailbox", "1971", "1972")]),
        unit("y", "regiment", "2", "Y", codes=[code("47120 HN", "mailbox", "1974", "1975")]),
        unit("z", "regiment", "3", "Z", codes=[code("47120 HN", "cover_name", "1971", "1972")]),
    ) == []


def test_overlap_with_a_stored_unit_is_found() -> None:
    stored = document(unit("x", "regiment", "1", "X",
                           codes=[code("Bến Tre", "cover_name", "1953-11", "1954-07")]))
    found = problems(unit("y", "regiment", "2", "Y",
                          codes=[code("Bến Tre", "cover_name", "1954")]), stored=stored)
    assert found == ["$.units[0].codes[0]: the code is also held by 'x' at stored unit 'x'.codes[0] "
                     "in an overlapping period"]


def test_reversed_periods() -> None:
    found = problems(unit("x", "regiment", "1", "X", founded="1970", dissolved="1960",
                          codes=[code("A", "code", "1972", "1971")]))
    assert found == ["$.units[0].dissolved: the unit is dissolved before it is founded",
                     "$.units[0].codes[0].to: the period ends before it begins"]


@pytest.mark.parametrize(("data", "location"), [
    ({"units": [{"id": "x", "level": "legion", "name": "X"}]}, ("units", 0, "level")),
    ({"units": [{"id": "x", "level": "division", "name": "X", "number": "3O8"}]},
     ("units", 0, "number")),
    ({"units": [{"id": "../etc", "level": "division", "name": "X"}]}, ("units", 0, "id")),
    ({"units": [{"id": "x", "level": "division", "name": "X", "founded": "1972-13"}]},
     ("units", 0, "founded")),
    ({"units": [{"id": "x", "level": "division", "name": "X",
                 "events": [{"title": "T", "lat": 123}]}]}, ("units", 0, "events", 0, "lat")),
    ({"units": [{"id": "x", "level": "division", "name": "X", "colour": "red"}]},
     ("units", 0, "colour")),
    ({"units": [{"id": "x", "level": "division", "name": ""}]}, ("units", 0, "name")),
    ({"unit": []}, ("units",)),
])
def test_field_errors_carry_their_location(data: dict[str, Any], location: tuple[Any, ...]) -> None:
    with pytest.raises(ValidationError) as raised:
        RegistryDocument.model_validate(data)
    assert location in [tuple(error["loc"]) for error in raised.value.errors()]


def test_export_shape_uses_contract_keys() -> None:
    data = document(unit("x", "division", "1", "X", parents=[parent("y", "1970")]),
                    unit("y", "corps", "1", "Y")).to_json_data()
    units = data["units"]
    assert isinstance(units, list)
    assert units[0]["parents"] == [{"unit": "y", "from": "1970", "to": None}]
