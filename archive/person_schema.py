"""The person JSON of CONTRACT.md (a martyr record), validated.

Text is stored as NFC with the look-alikes of ``Đ`` repaired; every field has a bound, so
one bad line of an import cannot fill the database; dates must name real days and agree
with each other (nobody dies before he is born or enlists after he falls).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from decoder.dates import PartialDate
from decoder.registry_schema import PartialDateText
from decoder.text import to_nfc

_FIRST_YEAR = 1850


def clean_text(value: str) -> str:
    """NFC, with runs of white space (non-breaking ones too) made one space."""
    return " ".join(to_nfc(value).split())


def not_blank(value: str) -> str:
    """Refuse text that was only white space."""
    if not value:
        raise ValueError("must not be blank")
    return value


# Lengths are checked on the text as sent (what the API documents), then it is cleaned:
# NFC, runs of white space made one space.
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(clean_text),
                 AfterValidator(not_blank)]
Place = Annotated[str, Field(max_length=500), AfterValidator(clean_text)]
Label = Annotated[str, Field(max_length=200), AfterValidator(clean_text)]
LongText = Annotated[str, Field(max_length=10_000), AfterValidator(lambda value: to_nfc(value).strip())]
PersonId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
FACT_FIELDS = ("full_name", "birth_year", "birth_date", "hometown", "enlisted", "rank", "position",
               "unit_text", "death_date", "death_place", "circumstances", "burial_place", "grave",
               "relatives")


class _Strict(BaseModel):
    # Strict: "1950" is not a year and false is not a number, whatever Python thinks.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


#: Which line of descent a relative shares with the martyr: the mother's line carries his
#: mitochondrial DNA, which a laboratory compares first.
Line = Literal["maternal", "paternal", "other"]


class Relative(_Strict):
    """A relative named on the record; ``contact`` is shown to officers only."""

    name: Name
    relation: Label | None = None
    address: Place | None = None
    line: Line | None = None
    living: bool | None = None
    contact: Place | None = None


class SourceRef(_Strict):
    """Where facts of the record come from: a scan (its id or SHA-256), a page and, for a
    fact read by OCR, the box on the page and the field it supports."""

    scan: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(str.strip),
                    AfterValidator(not_blank)]
    page: int | None = Field(default=None, ge=1, le=100_000)
    field: str | None = Field(default=None, description="one of the record's fields; null: all")
    box: list[Annotated[int, Field(ge=0, le=1_000_000)]] | None = Field(
        default=None, min_length=4, max_length=4, description="[x, y, width, height] on the page")
    note: Label | None = None

    @model_validator(mode="after")
    def _known_field(self) -> SourceRef:
        if self.field is not None and self.field not in FACT_FIELDS:
            raise ValueError(f"field must be one of {', '.join(FACT_FIELDS)}")
        return self


class PersonRecord(_Strict):
    """One martyr record; only ``full_name`` is required."""

    id: PersonId | None = None
    full_name: Name
    birth_year: int | None = Field(default=None, ge=_FIRST_YEAR, le=2100)
    birth_date: PartialDateText = None
    hometown: Place | None = None
    enlisted: PartialDateText = None
    rank: Label | None = None
    position: Label | None = None
    unit_text: Place | None = None
    death_date: PartialDateText = None
    death_place: Place | None = None
    circumstances: LongText | None = None
    burial_place: Place | None = None
    grave: Place | None = None
    relatives: list[Relative] = Field(default_factory=list, max_length=50)
    sources: list[SourceRef] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _dates_agree(self) -> PersonRecord:
        today = date.today()
        born = PartialDate.parse(self.birth_date) if self.birth_date else None
        if born is None and self.birth_year is not None:
            born = PartialDate(self.birth_year)
        if self.birth_date and self.birth_year is not None and born and born.year != self.birth_year:
            raise ValueError(f"birth_date {self.birth_date} is not in birth_year {self.birth_year}")
        enlisted = PartialDate.parse(self.enlisted) if self.enlisted else None
        died = PartialDate.parse(self.death_date) if self.death_date else None
        for label, when in (("birth", born), ("enlisted", enlisted), ("death_date", died)):
            if when is not None and when.first_day > today:
                raise ValueError(f"{label} {when} is in the future")
            if when is not None and when.year < _FIRST_YEAR:
                raise ValueError(f"{label} {when} is before {_FIRST_YEAR}")
        if born and died and died.last_day < born.first_day:
            raise ValueError(f"death_date {died} is before the birth ({born})")
        if born and enlisted and enlisted.last_day < born.first_day:
            raise ValueError(f"enlisted {enlisted} is before the birth ({born})")
        if enlisted and died and died.last_day < enlisted.first_day:
            raise ValueError(f"death_date {died} is before enlisted ({enlisted})")
        return self
