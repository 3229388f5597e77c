"""What goes into the index and what comes out of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DocType = Literal["page", "person", "unit", "grave"]
#: A grave's status, as CONTRACT names them (``decoder.plots.GRAVE_STATUSES``).
GraveStatus = Literal["named", "unidentified", "partial", "named_no_remains"]
SortOrder = Literal["relevance", "date", "-date"]

#: Longest query accepted; a name, a code or a sentence fits many times over.
MAX_QUERY_CHARS = 500
MAX_OFFSET = 10_000


@dataclass(frozen=True)
class IndexDocument:
    """One searchable record, built from the database (which stays the truth)."""

    type: DocType
    id: str
    title: str
    body: str
    names: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    collection: str | None = None
    provinces: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    summary: str = ""
    scan_id: int | None = None
    page_number: int | None = None
    cemetery: str | None = None  # a grave's cemetery id
    status: GraveStatus | None = None  # a grave's status

    @property
    def key(self) -> str:
        """Unique across types: ``person:hn-1972-0042``."""
        return f"{self.type}:{self.id}"


class SearchRequest(BaseModel):
    """A search as the API and the CLI take it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    q: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="what to look for")
    type: DocType | None = Field(default=None, description="only pages, persons, units or graves")
    collection: str | None = Field(default=None, max_length=200)
    cemetery: str | None = Field(default=None, max_length=64, description="graves in this cemetery (its id)")
    status: GraveStatus | None = Field(default=None, description="graves of this status")
    province: str | None = Field(default=None, max_length=200)
    unit: str | None = Field(default=None, max_length=64, description="a unit id of the registry")
    date_from: date | None = None
    date_to: date | None = None
    sort: SortOrder = "relevance"
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)

    @field_validator("q")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not any(character.isalnum() for character in value):
            raise ValueError("the query has no letters or digits")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> SearchRequest:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from is after date_to")
        return self


@dataclass
class SearchHit:
    """One result; ``snippet`` is plain text, ``highlights`` the [start, end) offsets of
    the matching words in it, ``boxes`` their boxes on the page image (pages only)."""

    type: DocType
    id: str
    score: float
    title: str
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    scan_id: int | None = None
    page_number: int | None = None
    boxes: list[list[int]] = field(default_factory=list)


@dataclass
class SearchResult:
    """A page of results and how many there are in all."""

    total: int
    hits: list[SearchHit]
    relaxed: bool = False  # no record had every word: records with some of them are shown
