"""Leads' reasons: which statement each makes and about what, and its sentence in English.

A :class:`Reason` is its English sentence, a ``str``, so that the JSON, the command line and
every reader of ``Area.reasons`` and ``GraveLead.reasons`` keep the sentence they always had
(and a reason survives ``to_json_data()`` into whatever a caller hands on); it also carries
``id`` and ``params``, from which :func:`sentence` says it again in another language through
a catalog's ``gettext``. The messages are written here once, English with named
placeholders, and marked with ``N_`` for the web's catalog (``scripts/messages.sh``).

A parameter is text as written (a unit's or a place's name, a record's id; ``written`` is
quoted), a number (the message gives its format: ``%(weight).2f``), a date
(``PartialDate``) or a ``Period`` said in words, a unit's ``Level``, another reason (a
clause: how a point was found, what agreed), or several clauses in a row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Self

from decoder.dates import PartialDate, Period
from decoder.model import Level


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for a marker
    """Mark ``message`` for the web's catalog; here it stays the English it is."""
    return message


class ReasonId(StrEnum):
    """Every statement leads make (whole reasons and the clauses inside them)."""

    # where a candidate unit was (positions.py)
    UNIT_AT = "unit_at"
    PARENT_AT = "parent_at"
    DIED_ON = "died_on"
    DIED_IN = "died_in"
    DEATH_DATE_UNKNOWN = "death_date_unknown"
    UNKNOWN_DATE = "unknown_date"
    UNIT_POINT = "unit_point"
    RECORDED_POINT = "recorded_point"
    GAZETTEER_POINT_FOR = "gazetteer_point_for"
    UNIT_WEIGHT = "unit_weight"
    UNIT_WEIGHT_INHERITED = "unit_weight_inherited"
    WHERE_UNIT_WAS = "where_unit_was"
    # how the gazetteer placed a written place (places.Located's account)
    GAZETTEER_UNIT = "gazetteer_unit"
    OLDER_NAME = "older_name"
    EXTENT_FROM_DATA = "extent_from_data"
    EXTENT_ASSUMED = "extent_assumed"
    FITS_COMMUNES = "fits_communes"
    FITS_DISTRICTS = "fits_districts"
    GAZETTEER_PROVINCE = "gazetteer_province"
    NOT_FOUND = "not_found"
    WRITTEN_COMMUNE = "written_commune"
    WRITTEN_DISTRICT = "written_district"
    BOTH = "both"
    OLD_PROVINCE = "old_province"
    # places written on the record (written.py)
    DEATH_PLACE_WRITTEN = "death_place_written"
    BURIAL_PLACE_WRITTEN = "burial_place_written"
    PLACED_AT = "placed_at"
    FITS_PLACES = "fits_places"
    DEATH_PLACE_AREA = "death_place_area"
    BURIAL_PLACE_AREA = "burial_place_area"
    # first burials and remains (burials.py)
    BURIAL_LINKED = "burial_linked"
    BURIAL_MATCH = "burial_match"
    POINT = "point"
    MATCH_WEIGHT = "match_weight"
    REMAINS_INTO_GRAVE = "remains_into_grave"
    PARTIAL_GRAVE_MATCH = "partial_grave_match"
    BURIAL_AREA = "burial_area"
    BURIAL_REMAINS_AREA = "burial_remains_area"
    PARTIAL_REMAINS_AREA = "partial_remains_area"
    # facts compared (matching.py)
    SAME_NAME = "same_name"
    SAME_FAMILY_AND_GIVEN_NAME = "same_family_and_given_name"
    NAME_LETTERS_APART = "name_letters_apart"
    NAME_PART = "name_part"
    OTHER_NAME = "other_name"
    SAME_UNIT = "same_unit"
    OTHER_UNIT = "other_unit"
    SAME_BIRTH_YEAR = "same_birth_year"
    BIRTH_YEAR_ONE_APART = "birth_year_one_apart"
    OTHER_BIRTH_YEAR = "other_birth_year"
    DEATH_DATE_FITS = "death_date_fits"
    DEATH_DATE_DAYS_APART = "death_date_days_apart"
    OTHER_DEATH_DATE = "other_death_date"
    SAME_HOMETOWN = "same_hometown"
    HOMETOWN_SAME_PROVINCE = "hometown_same_province"
    OTHER_HOMETOWN = "other_hometown"
    # graves ranked (ranking.py)
    REMAINS_NEAR_AREA = "remains_near_area"
    CEMETERY_NEAR_AREA = "cemetery_near_area"
    NAMED_BY_EVIDENCE = "named_by_evidence"
    COLLECTED_BEFORE_DEATH = "collected_before_death"
    GRAVE_BEARS = "grave_bears"
    CLAIMED_BY_ANOTHER = "claimed_by_another"


#: The English of every reason id: the catalog's message id. Clauses that may be left out
#: (``older``, ``many``, ``missing``, ``era``) carry their own separators.
MESSAGES: dict[ReasonId, str] = {
    ReasonId.UNIT_AT: N_("%(unit)s was at %(place)s in %(span)s (%(event)s)"),
    ReasonId.PARENT_AT: N_("%(unit)s has no recorded position near %(date)s; its parent %(parent)s was at "
                           "%(place)s in %(span)s (%(event)s)"),
    ReasonId.DIED_ON: N_("the person died on %(date)s"),
    ReasonId.DIED_IN: N_("the person died in %(date)s"),
    ReasonId.DEATH_DATE_UNKNOWN: N_("the death date is unknown: every recorded position counts"),
    ReasonId.UNKNOWN_DATE: N_("an unknown date"),
    ReasonId.UNIT_POINT: N_("point: %(how)s; radius %(radius)g km for a %(level)s"),
    ReasonId.RECORDED_POINT: N_("the recorded point"),
    ReasonId.GAZETTEER_POINT_FOR: N_("the gazetteer's point for %(written)s (%(how)s)"),
    ReasonId.UNIT_WEIGHT: N_("weight %(weight).2f = unit score %(score).2f × time fit %(fit).2f"),
    ReasonId.UNIT_WEIGHT_INHERITED: N_("weight %(weight).2f = unit score %(score).2f × time fit %(fit).2f × "
                                       "%(factor).2f for a position %(steps)d level(s) up"),
    ReasonId.WHERE_UNIT_WAS: N_("where %(unit)s was in %(span)s (%(place)s)"),
    ReasonId.GAZETTEER_UNIT: N_("point of %(place)s in the gazetteer%(older)s, %(size)s%(many)s"),
    ReasonId.OLDER_NAME: N_(" (the written name %(written)s is an older name of this unit)"),
    ReasonId.EXTENT_FROM_DATA: N_("radius %(radius)g km from the data's extent"),
    ReasonId.EXTENT_ASSUMED: N_("no extent in the data, %(radius)g km assumed"),
    ReasonId.FITS_COMMUNES: N_("; the name fits %(count)d communes"),
    ReasonId.FITS_DISTRICTS: N_("; the name fits %(count)d districts"),
    ReasonId.GAZETTEER_PROVINCE: N_("%(missing)scentroid of the province %(province)s%(era)s (%(origin)s), "
                                    "radius %(radius)g km: the whole province, not a precise place"),
    ReasonId.NOT_FOUND: N_("%(names)s not found in the gazetteer; "),
    ReasonId.WRITTEN_COMMUNE: N_("commune %(written)s"),
    ReasonId.WRITTEN_DISTRICT: N_("district %(written)s"),
    ReasonId.BOTH: N_("%(first)s and %(then)s"),
    ReasonId.OLD_PROVINCE: N_(" (a province of %(start)s–%(end)s, today %(today)s)"),
    ReasonId.DEATH_PLACE_WRITTEN: N_("the record's place of death is written %(written)s"),
    ReasonId.BURIAL_PLACE_WRITTEN: N_("the record's place of first burial is written %(written)s"),
    ReasonId.PLACED_AT: N_("placed at %(place)s: %(how)s"),
    ReasonId.FITS_PLACES: N_("the written place fits %(count)d places; each counts for 1/%(count)d"),
    ReasonId.DEATH_PLACE_AREA: N_("the record's place of death (%(place)s)"),
    ReasonId.BURIAL_PLACE_AREA: N_("the record's place of first burial (%(place)s)"),
    ReasonId.BURIAL_LINKED: N_("the burial record is linked to this person"),
    ReasonId.BURIAL_MATCH: N_("initial burial record %(burial)s: %(facts)s"),
    ReasonId.POINT: N_("point: %(how)s"),
    ReasonId.MATCH_WEIGHT: N_("weight %(weight).2f: how well the record matches"),
    ReasonId.REMAINS_INTO_GRAVE: N_("the remains of initial burial %(burial)s were collected into grave "
                                    "%(grave)s"),
    ReasonId.PARTIAL_GRAVE_MATCH: N_("partial grave %(grave)s: %(facts)s"),
    ReasonId.BURIAL_AREA: N_("the initial burial %(burial)s (%(place)s)"),
    ReasonId.BURIAL_REMAINS_AREA: N_("where the remains of burial %(burial)s were collected (%(place)s)"),
    ReasonId.PARTIAL_REMAINS_AREA: N_("where the remains in partial grave %(grave)s were collected "
                                      "(%(place)s)"),
    ReasonId.SAME_NAME: N_("the same name (%(name)s)"),
    ReasonId.SAME_FAMILY_AND_GIVEN_NAME: N_("the same family and given name (%(name)s)"),
    ReasonId.NAME_LETTERS_APART: N_("a name one or two letters apart (%(name)s)"),
    ReasonId.NAME_PART: N_("part of the name, the given name the same (%(name)s)"),
    ReasonId.OTHER_NAME: N_("another name (%(name)s)"),
    ReasonId.SAME_UNIT: N_("the same unit (%(unit)s)"),
    ReasonId.OTHER_UNIT: N_("another unit (%(unit)s)"),
    ReasonId.SAME_BIRTH_YEAR: N_("the same birth year (%(year)s)"),
    ReasonId.BIRTH_YEAR_ONE_APART: N_("a birth year one apart (%(year)s)"),
    ReasonId.OTHER_BIRTH_YEAR: N_("another birth year (%(year)s)"),
    ReasonId.DEATH_DATE_FITS: N_("a death date that fits (%(date)s)"),
    ReasonId.DEATH_DATE_DAYS_APART: N_("a death date %(days)d days apart (%(date)s)"),
    ReasonId.OTHER_DEATH_DATE: N_("another death date (%(date)s)"),
    ReasonId.SAME_HOMETOWN: N_("the same hometown (%(place)s)"),
    ReasonId.HOMETOWN_SAME_PROVINCE: N_("a hometown in the same province (%(place)s)"),
    ReasonId.OTHER_HOMETOWN: N_("a hometown in another province (%(place)s)"),
    ReasonId.REMAINS_NEAR_AREA: N_("remains collected %(distance).0f km from %(area)s (area radius "
                                   "%(radius)g km, weight %(weight).2f; fit %(fit).2f)"),
    ReasonId.CEMETERY_NEAR_AREA: N_("no collection place recorded; its cemetery (%(cemetery)s) lies "
                                    "%(distance).0f km from %(area)s (area radius %(radius)g km, weight "
                                    "%(weight).2f; fit %(fit).2f)"),
    ReasonId.NAMED_BY_EVIDENCE: N_("named by the evidence: %(reason)s"),
    ReasonId.COLLECTED_BEFORE_DEATH: N_("remains collected in %(date)s, before the death (%(death)s)"),
    ReasonId.GRAVE_BEARS: N_("the grave bears %(fact)s"),
    ReasonId.CLAIMED_BY_ANOTHER: N_("the remains of first burial %(burial)s (%(name)s) were moved into this "
                                    "grave"),
}
#: Levels as a reason names them (the same words as the decoder's reasons on the web).
LEVELS: dict[Level, str] = {
    Level.SQUAD: N_("squad"), Level.PLATOON: N_("platoon"), Level.COMPANY: N_("company"),
    Level.BATTALION: N_("battalion"), Level.REGIMENT: N_("regiment"), Level.BRIGADE: N_("brigade"),
    Level.DIVISION: N_("division"), Level.GROUP: N_("group"), Level.CORPS: N_("corps"),
    Level.MILITARY_REGION: N_("military region"), Level.FRONT: N_("front"), Level.THEATRE: N_("theatre")}
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
          N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))
#: A date in words: ``20 May 1972``, ``May 1972``, ``1972`` (Vietnamese puts its own words around).
DAY_MONTH_YEAR, MONTH_YEAR, YEAR = N_("%(day)s %(month)s %(year)s"), N_("%(month)s %(year)s"), N_("%(year)s")
#: The parameter that is text as the record wrote it, shown in quotes.
QUOTED = "written"

#: A parameter: what each message's placeholders are filled from.
Param = str | int | float | PartialDate | Period | Level | tuple["Reason", ...]
#: A catalog's ``gettext``: an English message to the reader's language.
Translate = Callable[[str], str]


def _english(message: str) -> str:
    return message


class Reason(str):
    """One statement for or against an area or a grave: its English sentence, with the
    message id and the parameters it was said from (read-only)."""

    id: ReasonId
    params: Mapping[str, Param]

    def __new__(cls, reason_id: ReasonId, /, **params: Param) -> Self:
        """``Reason(ReasonId.DIED_IN, date=PartialDate(1972, 5))`` is "the person died in May 1972"."""
        reason = super().__new__(cls, _ENGLISH.said(reason_id, params))
        reason.id = reason_id
        reason.params = MappingProxyType(params)
        return reason

    def __reduce__(self) -> tuple[object, ...]:
        # Made again from its id and params (pickle and copy would call __new__ with the text).
        return _rebuilt, (self.id, dict(self.params))


def _rebuilt(reason_id: ReasonId, params: dict[str, Param]) -> Reason:
    return Reason(reason_id, **params)


class _Words:
    """Puts reasons and their parameters into words of one language."""

    def __init__(self, translate: Translate) -> None:
        self._ = translate
        self._english = translate is _english

    def said(self, reason_id: ReasonId, params: Mapping[str, Param]) -> str:
        """The message of ``reason_id`` with its parameters put into words first."""
        return self._(MESSAGES[reason_id]) % {name: self.param(name, value) for name, value in params.items()}

    def param(self, name: str, value: Param) -> object:
        """One parameter in words; numbers stay numbers for the message to format."""
        kind = type(value)
        if kind is float or kind is int:  # the most frequent first: graves by the thousand
            return value
        if kind is str:
            return repr(value) if name == QUOTED else value
        if isinstance(value, Reason):  # a clause: already English, else said again
            return str(value) if self._english else self.said(value.id, value.params)
        if isinstance(value, tuple):  # clauses in a row
            return ", ".join(str(self.param(name, item)) for item in value)
        if isinstance(value, Level):
            return self._(LEVELS[value])
        if isinstance(value, PartialDate):
            return self.date(value)
        if isinstance(value, Period):
            return self.span(value)
        if isinstance(value, str) and name == QUOTED:  # a str of another kind
            return repr(value)
        return value

    def date(self, when: PartialDate) -> str:
        """``20 May 1972``, ``May 1972``, ``1972`` (Vietnamese: ``ngày 20 tháng 5 năm 1972``)."""
        if when.month is None:
            return self._(YEAR) % {"year": when.year}
        words = {"day": when.day, "month": self._(MONTHS[when.month - 1]), "year": when.year}
        return self._(DAY_MONTH_YEAR if when.day else MONTH_YEAR) % words

    def span(self, period: Period) -> str:
        """``May 1972``, ``March 1972 – June 1972``, ``… – June 1972``."""
        if period.start == period.end:
            return self.date(period.start) if period.start else self._(MESSAGES[ReasonId.UNKNOWN_DATE])
        start = self.date(period.start) if period.start else "…"
        return f"{start} – {self.date(period.end) if period.end else '…'}"


_ENGLISH = _Words(_english)


def sentence(reason: str, translate: Translate = _english) -> str:
    """``reason`` in the language of ``translate`` (a catalog's ``gettext``; English without
    one); a plain string, as an area a caller made itself may carry, as it is."""
    if not isinstance(reason, Reason):
        return reason
    return str(reason) if translate is _english else _Words(translate).said(reason.id, reason.params)

