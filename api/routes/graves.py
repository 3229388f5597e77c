"""Cemeteries, graves and initial burials: staff write them, anyone reads them and their
counts ("kiểm đếm")."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import ResourcesDep, require
from api.guarded_route import guarded_router
from api.responses import AUTH_RESPONSES, ERROR_RESPONSES, GEOJSON_RESPONSES
from archive.grave_schema import BurialRecord, CemeteryRecord, GraveRecord
from archive.models import User
from archive.users import Action
from usecases.grave_exports import burials_geojson, cemeteries_geojson
from usecases.graves import (
    burial_document,
    cemetery_document,
    cemetery_list,
    grave_counts,
    grave_document,
    grave_list,
    save_burial,
    save_cemetery,
    save_grave,
)

router = guarded_router(prefix="/api/v1", tags=["graves"])
Status = Literal["named", "unidentified", "partial", "named_no_remains"]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="after skipping this many")]
Province = Annotated[str | None, Query(max_length=200, description="the province, with or without marks")]
_MAX_ID = 64
CemeteryId = Annotated[str | None, Query(max_length=_MAX_ID, description="a cemetery's id")]


class Created(BaseModel):
    """The record's id, and whether it is new (false: the record stored under it was replaced)."""

    id: str
    created: bool


@router.post("/cemeteries", status_code=201, response_model=Created, responses=AUTH_RESPONSES)
def create_cemetery(body: CemeteryRecord, resources: ResourcesDep,
                    user: Annotated[User, require(Action.WRITE_GRAVES)]) -> Created:
    """Store a cemetery (CONTRACT's cemetery JSON); the same ``id`` again replaces it."""
    cemetery_id, created = save_cemetery(body, sessions=resources.sessions, actor=user.username)
    resources.publish_changes()  # its graves' search documents name it
    return Created(id=cemetery_id, created=created)


@router.get("/cemeteries", responses=ERROR_RESPONSES)
def get_cemeteries(resources: ResourcesDep, province: Province = None, limit: Limit = 50,
                   offset: Offset = 0) -> dict[str, Any]:
    """Cemeteries by province and name, a page at a time: ``{"total", "cemeteries"}``."""
    return cemetery_list(sessions=resources.sessions, province=province, limit=limit, offset=offset)


@router.get("/cemeteries.geojson", responses=GEOJSON_RESPONSES)
def get_cemeteries_geojson(resources: ResourcesDep) -> JSONResponse:
    """Every cemetery with coordinates as a GeoJSON FeatureCollection; each point's
    properties hold the cemetery's ``id``, ``name``, ``level``, ``province``, ``counts`` and
    ``disagreeing``."""
    return JSONResponse(cemeteries_geojson(sessions=resources.sessions), media_type="application/geo+json")


@router.get("/burials.geojson", responses=GEOJSON_RESPONSES)
def get_burials_geojson(resources: ResourcesDep) -> JSONResponse:
    """Every initial burial whose place has coordinates (where soldiers were first buried)
    as a GeoJSON FeatureCollection."""
    return JSONResponse(burials_geojson(sessions=resources.sessions), media_type="application/geo+json")


@router.get("/cemeteries/{cemetery_id}", responses=ERROR_RESPONSES)
def get_cemetery(cemetery_id: str, resources: ResourcesDep) -> dict[str, Any]:
    """A cemetery with its ``counts`` of graves by status and the number of graves whose
    stone disagrees with the linked person record (``disagreeing``)."""
    return cemetery_document(cemetery_id[:_MAX_ID], sessions=resources.sessions)


@router.post("/graves", status_code=201, response_model=Created, responses=AUTH_RESPONSES)
def create_grave(body: GraveRecord, resources: ResourcesDep,
                 user: Annotated[User, require(Action.WRITE_GRAVES)]) -> Created:
    """Store a grave (CONTRACT's grave JSON, plus an optional ``reason`` kept in its history
    when its status changes); the same ``id`` again replaces it. An unknown cemetery or
    person record is a 422, a position another grave holds a 409."""
    grave_id, created = save_grave(body, sessions=resources.sessions, actor=user.username)
    resources.publish_changes()
    return Created(id=grave_id, created=created)


@router.get("/graves/count", responses=ERROR_RESPONSES)
def count_graves(resources: ResourcesDep, province: Province = None) -> dict[str, Any]:
    """The count ("kiểm đếm"): every cemetery's graves by status and its disagreeing graves,
    each province's totals and the whole: ``{"cemeteries", "provinces", "total"}``."""
    return grave_counts(sessions=resources.sessions, province=province)


@router.get("/graves", responses=ERROR_RESPONSES)
def get_graves(resources: ResourcesDep,
               cemetery: CemeteryId = None,
               status: Status | None = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Graves by cemetery and position, a page at a time: ``{"total", "graves"}``."""
    return grave_list(sessions=resources.sessions, cemetery=cemetery, status=status, limit=limit,
                      offset=offset)


@router.get("/graves/{grave_id}", responses=ERROR_RESPONSES)
def get_grave(grave_id: str, resources: ResourcesDep) -> dict[str, Any]:
    """A grave with its status ``history`` (``{"from", "to", "at", "actor", "reason"}``, oldest first)."""
    return grave_document(grave_id[:_MAX_ID], sessions=resources.sessions)


@router.post("/burials", status_code=201, response_model=Created, responses=AUTH_RESPONSES)
def create_burial(body: BurialRecord, resources: ResourcesDep,
                  user: Annotated[User, require(Action.WRITE_GRAVES)]) -> Created:
    """Store an initial burial (CONTRACT's burial JSON); the same ``id`` again replaces it."""
    burial_id, created = save_burial(body, sessions=resources.sessions, actor=user.username)
    return Created(id=burial_id, created=created)


@router.get("/burials/{burial_id}", responses=ERROR_RESPONSES)
def get_burial(burial_id: str, resources: ResourcesDep) -> dict[str, Any]:
    """An initial burial (where a soldier was first buried, and the grave his remains went to)."""
    return burial_document(burial_id[:_MAX_ID], sessions=resources.sessions)
