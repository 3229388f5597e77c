"""CONTRACT's relative, sample, custody, match and identification JSON, validated."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, Field, model_validator

from archive.person_schema import Label, Line, LongText, Name, PersonId, Place, _Strict
from decoder.registry_schema import PartialDateText

#: What happens to a sample, in the order it usually happens.
CUSTODY_EVENTS = ("collected", "sealed", "shipped", "received", "analysed", "stored", "returned",
                  "destroyed")
CustodyEventName = Literal["collected", "sealed", "shipped", "received", "analysed", "stored", "returned",
                           "destroyed"]
SampleKind = Literal["reference", "remains"]
Conclusion = Literal["match", "exclusion", "inconclusive"]
SampleId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")]
# A clock a few minutes fast at the laboratory is not a forgery.
_CLOCK_SLACK = timedelta(minutes=10)


def _not_future(value: datetime) -> datetime:
    if value > datetime.now(UTC) + _CLOCK_SLACK:
        raise ValueError("is in the future")
    return value.astimezone(UTC)


Instant = Annotated[AwareDatetime, AfterValidator(_not_future)]


class RelativeRecord(_Strict):
    """A relative registered for sampling; ``line`` says whose line of descent is shared."""

    name: Name
    relation: Label | None = None
    line: Line = "other"
    living: bool | None = None
    contact: Place | None = None
    consent: bool = False
    consent_at: PartialDateText = Field(default=None, description="the day consent was given")
    consent_how: Label | None = Field(default=None, description="signed form, recorded call…")


class SampleRecord(_Strict):
    """A new sample. A reference sample needs ``person_id``, its relative (``relative``,
    or ``relative_id`` for one registered already) and consent; a remains sample needs
    ``grave_id`` (or ``burial_id`` for remains recovered and not yet laid in a grave)."""

    kind: SampleKind
    person_id: PersonId | None = None
    relative: RelativeRecord | None = None
    relative_id: SampleId | None = None
    grave_id: PersonId | None = None
    burial_id: PersonId | None = None
    collected_at: PartialDateText = None
    collected_by: Label | None = None
    consent: bool = False

    @model_validator(mode="after")
    def _complete(self) -> SampleRecord:
        if self.kind == "reference":
            if not self.person_id:
                raise ValueError("a reference sample needs person_id")
            if (self.relative is None) == (self.relative_id is None):
                raise ValueError("a reference sample needs its relative: relative or relative_id, not both")
            if not self.consent:
                raise ValueError("a reference sample needs the relative's consent (consent: true)")
            if self.grave_id or self.burial_id:
                raise ValueError("a reference sample comes from a relative, not from a grave or a burial")
        else:
            if not (self.grave_id or self.burial_id):
                raise ValueError("a remains sample needs grave_id (or burial_id)")
            if self.relative is not None or self.relative_id is not None:
                raise ValueError("a remains sample has no relative")
        return self


class CustodyRecord(_Strict):
    """One event of a sample's chain of custody; ``at`` defaults to now."""

    event: CustodyEventName
    at: Instant | None = Field(default=None, strict=False, description="ISO 8601 with its offset")
    by: Label | None = Field(default=None, description="who handled it (default: who records it)")
    place: Label | None = Field(default=None, description="where")
    note: LongText | None = None


def _finite_positive(value: float | None) -> float | None:
    if value is not None and (not math.isfinite(value) or value < 0):
        raise ValueError("a likelihood ratio is a finite number, 0 or more")
    return value


class MatchRecord(_Strict):
    """A laboratory's comparison of a reference sample with a remains sample."""

    reference_sample: SampleId
    remains_sample: SampleId
    lr: Annotated[float | None, AfterValidator(_finite_positive)] = None
    conclusion: Conclusion
    note: LongText | None = None
    report_scan: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        default=None, description="the archived scan of the report (its id or SHA-256)")


class DocumentCitation(_Strict):
    """An archived page an identification rests on."""

    scan: Annotated[str, Field(min_length=1, max_length=100)]
    page: int | None = Field(default=None, ge=1, le=100_000)


class IdentificationRecord(_Strict):
    """A grave named after a person: on a laboratory ``match``, or on archived documents
    (then ``note`` says why they suffice)."""

    grave_id: PersonId
    person_id: PersonId
    matches: list[SampleId] = Field(default_factory=list, max_length=20)
    documents: list[DocumentCitation] = Field(default_factory=list, max_length=50)
    note: LongText | None = None


class UndoRecord(_Strict):
    """Why an identification is undone."""

    reason: Annotated[str, Field(min_length=1, max_length=2000)]
