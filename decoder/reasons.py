"""The resolver's reasons as message ids with parameters, not sentences.

The words belong to whoever shows a reason, in the reader's language (the API renders
them through its message catalog); here a reason says only which statement it makes and
about what. A parameter is plain text (a unit's name, a date, a source), a term to be
put into words (a level, a branch), a unit as written (``regiment 88``), a code or name
a unit held, or periods of time.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from decoder.dates import Period
from decoder.model import Echelon, Level, Qualifier


class ReasonId(StrEnum):
    """Every statement the resolver makes; each has one message in the catalog."""

    UNIT_IS = "unit_is"  # unit, echelon
    BRANCH_MISMATCH = "branch_mismatch"  # written, unit, branch
    BELOW_RECORDED = "below_recorded"  # echelons, unit
    PARENT_AT_DATE = "parent_at_date"  # child, parent, date
    PARENT_IN_REGISTRY = "parent_in_registry"  # child, parent
    PARENT_AT_OTHER_TIME = "parent_at_other_time"  # child, parent, periods, date
    PARENT_CONTRADICTED = "parent_contradicted"  # child, actual, parent
    PARENT_UNKNOWN = "parent_unknown"  # level, child
    OUTSIDE_LIFETIME = "outside_lifetime"  # unit, lifetime, date
    NUMBERS_REPAIRED = "numbers_repaired"  # text
    NUMBER_REPAIRED = "number_repaired"  # text
    LETTERS_MISMATCH = "letters_mismatch"  # written, held
    CODE_HELD = "code_held"  # code, unit, period
    CODE_HELD_AT_DATE = "code_held_at_date"  # code, unit, date, period
    CODE_HELD_AT_OTHER_TIME = "code_held_at_other_time"  # code, unit, period, date
    CODE_UNVERIFIED = "code_unverified"  # code
    CODE_UNVERIFIED_SOURCE = "code_unverified_source"  # code, source


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)


class UnitWritten(_Frozen):
    """An echelon as the text wrote it: ``regiment 88``, ``theatre B5``."""

    level: Level
    number: str | None = Field(description="the number with any theatre letter; null when none")

    @classmethod
    def of(cls, echelon: Echelon) -> UnitWritten:
        """The echelon's level and number (``B`` and ``5`` become ``B5``)."""
        number = f"{echelon.prefix or ''}{echelon.number or ''}"
        return cls(level=echelon.level, number=number or None)


class Span(_Frozen):
    """A period; an open bound is null."""

    start: str | None = Field(default=None, alias="from")
    end: str | None = Field(default=None, alias="to")

    @classmethod
    def of(cls, period: Period) -> Span:
        """The period's bounds as partial ISO dates."""
        return cls(start=str(period.start) if period.start else None,
                   end=str(period.end) if period.end else None)


class CodeHeld(_Frozen):
    """A code or name a unit held: ``mailbox`` 47120 HN, ``cover_name`` Bến Tre."""

    kind: str = Field(description="mailbox, cover_name, honorific, code, alias or name")
    text: str


#: What a parameter may be; the message id says which parameters it has.
ReasonParam = str | Level | Qualifier | UnitWritten | list[UnitWritten] | Span | list[Span] | CodeHeld


class Reason(_Frozen):
    """One statement for or against a candidate: a message id and its parameters."""

    id: ReasonId
    params: dict[str, ReasonParam] = Field(default_factory=dict)
