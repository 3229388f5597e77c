"""Leads: a person's evidence turned into search areas, and unnamed graves ranked against them.

The registry, persons, burials and graves here are invented for the tests; the places are
real (the gazetteer's)."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Sequence
from typing import Any

import pytest

from decoder.dates import PartialDate
from decoder.registry import Registry
from decoder.registry_schema import UnitEntry
from leads import (
    Area,
    Burial,
    Evidence,
    Grave,
    UnitCandidate,
    areas_for,
    burial_from_json,
    cohort,
    evidence_from_json,
    grave_from_json,
    leads_for,
    leads_geojson,
    matching,
    rank_graves,
    search_boxes,
)
from leads.geo import distance_km
from leads.reasons import Reason, ReasonId
from leads.written import how_placed
from places import locate

# Invented positions, near real places of Quảng Trị and Thừa Thiên Huế.
HAI_LANG = (16.70, 107.23)
A_LUOI = (16.27, 107.23)
KHE_SANH = (16.62, 106.73)


def unit(unit_id: str, level: str, number: str, name: str, parent: str | None = None,
         events: list[dict[str, Any]] | None = None) -> UnitEntry:
    """A registry unit, valid for the whole war."""
    parents = [{"unit": parent, "from": "1965", "to": "1975"}] if parent else []
    return UnitEntry.model_validate({"id": unit_id, "level": level, "number": number, "name": name,
                                     "parents": parents, "events": events or []})


def event(start: str, end: str, title: str, point: tuple[float, float] | None = None,
          place: str | None = None, province: str | None = None) -> dict[str, Any]:
    """A history event with a point, or only a written place."""
    lat, lon = point if point else (None, None)
    return {"from": start, "to": end, "title": title, "place": place, "province": province,
            "lat": lat, "lon": lon, "source": f"test source for {title}"}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry([
        unit("x-f950", "division", "950", "Sư đoàn 950", events=[
            event("1972-01", "1972-12", "Sư đoàn 950 ở Thừa Thiên", A_LUOI, "A Lưới")]),
        unit("x-f950-e7", "regiment", "7", "Trung đoàn 7", "x-f950", events=[
            event("1972-05-01", "1972-05-15", "chốt giữ A Lưới", A_LUOI, "A Lưới"),
            event("1972-05-16", "1972-06-30", "đánh ở Hải Lăng", HAI_LANG, "Hải Lăng")]),
        unit("x-f950-e7-d2", "battalion", "2", "Tiểu đoàn 2", "x-f950-e7"),
        unit("x-f960", "division", "960", "Sư đoàn 960"),
        unit("x-f960-e9", "regiment", "9", "Trung đoàn 9", "x-f960", events=[
            event("1972-04", "1972-07", "giữ Khe Sanh", KHE_SANH, "Khe Sanh")]),
        unit("x-f970", "division", "970", "Sư đoàn 970", events=[
            event("1972-05", "1972-05", "hoạt động ở Hướng Hóa", place="Hướng Hóa",
                  province="Bình Trị Thiên")]),
    ])


def person(**changes: Any) -> Evidence:
    facts: dict[str, Any] = {"person_id": "x-p1", "death_date": PartialDate.parse("1972-05-20"),
                             "name": "Lê Văn Tám", "birth_year": 1950, "unit_text": "c3 d2 e7 f950"}
    facts.update(changes)
    return Evidence(**facts)


def grave(grave_id: str, point: tuple[float, float] | None, status: str = "unidentified",
          **changes: Any) -> Grave:
    facts: dict[str, Any] = {"id": grave_id, "cemetery": "nt-a", "status": status, "cemetery_lat": 16.83,
                             "cemetery_lon": 106.95, "remains_date": PartialDate.parse("1994-03")}
    if point:
        facts["remains_lat"], facts["remains_lon"] = point
    facts.update(changes)
    return Grave(**facts)


def kinds(areas: list[Area]) -> list[str]:
    return [area.kind for area in areas]


# --- unit positions ---

def test_the_units_position_at_the_death_date_is_an_area(registry: Registry) -> None:
    areas = areas_for(person(units=(UnitCandidate("x-f950-e7", 0.9),)), registry)
    assert set(kinds(areas)) == {"unit_position"}
    best = areas[0]
    assert (best.lat, best.lon) == HAI_LANG
    assert best.place == "Hải Lăng"
    assert best.start == "1972-05-16"
    assert best.end == "1972-06-30"
    assert best.weight == pytest.approx(0.9)
    assert best.unit_id == "x-f950-e7"
    assert any("Trung đoàn 7 was at Hải Lăng" in reason for reason in best.reasons)
    assert best.sources == ("test source for đánh ở Hải Lăng",)


def test_a_unit_that_moved_in_the_death_month_gives_both_positions(registry: Registry) -> None:
    on_the_day = areas_for(person(units=(UnitCandidate("x-f950-e7", 1.0),)), registry)
    assert [a.place for a in on_the_day] == ["Hải Lăng", "A Lưới"]
    assert on_the_day[0].weight > on_the_day[1].weight + 0.15  # the day says where he was
    in_the_month = areas_for(person(units=(UnitCandidate("x-f950-e7", 1.0),),
                                    death_date=PartialDate.parse("1972-05")), registry)
    weights = {a.place: a.weight for a in in_the_month}
    assert set(weights) == {"Hải Lăng", "A Lưới"}
    assert weights["Hải Lăng"] == pytest.approx(weights["A Lưới"], abs=0.05)  # half a month each


def test_a_unit_without_positions_takes_its_parents_for_less(registry: Registry) -> None:
    own = areas_for(person(units=(UnitCandidate("x-f950-e7", 0.9),)), registry)
    inherited = areas_for(person(units=(UnitCandidate("x-f950-e7-d2", 0.9),)), registry)
    assert [(a.lat, a.lon) for a in inherited] == [(a.lat, a.lon) for a in own]
    assert all(a.unit_id == "x-f950-e7-d2" for a in inherited)
    assert inherited[0].weight < own[0].weight
    assert "Tiểu đoàn 2 has no recorded position" in inherited[0].reasons[0]
    assert "its parent Trung đoàn 7" in inherited[0].reasons[0]


def test_two_candidate_units_give_two_families_of_areas(registry: Registry) -> None:
    areas = areas_for(person(units=(UnitCandidate("x-f950-e7", 0.6), UnitCandidate("x-f960-e9", 0.4))),
                      registry)
    families = {a.unit_id for a in areas}
    assert families == {"x-f950-e7", "x-f960-e9"}
    khe_sanh = next(a for a in areas if a.unit_id == "x-f960-e9")
    assert (khe_sanh.lat, khe_sanh.lon) == KHE_SANH
    assert max(a.weight for a in areas if a.unit_id == "x-f950-e7") > khe_sanh.weight


def test_a_position_written_with_an_old_province_is_placed_by_the_gazetteer(registry: Registry) -> None:
    area, = areas_for(person(units=(UnitCandidate("x-f970", 0.8),)), registry)
    assert area.place == "huyện Hướng Hóa, Quảng Trị"
    assert distance_km(area.lat, area.lon, *KHE_SANH) < 20
    assert area.radius_km >= 30  # a division's sector, or the district's extent if wider
    assert any("gazetteer" in reason for reason in area.reasons)
    assert any("vietnamadminunits" in source for source in area.sources)


def test_positions_far_from_the_death_date_count_for_little(registry: Registry) -> None:
    areas = areas_for(person(units=(UnitCandidate("x-f960-e9", 1.0),),
                             death_date=PartialDate.parse("1973-06")), registry)
    assert all(a.weight < 0.3 for a in areas)
    assert areas_for(person(units=(UnitCandidate("x-f960-e9", 1.0),),
                            death_date=PartialDate.parse("1980")), registry) == []


def test_unknown_units_give_no_area(registry: Registry) -> None:
    assert areas_for(person(units=(UnitCandidate("x-nowhere", 0.9),)), registry) == []


# --- written places ---

def test_the_written_place_of_death_is_an_area(registry: Registry) -> None:
    area, = areas_for(person(death_place="Hải Lăng, Bình Trị Thiên"), registry)
    assert area.kind == "death_place"
    assert area.place == "huyện Hải Lăng, Quảng Trị"
    assert area.start == area.end == "1972-05-20"
    assert "'Hải Lăng, Bình Trị Thiên'" in area.reasons[0]


def test_an_old_province_alone_is_a_wide_and_light_area(registry: Registry) -> None:
    area, = areas_for(person(death_place="Bình Trị Thiên"), registry)
    commune, = areas_for(person(death_place="xã Hải Phú, Hải Lăng"), registry)
    assert area.radius_km > 50 > commune.radius_km
    assert area.weight < commune.weight
    assert "whole province" in area.reasons[1]


def test_a_place_that_fits_several_communes_shares_its_weight(registry: Registry) -> None:
    areas = areas_for(person(death_place="xã Hải Phú"), registry)
    assert len(areas) >= 3
    assert len({a.place for a in areas}) == len(areas)
    assert sum(a.weight for a in areas) == pytest.approx(0.7)


def test_the_written_first_burial_place_is_an_initial_burial_area(registry: Registry) -> None:
    area, = areas_for(person(burial_place="đồi 105, xã Hải Phú, Hải Lăng"), registry)
    assert area.kind == "initial_burial"
    assert area.place == "xã Hải Phú, Hải Lăng, Quảng Trị"


# --- burial records and remains ---

def test_a_matching_burial_record_is_an_initial_burial_area(registry: Registry) -> None:
    burials = [Burial(id="b-1", name="Lê Văn Tám", unit_text="c3 d2 e7", lat=16.71, lon=107.22),
               Burial(id="b-2", name="Nguyễn Văn Tư", unit_text="c3 d2 e7", lat=16.5, lon=107.1),
               Burial(id="b-3", name="Lê Văn Tám", unit_text="c1 d5 e9", lat=16.4, lon=107.0)]
    areas = areas_for(person(), registry, burials=burials)
    records = {a.record: a for a in areas}
    assert set(records) == {"b-1"}  # another name, or a namesake of another unit, is another man
    assert records["b-1"].kind == "initial_burial"
    assert records["b-1"].radius_km <= 1
    assert records["b-1"].weight > 0.5
    assert "the same name (Lê Văn Tám), the same unit (c3 d2 e7)" in records["b-1"].reasons[0]


def test_a_burial_linked_to_the_person_counts_fully_and_its_place_is_geocoded(registry: Registry) -> None:
    linked = Burial(id="b-9", name=None, place="xã Hải Phú, Hải Lăng, Quảng Trị", person_id="x-p1")
    area, = areas_for(person(), registry, burials=[linked])
    assert area.weight == 1.0
    assert area.place == "xã Hải Phú, Hải Lăng, Quảng Trị"


def test_where_a_matching_burials_remains_went_is_a_remains_collected_area(registry: Registry) -> None:
    burial = Burial(id="b-1", name="Lê Văn Tám", lat=16.71, lon=107.22, recovered_grave="g-7",
                    recovered_date=PartialDate.parse("1994-03"))
    graves = [grave("g-7", (16.712, 107.221))]
    areas = areas_for(person(), registry, burials=[burial], graves=graves)
    collected = next(a for a in areas if a.kind == "remains_collected")
    assert collected.record == "g-7"
    assert (collected.lat, collected.lon) == (16.712, 107.221)
    assert collected.start == "1994-03"


def test_a_partial_grave_whose_facts_agree_is_a_remains_collected_area(registry: Registry) -> None:
    graves = [grave("g-p", (16.6, 107.3), status="partial", name="Lê Tám", birth_year=1950),
              grave("g-q", (16.6, 107.3), status="partial", name="Trần Văn Hai"),
              grave("g-n", (16.6, 107.3), status="named", name="Lê Văn Tám")]
    areas = areas_for(person(), registry, graves=graves)
    assert [(a.kind, a.record) for a in areas] == [("remains_collected", "g-p")]


def test_every_kind_of_evidence_together(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),), death_place="Hải Lăng, Bình Trị Thiên",
                      burial_place="xã Hải Phú, Hải Lăng")
    burials = [Burial(id="b-1", name="Lê Văn Tám", unit_text="c3 d2 e7", lat=16.71, lon=107.22,
                      recovered_grave="g-1")]
    areas = areas_for(evidence, registry, burials=burials, graves=[grave("g-1", (16.705, 107.225))])
    assert set(kinds(areas)) == {"unit_position", "death_place", "initial_burial", "remains_collected"}
    assert [a.weight for a in areas] == sorted((a.weight for a in areas), reverse=True)
    assert all(0 <= a.weight <= 1 and a.reasons and a.sources for a in areas)


# --- ranking graves ---

def test_graves_are_ranked_by_how_well_they_fit_the_areas(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),), death_place="Hải Lăng, Quảng Trị")
    graves = [grave("far", (17.4, 106.6)), grave("near", (16.71, 107.24)), grave("mid", (16.60, 107.30)),
              grave("named", (16.70, 107.23), status="named", name="Ai Đó"),
              grave("cemetery-only", None, cemetery_lat=16.75, cemetery_lon=107.19)]
    ranked = rank_graves(areas_for(evidence, registry), graves, evidence)
    order = [lead.grave_id for lead in ranked]
    assert order[:2] == ["near", "mid"]
    assert "named" not in order
    assert order.index("cemetery-only") > order.index("near")
    assert all(0 < lead.score <= 1 for lead in ranked)
    assert "remains collected 2 km from where Trung đoàn 7 was in 16 May 1972 – 30 June 1972" \
        in ranked[0].reasons[0]
    cemetery_only = next(g for g in ranked if g.grave_id == "cemetery-only")
    assert "no collection place recorded" in cemetery_only.reasons[0]


def test_a_grave_fitting_two_kinds_of_evidence_beats_one_fitting_one(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),), death_place="Khe Sanh")
    graves = [grave("both", (16.69, 107.22)), grave("unit-only", (16.72, 107.25))]
    burial = Burial(id="b-1", name="Lê Văn Tám", lat=16.69, lon=107.22)
    ranked = rank_graves(areas_for(evidence, registry, burials=[burial]), graves, evidence)
    assert [lead.grave_id for lead in ranked] == ["both", "unit-only"]
    assert any("initial burial b-1" in reason for reason in ranked[0].reasons)


def test_the_grave_a_matching_burial_went_into_comes_first(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),))
    graves = [grave("g-near", (16.70, 107.23)), grave("g-linked", None, remains_burial="b-1")]
    burial = Burial(id="b-1", name="Lê Văn Tám", lat=16.5, lon=107.0)
    ranked = leads_for(evidence, registry, burials=[burial], graves=graves).graves
    assert ranked[0].grave_id == "g-linked"
    assert any("named by the evidence" in reason for reason in ranked[0].reasons)


def test_partial_facts_raise_or_lower_a_grave(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),))
    graves = [grave("plain", (16.70, 107.23)),
              grave("agrees", (16.70, 107.23), status="partial", unit_text="e7", birth_year=1950),
              grave("conflicts", (16.70, 107.23), status="partial", unit_text="e9 f960")]
    ranked = rank_graves(areas_for(evidence, registry), graves, evidence)
    assert [lead.grave_id for lead in ranked] == ["agrees", "plain", "conflicts"]
    assert "the grave bears the same unit (e7)" in ranked[0].reasons
    assert "the grave bears another unit (e9 f960)" in ranked[2].reasons


def test_a_name_written_in_part_agrees_weakly_and_another_name_conflicts(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),))  # Lê Văn Tám
    graves = [grave("plain", (16.70, 107.23)),
              grave("given", (16.70, 107.23), status="partial", name="Tám"),
              grave("middle-given", (16.70, 107.23), status="partial", name="Văn Tám"),
              grave("full", (16.70, 107.23), status="partial", name="Lê Văn Tám"),
              grave("other", (16.70, 107.23), status="partial", name="Hải"),
              grave("out-of-order", (16.70, 107.23), status="partial", name="Tám Văn")]
    ranked = [lead.grave_id for lead in rank_graves(areas_for(evidence, registry), graves, evidence)]
    assert ranked[0] == "full"
    assert set(ranked[1:3]) == {"given", "middle-given"}
    assert ranked[3] == "plain"
    assert set(ranked[4:]) == {"other", "out-of-order"}
    assert matching.names("Lê Văn Tám", "Văn Tám").said == Reason(ReasonId.NAME_PART, name="Văn Tám")
    assert matching.names("Tám", "Lê Văn Tám").strength == matching.PART_STRENGTH
    assert matching.names("Lê Văn Tám", "Lê Tám").said == Reason(ReasonId.SAME_FAMILY_AND_GIVEN_NAME,
                                                                 name="Lê Tám")


def test_a_hometown_on_a_partial_grave_raises_or_lowers_it(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),), hometown="xã Diễn Hùng, Diễn Châu, Nghệ An")
    graves = [grave("plain", (16.70, 107.23)),
              grave("same-district", (16.70, 107.23), status="partial", hometown="Diễn Châu, Nghệ Tĩnh"),
              grave("same-province", (16.70, 107.23), status="partial", hometown="Quỳnh Lưu, Nghệ An"),
              grave("other-province", (16.70, 107.23), status="partial", hometown="Thái Bình"),
              grave("unplaced", (16.70, 107.23), status="partial", hometown="thôn Đông")]
    ranked = rank_graves(areas_for(evidence, registry), graves, evidence)
    order = [lead.grave_id for lead in ranked]
    assert order[:2] == ["same-district", "same-province"]
    assert set(order[2:4]) == {"plain", "unplaced"}
    assert order[4] == "other-province"
    assert "the grave bears the same hometown (Diễn Châu, Nghệ Tĩnh)" in ranked[0].reasons
    assert "the grave bears a hometown in another province (Thái Bình)" in ranked[4].reasons
    assert matching.hometowns("Quảng Bình", "Quảng Trị").verdict == "unknown"  # one province only since 2025
    assert matching.hometowns("Nghệ Tĩnh", "Hà Tĩnh").verdict == "agree"  # the old province held it


def test_a_burial_with_the_given_name_alone_needs_more_to_count(registry: Registry) -> None:
    bare = Burial(id="b-bare", name="Tám", lat=16.70, lon=107.23)
    dated = Burial(id="b-dated", name="Tám", unit_text="c3 d2 e7", death_date=PartialDate.parse("1972-05-20"),
                   lat=16.70, lon=107.23)
    areas = areas_for(person(), registry, burials=[bare, dated])
    assert [area.record for area in areas if area.kind == "initial_burial"] == ["b-dated"]


def test_remains_collected_before_the_death_rank_low(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),))
    graves = [grave("before", (16.70, 107.23), remains_date=PartialDate.parse("1970")),
              grave("after", (16.75, 107.20))]
    ranked = rank_graves(areas_for(evidence, registry), graves, evidence)
    assert [lead.grave_id for lead in ranked] == ["after", "before"]
    assert "before the death" in ranked[1].reasons[-1]


def test_a_written_collection_place_is_geocoded(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),))
    graves = [grave("written", None, remains_place="xã Hải Phú, huyện Hải Lăng, tỉnh Quảng Trị"),
              grave("elsewhere", None, remains_place="xã Hải Phú, Hải Hậu, Nam Định")]
    ranked = rank_graves(areas_for(evidence, registry), graves, evidence)
    assert [lead.grave_id for lead in ranked] == ["written"]


def test_a_grave_holding_another_mans_first_burial_ranks_below_a_free_one(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),))
    graves = [grave("claimed", (16.70, 107.23)), grave("free", (16.74, 107.26)),
              grave("his-namesake", (16.70, 107.23))]
    claims = {"claimed": Burial(id="b-9", name="Trần Đình Hùng", recovered_grave="claimed"),
              "his-namesake": Burial(id="b-8", name="Le Van Tam", recovered_grave="his-namesake")}
    ranked = rank_graves(areas_for(evidence, registry), graves, evidence, claims=claims)
    order = [lead.grave_id for lead in ranked]
    assert order.index("free") < order.index("claimed")
    assert order.index("his-namesake") < order.index("free")  # the same name: not another man's
    claimed = ranked[order.index("claimed")]
    assert "the remains of first burial b-9 (Trần Đình Hùng) were moved into this grave" in claimed.reasons


def test_claims_are_read_for_the_first_graves_only_and_rank_them_as_all_would(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),))
    graves = [grave(f"g{i:02d}", (16.70 + i * 0.004, 107.23)) for i in range(40)]
    claims = {f"g{i:02d}": Burial(id=f"b{i}", name="Trần Đình Hùng", recovered_grave=f"g{i:02d}")
              for i in range(0, 40, 2)}  # every other grave holds another man's first burial
    asked: list[list[str]] = []

    def read(grave_ids: Sequence[str]) -> dict[str, Burial]:
        asked.append(list(grave_ids))
        return {grave_id: claims[grave_id] for grave_id in grave_ids if grave_id in claims}

    areas = areas_for(evidence, registry)
    lazily = rank_graves(areas, graves, evidence, limit=5, claims=read)
    eagerly = rank_graves(areas, graves, evidence, limit=None, claims=claims)[:5]
    assert [lead.grave_id for lead in lazily] == [lead.grave_id for lead in eagerly]
    assert all(int(lead.grave_id[1:]) % 2 == 1 for lead in lazily)
    assert [len(ids) for ids in asked] == [15]  # 3 × 5, and 7 of them free: enough


def test_no_evidence_ranks_no_grave(registry: Registry) -> None:
    assert rank_graves([], [grave("g", (16.7, 107.2))], person()) == []


# --- results ---

def test_the_result_is_contracts_json(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.97),), death_place="Hải Lăng")
    result = leads_for(evidence, registry, graves=[grave("ts-b-3-4-12", (16.70, 107.23))]).to_json_data()
    assert list(result) == ["person_id", "death_date", "units", "areas", "graves"]
    assert result["person_id"] == "x-p1"
    assert result["death_date"] == "1972-05-20"
    assert result["units"] == [{"unit_id": "x-f950-e7", "score": 0.97}]
    area = result["areas"][0]
    assert list(area) == ["kind", "place", "lat", "lon", "radius_km", "from", "to", "weight", "reasons",
                          "sources"]
    lead, = result["graves"]
    assert list(lead) == ["grave_id", "cemetery", "score", "reasons"]
    assert lead["cemetery"] == "nt-a"


def test_reasons_are_english_strings_that_carry_what_they_say(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),), death_place="Hải Lăng, Bình Trị Thiên")
    result = leads_for(evidence, registry, graves=[grave("g-1", (16.71, 107.24))])
    died = result.areas[0].reasons[1]
    assert died == "the person died on 20 May 1972"
    assert isinstance(died, Reason)
    assert (died.id, dict(died.params)) == (ReasonId.DIED_ON, {"date": PartialDate(1972, 5, 20)})
    for again in (pickle.loads(pickle.dumps(died)), copy.deepcopy(died)):
        assert (again, again.id, again.params) == (died, died.id, died.params)
    data = result.to_json_data()
    assert json.loads(json.dumps(data)) == data  # the JSON holds the English sentences, nothing more
    assert data["areas"][0]["reasons"][1] == "the person died on 20 May 1972"
    bears = Reason(ReasonId.GRAVE_BEARS, fact=Reason(ReasonId.SAME_UNIT, unit="e7"))
    assert bears == "the grave bears the same unit (e7)"


@pytest.mark.parametrize("text", ["Bình Trị Thiên", "đồi Không Tên, huyện Không Có, Quảng Trị",
                                  "xã Không Có, Quảng Trị", "xã Hải Quế, Hải Lăng, Quảng Trị", "Hải Phú",
                                  "Hải Lăng, Bình Trị Thiên", "Quảng Trị", "Hà Tây", "Nghĩa Bình", "Sông Bé",
                                  "Hướng Hóa", "huyện Hải Lăng"])
def test_how_the_gazetteer_placed_a_name_reads_as_the_gazetteer_says_it(text: str) -> None:
    found = locate(text)
    assert found
    assert [how_placed(spot) for spot in found] == [spot.reason for spot in found]


def test_the_geojson_is_a_feature_collection_of_areas_and_graves(registry: Registry) -> None:
    evidence = person(units=(UnitCandidate("x-f950-e7", 0.9),))
    result = leads_for(evidence, registry, graves=[grave("g-1", (16.71, 107.24)), grave("g-2", None)])
    collection = leads_geojson(result)
    assert collection["type"] == "FeatureCollection"
    assert collection["person_id"] == "x-p1"
    areas = [f for f in collection["features"] if f["properties"]["feature"] == "area"]
    graves = [f for f in collection["features"] if f["properties"]["feature"] == "grave"]
    assert len(areas) == len(result.areas)
    assert [g["properties"]["grave_id"] for g in graves] == ["g-1", "g-2"]
    ring = areas[0]["geometry"]["coordinates"][0]
    assert areas[0]["geometry"]["type"] == "Polygon"
    assert ring[0] == ring[-1]
    assert len(ring) > 8
    lon, lat = areas[0]["properties"]["center"]
    assert all(abs(p[0] - lon) < 1 and abs(p[1] - lat) < 1 for p in ring)
    assert graves[0]["geometry"] == {"type": "Point", "coordinates": [107.24, 16.71]}
    assert graves[1]["geometry"]["coordinates"] == [106.95, 16.83]  # no collection place: its cemetery
    assert graves[0]["properties"]["rank"] == 1
    assert graves[0]["properties"]["distance_km"] is not None


def test_search_boxes_hold_every_grave_that_can_score(registry: Registry) -> None:
    areas = areas_for(person(units=(UnitCandidate("x-f950-e7", 0.9),)), registry)
    boxes = search_boxes(areas)
    assert len(boxes) == len(areas)
    for (south, west, north, east), area in zip(boxes, areas, strict=True):
        assert south < area.lat < north
        assert west < area.lon < east
        assert distance_km(south, area.lon, area.lat, area.lon) == pytest.approx(3 * area.radius_km, rel=0.02)


# --- cohorts ---

def test_a_cohort_ranks_the_persons_whose_leads_point_at_a_cemetery(registry: Registry) -> None:
    graves = [grave("a-1", (16.70, 107.23)), grave("a-2", (16.71, 107.22)),
              grave("b-1", (16.62, 106.73), cemetery="nt-b")]
    in_e7 = leads_for(person(person_id="p-e7", units=(UnitCandidate("x-f950-e7", 0.9),)), registry,
                      graves=graves)
    in_e9 = leads_for(person(person_id="p-e9", units=(UnitCandidate("x-f960-e9", 0.9),)), registry,
                      graves=graves)
    members = cohort([in_e9, in_e7], cemetery="nt-a")
    assert next(m.person_id for m in members) == "p-e7"
    assert members[0].graves[0] in {"a-1", "a-2"}
    assert set(members[0].graves) <= {"a-1", "a-2"}
    assert cohort([in_e7, in_e9], graves=["b-1"])[0].person_id == "p-e9"
    assert cohort([in_e7], cemetery="nt-z") == []
    assert members[0].to_json_data()["person_id"] == "p-e7"


def test_inputs_are_read_from_contracts_json(registry: Registry) -> None:
    evidence = evidence_from_json({"id": "x-p1", "full_name": "Lê Văn Tám", "birth_year": 1950,
                                   "unit_text": "c3 d2 e7 f950", "death_date": "1972-05-20",
                                   "death_place": "Hải Lăng", "relatives": []}, units=[("x-f950-e7", 0.97)])
    assert evidence == person(units=(UnitCandidate("x-f950-e7", 0.97),), death_place="Hải Lăng")
    burial = burial_from_json({"id": "b-0042", "name": "Lê Văn Tám", "unit_text": "c3 d2 e7 f950",
                               "death_date": "1972-05-20", "burial_date": "1972-05-21",
                               "place": "đồi 105, xã Hải Phú, Hải Lăng", "lat": 16.70, "lon": 107.23,
                               "recovered": {"date": "1994-03", "grave": "ts-b-3-4-12"}, "sources": []})
    assert burial.recovered_grave == "ts-b-3-4-12"
    assert burial.recovered_date == PartialDate(1994, 3)
    grave = grave_from_json({"id": "ts-b-3-4-12", "cemetery": "nt-truong-son", "number": "12",
                             "status": "unidentified", "name": None,
                             "remains_from": {"place": "xã Hải Phú, huyện Hải Lăng, tỉnh Quảng Trị",
                                              "lat": 16.70, "lon": 107.23, "date": "1994-03",
                                              "burial": "b-0042"}},
                            {"id": "nt-truong-son", "lat": 16.83, "lon": 106.95})
    assert (grave.remains_lat, grave.cemetery_lat, grave.remains_burial) == (16.70, 16.83, "b-0042")
    result = leads_for(evidence, registry, burials=[burial], graves=[grave])
    assert result.graves[0].grave_id == "ts-b-3-4-12"
    assert set(kinds(list(result.areas))) == {"unit_position", "death_place", "initial_burial",
                                              "remains_collected"}
