"""Person records and units of the registry."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import ResourcesDep, require
from api.guarded_route import guarded_router
from api.responses import AUTH_RESPONSES, ERROR_RESPONSES, GEOJSON_RESPONSES
from api.schemas import ImportReportPublic
from archive.models import User
from archive.person_schema import PersonRecord
from archive.users import Action, may
from decoder.errors import NotFoundError
from decoder.registry_json import parse_registry_json
from decoder.registry_schema import UnitEntry
from usecases.persons import person_document, save_person
from usecases.registry import import_document

router = guarded_router(prefix="/api/v1", tags=["records"])


class PersonCreated(BaseModel):
    """The record's id, and whether it is new (false: an existing id was updated)."""

    id: str
    created: bool


@router.post("/persons", status_code=201, response_model=PersonCreated, responses=AUTH_RESPONSES)
def create_person(body: PersonRecord, resources: ResourcesDep,
                  user: Annotated[User, require(Action.WRITE_PERSONS)]) -> PersonCreated:
    """Store a person record (CONTRACT's person JSON); the same ``id`` again updates it."""
    person_id, created = save_person(body, sessions=resources.sessions, actor=user.username)
    resources.publish_changes()
    return PersonCreated(id=person_id, created=created)


@router.get("/persons/{person_id}", responses=AUTH_RESPONSES)
def get_person(person_id: str, resources: ResourcesDep,
               user: Annotated[User, require(Action.READ_PERSONS)]) -> dict[str, Any]:
    """A person record, with the archived page of each source that names one; its
    relatives' contacts are given to officers only."""
    data = person_document(person_id[:64], sessions=resources.sessions)
    if data is None:
        raise NotFoundError(f"There is no person record {person_id[:64]!r}.")
    if not may(user, Action.WRITE_RELATIVES):
        relatives = cast(list[dict[str, Any]], data["relatives"])  # person_json's list of dicts
        data["relatives"] = [{key: value for key, value in relative.items() if key != "contact"}
                             for relative in relatives]
    return data


def _unit(resources: ResourcesDep, unit_id: str) -> UnitEntry:
    registry = resources.registry.get()
    if unit_id not in registry:
        raise NotFoundError(f"There is no unit {unit_id[:64]!r} in the registry.")
    return registry.unit(unit_id)


@router.get("/units/{unit_id}", responses=ERROR_RESPONSES)
def get_unit(unit_id: str, resources: ResourcesDep) -> dict[str, Any]:
    """A unit: names, codes, parents over time and history, as in the registry JSON."""
    data: dict[str, Any] = _unit(resources, unit_id).model_dump(mode="json", by_alias=True)
    return data


@router.get("/units/{unit_id}/history.geojson", responses=GEOJSON_RESPONSES)
def get_unit_history(unit_id: str, resources: ResourcesDep) -> JSONResponse:
    """The unit's history events that have a place on the map, as a GeoJSON FeatureCollection."""
    unit = _unit(resources, unit_id)
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [event.lon, event.lat]},
         "properties": {"title": event.title, "from": event.start, "to": event.end, "place": event.place,
                        "province": event.province, "source": event.source}}
        for event in unit.events if event.lat is not None and event.lon is not None]
    return JSONResponse({"type": "FeatureCollection", "features": features},
                        media_type="application/geo+json")


@router.post("/registry/import", response_model=ImportReportPublic, responses=AUTH_RESPONSES)
async def import_registry(request: Request, resources: ResourcesDep,
                          user: Annotated[User, require(Action.IMPORT_REGISTRY)]) -> ImportReportPublic:
    """Import registry JSON: validated, idempotent, all or nothing; every problem is
    reported with its JSON path."""
    document = parse_registry_json(await request.body())
    report = import_document(document, sessions=resources.sessions, registry=resources.registry,
                             actor=user.username)
    resources.publish_changes()
    return ImportReportPublic(created=report.created, updated=report.updated, unchanged=report.unchanged,
                              revision=report.revision)
