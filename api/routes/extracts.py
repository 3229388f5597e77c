"""Certified extracts: issue (officers), download (the family or staff), verify (anyone),
revoke (officers)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import File, Header, Path, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import CurrentUser, ExtractsDep, article, count_family_try, require
from api.guarded_route import guarded_router
from api.responses import AUTH_RESPONSES, ERROR_RESPONSES
from api.security import ForbiddenError, UnauthorizedError
from archive.models import User
from archive.users import Action, may
from decoder.errors import InvalidInputError

router = guarded_router(prefix="/api/v1", tags=["extracts"])
Code = Annotated[str, Path(max_length=32)]
Serial = Annotated[str, Path(max_length=40, description="the serial printed on the extract")]
#: A signed extract is a few tens of kilobytes; anything much larger is not one.
MAX_VERIFY_BYTES = 20 * 1024 * 1024


class IssueRequest(BaseModel):
    """``{"person_id": "…"}``; ``unit_id`` picks the unit when the written one is ambiguous."""

    model_config = ConfigDict(extra="forbid")

    person_id: str = Field(min_length=1, max_length=64)
    unit_id: str | None = Field(default=None, max_length=64)


class IssuedPublic(BaseModel):
    """``201``: the serial of the signed extract."""

    serial: str


class ExtractStatus(BaseModel):
    """Whether an extract stands: issued and not revoked."""

    serial: str
    valid: bool
    revoked: bool
    issued_at: datetime
    revoked_at: datetime | None
    revoke_reason: str | None
    subject: str | None


class VerifyResult(BaseModel):
    """``valid`` only when the signature is intact, the office's, and the document is the
    one issued under ``serial``, not revoked; ``reason`` says why not."""

    valid: bool
    serial: str | None
    revoked: bool
    reason: str | None


class Revocation(BaseModel):
    """``{"reason": "…"}``."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=2000)


@router.post("/requests/{code}/extract", status_code=201, response_model=IssuedPublic,
             responses=AUTH_RESPONSES)
def issue_extract(code: Code, body: IssueRequest, extracts: ExtractsDep,
                  user: Annotated[User, require(Action.ISSUE_EXTRACTS)]) -> IssuedPublic:
    """Compose, render (PDF/A), sign (PAdES) and issue the extract for an approved request.
    ``409`` when the evidence does not allow it (an unverified mapping, an ambiguous unit,
    no archived source page), with the reason."""
    issued = extracts.issue(code, body.person_id, body.unit_id, actor=user.username)
    return IssuedPublic(serial=issued.serial)


@router.get("/extracts/{serial}.pdf", response_class=FileResponse, responses=AUTH_RESPONSES)
def download_extract(serial: Serial, request: Request, extracts: ExtractsDep, user: CurrentUser,
                     x_request_secret: Annotated[str | None, Header(max_length=200)] = None) -> FileResponse:
    """The signed PDF, for the family (header ``X-Request-Secret``; ten tries in five
    minutes from one address) or for staff."""
    if x_request_secret is not None:
        count_family_try(request)
        path, name = extracts.pdf(serial, secret=x_request_secret, actor="family")
    elif user is None:
        raise UnauthorizedError("Give the request's secret in the X-Request-Secret header.")
    elif not may(user, Action.HANDLE_REQUESTS):
        raise ForbiddenError(f"{article(user.role)} {user.role} may not {Action.HANDLE_REQUESTS.value}.")
    else:
        path, name = extracts.pdf(serial, secret=None, actor=user.username)
    return FileResponse(path, media_type="application/pdf", filename=name)


@router.get("/verify/{serial}", response_model=ExtractStatus, responses=ERROR_RESPONSES)
def verify_serial(serial: Serial, extracts: ExtractsDep) -> ExtractStatus:
    """Anyone: was an extract issued under this serial, and does it stand?"""
    return ExtractStatus.model_validate(asdict(extracts.status(serial)))


@router.post("/verify", response_model=VerifyResult, responses=ERROR_RESPONSES)
def verify_pdf(request: Request, extracts: ExtractsDep,
               file: Annotated[UploadFile, File(description="the PDF to check")]) -> VerifyResult:
    """Anyone: is this PDF an extract the office issued, unchanged and not revoked?"""
    data = file.file.read(MAX_VERIFY_BYTES + 1)
    if len(data) > MAX_VERIFY_BYTES:
        raise InvalidInputError("The file is larger than 20 MB; an extract is far smaller.")
    return VerifyResult.model_validate(asdict(extracts.verify(data)))


@router.post("/extracts/{serial}/revoke", response_model=ExtractStatus, responses=AUTH_RESPONSES)
def revoke(serial: Serial, body: Revocation, extracts: ExtractsDep,
           user: Annotated[User, require(Action.REVOKE_EXTRACTS)]) -> ExtractStatus:
    """Revoke an extract; it verifies as revoked from then on (``409`` if it is already)."""
    return ExtractStatus.model_validate(asdict(extracts.revoke(serial, body.reason.strip(),
                                                                        actor=user.username)))
