"""A search area as officers record it: where, how wide, at what administrative level,
and how far the search there has gone."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from archive.grave_schema import Latitude, Longitude
from archive.person_schema import Label, LongText, PersonId, _Strict
from decoder.registry_schema import PartialDateText

#: How far the search of an area has gone: still to search, searched, concluded (nothing
#: more to find there, at the area's level).
AreaStatus = Literal["open", "searched", "concluded"]
AreaLevel = Literal["commune", "district", "province"]
Radius = Annotated[float, Field(gt=0, le=500, allow_inf_nan=False, description="kilometres")]


class AreaRecord(_Strict):
    """A new search area; ``person_id`` when it is drawn for one martyr."""

    person_id: PersonId | None = None
    place: Label
    level: AreaLevel
    lat: Latitude
    lon: Longitude
    radius_km: Radius
    status: AreaStatus = "open"
    note: LongText | None = None
    date: PartialDateText = Field(default=None, description="when the status was reached")

    @model_validator(mode="after")
    def _placed(self) -> AreaRecord:
        if not self.place.strip():
            raise ValueError("an area needs the place it covers")
        return self


class AreaChange(_Strict):
    """A change to a search area: its status (with a note and date), its centre or width."""

    status: AreaStatus | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    radius_km: Radius | None = None
    note: LongText | None = None
    date: PartialDateText = None

    @model_validator(mode="after")
    def _something(self) -> AreaChange:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon go together: give both or neither")
        if self.status is None and self.lat is None and self.radius_km is None:
            raise ValueError("say what changes: status, lat and lon, or radius_km")
        return self
