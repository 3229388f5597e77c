"""Leads (where to search for a martyr, which unnamed graves may hold him), a cemetery's
sampling plan (whose relatives to sample first) and the search areas officers record.
Staff only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from fastapi.responses import JSONResponse

from api.deps import ResourcesDep, require
from api.guarded_route import guarded_router
from api.responses import AUTH_RESPONSES, GEOJSON_RESPONSES
from archive.area_schema import AreaChange, AreaRecord, AreaStatus
from archive.models import User
from archive.users import Action
from usecases.leads import (
    new_area,
    person_leads,
    person_leads_geojson,
    sampling_plan,
    search_areas,
    update_area,
)

router = guarded_router(prefix="/api/v1", tags=["leads"])
PersonId = Annotated[str, Path(min_length=1, max_length=64, description="the person record's id")]
Limit = Annotated[int, Query(ge=1, le=200, description="at most this many graves")]


@router.get("/persons/{person_id}/leads", responses=AUTH_RESPONSES)
def get_leads(person_id: PersonId, resources: ResourcesDep,
              _: Annotated[User, require(Action.READ_PERSONS)], limit: Limit = 20) -> dict[str, Any]:
    """Where to search for a martyr: his candidate units (``units``), search areas with a
    weight, dates, reasons and sources (``areas``: ``unit_position``, ``death_place``,
    ``initial_burial``, ``remains_collected``), and the unidentified or partial graves that
    fit them, best first (``graves``), each with reasons a person can check."""
    return person_leads(person_id, sessions=resources.sessions, registry=resources.registry, limit=limit)


@router.get("/persons/{person_id}/leads.geojson", responses=AUTH_RESPONSES)
def get_leads_geojson(person_id: PersonId, resources: ResourcesDep,
                      _: Annotated[User, require(Action.READ_PERSONS)], limit: Limit = 20) -> JSONResponse:
    """The same leads as a GeoJSON FeatureCollection: areas as polygons, graves as points."""
    collection = person_leads_geojson(person_id, sessions=resources.sessions, registry=resources.registry,
                                      limit=limit)
    return JSONResponse(collection, media_type="application/geo+json")


@router.get("/sampling-plan", responses=AUTH_RESPONSES)
def get_sampling_plan(resources: ResourcesDep, _: Annotated[User, require(Action.PLAN_SAMPLING)],
                      cemetery: Annotated[str, Query(min_length=1, max_length=64,
                                                     description="the cemetery's id")]) -> dict[str, Any]:
    """For a cemetery's unidentified and partial graves, the persons whose leads point at
    them, best first, and their relatives ranked for sampling (the mother's line first, the
    living first, those already sampled marked): ``{"cemetery", "graves", "persons"}``."""
    return sampling_plan(cemetery, sessions=resources.sessions, registry=resources.registry)


@router.post("/areas", status_code=201, responses=AUTH_RESPONSES)
def post_area(body: AreaRecord, resources: ResourcesDep,
              user: Annotated[User, require(Action.MANAGE_AREAS)]) -> dict[str, Any]:
    """Record a search area (a circle at the commune, district or province level) and how far
    its search has gone (``open``, ``searched``, ``concluded``); audited."""
    return new_area(body, sessions=resources.sessions, actor=user.username)


@router.post("/areas/{area_id}", responses=AUTH_RESPONSES)
def post_area_change(area_id: Annotated[str, Path(min_length=1, max_length=40)], body: AreaChange,
                     resources: ResourcesDep,
                     user: Annotated[User, require(Action.MANAGE_AREAS)]) -> dict[str, Any]:
    """Change a search area's status (with a note and date), centre or width; audited with
    what it was before."""
    return update_area(area_id, body, sessions=resources.sessions, actor=user.username)


@router.get("/areas", responses=GEOJSON_RESPONSES | AUTH_RESPONSES)
def get_areas(resources: ResourcesDep, _: Annotated[User, require(Action.READ_PERSONS)],
              person_id: Annotated[str | None, Query(max_length=64)] = None,
              status: Annotated[AreaStatus | None, Query()] = None) -> JSONResponse:
    """The recorded search areas as a GeoJSON FeatureCollection (circles), of one person or
    status when asked."""
    return JSONResponse(search_areas(sessions=resources.sessions, person_id=person_id, status=status),
                        media_type="application/geo+json")
