"""Families' requests: a public form, a tracking page by code and secret, a staff queue."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Header, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CurrentUser, GuardsDep, ResourcesDep, article, client_address, count_family_try, require
from api.guarded_route import guarded_router
from api.responses import AUTH_RESPONSES
from api.security import ForbiddenError, UnauthorizedError
from api.web.statuses import status_texts
from archive.models import User
from archive.requests import RequestCreate
from archive.users import PERMISSIONS, Action, Role
from usecases.requests import RequestView, decide_request, link_request_person, request_queue, view_request
from usecases.requests import submit_request as record_request

router = guarded_router(prefix="/api/v1", tags=["requests"])
Status = Literal["submitted", "in_review", "approved", "rejected", "issued"]
Code = Annotated[str, Field(max_length=32)]


class RequestCreated(BaseModel):
    """Shown once: keep the secret, it is the only way to follow the request."""

    tracking_code: str
    secret: str


class Attachment(BaseModel):
    """A photo of a document sent with the request."""

    filename: str
    media_type: str
    size: int


class RequestPublic(BaseModel):
    """A request and its status in plain words."""

    tracking_code: str
    status: Status
    status_text: dict[str, str]
    requester: dict[str, Any]
    person: dict[str, Any]
    note: str | None
    person_id: str | None
    attachments: list[Attachment] = Field(default_factory=list)
    progress: list[Literal["sample_taken", "analysed", "identified"]] = Field(
        default_factory=list, description="the work on the martyr, in plain steps: a sample from the "
                                          "family was taken, analysed, a grave was named after him")
    created_at: datetime
    updated_at: datetime


class RequestList(BaseModel):
    """A page of the staff queue."""

    total: int
    requests: list[RequestPublic]


class PersonLink(BaseModel):
    """``{"person_id": "…"}``: the person record the request is about."""

    model_config = ConfigDict(extra="forbid")

    person_id: str = Field(min_length=1, max_length=64)


class Transition(BaseModel):
    """``{"to": "in_review|approved|rejected", "note": "…"}``."""

    model_config = ConfigDict(extra="forbid")

    to: Literal["in_review", "approved", "rejected"]
    note: str = Field(default="", max_length=2000)


def public(view: RequestView) -> RequestPublic:
    """A request as the API shows it, its status also in words (Vietnamese and English)."""
    return RequestPublic.model_validate(asdict(view) | {"status_text": status_texts(view.status)})


@router.post("/requests", status_code=201, response_model=RequestCreated, responses=AUTH_RESPONSES)
def submit_request(body: RequestCreate, request: Request, resources: ResourcesDep,
                   guards: GuardsDep) -> RequestCreated:
    """A family asks for an extract, without an account."""
    address = client_address(request)
    guards.request_limiter.hit(f"address:{address}")
    created = record_request(body, sessions=resources.sessions, blobs=resources.blobs)
    return RequestCreated(tracking_code=created.tracking_code, secret=created.secret)


@router.get("/requests/{code}", response_model=RequestPublic, responses=AUTH_RESPONSES)
def get_request(code: Code, request: Request, resources: ResourcesDep, user: CurrentUser,
                x_request_secret: Annotated[str | None, Header(max_length=200)] = None) -> RequestPublic:
    """A request, for its family (header ``X-Request-Secret``; ten tries in five minutes
    from one address) or for officers."""
    if x_request_secret is not None:
        count_family_try(request)
        return public(view_request(code, x_request_secret, sessions=resources.sessions))
    if user is None:
        raise UnauthorizedError("Give the request's secret in the X-Request-Secret header.")
    if Role(user.role) not in PERMISSIONS[Action.HANDLE_REQUESTS]:
        raise ForbiddenError(f"{article(user.role)} {user.role} may not {Action.HANDLE_REQUESTS.value}.")
    return public(view_request(code, None, sessions=resources.sessions))


@router.get("/requests", response_model=RequestList, responses=AUTH_RESPONSES)
def list_requests(resources: ResourcesDep, _: Annotated[User, require(Action.HANDLE_REQUESTS)],
                  status: Status | None = None,
                  limit: Annotated[int, Query(ge=1, le=100)] = 20,
                  offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> RequestList:
    """The queue of requests, newest first."""
    total, rows = request_queue(status, limit, offset, sessions=resources.sessions)
    return RequestList(total=total, requests=[public(row) for row in rows])


@router.post("/requests/{code}/transition", response_model=RequestPublic, responses=AUTH_RESPONSES)
def transition(code: Code, body: Transition, resources: ResourcesDep,
               user: Annotated[User, require(Action.HANDLE_REQUESTS)]) -> RequestPublic:
    """Move a request: ``submitted -> in_review -> approved`` or ``rejected`` (409 otherwise)."""
    return public(decide_request(code, body.to, body.note, sessions=resources.sessions, actor=user.username))


@router.post("/requests/{code}/person", response_model=RequestPublic, responses=AUTH_RESPONSES)
def post_request_person(code: Code, body: PersonLink, resources: ResourcesDep,
                        user: Annotated[User, require(Action.HANDLE_REQUESTS)]) -> RequestPublic:
    """Say which person record the request is about; its family then reads the work on him
    in plain steps (``progress``). Audited."""
    return public(link_request_person(code, body.person_id, sessions=resources.sessions,
                                      actor=user.username))
