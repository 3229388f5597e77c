"""CONTRACT's cemetery, grave and initial-burial JSON, validated.

The same rules as person records: text is NFC with runs of white space made one, every
field is bounded, partial dates must name real days, agree with each other and lie
neither in the future nor before 1850, coordinates lie on the globe and come in pairs,
and unknown fields are refused rather than dropped.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from archive.person_schema import Label, Name, PersonId, Place, clean_text, not_blank
from decoder.dates import PartialDate
from decoder.registry_schema import PartialDateText

_FIRST_YEAR = 1850

RecordId = PersonId
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
PositionPart = Annotated[str, Field(max_length=32), AfterValidator(clean_text)]
Reason = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(clean_text),
                   AfterValidator(not_blank)]


#: What is known of who lies in a grave: a name and remains; remains and no name ("mộ vô
#: danh"); remains and some facts, no certain name; a name and no remains.
StatusName = Literal["named", "unidentified", "partial", "named_no_remains"]
#: Who keeps a cemetery.
LevelName = Literal["national", "province", "district", "commune"]


class _Strict(BaseModel):
    # Strict, as person records: "1950" is not a year; files' text cells are typed first.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def check_dates(*named: tuple[str, str | None]) -> list[tuple[str, PartialDate]]:
    """Parse the dates given, each neither in the future nor before 1850, in order.

    Raises:
        ValueError: a date is in the future or before 1850.
    """
    today = date.today()
    parsed = []
    for label, text in named:
        if not text:
            continue
        when = _parsed(text)
        if when.first_day > today:
            raise ValueError(f"{label} {when} is in the future")
        if when.year < _FIRST_YEAR:
            raise ValueError(f"{label} {when} is before {_FIRST_YEAR}")
        parsed.append((label, when))
    return parsed


@lru_cache(maxsize=1 << 14)
def _parsed(text: str) -> PartialDate:
    """A partial date, remembered: a register's dates repeat."""
    return PartialDate.parse(text)


def dates_in_order(dates: list[tuple[str, PartialDate]]) -> None:
    """Refuse a later date that ends before an earlier one begins.

    Raises:
        ValueError: it does.
    """
    for (first_label, first), (then_label, then) in pairwise(dates):
        if then.last_day < first.first_day:
            raise ValueError(f"{then_label} {then} is before {first_label} ({first})")


def _paired(lat: float | None, lon: float | None, where: str) -> None:
    if (lat is None) != (lon is None):
        raise ValueError(f"{where}lat and {where}lon go together: give both or neither")


class SourceCitation(_Strict):
    """Where facts come from: a scan (its id or SHA-256), a page and, for a fact read by
    OCR, its box on the page and the field it supports."""

    scan: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(str.strip),
                    AfterValidator(not_blank)]
    page: int | None = Field(default=None, ge=1, le=100_000)
    field: Annotated[str, Field(max_length=40)] | None = None
    box: list[Annotated[int, Field(ge=0, le=1_000_000)]] | None = Field(
        default=None, min_length=4, max_length=4, description="[x, y, width, height] on the page")
    note: Label | None = None


class CemeteryRecord(_Strict):
    """A cemetery; ``id`` and ``name`` are required."""

    id: RecordId
    name: Annotated[str, Field(min_length=1, max_length=300), AfterValidator(clean_text),
                    AfterValidator(not_blank)]
    level: LevelName | None = None
    commune: Label | None = None
    district: Label | None = None
    province: Label | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    contact: Place | None = None

    @model_validator(mode="after")
    def _coordinates(self) -> CemeteryRecord:
        _paired(self.lat, self.lon, "")
        return self


class RemainsFrom(_Strict):
    """Where a grave's remains were collected, and the initial burial they came from."""

    place: Place | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    date: PartialDateText = None
    burial: RecordId | None = None


class GraveRecord(_Strict):
    """A grave; ``id``, ``cemetery``, ``number`` and ``status`` are required.

    ``reason`` is not part of the grave: it says why its status changed, and is kept in
    the grave's history."""

    id: RecordId
    cemetery: Annotated[str, Field(min_length=1, max_length=300, description="the cemetery's id or name"),
                        AfterValidator(clean_text), AfterValidator(not_blank)]
    zone: PositionPart | None = None
    lot: PositionPart | None = None
    row: PositionPart | None = None
    number: Annotated[str, Field(min_length=1, max_length=32), AfterValidator(clean_text),
                      AfterValidator(not_blank)]
    status: StatusName
    name: Name | None = None
    birth_year: int | None = Field(default=None, ge=_FIRST_YEAR, le=2100)
    hometown: Place | None = None
    unit_text: Place | None = None
    death_date: PartialDateText = None
    remains_from: RemainsFrom | None = None
    person_id: RecordId | None = None
    sources: list[SourceCitation] = Field(default_factory=list, max_length=100)
    reason: Reason | None = None

    @model_validator(mode="after")
    def _agrees(self) -> GraveRecord:
        if self.status in ("named", "named_no_remains") and not self.name:
            raise ValueError(f"a grave whose status is {self.status} needs the name on its stone")
        if self.status == "unidentified" and self.name:
            raise ValueError("an unidentified grave has no name; its status is named or partial")
        if self.status == "named_no_remains" and self.remains_from:
            raise ValueError("a grave with no remains has no remains_from")
        remains = self.remains_from or RemainsFrom()
        _paired(remains.lat, remains.lon, "remains_from.")
        born = [("birth_year", str(self.birth_year))] if self.birth_year else []
        dates = check_dates(*born, ("death_date", self.death_date), ("remains_from.date", remains.date))
        dates_in_order(dates)
        return self


class Recovered(_Strict):
    """When the remains were taken up, and the grave they were laid in."""

    date: PartialDateText = None
    grave: RecordId | None = None


class BurialRecord(_Strict):
    """An initial burial (an táng ban đầu); only ``id`` is required."""

    id: RecordId
    name: Name | None = None
    unit_text: Place | None = None
    death_date: PartialDateText = None
    burial_date: PartialDateText = None
    place: Place | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    buried_by: Place | None = None
    marker: Label | None = None
    witnesses: list[Place] = Field(default_factory=list, max_length=50)
    recovered: Recovered | None = None
    person_id: RecordId | None = None
    sources: list[SourceCitation] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _agrees(self) -> BurialRecord:
        _paired(self.lat, self.lon, "")
        recovered = self.recovered or Recovered()
        dates_in_order(check_dates(("death_date", self.death_date), ("burial_date", self.burial_date),
                               ("recovered.date", recovered.date)))
        return self
