"""Dates and units as lists write them, read for comparison.

Lists write a death date every way a clerk could: ``15/4/1974``, ``04/74``, ``15-4-74``,
``tháng 4/1974``, ``ngày 15 tháng 4 năm 1974``, ``1974``. A two-digit year is of the 1900s:
the lists cover the wars of 1945–1989. A date that cannot be read is not an error here: the
entry keeps its raw text and the date is left unknown.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from decoder.errors import PhienhieuError
from decoder.grammar import lettered_echelons, parse
from decoder.text import fold, to_nfc

_NUMBERS = re.compile(r"^(?:(\d{1,2})[/.\-])?(?:(\d{1,2})[/.\-])?(\d{4}|\d{2})$")
_WORDED = re.compile(r"^(?:ngay\s*(\d{1,2})\s*)?(?:thang\s*(\d{1,2})\s*)?(?:nam\s*)?(\d{4}|\d{2})$")
_FIRST_YEAR = 1850


def written_date(text: str | None, *, today: date | None = None) -> str | None:
    """A date as written, as a partial ISO date (``1974-04``), or None when it cannot be
    read as a real date between 1850 and today."""
    if not text or len(text) > 60:
        return None
    cleaned = re.sub(r"\s*([/.\-])\s*", r"\1", " ".join(fold(to_nfc(text)).split()))
    if match := _NUMBERS.match(cleaned):
        first, second, year_text = match.groups()
        day, month = (first, second) if second else (None, first)
    elif match := _WORDED.match(re.sub(r"(thang\s*\d{1,2})[/.\-]", r"\1 nam ", cleaned)):
        day, month, year_text = match.groups()
        if day and not month:
            return None
    else:
        return None
    return _checked(_year(year_text), int(month) if month else None, int(day) if day else None,
                    today or date.today())


def _year(text: str) -> int:
    return 1900 + int(text) if len(text) == 2 else int(text)


def _checked(year: int, month: int | None, day: int | None, today: date) -> str | None:
    if not _FIRST_YEAR <= year <= today.year or (month is not None and not 1 <= month <= 12):
        return None
    if day is not None and (month is None or not 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    iso = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    return None if iso > today.isoformat() else iso


#: A designation in the army's letters alone (``c3 d2 e7 f950``, ``C3D2E7F950``,
#: ``c3/d2/e7``), which the grammar reads letter by letter: most of what lists write, read
#: here without it. A capital B is left to the grammar, which does not take it for "b".
LETTERED_ONLY = re.compile(r"(?:[ac-fAC-F]|b)\d{1,4}(?:(?:\s*[-/,.]\s*|\s+)?(?:[ac-fAC-F]|b)\d{1,4})*")
_LETTERED_PART = re.compile(r"([a-fA-F])(\d{1,4})")
#: The same spelt out as most lists do, company to division, comma between: ``Đại đội 3,
#: Tiểu đoàn 2, Trung đoàn 7, Sư đoàn 950`` (each echelon once, lowest first).
SPELT_ONLY = re.compile(
    r"(?:Đại đội ([1-9]\d{0,3})(?:, |$))?(?:Tiểu đoàn ([1-9]\d{0,3})(?:, |$))?"
    r"(?:Trung đoàn ([1-9]\d{0,3})(?:, |$))?(?:Sư đoàn ([1-9]\d{0,3}))?")


def unit_chain(text: str | None) -> str | None:
    """The first designation written in ``text`` in one form however it was written:
    ``C3D2E7F950`` and ``Đại đội 3, Tiểu đoàn 2, Trung đoàn 7, Sư đoàn 950`` both give
    ``c3 d2 e7 f950``; None when no echelon with a number is written."""
    if not text:
        return None
    if len(text) <= 60 and LETTERED_ONLY.fullmatch(text):  # what the grammar gives, read faster
        return " ".join(f"{letter.lower()}{int(number)}" for letter, number in _LETTERED_PART.findall(text))
    if (spelt := SPELT_ONLY.fullmatch(text)) and any(spelt.groups()) and not text.endswith(", "):
        return " ".join(f"{letter}{number}" for letter, number in zip("cdef", spelt.groups(), strict=True)
                        if number)
    try:
        designations = parse(text[:500])
    except PhienhieuError:  # more units than a decoding takes: not one unit
        return None
    for designation in designations:
        if parts := lettered_echelons(designation):
            return " ".join(parts)
    return None
