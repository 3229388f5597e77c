"""Partial dates and periods."""

from __future__ import annotations

from datetime import date

import pytest

from decoder.dates import PartialDate, Period, parse_optional
from decoder.errors import InvalidDateError


@pytest.mark.parametrize(("text", "first", "last"), [
    ("1972", date(1972, 1, 1), date(1972, 12, 31)),
    ("1972-02", date(1972, 2, 1), date(1972, 2, 29)),
    ("1973-02", date(1973, 2, 1), date(1973, 2, 28)),
    ("1972-07-15", date(1972, 7, 15), date(1972, 7, 15)),
    (" 1968-03 ", date(1968, 3, 1), date(1968, 3, 31)),
])
def test_partial_dates_cover_their_span(text: str, first: date, last: date) -> None:
    when = PartialDate.parse(text)
    assert (when.first_day, when.last_day) == (first, last)
    assert str(when) == text.strip()


@pytest.mark.parametrize("text", [
    "72", "1972-13", "1972-00", "1972-02-30", "1972-7", "1972/07", "0999", "", "năm 1972",
    "1972-07-15T00:00", "１９７２",
])
def test_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(InvalidDateError):
        PartialDate.parse(text)


def test_optional_dates() -> None:
    assert parse_optional(None) is None
    assert parse_optional("  ") is None
    assert parse_optional("1972") == PartialDate(1972)


def test_periods() -> None:
    sixties = Period(PartialDate(1960), PartialDate(1969))
    assert sixties.contains(PartialDate(1969, 12, 31))
    assert not sixties.contains(PartialDate(1970, 1, 1))
    assert sixties.covers(PartialDate(1965, 3))
    assert not Period(PartialDate(1965, 6), PartialDate(1966)).covers(PartialDate(1965))
    assert Period(PartialDate(1965, 6), None).contains(PartialDate(1965))
    assert Period().contains(PartialDate(1000))
    assert Period(PartialDate(1970), PartialDate(1969)).is_reversed()
    assert not sixties.overlaps(Period(PartialDate(1970), None))
    assert sixties.overlaps(Period(None, PartialDate(1960, 1, 1)))
    assert str(Period(PartialDate(1971), None)) == "1971 – …"
