"""How close in time a fact is to the death date; :mod:`leads.reasons` says dates in words."""

from __future__ import annotations

import math

from decoder.dates import PartialDate, Period

#: Days after which a unit's position counts for about a third (e^-1): units moved often, but
#: registries record few positions.
POSITION_DAYS = 180.0
#: A fact that does not hold at the date counts for less however near it is: the unit was
#: elsewhere then.
OUTSIDE = 0.8
#: An undated fact says nothing about when.
UNDATED = 0.3


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
