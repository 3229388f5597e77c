"""Scans, their pages and the jobs that read them (staff only)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import File, Form, Path, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from api.deps import ResourcesDep, require
from api.guarded_route import guarded_router
from api.responses import AUTH_RESPONSES
from archive.models import User
from archive.users import Action
from decoder.errors import InvalidInputError, NotFoundError
from usecases.scans import find_page, find_scan, jobs, make_ingester, page_image
from usecases.scans import upload_scans as store_scans

router = guarded_router(prefix="/api/v1", tags=["scans"])
MAX_FILES = 500
RecordId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a record's number")]


class ScanAccepted(BaseModel):
    """One uploaded file: its scan, whether it was there already, and its OCR job."""

    id: int
    filename: str
    duplicate: bool
    job_id: int | None


class ScansAccepted(BaseModel):
    """``202``: the files are stored and their pages queued for OCR."""

    scans: list[ScanAccepted]


class JobPublic(BaseModel):
    """A job's state."""

    id: int
    state: str
    progress: float
    error: str | None


class PageSummary(BaseModel):
    """A page of a scan as listed with it."""

    number: int
    confidence: float
    error: str | None


class ScanPublic(BaseModel):
    """A scan: the original file, its collection, its pages and its OCR job."""

    id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    page_count: int
    collection: str | None
    uploaded_by: str | None
    uploaded_at: datetime
    job_id: int | None
    job: dict[str, Any] | None
    pages: list[PageSummary]


class PagePublic(BaseModel):
    """A recognised page: text, words with boxes on the image, and how it was read."""

    scan_id: int
    number: int
    text: str
    confidence: float
    rotation: int
    skew: float
    width: int
    height: int
    words: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    regions: list[dict[str, Any]] = Field(
        default_factory=list, description="stamps, signatures and handwriting: kind and box; their text is "
                                          "left out of the page's")
    steps: list[dict[str, Any]]
    source: str
    engine: str
    error: str | None
    image_url: str


@router.post("/scans", status_code=202, response_model=ScansAccepted, responses=AUTH_RESPONSES)
def upload_scans(
    resources: ResourcesDep,
    file: Annotated[list[UploadFile], File(description="one or more scans: images or PDFs")],
    user: Annotated[User, require(Action.UPLOAD_SCANS)],
    collection: Annotated[str | None, Form(max_length=200)] = None,
) -> ScansAccepted:
    """Store scans and queue their OCR. Every file is checked first: if any cannot be read
    as a scan, nothing is stored and the answer names it. The same bytes again come back
    as the existing scan with ``duplicate: true``."""
    if len(file) > MAX_FILES:
        raise InvalidInputError(f"At most {MAX_FILES} files can be sent at once.")
    ingester = make_ingester(sessions=resources.sessions, blobs=resources.blobs, policy=resources.job_policy)
    outcomes = store_scans([(upload.file, upload.filename or "scan") for upload in file], ingester=ingester,
                           publish=resources.publish_changes, collection=collection, actor=user.username)
    return ScansAccepted(scans=[
        ScanAccepted(id=outcome.scan_id or 0, filename=outcome.name, duplicate=outcome.status == "duplicate",
                     job_id=outcome.job_id) for outcome in outcomes])


@router.get("/scans/{scan_id}", response_model=ScanPublic, responses=AUTH_RESPONSES)
def get_scan(scan_id: RecordId, resources: ResourcesDep,
             _: Annotated[User, require(Action.READ_SCANS)]) -> ScanPublic:
    """A scan with its pages and OCR progress."""
    view = find_scan(scan_id, sessions=resources.sessions)
    if view is None:
        raise NotFoundError(f"There is no scan {scan_id}.")
    return ScanPublic.model_validate(asdict(view))


@router.get("/scans/{scan_id}/pages/{number}", response_model=PagePublic, responses=AUTH_RESPONSES)
def get_page(scan_id: RecordId, number: RecordId, request: Request, resources: ResourcesDep,
             _: Annotated[User, require(Action.READ_SCANS)]) -> PagePublic:
    """A recognised page; ``image_url`` serves the page image the boxes refer to."""
    page = find_page(scan_id, number, sessions=resources.sessions)
    if page is None:
        raise NotFoundError(f"Scan {scan_id} has no recognised page {number} (yet).")
    return PagePublic(
        scan_id=scan_id, number=page.number, text=page.text, confidence=page.confidence,
        rotation=page.rotation, skew=page.skew, width=page.width, height=page.height, words=page.words,
        entities=page.entities, regions=page.regions or [], steps=page.steps, source=page.source,
        engine=page.engine, error=page.error,
        image_url=str(request.url_for("get_page_image", scan_id=scan_id, number=number)))


@router.get("/scans/{scan_id}/pages/{number}/image", responses=AUTH_RESPONSES,
            response_class=FileResponse)
def get_page_image(scan_id: RecordId, number: RecordId, resources: ResourcesDep,
                   _: Annotated[User, require(Action.READ_SCANS)]) -> FileResponse:
    """The page image as loaded (the frame of the word boxes), checksum verified."""
    image = page_image(scan_id, number, sessions=resources.sessions, blobs=resources.blobs)
    if image is None:
        raise NotFoundError(f"Scan {scan_id} has no page image {number}.")
    path, media_type = image
    return FileResponse(path, media_type=media_type)


@router.get("/jobs/{job_id}", response_model=JobPublic, responses=AUTH_RESPONSES)
def get_job(job_id: RecordId, resources: ResourcesDep,
            _: Annotated[User, require(Action.READ_JOBS)]) -> JobPublic:
    """``{"state": "queued|running|done|failed", "progress": 0..1, "error": null}``."""
    statuses = jobs([job_id], sessions=resources.sessions)
    if not statuses:
        raise NotFoundError(f"There is no job {job_id}.")
    status = statuses[0]
    return JobPublic(id=status.id, state=status.state, progress=status.progress, error=status.error)

