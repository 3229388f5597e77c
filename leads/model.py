"""What leads are made from (a person's evidence, first burials, graves) and what they give
(areas, graves ranked): plain values, filled by the caller from whatever store it reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from decoder.dates import PartialDate

#: The kinds of search area CONTRACT names.
AreaKind = Literal["unit_position", "death_place", "initial_burial", "remains_collected"]
#: Grave statuses of CONTRACT; leads rank only the last two.
GraveStatus = Literal["named", "named_no_remains", "unidentified", "partial"]
RANKED_STATUSES: frozenset[str] = frozenset({"unidentified", "partial"})


@dataclass(frozen=True)
class UnitCandidate:
    """A unit the person's written unit may mean, with the decoder's score (0..1)."""

    unit_id: str
    score: float


@dataclass(frozen=True)
class Evidence:
    """What is known of one person, gathered from the record and its linked copies.

    ``units`` are the decoded candidates at the death date, best first; two of them give two
    families of areas. ``name`` is the full name as written, ``unit_text`` the unit as written.
    """

    person_id: str
    death_date: PartialDate | None = None
    units: tuple[UnitCandidate, ...] = ()
    death_place: str | None = None
    burial_place: str | None = None
    name: str | None = None
    birth_year: int | None = None
    unit_text: str | None = None
    hometown: str | None = None


@dataclass(frozen=True)
class Burial:
    """An initial burial record (CONTRACT's burial JSON, the fields leads read)."""

    id: str
    name: str | None = None
    unit_text: str | None = None
    death_date: PartialDate | None = None
    burial_date: PartialDate | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    person_id: str | None = None
    recovered_date: PartialDate | None = None
    recovered_grave: str | None = None


@dataclass(frozen=True)
class Grave:
    """A grave with what leads compare: where its remains came from, else its cemetery's point,
    and the partial facts on a partial grave."""

    id: str
    cemetery: str
    status: GraveStatus
    cemetery_lat: float | None = None
    cemetery_lon: float | None = None
    remains_place: str | None = None
    remains_lat: float | None = None
    remains_lon: float | None = None
    remains_date: PartialDate | None = None
    remains_burial: str | None = None
    name: str | None = None
    birth_year: int | None = None
    unit_text: str | None = None
    death_date: PartialDate | None = None
    hometown: str | None = None


@dataclass(frozen=True)
class Area:
    """A place to search, with how much it counts (0..1), why, and from what.

    ``unit_id`` names the candidate unit an area comes from (None for areas from places and
    burials), so that two candidate units stay two families of areas; ``record`` the burial
    or grave an ``initial_burial`` or ``remains_collected`` area comes from; ``summary`` says
    in a few words what the area is, for a grave's reasons ("where Trung đoàn 7 was in May 1972").
    The reasons and summary leads make are :class:`leads.reasons.Reason`: English strings that
    also carry what they say, for a page to say it in its own language.
    """

    kind: AreaKind
    place: str
    lat: float
    lon: float
    radius_km: float
    start: str | None
    end: str | None
    weight: float
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    unit_id: str | None = None
    record: str | None = None
    summary: str = ""

    def to_json_data(self) -> dict[str, object]:
        """CONTRACT's area JSON."""
        return {"kind": self.kind, "place": self.place, "lat": round(self.lat, 5), "lon": round(self.lon, 5),
                "radius_km": round(self.radius_km, 1), "from": self.start, "to": self.end,
                "weight": round(self.weight, 3), "reasons": list(self.reasons), "sources": list(self.sources)}


@dataclass(frozen=True)
class GraveLead:
    """An unidentified or partial grave that may hold the person, with a score (0..1) and the
    reasons a person can check (:class:`leads.reasons.Reason`, English strings that also carry
    what they say); ``distance_km`` to the area that fits best, ``area`` its index."""

    grave_id: str
    cemetery: str
    score: float
    reasons: tuple[str, ...]
    distance_km: float | None = None
    area: int | None = None
    lat: float | None = None
    lon: float | None = None

    def to_json_data(self) -> dict[str, object]:
        """CONTRACT's grave-lead JSON."""
        return {"grave_id": self.grave_id, "cemetery": self.cemetery, "score": round(self.score, 3),
                "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Leads:
    """Everything leads say about one person."""

    person_id: str
    death_date: PartialDate | None
    units: tuple[UnitCandidate, ...]
    areas: tuple[Area, ...]
    graves: tuple[GraveLead, ...] = field(default=())

    def to_json_data(self) -> dict[str, object]:
        """CONTRACT's leads JSON."""
        return {"person_id": self.person_id, "death_date": str(self.death_date) if self.death_date else None,
                "units": [{"unit_id": u.unit_id, "score": round(u.score, 3)} for u in self.units],
                "areas": [area.to_json_data() for area in self.areas],
                "graves": [grave.to_json_data() for grave in self.graves]}
