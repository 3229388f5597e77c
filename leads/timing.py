"""How close in time a fact is to the death date, and dates said the way people say them."""

from __future__ import annotations

import math
from datetime import date

from decoder.dates import PartialDate, Period

#: Days after which a unit's position counts for about a third (e^-1): units moved often, but
#: registries record few positions.
POSITION_DAYS = 180.0
#: A fact that does not hold at the date counts for less however near it is: the unit was
#: elsewhere then.
OUTSIDE = 0.8
#: An undated fact says nothing about when.
UNDATED = 0.3
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def gap_days(period: Period, when: PartialDate) -> int:
    """Days between a period and a partial date; 0 when they share a day."""
    if period.contains(when):
        return 0
    if period.last_day < when.first_day:
        return (when.first_day - period.last_day).days
    return (period.first_day - when.last_day).days


def closeness(period: Period, when: PartialDate | None, scale_days: float = POSITION_DAYS) -> float:
    """1 when the period holds at the date, falling off with the days between (0.5 without a
    date: nothing says when). A period that only partly covers an imprecise date counts for
    the share it covers, so a unit that moved within the death month splits the month."""
    if period.start is None and period.end is None:
        return UNDATED
    if when is None:
        return 0.5
    gap = gap_days(period, when)
    if gap:
        return OUTSIDE * math.exp(-gap / scale_days)
    return _covered_share(period, when)


def _covered_share(period: Period, when: PartialDate) -> float:
    first = max(period.first_day, when.first_day)
    last = min(period.last_day, when.last_day)
    span = (when.last_day - when.first_day).days + 1
    share = ((last - first).days + 1) / span
    return 0.5 + 0.5 * share  # a position held on some days of the month is still likely


def said(when: PartialDate | date | None) -> str:
    """``May 1972``, ``20 May 1972``, ``1972``; ``an unknown date`` for None."""
    if when is None:
        return "an unknown date"
    if isinstance(when, date):
        return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"
    if when.month is None:
        return str(when.year)
    month = _MONTHS[when.month - 1]
    return f"{when.day} {month} {when.year}" if when.day else f"{month} {when.year}"


def span_said(period: Period) -> str:
    """A period the way a person says it: ``May 1972``, ``March 1972 – June 1972``."""
    if period.start == period.end:
        return said(period.start)
    return f"{said(period.start) if period.start else '…'} – {said(period.end) if period.end else '…'}"
