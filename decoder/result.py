"""The decode result of CONTRACT.md: designations found, and candidates with evidence."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from decoder.model import Designation, Level
from decoder.reasons import Reason


class HistoryItem(BaseModel):
    """Where a unit was and what it did, around the date asked about."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)

    start: str | None = Field(default=None, alias="from")
    end: str | None = Field(default=None, alias="to")
    title: str
    place: str | None = None
    province: str | None = None
    lat: float | None = None
    lon: float | None = None
    source: str | None = None
    unit_id: str = Field(description="the unit the event belongs to (a parent's, when inherited)")


class Candidate(BaseModel):
    """A unit the text may mean, with the reasons for and against."""

    model_config = ConfigDict(frozen=True)

    unit_id: str
    name: str
    level: Level
    path: list[str] = Field(description="unit names from the top of the hierarchy down")
    score: float = Field(ge=0, le=1)
    valid: bool = Field(description="false when the matching relation does not hold at the date")
    reasons: list[str] = Field(description="the reasons as sentences in the reader's language, "
                                           "in the order of reasons_structured")
    history: list[HistoryItem]
    designation: int = Field(description="index of the designation this candidate explains")
    verified: bool = Field(description="true when every registry entry relied on is verified")
    reasons_structured: list[Reason] = Field(
        description="the reasons for and against, each a message id with its parameters")


class DecodeResult(BaseModel):
    """Everything decoded from one text."""

    model_config = ConfigDict(frozen=True)

    text: str
    date: str | None
    designations: list[Designation]
    candidates: list[Candidate]

    def with_sentences(self, sentence: Callable[[Reason], str]) -> DecodeResult:
        """The result with every candidate's ``reasons`` put into words by ``sentence``.

        The resolver leaves ``reasons`` empty: the words are the reader's language's,
        chosen where the result is shown.
        """
        candidates = [candidate.model_copy(update={
            "reasons": [sentence(reason) for reason in candidate.reasons_structured]})
            for candidate in self.candidates]
        return self.model_copy(update={"candidates": candidates})

    def to_json_data(self) -> dict[str, object]:
        """The result as CONTRACT.md's JSON."""
        return self.model_dump(mode="json", by_alias=True)
