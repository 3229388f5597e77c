"""Resolution: from designations and a date to ranked candidates with reasons."""

from __future__ import annotations

import pytest

from api.web.reasons import with_sentences
from decoder.decode import decode
from decoder.errors import InvalidDateError, InvalidInputError, TextTooLongError
from decoder.model import Level
from decoder.reasons import Reason, ReasonId, UnitWritten
from decoder.registry import Registry
from decoder.result import Candidate
from tests.factories import registry, sample_units


@pytest.fixture(scope="module")
def sample() -> Registry:
    return registry(*sample_units())


def candidates(sample: Registry, text: str, date: str | None = None) -> list[Candidate]:
    """The candidates, their reasons put into English words as the API gives them."""
    return with_sentences(decode(text, date, sample), "en").candidates


def test_contract_example_resolves_to_the_regiment(sample: Registry) -> None:
    result = with_sentences(decode("c2 d5 e88 f308", "1972-07", sample), "en")
    best = result.candidates[0]
    assert best.unit_id == "f308-e88"
    assert best.valid
    assert best.path == ["Sư đoàn 308", "Trung đoàn 88"]  # not yet under Quân đoàn 1
    assert "regiment 88 is under division 308 in 1972-07" in best.reasons
    assert Reason(id=ReasonId.PARENT_AT_DATE, params={
        "child": UnitWritten(level=Level.REGIMENT, number="88"),
        "parent": UnitWritten(level=Level.DIVISION, number="308"),
        "date": "1972-07"}) in best.reasons_structured
    assert [h.title for h in best.history] == ["Chiến dịch Trị Thiên"]  # inherited from f308
    assert best.history[0].unit_id == "f308"
    assert len(result.candidates) == 1  # f308 itself is explained by the regiment


def test_path_follows_the_parent_at_the_date(sample: Registry) -> None:
    late = candidates(sample, "e88 f308", "1975")[0]
    assert late.path == ["Quân đoàn 1", "Sư đoàn 308", "Trung đoàn 88"]


def test_moved_regiment_is_valid_only_under_the_right_division(sample: Registry) -> None:
    early = candidates(sample, "e141 f312", "1960")
    assert early[0].unit_id == "f312-e141"
    assert early[0].valid
    late = candidates(sample, "e141 f312", "1972")
    assert late[0].unit_id == "f312-e141"
    assert not late[0].valid
    assert any("only from 1950-12-27 to 1966-06-12, not in 1972" in r for r in late[0].reasons)
    assert late[0].path == ["Sư đoàn 7", "Trung đoàn 141"]
    moved = candidates(sample, "e141 f7", "1972")
    assert moved[0].valid
    assert moved[0].score > late[0].score


def test_reused_mailbox_code_depends_on_the_date(sample: Registry) -> None:
    in_1974 = candidates(sample, "Hòm thư 47120 HN", "1974")
    assert [c.unit_id for c in in_1974] == ["f304-e66", "f308-e88"]
    assert [c.valid for c in in_1974] == [True, False]
    in_1971 = candidates(sample, "HT 47120 HN", "1971-05")
    assert in_1971[0].unit_id == "f308-e88"
    assert in_1971[0].valid
    assert not in_1971[0].verified
    assert any("not verified" in r for r in in_1971[0].reasons)


def test_without_a_date_ambiguity_is_shown(sample: Registry) -> None:
    found = candidates(sample, "Hòm thư 47120 HN")
    assert {c.unit_id for c in found} == {"f304-e66", "f308-e88"}
    assert all(c.valid for c in found)
    regiments_9 = candidates(sample, "e9")
    assert {c.unit_id for c in regiments_9} == {"f304-e9", "f7-e9"}


def test_cover_name_only_holds_during_its_campaign(sample: Registry) -> None:
    during = candidates(sample, "Bến Tre", "1954-03")
    assert during[0].unit_id == "f312"
    assert during[0].valid
    after = candidates(sample, "Bến Tre", "1970")
    assert after[0].unit_id == "f312"
    assert not after[0].valid
    assert after[0].score < 0.5 < during[0].score


def test_regiment_cover_name_and_southern_cover_name(sample: Registry) -> None:
    assert candidates(sample, "Trung đoàn Đầm Hà", "1954")[0].unit_id == "f312-e141"
    assert candidates(sample, "Công trường 7", "1972")[0].unit_id == "f7"


def test_aliases_and_honorifics(sample: Registry) -> None:
    assert candidates(sample, "Quân Tiên Phong")[0].unit_id == "f308"
    assert candidates(sample, "Đại đoàn 308", "1954")[0].unit_id == "f308"


def test_contradicted_parent_offers_both_readings(sample: Registry) -> None:
    found = candidates(sample, "e88 f304", "1972")
    assert {c.unit_id for c in found} == {"f308-e88", "f304"}
    regiment = next(c for c in found if c.unit_id == "f308-e88")
    assert any("under Sư đoàn 308, not division 304" in r for r in regiment.reasons)
    division = next(c for c in found if c.unit_id == "f304")
    assert any("regiment 88: below what the registry records" in r for r in division.reasons)


def test_consistent_chain_does_not_list_same_numbered_units_elsewhere(sample: Registry) -> None:
    found = candidates(sample, "e9 f304", "1972")
    assert [c.unit_id for c in found] == ["f304-e9"]


def test_unit_outside_its_lifetime_is_invalid(sample: Registry) -> None:
    found = candidates(sample, "Sư đoàn 7", "1960")
    assert found[0].unit_id == "f7"
    assert not found[0].valid
    assert any("existed from 1966-06-13" in r for r in found[0].reasons)


def test_qualifier_mismatch_costs(sample: Registry) -> None:
    plain = candidates(sample, "e88", "1972")[0]
    wrong = candidates(sample, "e88 pháo binh", "1972")[0]
    assert wrong.unit_id == plain.unit_id == "f308-e88"
    assert wrong.score < plain.score


def test_unknown_units_give_no_candidates(sample: Registry) -> None:
    result = decode("c2 d5 e999 f999", "1972", sample)
    assert len(result.designations) == 1
    assert result.candidates == []


def test_candidates_are_sorted_and_valid_first(sample: Registry) -> None:
    found = candidates(sample, "Hòm thư 47120 HN, e141 f312, Bến Tre", "1974")
    scores = [c.score for c in found]
    assert scores == sorted(scores, reverse=True)
    validity = [c.valid for c in found]
    assert validity == sorted(validity, reverse=True)


def test_history_window_and_undated_history(sample: Registry) -> None:
    dated = candidates(sample, "f308", "1954")[0]
    assert [h.title for h in dated.history] == ["Chiến dịch Điện Biên Phủ"]
    undated = candidates(sample, "f308")[0]
    assert [h.title for h in undated.history] == ["Chiến dịch Điện Biên Phủ", "Chiến dịch Trị Thiên"]


@pytest.mark.parametrize(("text", "date", "error"), [
    ("", None, InvalidInputError),
    ("   \n", None, InvalidInputError),
    ("c2\x00d5", None, InvalidInputError),
    ("c2 \ud800", None, InvalidInputError),
    ("c2 d5", "1972-13", InvalidDateError),
    ("c2 d5", "72", InvalidDateError),
    ("c2 d5", "1972-02-30", InvalidDateError),
    ("c2 d5", "hôm qua", InvalidDateError),
    ("c2 " * 400_000, None, TextTooLongError),
])
def test_bad_input_is_refused_with_a_clear_error(
    sample: Registry, text: str, date: str | None, error: type[Exception]
) -> None:
    with pytest.raises(error) as raised:
        decode(text, date, sample)
    message = str(raised.value)
    assert message.endswith(".")
    assert "\n" not in message


def test_long_text_within_the_limit_decodes(sample: Registry) -> None:
    text = ("Liệt sĩ hy sinh tại mặt trận phía Nam. " * 400) + "c2 d5 e88 f308"
    result = decode(text, "1972", sample)
    assert result.candidates[0].unit_id == "f308-e88"


def test_binary_junk_that_is_text_finds_nothing(sample: Registry) -> None:
    junk = bytes(range(128, 256)).decode("latin-1") * 10
    assert decode(junk, None, sample).designations == []
