"""What an extract states, fact by fact, each with its source."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from pydantic import BaseModel, ConfigDict


class SourcePage(BaseModel):
    """An archived page the facts were taken from."""

    model_config = ConfigDict(frozen=True)

    scan_id: int
    page: int
    filename: str
    sha256: str
    field: str | None = None


class UnitEvent(BaseModel):
    """Where the unit was around the date of death, with the registry's source."""

    model_config = ConfigDict(frozen=True)

    start: str | None
    end: str | None
    title: str
    place: str | None
    source: str | None


class Office(BaseModel):
    """The issuing office as it signs."""

    model_config = ConfigDict(frozen=True)

    name: str
    place: str
    verify_url: str


class ExtractContent(BaseModel):
    """Everything the document says, ready to render."""

    model_config = ConfigDict(frozen=True)

    serial: str
    issued_at: datetime
    office: Office
    person_id: str
    full_name: str
    birth_year: int | None
    birth_date: str | None
    hometown: str | None
    rank: str | None
    position: str | None
    enlisted: str | None
    unit_written: str
    unit_id: str
    unit_name: str
    unit_path: list[str]
    unit_events: list[UnitEvent]
    death_date: str | None
    death_place: str | None
    circumstances: str | None
    burial_place: str | None
    grave: str | None
    requester: str | None
    sources: list[SourcePage]

    @property
    def issued_on(self) -> date:
        """The day of issue in Vietnam (UTC+7), the date the office writes."""
        return self.issued_at.astimezone(timezone(timedelta(hours=7))).date()
