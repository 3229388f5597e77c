"""Leads for a person (where to search, which unnamed graves may hold him), the sampling
plan of a cemetery (whose relatives to sample first), read from the archive and computed
by :mod:`leads`; and the search areas officers record.

A person's evidence is his record and every copy linkage joined to it: each copy's unit
as written is decoded at the death date, and every candidate unit is kept (two candidate
units give two families of areas).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from archive.area_schema import AreaChange, AreaRecord
from archive.areas import add_area, area_json, areas_geojson, change_area, list_areas
from archive.lead_sources import (
    burials_for,
    cemetery_graves,
    claims_on,
    graves_by_id,
    graves_near,
    placed_in,
)
from archive.links import cluster_of, copies
from archive.models import Cemetery, Grave, Person, Relative, Sample
from archive.persons import person_json
from archive.relatives import relatives_of
from decoder.decode import decode
from decoder.errors import NotFoundError, PhienhieuError
from decoder.registry import Registry
from leads import Burial as LeadBurial
from leads import (
    Evidence,
    Leads,
    areas_for,
    cohort,
    evidence_from_json,
    leads_for,
    leads_geojson,
    rank_graves,
)
from leads import Grave as LeadGrave
from leads.burials import partial_grave_areas
from usecases.registry_cache import RegistryCache

#: The most candidate units kept for one person, the likeliest first.
MAX_UNITS = 4
#: The most persons a sampling plan weighs (those with no grave yet, in id order).
MAX_PLAN_PERSONS = 5_000
#: Lines of descent in the order relatives are sampled: the mother's carries his mtDNA.
LINE_ORDER = {"maternal": 0, "paternal": 1, "other": 2}


def evidence_of(session: Session, person: Person, registry: Registry) -> Evidence:
    """A person's evidence: his record, the copies joined to it, and their units decoded."""
    data = person_json(person)
    found = copies(session, cluster_of(session, f"person:{person.id}"))
    # A fact the record lacks is taken from the first copy that gives it.
    filled = {field: data.get(field) or _first(found, field)
              for field in ("death_date", "death_place", "birth_year", "hometown")}
    death_date = filled["death_date"]
    texts = [data.get("unit_text"), *(copy.get("unit_text") for copy in found)]
    units = _units([text for text in texts if isinstance(text, str) and text.strip()],
                   death_date if isinstance(death_date, str) else None, registry)
    return evidence_from_json(data | filled, units)


def _first(found: list[dict[str, Any]], field: str) -> Any:
    """The first copy's value of a field, where the record itself has none."""
    return next((copy[field] for copy in found if copy.get(field)), None)


def _units(texts: Iterable[str], date: str | None, registry: Registry) -> list[tuple[str, float]]:
    """The units the texts may mean at the date, each with its best score, likeliest first."""
    best: dict[str, float] = {}
    for text in dict.fromkeys(texts):
        try:
            result = decode(text, date, registry)
        except PhienhieuError:
            continue  # a unit written past reading is no evidence; the other facts still are
        valid = [c for c in result.candidates if c.valid] or list(result.candidates)
        for candidate in valid:
            best[candidate.unit_id] = max(best.get(candidate.unit_id, 0.0), candidate.score)
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:MAX_UNITS]


def _leads(session: Session, person_id: str, registry: Registry, limit: int) -> Leads:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"There is no person record {person_id!r}.")
    evidence = evidence_of(session, person, registry)
    burials = burials_for(session, person_id, evidence.name, evidence.death_date)
    # The graves first burials' remains went to make areas of their own; the graves nearest
    # every area are then the candidates, and partial ones that agree with him add theirs.
    recovered = graves_by_id(session, [b.recovered_grave for b in burials if b.recovered_grave])
    areas = areas_for(evidence, registry, burials=burials, graves=recovered)
    near = graves_near(session, areas, listed=limit)
    candidates = list({grave.id: grave for grave in [*near, *recovered]}.values())
    areas = sorted([*areas, *partial_grave_areas(evidence, candidates)], key=lambda area: -area.weight)
    return Leads(person_id=evidence.person_id, death_date=evidence.death_date, units=evidence.units,
                 areas=tuple(areas), graves=tuple(rank_graves(areas, candidates, evidence, limit=limit,
                                                              claims=_claims_reader(session, candidates))))


def _claims_reader(session: Session, graves: list[LeadGrave]
                   ) -> Callable[[Sequence[str]], dict[str, LeadBurial]]:
    """Reads the claims of some of these graves: ranking asks only for its first ones'."""
    by_id = {grave.id: grave for grave in graves}
    return lambda grave_ids: claims_on(session, [by_id[grave_id] for grave_id in grave_ids])


def person_leads(person_id: str, *, sessions: sessionmaker[Session], registry: RegistryCache,
                 limit: int = 20) -> dict[str, Any]:
    """CONTRACT's leads for a person: his candidate units, the search areas with weights
    and reasons, and the unidentified and partial graves ranked best first.

    Raises:
        NotFoundError: no such person.
    """
    with sessions() as session:
        return _leads(session, person_id, registry.get(), limit).to_json_data()


def person_leads_geojson(person_id: str, *, sessions: sessionmaker[Session], registry: RegistryCache,
                         limit: int = 20) -> dict[str, Any]:
    """The same leads as a GeoJSON FeatureCollection (areas as polygons, graves as points)."""
    with sessions() as session:
        return leads_geojson(_leads(session, person_id, registry.get(), limit))


def person_map(person_id: str, *, sessions: sessionmaker[Session], registry: RegistryCache,
               frame: Callable[[dict[str, Any], list[dict[str, Any]]], tuple[float, float, float, float]],
               limit: int = 20) -> dict[str, Any]:
    """What a person's search map shows: his leads, the search areas recorded for him, and
    the first burials and cemeteries inside the frame ``frame(leads, recorded)`` gives."""
    with sessions() as session:
        found = _leads(session, person_id, registry.get(), limit)
        leads = found.to_json_data()
        # Where the ranking placed each grave (its remains' point, else its cemetery's), to draw it.
        leads["graves"] = [grave | {"lat": lead.lat, "lon": lead.lon} for grave, lead in
                           zip(cast(list[dict[str, Any]], leads["graves"]), found.graves, strict=True)]
        recorded = [area_json(area) for area in list_areas(session, person_id=person_id)]
        burials, cemeteries = placed_in(session, frame(leads, recorded))
    return {"leads": leads, "recorded": recorded, "burials": burials, "cemeteries": cemeteries}


def sampling_plan(cemetery_id: str, *, sessions: sessionmaker[Session], registry: RegistryCache,
                  max_persons: int = MAX_PLAN_PERSONS) -> dict[str, Any]:
    """For a cemetery's unidentified and partial graves, the persons whose leads point at
    them (best first) and each one's relatives ranked for sampling: the mother's line
    first, the living first, those already sampled marked. No contact is given.

    Raises:
        NotFoundError: no such cemetery.
    """
    with sessions() as session:
        if session.get(Cemetery, cemetery_id) is None:
            raise NotFoundError(f"There is no cemetery {cemetery_id!r}.")
        graves = cemetery_graves(session, cemetery_id)
        known = registry.get()
        lying = exists().where(Grave.person_id == Person.id)
        persons = session.scalars(select(Person).where(~lying).order_by(Person.id).limit(max_persons))
        claims = claims_on(session, graves)
        leads = [_cemetery_leads(session, person, known, graves, claims) for person in persons
                 if graves]
        members = cohort(leads, cemetery=cemetery_id)
        return {"cemetery": cemetery_id, "graves": len(graves),
                "persons": [member.to_json_data()
                            | {"relatives": _ranked_relatives(session, member.person_id)}
                            for member in members]}


def _cemetery_leads(session: Session, person: Person, registry: Registry,
                    graves: list[LeadGrave], claims: dict[str, LeadBurial]) -> Leads:
    """A person's leads against one cemetery's graves (for its sampling plan)."""
    evidence = evidence_of(session, person, registry)
    burials = burials_for(session, person.id, evidence.name, evidence.death_date)
    return leads_for(evidence, registry, burials=burials, graves=graves, limit=None, claims=claims)


def _ranked_relatives(session: Session, person_id: str) -> list[dict[str, Any]]:
    sampled = set(session.scalars(select(Sample.relative_id).where(Sample.person_id == person_id)))
    living_order = {True: 0, None: 1, False: 2}
    ranked: list[Relative] = sorted(relatives_of(session, person_id), key=lambda r: (
        LINE_ORDER.get(r.line, 3), living_order[r.living], r.id in sampled, r.created_at, r.id))
    return [{"id": r.id, "name": r.name, "relation": r.relation, "line": r.line, "living": r.living,
             "sampled": r.id in sampled, "rank": rank} for rank, r in enumerate(ranked, start=1)]


def new_area(record: AreaRecord, *, sessions: sessionmaker[Session], actor: str) -> dict[str, Any]:
    """Record a search area (drawn, or adopted from a lead)."""
    with sessions.begin() as session:
        return area_json(add_area(session, record, actor=actor))


def update_area(area_id: str, change: AreaChange, *, sessions: sessionmaker[Session],
                actor: str) -> dict[str, Any]:
    """Change a search area's status, centre or width."""
    with sessions.begin() as session:
        return area_json(change_area(session, area_id, change, actor=actor))


def search_areas(*, sessions: sessionmaker[Session], person_id: str | None = None,
                 status: str | None = None) -> dict[str, Any]:
    """The recorded search areas as a GeoJSON FeatureCollection."""
    with sessions() as session:
        return areas_geojson(list_areas(session, person_id=person_id, status=status))
