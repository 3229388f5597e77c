"""Relatives, DNA samples and their custody, the laboratory's comparisons, and the
identifications that name graves. Staff only: families never see sample data."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ResourcesDep, require
from api.guarded_route import guarded_router
from api.responses import AUTH_RESPONSES
from archive.models import User
from archive.sample_schema import (
    CustodyRecord,
    IdentificationRecord,
    MatchRecord,
    RelativeRecord,
    SampleRecord,
)
from archive.users import Action, may
from usecases.samples import (
    erase_relative_data,
    name_grave,
    new_match,
    new_sample,
    person_relatives,
    record_custody,
    register_relative,
    sample_document,
    undo_naming,
)

router = guarded_router(prefix="/api/v1", tags=["samples"])
RecordId = Annotated[str, Path(min_length=1, max_length=64, description="the record's id")]
SampleRef = Annotated[str, Path(min_length=1, max_length=40, description="the sample's id or barcode")]


class NewId(BaseModel):
    """The id of what was created."""

    id: str


class NewSample(BaseModel):
    """The new sample's id and the barcode to print on its label."""

    id: str
    barcode: str


class GivenReason(BaseModel):
    """Why (an erasure's request, an undo's cause)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


@router.post("/persons/{person_id}/relatives", status_code=201, response_model=NewId,
             responses=AUTH_RESPONSES)
def post_relative(person_id: RecordId, body: RelativeRecord, resources: ResourcesDep,
                  user: Annotated[User, require(Action.WRITE_RELATIVES)]) -> NewId:
    """Register a relative of a person for sampling (``line``: maternal, paternal or other)."""
    return NewId(id=register_relative(person_id, body, sessions=resources.sessions, actor=user.username))


@router.get("/persons/{person_id}/relatives", responses=AUTH_RESPONSES)
def get_relatives(person_id: RecordId, resources: ResourcesDep,
                  user: Annotated[User, require(Action.READ_SAMPLES)]) -> dict[str, Any]:
    """A person's registered relatives and samples: ``{"person_id", "relatives", "samples"}``;
    contacts are given to officers only."""
    return person_relatives(person_id, sessions=resources.sessions,
                            contacts=may(user, Action.WRITE_RELATIVES))


@router.post("/relatives/{relative_id}/erase", responses=AUTH_RESPONSES)
def post_erase_relative(relative_id: RecordId, body: GivenReason, resources: ResourcesDep,
                        user: Annotated[User, require(Action.WRITE_RELATIVES)]) -> dict[str, Any]:
    """Erase a relative's personal data on request; the audit keeps that the record existed,
    and its samples stay (without a name)."""
    erase_relative_data(relative_id, reason=body.reason, sessions=resources.sessions, actor=user.username)
    return {"id": relative_id, "erased": True}


@router.post("/samples", status_code=201, response_model=NewSample, responses=AUTH_RESPONSES)
def post_sample(body: SampleRecord, resources: ResourcesDep,
                user: Annotated[User, require(Action.CREATE_SAMPLES)]) -> NewSample:
    """Create a sample and its barcode. A reference sample needs ``person_id``, its relative
    and consent; a remains sample needs ``grave_id`` (or ``burial_id``)."""
    return NewSample(**new_sample(body, sessions=resources.sessions, actor=user.username))


@router.get("/samples/{sample_ref}", responses=AUTH_RESPONSES)
def get_sample(sample_ref: SampleRef, resources: ResourcesDep,
               _: Annotated[User, require(Action.READ_SAMPLES)]) -> dict[str, Any]:
    """A sample with its custody chain, ``chain_intact`` (false when a stored event was
    changed or removed) and the comparisons made with it."""
    return sample_document(sample_ref, sessions=resources.sessions)


@router.post("/samples/{sample_ref}/custody", status_code=201, responses=AUTH_RESPONSES)
def post_custody(sample_ref: SampleRef, body: CustodyRecord, resources: ResourcesDep,
                 user: Annotated[User, require(Action.RECORD_CUSTODY)]) -> dict[str, Any]:
    """Add an event to a sample's chain of custody; 409 after ``destroyed`` or for an event
    dated before the last one. Returns the sample."""
    return record_custody(sample_ref, body, sessions=resources.sessions, actor=user.username)


@router.post("/matches", status_code=201, responses=AUTH_RESPONSES)
def post_match(body: MatchRecord, resources: ResourcesDep,
               user: Annotated[User, require(Action.RECORD_MATCHES)]) -> dict[str, Any]:
    """Record a laboratory's comparison of a reference sample with a remains sample."""
    return new_match(body, sessions=resources.sessions, actor=user.username)


@router.post("/identifications", status_code=201, responses=AUTH_RESPONSES)
def post_identification(body: IdentificationRecord, resources: ResourcesDep,
                        user: Annotated[User, require(Action.IDENTIFY_GRAVES)]) -> dict[str, Any]:
    """Name an unidentified or partial grave after a person. Refused (409) unless
    ``matches`` names a comparison concluded ``match`` between a reference sample of the
    person and a remains sample of the grave, or ``documents`` cites archived scans and
    ``note`` says why they suffice."""
    result = name_grave(body, sessions=resources.sessions, actor=user.username)
    resources.publish_changes()
    return result


@router.post("/identifications/{identification_id}/undo", responses=AUTH_RESPONSES)
def post_undo_identification(identification_id: RecordId, body: GivenReason, resources: ResourcesDep,
                             user: Annotated[User, require(Action.IDENTIFY_GRAVES)]) -> dict[str, Any]:
    """Undo an identification: the grave is put back as it was, the change kept in its history."""
    undo_naming(identification_id, reason=body.reason, sessions=resources.sessions, actor=user.username)
    resources.publish_changes()
    return {"id": identification_id, "undone": True}
