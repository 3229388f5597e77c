"""Pages for officers and administrators: the request queue and staff accounts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from api.deps import ExtractsDep, ResourcesDep
from api.guarded_route import guarded_router
from api.routes.scans import RecordId
from api.web.render import gettext, locale_of, render
from api.web.session import CsrfChecked, require_page
from api.web.statuses import status_words
from archive.models import User
from archive.requests import RequestStatus, allowed_moves
from archive.users import Action, Role
from decoder.errors import NotFoundError, PhienhieuError
from usecases.requests import attachment_file, decide_request, request_queue, view_request
from usecases.staff import accounts, add_account, set_account_active

router = guarded_router(include_in_schema=False)
Officer = Annotated[User, require_page(Action.HANDLE_REQUESTS)]
Admin = Annotated[User, require_page(Action.MANAGE_USERS)]
#: A status to list, or "" for all of them.
Status = Literal[""] | RequestStatus
Code = Annotated[str, Form(max_length=32)]
PAGE_SIZE = 25


def _status_words(request: Request) -> dict[RequestStatus, str]:
    return status_words(locale_of(request))


@router.get("/queue")
def queue(request: Request, resources: ResourcesDep, user: Officer, status: Status = "",
          page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    """Families' requests, newest first, by status."""
    total, rows = request_queue(str(status) or None, PAGE_SIZE, (page - 1) * PAGE_SIZE,
                                sessions=resources.sessions)
    return render(request, "web/queue.html", {
        "rows": rows, "total": total, "status": status, "page": page, "limit": PAGE_SIZE,
        "words": _status_words(request)}, user=user)


def _queue_item(request: Request, resources: ResourcesDep, extracts: ExtractsDep, user: User, code: str,
                error: str | None, person_id: str = "") -> Response:
    view = view_request(code[:32], None, sessions=resources.sessions)
    # Issuing is the extract's own step.
    moves = sorted(allowed_moves(view.status) - {RequestStatus.ISSUED})
    return render(request, "web/queue_item.html", {
        "view": view, "words": _status_words(request), "moves": moves, "error": error,
        "extract": extracts.for_request(code[:32], None), "person_id": person_id},
        user=user, status_code=409 if error else 200)


@router.get("/queue/{code}")
def queue_item(code: str, request: Request, resources: ResourcesDep, extracts: ExtractsDep,
               user: Officer) -> Response:
    """One request: what the family wrote, their photos, and the moves it can make."""
    return _queue_item(request, resources, extracts, user, code, None)


@router.post("/queue/{code}/transition", dependencies=[CsrfChecked])
def move(code: str, request: Request, resources: ResourcesDep, extracts: ExtractsDep, user: Officer,
         to: Annotated[Literal[RequestStatus.IN_REVIEW, RequestStatus.APPROVED, RequestStatus.REJECTED],
                       Form()],
         note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Move the request along its workflow (audited)."""
    try:
        decide_request(code[:32], str(to), note.strip(), sessions=resources.sessions, actor=user.username)
    except PhienhieuError as failure:
        return _queue_item(request, resources, extracts, user, code, failure.message)
    return RedirectResponse(f"/queue/{code[:32]}", status_code=303)


@router.get("/queue/{code}/extract/preview")
def preview_extract(code: str, request: Request, extracts: ExtractsDep,
                    _: Annotated[User, require_page(Action.ISSUE_EXTRACTS)],
                    person_id: Annotated[str, Query(min_length=1, max_length=64)],
                    unit_id: Annotated[str, Query(max_length=64)] = "") -> Response:
    """The extract as it would be issued, in the browser, before anything is signed."""
    return HTMLResponse(extracts.preview(code[:32], person_id.strip(), unit_id.strip() or None))


@router.post("/queue/{code}/extract", dependencies=[CsrfChecked])
def issue_extract(code: str, request: Request, resources: ResourcesDep, extracts: ExtractsDep,
                  user: Annotated[User, require_page(Action.ISSUE_EXTRACTS)],
                  person_id: Annotated[str, Form(min_length=1, max_length=64)],
                  unit_id: Annotated[str, Form(max_length=64)] = "") -> Response:
    """Issue the signed extract; the family can download it from their tracking page."""
    try:
        extracts.issue(code[:32], person_id.strip(), unit_id.strip() or None, actor=user.username)
    except PhienhieuError as failure:
        return _queue_item(request, resources, extracts, user, code, failure.message, person_id)
    return RedirectResponse(f"/queue/{code[:32]}", status_code=303)


@router.post("/extracts/{serial}/revoke", dependencies=[CsrfChecked])
def revoke_extract(serial: str, request: Request, extracts: ExtractsDep,
                   user: Annotated[User, require_page(Action.REVOKE_EXTRACTS)],
                   reason: Annotated[str, Form(min_length=3, max_length=2000)],
                   code: Annotated[str, Form(max_length=32)] = "") -> Response:
    """Revoke an extract; its verification page says so from then on."""
    extracts.revoke(serial[:40], reason.strip(), actor=user.username)
    return RedirectResponse(f"/queue/{code}" if code else f"/verify/{serial[:40]}", status_code=303)


@router.get("/queue/{code}/attachments/{number}")
def attachment(code: str, number: RecordId, request: Request, resources: ResourcesDep,
               user: Officer) -> FileResponse:
    """A photo the family sent, checksum verified."""
    found = attachment_file(code[:32], number, sessions=resources.sessions, blobs=resources.blobs)
    if found is None:
        raise NotFoundError(gettext(request, "The request has no such photo."))
    path, media_type, filename = found
    return FileResponse(path, media_type=media_type, filename=filename, content_disposition_type="inline")


@router.get("/admin/users")
def users(request: Request, resources: ResourcesDep, user: Admin) -> Response:
    """Staff accounts, and a form to add one."""
    return render(request, "web/users.html", {"users": accounts(sessions=resources.sessions),
                                              "roles": list(Role), "error": None, "added": None}, user=user)


@router.post("/admin/users", dependencies=[CsrfChecked])
def add_user(request: Request, resources: ResourcesDep, user: Admin,
             username: Annotated[str, Form(max_length=100)], password: Annotated[str, Form(max_length=1000)],
             role: Annotated[Role, Form()]) -> Response:
    """Add a staff account."""
    error, added = None, None
    try:
        added = add_account(username, password, role, sessions=resources.sessions,
                            actor=user.username).username
    except PhienhieuError as failure:
        error = failure.message
    return render(request, "web/users.html", {"users": accounts(sessions=resources.sessions),
                                              "roles": list(Role), "error": error, "added": added},
                  user=user, status_code=422 if error else 201)


@router.post("/admin/users/{username}/active", dependencies=[CsrfChecked])
def set_active(username: str, request: Request, resources: ResourcesDep, user: Admin,
               active: Annotated[bool, Form()]) -> Response:
    """Enable or disable an account; a disabled account is signed out everywhere."""
    set_account_active(username[:100], active, sessions=resources.sessions, actor=user.username)
    return RedirectResponse("/admin/users", status_code=303)
