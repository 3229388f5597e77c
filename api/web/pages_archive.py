"""Pages for archivists (and staff who read the archive): upload, scans, the page viewer
with its text correction, and person records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from api.deps import ResourcesDep, SettingsDep
from api.guarded_route import guarded_router
from api.routes.scans import MAX_FILES, RecordId
from api.web.render import gettext, render
from api.web.session import CsrfChecked, require_page
from archive.models import User
from archive.pages import MAX_PAGE_TEXT
from archive.users import Action
from decoder.errors import InvalidInputError, NotFoundError, PhienhieuError
from search.analysis import terms
from search.snippets import word_matches
from usecases.grave_views import person_graves
from usecases.linkage import copies_of
from usecases.persons import person_document
from usecases.scans import (
    browse_collections,
    browse_scans,
    find_page,
    find_scan,
    make_ingester,
    save_correction,
    upload_scans,
)

router = guarded_router(include_in_schema=False)
PAGE_SIZE = 25

Uploader = Annotated[User, require_page(Action.UPLOAD_SCANS)]
Reader = Annotated[User, require_page(Action.READ_SCANS)]


@router.get("/upload")
def upload_form(request: Request, resources: ResourcesDep, settings: SettingsDep, user: Uploader) -> Response:
    """Upload many scans at once, by choosing or dropping files; each shows its progress."""
    return render(request, "web/upload.html", {
        "collections": browse_collections(sessions=resources.sessions), "outcomes": None, "error": None,
        "max_files": MAX_FILES, "max_bytes": settings.max_upload_bytes}, user=user)


@router.post("/upload", dependencies=[CsrfChecked])
def upload(request: Request, resources: ResourcesDep, settings: SettingsDep, user: Uploader,
           file: Annotated[list[UploadFile], File()],
           collection: Annotated[str, Form(max_length=200)] = "") -> Response:
    """The upload form without scripts: store every file, then list them with their jobs."""
    error, outcomes = None, None
    try:
        if len(file) > MAX_FILES:
            raise InvalidInputError(gettext(request, "Send at most 500 files at once."))
        ingester = make_ingester(sessions=resources.sessions, blobs=resources.blobs,
                                 policy=resources.job_policy)
        outcomes = upload_scans([(upload.file, upload.filename or "scan") for upload in file],
                                ingester=ingester, publish=resources.publish_changes,
                                collection=collection.strip() or None, actor=user.username)
    except PhienhieuError as failure:
        error = failure.message
    return render(request, "web/upload.html", {
        "collections": browse_collections(sessions=resources.sessions), "outcomes": outcomes, "error": error,
        "max_files": MAX_FILES, "max_bytes": settings.max_upload_bytes},
        user=user, status_code=422 if error else 200)


@router.get("/scans")
def scans_page(request: Request, resources: ResourcesDep, user: Reader,
               collection: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
               page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    """Scans, newest first, with their OCR progress; filter by collection."""
    total, scans = browse_scans(collection, PAGE_SIZE, (page - 1) * PAGE_SIZE, sessions=resources.sessions)
    return render(request, "web/scans.html", {
        "scans": scans, "total": total, "page": page, "limit": PAGE_SIZE, "collection": collection,
        "collections": browse_collections(sessions=resources.sessions)}, user=user)


@router.get("/scans/{scan_id}")
def scan_page(scan_id: RecordId, request: Request, resources: ResourcesDep, user: Reader) -> Response:
    """A scan: its file, collection, pages and OCR job."""
    view = find_scan(scan_id, sessions=resources.sessions)
    if view is None:
        raise NotFoundError(gettext(request, "There is no such scan."))
    return render(request, "web/scan.html", {"scan": view}, user=user)


@router.get("/scans/{scan_id}/pages/{number}")
def page_viewer(scan_id: RecordId, number: RecordId, request: Request, resources: ResourcesDep,
                user: Reader, q: Annotated[str, Query(max_length=500)] = "",
                saved: bool = False) -> Response:
    """The page image with the recognised words over it (search hits marked), and its text."""
    page = find_page(scan_id, number, sessions=resources.sessions)
    view = find_scan(scan_id, sessions=resources.sessions)
    if page is None or view is None:
        raise NotFoundError(gettext(request, "This page has not been read yet, or does not exist."))
    wanted = terms(q) if q.strip() else []
    width, height = max(page.width, 1), max(page.height, 1)
    words: list[dict[str, Any]] = [
        {"text": word["text"], **_percent_box(word["box"], width, height),
         "hit": bool(wanted) and word_matches(word["text"], wanted)}
        for word in page.words]
    # Stamps, signatures and handwriting, when the page was recorded with them.
    regions = [{"kind": region["kind"], **_percent_box(region["box"], width, height)}
               for region in page.regions or []]
    return render(request, "web/page.html", {
        "scan": view, "page": page, "words": words, "regions": regions, "q": q,
        "hits": sum(word["hit"] for word in words), "saved": saved, "error": None,
        "max_text": MAX_PAGE_TEXT}, user=user)


def _percent_box(box: list[int], width: int, height: int) -> dict[str, float]:
    """A box in percent of the image, so it follows the image's scaling."""
    return {"left": 100 * box[0] / width, "top": 100 * box[1] / height,
            "width": 100 * box[2] / width, "height": 100 * box[3] / height}


@router.post("/scans/{scan_id}/pages/{number}/text", dependencies=[CsrfChecked])
def correct_text(scan_id: RecordId, number: RecordId, request: Request, resources: ResourcesDep,
                 user: Annotated[User, require_page(Action.EDIT_PAGES)],
                 text: Annotated[str, Form(max_length=MAX_PAGE_TEXT + 10_000)]) -> Response:
    """Save a person's correction of the page text."""
    save_correction(scan_id, number, text, sessions=resources.sessions, publish=resources.publish_changes,
                    actor=user.username)
    return RedirectResponse(f"/scans/{scan_id}/pages/{number}?saved=1#text", status_code=303)


@router.get("/persons/{person_id}")
def person_page(person_id: str, request: Request, resources: ResourcesDep,
                user: Annotated[User, require_page(Action.READ_PERSONS)]) -> Response:
    """A martyr record with the pages it was taken from and where he lies."""
    data = person_document(person_id[:64], sessions=resources.sessions)
    if data is None:
        raise NotFoundError(gettext(request, "There is no such person record."))
    linked = copies_of(f"person:{person_id[:64]}", sessions=resources.sessions)
    return render(request, "web/person.html", {
        "person": data, "graves": person_graves(person_id[:64], sessions=resources.sessions),
        "copies": linked["copies"], "conflicts": linked["conflicts"]}, user=user)
