"""Leads' reasons through the catalog: every reason id has its Vietnamese text with the same
placeholders, every reason leads make reads in Vietnamese with no English left, dates are
said the Vietnamese way, and English reads as leads write it.

The world is :mod:`bench.leads_world`'s (invented); the places are the gazetteer's."""

from __future__ import annotations

import re

import pytest

from api.web.lead_reasons import sentence
from bench.leads_world import make_world
from decoder.dates import PartialDate, Period
from decoder.model import Level
from leads import Evidence, leads_for
from leads.reasons import (
    DAY_MONTH_YEAR,
    LEVELS,
    MESSAGES,
    MONTH_YEAR,
    MONTHS,
    YEAR,
    Reason,
    ReasonId,
)
from tests.test_web_reasons import vietnamese_catalog

#: Every English word of leads' messages (three letters or more): none may survive translation.
ENGLISH = {word for message in [*MESSAGES.values(), *MONTHS, *LEVELS.values()]
           for word in re.findall(r"[a-z]{3,}", re.sub(r"%\(\w+\)[-#0-9.]*[sdfg]", " ", message))}
PLACES = ["Bình Trị Thiên", "đồi Không Tên, huyện Không Có, Quảng Trị", "xã Hải Quế, Hải Lăng, Quảng Trị",
          "Hải Phú", "xã Không Có, Quảng Trị", "Hà Tây", "Hải Lăng, Bình Trị Thiên", "Nghĩa Bình"]


def placeholders(message: str) -> list[str]:
    """Named placeholders with their conversion: ``%(weight).2f``, ``%(unit)s``."""
    return sorted(re.findall(r"%\(\w+\)[-#0-9.]*[sdfg]", message))


def english_left(translated: str) -> set[str]:
    """English words outside quoted text and a centroid's cited origin (both as written)."""
    plain = re.sub(r"'[^']*'|nguồn toạ độ: .*?\), bán kính", " ", translated)
    return set(re.findall(r"\w+", plain)) & ENGLISH


def clauses(reason: Reason) -> list[Reason]:
    """The reason and every clause inside it."""
    inner = [item for value in reason.params.values()
             for item in (value if isinstance(value, tuple) else (value,)) if isinstance(item, Reason)]
    return [reason, *(clause for item in inner for clause in clauses(item))]


def example(reason_id: ReasonId) -> Reason:
    """The reason with a value of the right kind for each of its placeholders."""
    values: dict[str, str | int | float] = {}
    for name, kind in re.findall(r"%\((\w+)\)[-#0-9.]*([sdfg])", MESSAGES[reason_id]):
        values[name] = {"d": 3, "f": 0.25, "g": 15.0}.get(kind, "Hải Lăng")
    return Reason(reason_id, **values)


@pytest.mark.parametrize("reason_id", list(ReasonId))
def test_every_reason_id_has_its_vietnamese_text(reason_id: ReasonId) -> None:
    english = MESSAGES[reason_id]
    vietnamese = vietnamese_catalog().get(english)
    assert vietnamese, f"{reason_id} has no Vietnamese text in the catalog (run scripts/messages.sh)"
    assert placeholders(english) == placeholders(vietnamese), reason_id
    said = sentence(example(reason_id), "vi")
    assert said != sentence(example(reason_id), "en")
    assert english_left(said) == set(), said


def test_levels_months_and_dates_have_their_vietnamese_words() -> None:
    catalog = vietnamese_catalog()
    assert set(LEVELS) == set(Level)
    words = [*LEVELS.values(), *MONTHS, DAY_MONTH_YEAR, MONTH_YEAR, YEAR]
    assert {word: catalog.get(word) for word in words if not catalog.get(word)} == {}


@pytest.mark.parametrize(("reason", "english", "vietnamese"), [
    (Reason(ReasonId.DIED_ON, date=PartialDate(1972, 5, 20)),
     "the person died on 20 May 1972", "liệt sĩ hy sinh ngày 20 tháng 5 năm 1972"),
    (Reason(ReasonId.DIED_IN, date=PartialDate(1972, 5)),
     "the person died in May 1972", "liệt sĩ hy sinh vào tháng 5 năm 1972"),
    (Reason(ReasonId.DIED_IN, date=PartialDate(1972)),
     "the person died in 1972", "liệt sĩ hy sinh vào năm 1972"),
    (Reason(ReasonId.UNIT_AT, unit="Trung đoàn 7", place="Hải Lăng", event="Chốt giữ",
            span=Period(PartialDate(1972, 4), PartialDate(1972, 6))),
     "Trung đoàn 7 was at Hải Lăng in April 1972 – June 1972 (Chốt giữ)",
     "Trung đoàn 7 có mặt ở Hải Lăng vào tháng 4 năm 1972 – tháng 6 năm 1972 (Chốt giữ)"),
    (Reason(ReasonId.PARENT_AT, unit="Tiểu đoàn 2", date=Reason(ReasonId.UNKNOWN_DATE), parent="Trung đoàn 7",
            place="A Lưới", event="Chốt giữ", span=Period(None, PartialDate(1972, 5, 15))),
     "Tiểu đoàn 2 has no recorded position near an unknown date; its parent Trung đoàn 7 was at A Lưới in "
     "… – 15 May 1972 (Chốt giữ)",
     "Tiểu đoàn 2 không có vị trí nào được ghi nhận gần thời điểm không rõ; đơn vị cấp trên Trung đoàn 7 "
     "có mặt ở A Lưới vào … – ngày 15 tháng 5 năm 1972 (Chốt giữ)"),
    (Reason(ReasonId.UNIT_POINT, how=Reason(ReasonId.RECORDED_POINT), radius=80.0,
            level=Level.MILITARY_REGION),
     "point: the recorded point; radius 80 km for a military region",
     "điểm: toạ độ được ghi nhận; bán kính 80 km cho một quân khu"),
    (Reason(ReasonId.BURIAL_MATCH, burial="b-1", facts=(Reason(ReasonId.SAME_NAME, name="Lê Văn Tám"),
                                                        Reason(ReasonId.SAME_UNIT, unit="c3 d2 e7"))),
     "initial burial record b-1: the same name (Lê Văn Tám), the same unit (c3 d2 e7)",
     "hồ sơ an táng ban đầu b-1: cùng họ tên (Lê Văn Tám), cùng đơn vị (c3 d2 e7)"),
    (Reason(ReasonId.DEATH_PLACE_WRITTEN, written="Hải Lăng, Bình Trị Thiên"),
     "the record's place of death is written 'Hải Lăng, Bình Trị Thiên'",
     "nơi hy sinh trong hồ sơ ghi là 'Hải Lăng, Bình Trị Thiên'"),
    (Reason(ReasonId.REMAINS_NEAR_AREA, distance=2.4, radius=15.0, weight=0.9, fit=0.8512,
            area=Reason(ReasonId.WHERE_UNIT_WAS, unit="Trung đoàn 7", place="Hải Lăng",
                        span=Period(PartialDate(1972, 5, 16), PartialDate(1972, 6, 30)))),
     "remains collected 2 km from where Trung đoàn 7 was in 16 May 1972 – 30 June 1972 (Hải Lăng) "
     "(area radius 15 km, weight 0.90; fit 0.85)",
     "hài cốt được quy tập cách nơi Trung đoàn 7 có mặt vào ngày 16 tháng 5 năm 1972 – ngày 30 tháng 6 năm "
     "1972 (Hải Lăng) 2 km (bán kính khu vực 15 km, trọng số 0.90; độ khớp 0.85)"),
    (Reason(ReasonId.COLLECTED_BEFORE_DEATH, date=PartialDate(1970), death=PartialDate(1972, 5, 20)),
     "remains collected in 1970, before the death (20 May 1972)",
     "hài cốt được quy tập vào năm 1970, trước khi liệt sĩ hy sinh (ngày 20 tháng 5 năm 1972)"),
])
def test_a_reason_reads_as_leads_write_it_and_is_said_again_in_vietnamese(
        reason: Reason, english: str, vietnamese: str) -> None:
    assert reason == english
    assert sentence(reason, "en") == english
    assert sentence(reason, "vi") == vietnamese
    assert sentence(reason, "fr") == english  # a language not offered reads English


def test_a_plain_string_is_shown_as_it_is() -> None:
    assert sentence("a reason a caller wrote", "vi") == "a reason a caller wrote"


def test_an_open_or_undated_period_is_said_in_both_languages() -> None:
    undated = Reason(ReasonId.WHERE_UNIT_WAS, unit="Trung đoàn 7", place="Hải Lăng", span=Period())
    assert undated == "where Trung đoàn 7 was in an unknown date (Hải Lăng)"
    assert sentence(undated, "vi") == "nơi Trung đoàn 7 có mặt vào thời điểm không rõ (Hải Lăng)"
    since = Reason(ReasonId.WHERE_UNIT_WAS, unit="Trung đoàn 7", place="Hải Lăng",
                   span=Period(PartialDate(1972, 3), None))
    assert sentence(since, "vi") == "nơi Trung đoàn 7 có mặt vào tháng 3 năm 1972 – … (Hải Lăng)"


def test_every_reason_leads_make_over_a_world_reads_in_vietnamese() -> None:
    world = make_world(persons=40, seed=5)
    claims = {b.recovered_grave: b for b in world.burials if b.recovered_grave}
    results = [leads_for(truth.evidence, world.registry, burials=world.burials, graves=world.graves, limit=20,
                         claims=claims) for truth in world.truths[:40]]
    results += [leads_for(Evidence(person_id="p", death_place=place, burial_place=place), world.registry)
                for place in PLACES]
    reasons = [reason for result in results for item in (*result.areas, *result.graves)
               for reason in item.reasons]
    assert all(isinstance(reason, Reason) for reason in reasons)
    made = {clause.id for reason in reasons for clause in clauses(reason)}
    assert len(made) >= 40, set(ReasonId) - made
    sentences = {sentence(reason, "vi") for reason in reasons}
    assert len(sentences) > 500
    assert {text: words for text in sentences if (words := english_left(text))} == {}
    assert {sentence(reason, "en") for reason in reasons} == {str(reason) for reason in reasons}
