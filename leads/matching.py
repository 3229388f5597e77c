"""Whether two records' names, units, years and dates agree, each as a plain verdict.

A verdict is ``agree`` (with how strongly, 0..1), ``unknown`` (one side says nothing, or
nothing the gazetteer can place) or ``conflict``; leads raise a grave or a burial for
agreement and lower it for conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from decoder.dates import PartialDate
from decoder.errors import PhienhieuError
from decoder.grammar import lettered_echelons, parse
from decoder.plots import name_key
from leads.reasons import Reason, ReasonId
from places import Located, locate

Verdict = Literal["agree", "unknown", "conflict"]


@dataclass(frozen=True)
class Agreement:
    """One comparison: the verdict, its strength (0..1 when agreeing) and what was found
    (a clause such as "the same name (Lê Văn Tám)"; None when one side says nothing)."""

    verdict: Verdict
    strength: float = 0.0
    said: Reason | None = None


UNKNOWN = Agreement("unknown")
#: How alike two folded names must be to be one name written with a slip or two.
NEAR = 0.88
#: How strongly a name written in part agrees: many men share a given name.
PART_STRENGTH = 0.4


#: :func:`name_key`, remembered: one person's name is compared with thousands of records.
_key = lru_cache(maxsize=1 << 16)(name_key)


def names(a: str | None, b: str | None) -> Agreement:
    """Full names: the same once folded; family and given name the same (a middle name left
    out); one or two letters apart (a clerk's or OCR's slip); or one written in part, its
    words found in order in the other and the given name the same (a worn stone, a
    partial grave's "Tám" or "Văn Tám"), which agrees only weakly."""
    if not a or not b:
        return UNKNOWN
    ka, kb = _key(a), _key(b)
    if ka == kb:
        return Agreement("agree", 1.0, Reason(ReasonId.SAME_NAME, name=b))
    wa, wb = ka.split(), kb.split()
    if wa and wb and wa[0] == wb[0] and wa[-1] == wb[-1]:
        return Agreement("agree", 0.7, Reason(ReasonId.SAME_FAMILY_AND_GIVEN_NAME, name=b))
    if _similar(ka, kb):
        return Agreement("agree", 0.6, Reason(ReasonId.NAME_LETTERS_APART, name=b))
    if wa and wb and wa[-1] == wb[-1] and (_in_order(wa, wb) or _in_order(wb, wa)):
        return Agreement("agree", PART_STRENGTH, Reason(ReasonId.NAME_PART, name=b))
    return Agreement("conflict", 0.0, Reason(ReasonId.OTHER_NAME, name=b))


def _in_order(part: list[str], whole: list[str]) -> bool:
    """Whether every word of ``part`` is in ``whole``, in the same order."""
    words = iter(whole)
    return all(word in words for word in part)


def _similar(a: str, b: str) -> bool:
    """Whether two folded names are at least 0.88 alike; the cheap upper bounds first (most
    pairs of a namesake search differ at a glance, and the full comparison is costly)."""
    matcher = SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR and matcher.ratio() >= NEAR


@lru_cache(maxsize=1 << 14)
def echelons(text: str) -> tuple[str, ...]:
    """The numbered echelons of the first unit written, in letters: ``("c3", "d2", "e7")``."""
    try:
        designations = parse(text[:300])
    except PhienhieuError:
        return ()
    for designation in designations:
        if parts := lettered_echelons(designation):
            return tuple(parts)
    return ()


def units(a: str | None, b: str | None) -> Agreement:
    """Written units: every echelon both write is the same (``c3 d2 e7`` and ``d2 e7 f950``
    share d2 and e7); a different number at the same echelon is a conflict."""
    ea, eb = echelons(a) if a else (), echelons(b) if b else ()
    if not ea or not eb:
        return UNKNOWN
    letters_a = {part[0]: part for part in ea}
    letters_b = {part[0]: part for part in eb}
    shared = sorted(set(letters_a) & set(letters_b))
    if not shared:
        return UNKNOWN
    if any(letters_a[letter] != letters_b[letter] for letter in shared):
        return Agreement("conflict", 0.0, Reason(ReasonId.OTHER_UNIT, unit=" ".join(eb)))
    strength = min(1.0, 0.4 + 0.2 * len(shared))
    same = " ".join(letters_b[x] for x in shared)
    return Agreement("agree", strength, Reason(ReasonId.SAME_UNIT, unit=same))


def hometowns(a: str | None, b: str | None) -> Agreement:
    """Hometowns, placed by the gazetteer (old names and spellings read): the same place, or
    the same district; the same province, or an old merged province and one it held (Nghệ
    Tĩnh and Hà Tĩnh); or provinces that share nothing even today. Two provinces merged
    only since (Quảng Bình and Quảng Trị, one province from 2025) say nothing."""
    if not a or not b:
        return UNKNOWN
    spot_a, spot_b = _place(a), _place(b)
    if spot_a is None or spot_b is None:
        return UNKNOWN
    if not set(spot_a.today) & set(spot_b.today):
        return Agreement("conflict", 0.0, Reason(ReasonId.OTHER_HOMETOWN, place=b))
    district = spot_a.district and (spot_a.district, spot_a.province) == (spot_b.district, spot_b.province)
    if (spot_a.level != "province" and spot_a.name == spot_b.name) or district:
        return Agreement("agree", 1.0, Reason(ReasonId.SAME_HOMETOWN, place=b))
    if spot_a.province == spot_b.province or spot_a.era or spot_b.era:
        return Agreement("agree", 0.4, Reason(ReasonId.HOMETOWN_SAME_PROVINCE, place=b))
    return UNKNOWN


def _place(text: str) -> Located | None:
    """The likeliest place a written hometown means; None when the gazetteer knows nothing of it."""
    found = locate(text)
    return found[0] if found else None


def years(a: int | None, b: int | None) -> Agreement:
    """Birth years: the same, or one apart (ages were counted the Vietnamese way)."""
    if a is None or b is None:
        return UNKNOWN
    if a == b:
        return Agreement("agree", 1.0, Reason(ReasonId.SAME_BIRTH_YEAR, year=b))
    if abs(a - b) == 1:
        return Agreement("agree", 0.5, Reason(ReasonId.BIRTH_YEAR_ONE_APART, year=b))
    return Agreement("conflict", 0.0, Reason(ReasonId.OTHER_BIRTH_YEAR, year=b))


def dates(a: PartialDate | None, b: PartialDate | None) -> Agreement:
    """Death dates: the same span, or within a month of each other."""
    if a is None or b is None:
        return UNKNOWN
    gap = max((b.first_day - a.last_day).days, (a.first_day - b.last_day).days, 0)
    if gap == 0:
        return Agreement("agree", 1.0, Reason(ReasonId.DEATH_DATE_FITS, date=str(b)))
    if gap <= 31:
        return Agreement("agree", 0.5, Reason(ReasonId.DEATH_DATE_DAYS_APART, days=gap, date=str(b)))
    return Agreement("conflict", 0.0, Reason(ReasonId.OTHER_DEATH_DATE, date=str(b)))
