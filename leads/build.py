"""Leads for one person: every kind of evidence turned into areas, then graves ranked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from decoder.registry import Registry
from leads.burials import burial_areas, partial_grave_areas
from leads.geo import box
from leads.model import Area, Burial, Evidence, Grave, Leads
from leads.positions import unit_areas
from leads.ranking import rank_graves
from leads.written import place_areas

#: How many radii around an area graves are worth fetching: beyond three the fit is nil.
SEARCH_RADII = 3.0


def areas_for(evidence: Evidence, registry: Registry, *, burials: Iterable[Burial] = (),
              graves: Iterable[Grave] = ()) -> list[Area]:
    """The person's search areas, heaviest first.

    Args:
        evidence: the person's facts, with the decoded candidate units.
        registry: the unit registry, for the units' positions.
        burials: initial-burial records that may be his (by name and unit; the caller may
            pre-select them by name key).
        graves: graves whose records may tie to him: partial graves with agreeing facts, and
            the graves matching burials' remains went into.
    """
    graves = list(graves)
    by_id = {grave.id: grave for grave in graves}
    areas = [*unit_areas(evidence, registry), *place_areas(evidence),
             *burial_areas(evidence, burials, by_id), *partial_grave_areas(evidence, graves)]
    return sorted(areas, key=lambda area: -area.weight)


def leads_for(evidence: Evidence, registry: Registry, *, burials: Iterable[Burial] = (),
              graves: Iterable[Grave] = (), limit: int | None = 20,
              claims: Mapping[str, Burial] | None = None) -> Leads:
    """Areas and ranked graves for one person (CONTRACT's leads result).

    ``graves`` are the candidate graves: all of them for a small store, or those inside
    :func:`search_boxes` of the areas (plus graves without a point in cemeteries inside them)
    for a large one. ``claims`` are, by grave id, the first burials whose remains went into
    a grave (those under another name lower it).
    """
    graves = list(graves)
    areas = areas_for(evidence, registry, burials=burials, graves=graves)
    ranked = rank_graves(areas, graves, evidence, limit=limit, claims=claims)
    return Leads(person_id=evidence.person_id, death_date=evidence.death_date, units=evidence.units,
                 areas=tuple(areas), graves=tuple(ranked))


def search_boxes(areas: Sequence[Area], *, margin_km: float = 0.0) -> list[tuple[float, float, float, float]]:
    """``(south, west, north, east)`` boxes outside which no grave point can score: where to
    fetch graves from a store with a spatial or lat/lon index."""
    return [box(area.lat, area.lon, SEARCH_RADII * area.radius_km + margin_km) for area in areas]
