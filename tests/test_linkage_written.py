"""Dates and units as lists write them, read for linkage."""

from __future__ import annotations

import random
from datetime import date

import pytest

from decoder.errors import PhienhieuError
from decoder.grammar import lettered_echelons, parse
from linkage.written import LETTERED_ONLY, SPELT_ONLY, unit_chain, written_date


@pytest.mark.parametrize(("written", "expected"), [
    ("15/4/1974", "1974-04-15"), ("04/74", "1974-04"), ("15-4-74", "1974-04-15"),
    ("tháng 4/1974", "1974-04"), ("Tháng 4 / 1974", "1974-04"), ("ngày 15 tháng 4 năm 1974", "1974-04-15"),
    ("NGAY 15 THANG 4 NAM 1974", "1974-04-15"), ("1974", "1974"), ("4.1974", "1974-04"), ("74", "1974"),
    (" 15 / 4 / 74 ", "1974-04-15"),
    ("31/2/1974", None), ("13/1974", None), ("hè 1974", None), ("", None), (None, None),
    ("ngày 15 năm 1974", None), ("1/1/1849", None), ("1" * 500, None), ("'; DROP TABLE persons; --", None),
])
def test_death_dates_as_lists_write_them(written: str | None, expected: str | None) -> None:
    assert written_date(written) == expected


def test_a_date_after_today_is_not_a_date() -> None:
    assert written_date("5/2027", today=date(2026, 12, 2)) is None
    assert written_date("11/2026", today=date(2026, 12, 2)) == "2026-11"


@pytest.mark.parametrize(("written", "expected"), [
    ("c3 d2 e7 f950", "c3 d2 e7 f950"), ("C3D2E7F950", "c3 d2 e7 f950"),
    ("Đại đội 3, Tiểu đoàn 2, Trung đoàn 7, Sư đoàn 950", "c3 d2 e7 f950"),
    ("c3/d2/e7", "c3 d2 e7"), ("e7 f950", "e7 f950"),
    ("Hòm thư 47120 HN", None), ("", None), (None, None), ("x" * 5000, None),
])
def test_units_are_read_into_one_form(written: str | None, expected: str | None) -> None:
    assert unit_chain(written) == expected


def test_units_in_letters_alone_are_read_as_the_grammar_reads_them() -> None:
    # Lists write most units in the army's letters alone, which unit_chain reads without
    # the grammar: it must give what the grammar gives, a capital B included (not "b").
    rng = random.Random(5)
    separators = ["", " ", "/", "-", ", ", " - ", ".", "  ", "/ ", ";", "_"]
    taken = 0
    for _ in range(4000):
        numbers = [str(rng.randint(0, 30)), str(rng.randint(1, 9999)), f"0{rng.randint(0, 9)}", ""]
        parts = [rng.choice("abcdefACDEFBgk") + rng.choice(numbers) for _ in range(rng.randint(1, 5))]
        text = "".join(part + rng.choice(separators) for part in parts).strip()
        taken += bool(LETTERED_ONLY.fullmatch(text))
        assert unit_chain(text) == _by_grammar(text), text
    assert taken > 200  # the short way was tried often


def test_units_spelt_out_are_read_as_the_grammar_reads_them() -> None:
    # "Đại đội 3, Tiểu đoàn 2, …" is read without the grammar too: in order or not, with
    # a leading zero, a missing or doubled echelon, other separators, a trailing comma.
    rng = random.Random(8)
    heads = ["Đại đội", "Tiểu đoàn", "Trung đoàn", "Sư đoàn", "Trung đội", "Dai doi"]
    separators = [", ", ",", " ", " - ", ", ", ", "]
    taken = 0
    for _ in range(4000):
        picked = sorted(rng.sample(range(6), rng.randint(1, 4))) if rng.random() < 0.7 else \
            [rng.randrange(6) for _ in range(rng.randint(1, 4))]
        numbers = [str(rng.randint(1, 9999)), f"0{rng.randint(1, 9)}", str(rng.randint(1, 30))]
        parts = [f"{heads[index]} {rng.choice(numbers)}" for index in picked]
        text = "".join(part + rng.choice(separators) for part in parts)
        text = text if rng.random() < 0.1 else text.rstrip(", -")
        taken += bool(SPELT_ONLY.fullmatch(text))
        assert unit_chain(text) == _by_grammar(text), text
    assert taken > 300  # the short way was tried often


def _by_grammar(text: str) -> str | None:
    try:
        designations = parse(text)
    except PhienhieuError:
        return None
    chains = (" ".join(parts) for designation in designations if (parts := lettered_echelons(designation)))
    return next(chains, None)
