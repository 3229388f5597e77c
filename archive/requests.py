"""Families' requests for an extract: tracking codes, secrets and the review workflow.

A family gets a tracking code to quote and a secret to prove the request is theirs; only
a hash of the secret is kept. Status moves ``submitted -> in_review -> approved`` (or
``rejected``), then ``issued`` when the extract is made, and back to ``approved`` when
that extract is revoked, for a corrected one; every move is audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, cast

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from archive.audit import record_event
from archive.models import FamilyRequest, Person, RequestAttachment, utc_now
from archive.person_schema import PersonRecord, clean_text, not_blank
from decoder.errors import ErrorKind, NotFoundError, PhienhieuError

#: Letters and digits a family cannot misread on paper or over the phone.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class RequestStatus(StrEnum):
    """Where a request is in its workflow; the values are what the database stores."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    ISSUED = "issued"


#: The moves each status allows (the words a family reads are the API's, in its catalog).
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.SUBMITTED: frozenset({RequestStatus.IN_REVIEW, RequestStatus.REJECTED}),
    RequestStatus.IN_REVIEW: frozenset({RequestStatus.APPROVED, RequestStatus.REJECTED}),
    RequestStatus.APPROVED: frozenset({RequestStatus.ISSUED, RequestStatus.REJECTED}),
    RequestStatus.REJECTED: frozenset({RequestStatus.IN_REVIEW}),
    RequestStatus.ISSUED: frozenset(),
}


def allowed_moves(status: str) -> frozenset[RequestStatus]:
    """The statuses a request in ``status`` may move to (none for a status not known)."""
    try:
        return TRANSITIONS[RequestStatus(status)]
    except ValueError:
        return frozenset()
Short = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(clean_text),
                  AfterValidator(not_blank)]


class TransitionError(PhienhieuError):
    """A request cannot move to that status from where it is."""

    kind = ErrorKind.CONFLICT
    code = "invalid_transition"


class Requester(BaseModel):
    """Who asks: a name, a way to reach them, and their relation to the soldier."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: Short
    contact: Short
    relation: Annotated[str, Field(max_length=100), AfterValidator(clean_text)] = ""


class RequestPerson(PersonRecord):
    """The soldier as the family knows him (a person record without an id)."""

    id: None = Field(default=None, description="not set by families")


class RequestCreate(BaseModel):
    """What a family sends."""

    model_config = ConfigDict(extra="forbid", strict=True)

    requester: Requester
    person: RequestPerson
    note: Annotated[str, Field(max_length=2000), AfterValidator(str.strip)] = ""


@dataclass(frozen=True)
class Created:
    """The tracking code and the secret, shown once."""

    tracking_code: str
    secret: str
    request_id: int


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_tracking_code() -> str:
    """``YC-`` and eight characters a family can read out."""
    return "YC-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def create_request(session: Session, body: RequestCreate) -> Created:
    """Record a family's request in the caller's transaction."""
    secret = secrets.token_urlsafe(24)
    code = new_tracking_code()
    request = FamilyRequest(
        tracking_code=code, secret_hash=_hash(secret), status=RequestStatus.SUBMITTED.value,
        requester=body.requester.model_dump(), person=body.person.model_dump(mode="json", exclude_none=True),
        note=body.note or None)
    session.add(request)
    session.flush()
    record_event(session, actor="family", action="request.submit", subject=f"request:{code}")
    return Created(code, secret, request.id)


def find_request(session: Session, code: str, secret: str | None) -> FamilyRequest:
    """The request with this code; with a secret, only if the secret is its own.

    Raises:
        NotFoundError: no such request, or the secret does not match (the same answer,
            so a guess learns nothing).
    """
    request = session.scalar(
        select(FamilyRequest).where(FamilyRequest.tracking_code == code.strip().upper()[:32]))
    wrong_secret = secret is not None and request is not None and not hmac.compare_digest(
        request.secret_hash, _hash(secret))
    if request is None or wrong_secret:
        raise NotFoundError("No request has this tracking code and secret.")
    return request


def move_request(session: Session, code: str, to: str, note: str, *, actor: str) -> FamilyRequest:
    """Move a request to another status, audited.

    Raises:
        NotFoundError, TransitionError.
    """
    request = find_request(session, code, None)
    was = request.status
    if to not in allowed_moves(was):
        raise TransitionError(f"A request that is {was} cannot become {to}.")
    # Compare and set: of two officers moving the request at once, the second finds it
    # moved already (PostgreSQL re-reads the row once the first commits).
    moved = session.execute(
        update(FamilyRequest).where(FamilyRequest.id == request.id, FamilyRequest.status == was)
        .values(status=to, note=note or request.note, updated_at=utc_now())
        .execution_options(synchronize_session=False))
    if cast("CursorResult[Any]", moved).rowcount != 1:
        raise TransitionError(f"The request was moved by someone else at the same moment; "
                              f"it is no longer {was}.")
    session.refresh(request)
    record_event(session, actor=actor, action="request.transition",
                 subject=f"request:{request.tracking_code}",
                 details={"from": was, "to": to, "note": note})
    return request


def link_person(session: Session, code: str, person_id: str, *, actor: str) -> FamilyRequest:
    """Say which person record a request is about (its family then follows the work on
    him), audited.

    Raises:
        NotFoundError: no such request or person.
    """
    request = find_request(session, code, None)
    if session.get(Person, person_id) is None:
        raise NotFoundError(f"There is no person record {person_id!r}.")
    request.person_id, request.updated_at = person_id, utc_now()
    session.flush()
    record_event(session, actor=actor, action="request.person", subject=f"request:{request.tracking_code}",
                 details={"person_id": person_id})
    return request


def list_requests(session: Session, status: str | None, limit: int, offset: int
                  ) -> tuple[int, list[FamilyRequest]]:
    """Requests, newest first, optionally of one status; and how many in all."""
    query = select(FamilyRequest)
    if status:
        query = query.where(FamilyRequest.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(FamilyRequest.id.desc()).limit(limit).offset(offset)).all()
    return total, list(rows)


def request_attachments(session: Session, request: FamilyRequest) -> list[RequestAttachment]:
    """The files a family sent with its request, in the order sent."""
    return list(session.scalars(select(RequestAttachment).where(RequestAttachment.request_id == request.id)
                                .order_by(RequestAttachment.id)))
