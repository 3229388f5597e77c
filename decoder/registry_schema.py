"""The registry JSON document of CONTRACT.md, as validated pydantic models.

Field-level checks (types, enums, partial dates, coordinates) live here; checks that
need the whole document or the stored registry (unknown parents, cycles, overlapping
codes) live in :mod:`decoder.registry_validation`.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from decoder.dates import PartialDate, Period
from decoder.errors import InvalidDateError
from decoder.model import Level, Qualifier


def _check_partial_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return str(PartialDate.parse(value))
    except InvalidDateError as error:
        raise ValueError(error.message) from error


PartialDateText = Annotated[str | None, AfterValidator(_check_partial_date)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
UnitId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                      pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"),
]
Digits = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,6}$")]
SourceText = Annotated[str, StringConstraints(max_length=2000)]


class CodeKind(StrEnum):
    """What sort of code or name a unit carried for a time."""

    MAILBOX = "mailbox"
    COVER_NAME = "cover_name"
    HONORIFIC = "honorific"
    CODE = "code"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class BoundedEntry(_Entry):
    """An entry that holds between two partial dates (``from``/``to``)."""

    start: PartialDateText = Field(default=None, alias="from")
    end: PartialDateText = Field(default=None, alias="to")

    @cached_property
    def period(self) -> Period:
        """The span the entry holds for."""
        return Period(
            PartialDate.parse(self.start) if self.start else None,
            PartialDate.parse(self.end) if self.end else None,
        )


class ParentEntry(BoundedEntry):
    """The unit belonged to ``unit`` during the period."""

    unit: UnitId


class CodeEntry(BoundedEntry):
    """A mailbox code, cover name, honorific or code number held for a period."""

    code: ShortText
    kind: CodeKind
    source: SourceText | None = None
    verified: bool = False


class EventEntry(BoundedEntry):
    """Something the unit did somewhere, with its source."""

    title: ShortText
    place: ShortText | None = None
    province: ShortText | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    source: SourceText | None = None


class UnitEntry(_Entry):
    """One unit with everything the registry knows about it."""

    id: UnitId
    level: Level
    number: Digits | None = None
    name: ShortText
    branch: Qualifier | None = None
    aliases: list[ShortText] = Field(default_factory=list)
    founded: PartialDateText = None
    dissolved: PartialDateText = None
    parents: list[ParentEntry] = Field(default_factory=list)
    codes: list[CodeEntry] = Field(default_factory=list)
    events: list[EventEntry] = Field(default_factory=list)

    @cached_property
    def lifetime(self) -> Period:
        """From founding to dissolution (open where unknown)."""
        return Period(
            PartialDate.parse(self.founded) if self.founded else None,
            PartialDate.parse(self.dissolved) if self.dissolved else None,
        )


class RegistryDocument(_Entry):
    """A whole registry file: ``{"units": [...]}``."""

    units: list[UnitEntry]

    def to_json_data(self) -> dict[str, object]:
        """The document as CONTRACT.md's JSON (``from``/``to`` keys, nulls kept)."""
        return self.model_dump(mode="json", by_alias=True)
