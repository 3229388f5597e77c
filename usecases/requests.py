"""Family request use cases: a family sends a request (with photos) and follows it; staff
work through the queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.orm import Session, sessionmaker

from archive.attachments import (
    discard_attachments,
    placing_attachments,
    record_attachments,
    stage_attachments,
)
from archive.blobs import BlobStore
from archive.identifications import family_progress
from archive.models import FamilyRequest, RequestAttachment
from archive.requests import (
    Created,
    RequestCreate,
    find_request,
    link_person,
    list_requests,
    move_request,
    request_attachments,
)
from archive.requests import create_request as create_request_row
from ocr.options import OcrOptions


@dataclass(frozen=True)
class AttachmentView:
    """A photo of a document sent with a request."""

    filename: str
    media_type: str
    size: int


@dataclass(frozen=True)
class RequestView:
    """A request as its family and staff see it."""

    tracking_code: str
    status: str
    requester: dict[str, Any]
    person: dict[str, Any]
    note: str | None
    person_id: str | None
    created_at: datetime
    updated_at: datetime
    attachments: list[AttachmentView]
    progress: list[str]


def _view(request: FamilyRequest, attachments: Sequence[RequestAttachment] = (),
          progress: Sequence[str] = ()) -> RequestView:
    return RequestView(
        tracking_code=request.tracking_code, status=request.status, requester=request.requester,
        person=request.person, note=request.note, person_id=request.person_id,
        created_at=request.created_at, updated_at=request.updated_at,
        attachments=[AttachmentView(item.filename, item.media_type, item.size) for item in attachments],
        progress=list(progress))


def submit_request(body: RequestCreate, photos: Sequence[tuple[BinaryIO, str]] = (), *,
                   sessions: sessionmaker[Session], blobs: BlobStore) -> Created:
    """Record a family's request with any photos of documents; the secret is shown once,
    in the answer. A photo that cannot be read refuses the whole request.

    Raises:
        InvalidInputError: too many photos, or one that is not an image or PDF.
    """
    staged = stage_attachments(blobs, photos, OcrOptions())
    try:
        with placing_attachments(blobs, staged), sessions.begin() as session:
            created = create_request_row(session, body)
            record_attachments(session, blobs, created.request_id, staged)
        return created
    finally:
        discard_attachments(blobs, staged)


def view_request(code: str, secret: str | None, *, sessions: sessionmaker[Session]) -> RequestView:
    """A request, for its family (with the secret) or for staff (``secret`` None).

    Raises:
        NotFoundError: no request has this code (and secret).
    """
    with sessions() as session:
        request = find_request(session, code, secret)
        progress = family_progress(session, request.person_id) if request.person_id else []
        return _view(request, request_attachments(session, request), progress)


def attachment_file(code: str, number: int, *, sessions: sessionmaker[Session], blobs: BlobStore
                    ) -> tuple[Path, str, str] | None:
    """The path, media type and file name of a request's ``number``-th attachment."""
    with sessions() as session:
        attachments = request_attachments(session, find_request(session, code, None))
    if not 1 <= number <= len(attachments):
        return None
    item = attachments[number - 1]
    return blobs.verified_path(item.sha256), item.media_type, item.filename


def request_queue(status: str | None, limit: int, offset: int, *, sessions: sessionmaker[Session]
                  ) -> tuple[int, list[RequestView]]:
    """Requests for the staff queue, newest first; and how many in all."""
    with sessions() as session:
        total, rows = list_requests(session, status, limit, offset)
        return total, [_view(row) for row in rows]


def link_request_person(code: str, person_id: str, *, sessions: sessionmaker[Session], actor: str
                        ) -> RequestView:
    """Say which person record a request is about, audited."""
    with sessions.begin() as session:
        return _view(link_person(session, code, person_id, actor=actor))


def decide_request(code: str, to: str, note: str, *, sessions: sessionmaker[Session], actor: str
                   ) -> RequestView:
    """Move a request along its workflow, audited.

    Raises:
        NotFoundError, TransitionError.
    """
    with sessions.begin() as session:
        return _view(move_request(session, code, to, note, actor=actor))
