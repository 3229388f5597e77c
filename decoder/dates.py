"""Partial dates (``1968``, ``1968-03``, ``1968-03-14``) and the periods they bound.

A partial date stands for the whole span it names: ``1968`` is every day of 1968. A
period ``from..to`` holds on every day from the first day of ``from`` to the last day of
``to``; a missing bound is open.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from decoder.errors import InvalidDateError

_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None
    # The span covered, computed once: comparisons run in the resolver's inner loop.
    first_day: date = field(init=False, compare=False, repr=False)
    last_day: date = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.month is None:
            first, last = date(self.year, 1, 1), date(self.year, 12, 31)
        elif self.day is None:
            first = date(self.year, self.month, 1)
            last = date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        else:
            first = last = date(self.year, self.month, self.day)
        object.__setattr__(self, "first_day", first)
        object.__setattr__(self, "last_day", last)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        Raises:
            InvalidDateError: the text is not such a date, or names no real day.
        """
        match = _PARTIAL.match(text.strip())
        if match is None:
            raise InvalidDateError(
                f"{text[:40]!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD."
            )
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if year < 1000:
            raise InvalidDateError(f"{text!r} has an impossible year.")
        if month is not None and not 1 <= month <= 12:
            raise InvalidDateError(f"{text!r} has an impossible month.")
        if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise InvalidDateError(f"{text!r} names a day that does not exist.")
        return cls(year, month, day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def parse_optional(text: str | None) -> PartialDate | None:
    """Parse a partial date, letting ``None`` and the empty string through as ``None``."""
    if text is None or not text.strip():
        return None
    return PartialDate.parse(text)


@dataclass(frozen=True, slots=True)
class Period:
    """A span between two partial dates; ``None`` bounds are open."""

    start: PartialDate | None = None
    end: PartialDate | None = None
    first_day: date = field(init=False, compare=False, repr=False)
    last_day: date = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "first_day", self.start.first_day if self.start else date.min)
        object.__setattr__(self, "last_day", self.end.last_day if self.end else date.max)

    def is_reversed(self) -> bool:
        """True when the period ends before it begins."""
        return self.first_day > self.last_day

    def overlaps(self, other: Period) -> bool:
        """True when the two periods share at least one day."""
        return self.first_day <= other.last_day and other.first_day <= self.last_day

    def contains(self, when: PartialDate) -> bool:
        """True when the period holds on at least one day of ``when``."""
        return self.first_day <= when.last_day and when.first_day <= self.last_day

    def covers(self, when: PartialDate) -> bool:
        """True when the period holds on every day of ``when``."""
        return self.first_day <= when.first_day and when.last_day <= self.last_day

    def __str__(self) -> str:
        start = str(self.start) if self.start else "…"
        end = str(self.end) if self.end else "…"
        return f"{start} – {end}"
