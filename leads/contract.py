"""Leads' inputs read from CONTRACT's JSON (Person, Grave, Cemetery and Initial burial), so
that a caller holding those documents needs no mapping of its own. Fields leads do not read
are ignored; a date that is not a partial date is taken as unknown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from decoder.dates import PartialDate
from decoder.errors import InvalidDateError
from leads.model import Burial, Evidence, Grave, GraveStatus, UnitCandidate


def _date(value: object) -> PartialDate | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return _parsed(value)


@lru_cache(maxsize=1 << 14)
def _parsed(value: str) -> PartialDate | None:
    """A date as written, parsed once: a register's dates repeat (years above all)."""
    try:
        return PartialDate.parse(value)
    except InvalidDateError:
        return None


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def evidence_from_json(person: Mapping[str, Any], units: Sequence[tuple[str, float]] = ()) -> Evidence:
    """Evidence from a Person JSON (``id``, ``full_name``, ``birth_year``, ``hometown``,
    ``unit_text``, ``death_date``, ``death_place``, ``burial_place``) and its decoded units
    ``(unit_id, score)``."""
    year = person.get("birth_year")
    return Evidence(person_id=str(person.get("id") or ""), death_date=_date(person.get("death_date")),
                    units=tuple(UnitCandidate(unit_id, float(score)) for unit_id, score in units),
                    death_place=_text(person.get("death_place")),
                    burial_place=_text(person.get("burial_place")),
                    name=_text(person.get("full_name")), birth_year=year if isinstance(year, int) else None,
                    unit_text=_text(person.get("unit_text")), hometown=_text(person.get("hometown")))


def grave_from_json(grave: Mapping[str, Any], cemetery: Mapping[str, Any] | None = None) -> Grave:
    """A Grave from a Grave JSON and, for its point when the remains' is unknown, its Cemetery JSON."""
    remains = grave.get("remains_from") or {}
    cemetery = cemetery or {}
    status: GraveStatus = grave["status"]
    year = grave.get("birth_year")
    return Grave(id=str(grave["id"]), cemetery=str(grave["cemetery"]), status=status,
                 cemetery_lat=_float(cemetery.get("lat")), cemetery_lon=_float(cemetery.get("lon")),
                 remains_place=_text(remains.get("place")), remains_lat=_float(remains.get("lat")),
                 remains_lon=_float(remains.get("lon")), remains_date=_date(remains.get("date")),
                 remains_burial=_text(remains.get("burial")), name=_text(grave.get("name")),
                 birth_year=year if isinstance(year, int) else None, unit_text=_text(grave.get("unit_text")),
                 death_date=_date(grave.get("death_date")), hometown=_text(grave.get("hometown")))


def burial_from_json(burial: Mapping[str, Any]) -> Burial:
    """A Burial from an Initial burial JSON."""
    recovered = burial.get("recovered") or {}
    return Burial(id=str(burial["id"]), name=_text(burial.get("name")),
                  unit_text=_text(burial.get("unit_text")), death_date=_date(burial.get("death_date")),
                  burial_date=_date(burial.get("burial_date")), place=_text(burial.get("place")),
                  lat=_float(burial.get("lat")), lon=_float(burial.get("lon")),
                  person_id=_text(burial.get("person_id")), recovered_date=_date(recovered.get("date")),
                  recovered_grave=_text(recovered.get("grave")))
