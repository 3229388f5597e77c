"""Pages anyone may open: start, language, sign-in, decoding, units and search."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from api.batch_csv import decode_rows
from api.deps import DecoderDep, GuardsDep, ResourcesDep, SettingsDep, check_sign_in
from api.guarded_route import guarded_router
from api.security import SESSION_COOKIE, UnauthorizedError
from api.web.i18n import pick_locale
from api.web.map import HEIGHT, WIDTH, event_points, outline
from api.web.navigation import safe_next
from api.web.reasons import LEVELS
from api.web.render import gettext, render
from api.web.session import LANG_COOKIE, SESSION_MAX_AGE, CsrfChecked, SessionUser, secure_cookies
from decoder.errors import InvalidInputError, NotFoundError, PhienhieuError
from search.model import SearchRequest
from usecases.searching import search as search_index
from usecases.staff import record_sign_in, sign_out

router = guarded_router(include_in_schema=False)
#: A CSV sent through the decode page is read whole; larger batches go through the CLI.
MAX_CSV_BYTES = 4 * 1024 * 1024


@router.get("/")
def home(request: Request, user: SessionUser) -> Response:
    """The start page: decode a designation, or (for families) search and request."""
    return render(request, "web/home.html", user=user)


@router.get("/lang/{code}")
def choose_language(code: str, next: str = "/") -> Response:
    """Remember the visitor's language and go back to the page they were on."""
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, pick_locale(code), max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("/login")
def login_form(request: Request, user: SessionUser, next: str = "/") -> Response:
    """The staff sign-in form."""
    return render(request, "web/login.html", {"next": safe_next(next), "error": None, "username": ""},
                  user=user)


@router.post("/login", dependencies=[CsrfChecked])
async def login(request: Request, resources: ResourcesDep, guards: GuardsDep,
                username: Annotated[str, Form(max_length=100)],
                password: Annotated[str, Form(max_length=1000)],
                next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    """Check the name and password; on success the browser keeps a signed session cookie."""
    user = await check_sign_in(request, username, password)
    if user is None:
        return render(request, "web/login.html", {
            "next": safe_next(next), "username": username,
            "error": gettext(request, "The name or the password is wrong.")}, status_code=401)
    await run_in_threadpool(record_sign_in, user, sessions=resources.sessions)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, guards.token_signer.issue(user), max_age=SESSION_MAX_AGE,
                        httponly=True, samesite="lax", secure=secure_cookies(request), path="/")
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(resources: ResourcesDep, user: SessionUser) -> Response:
    """End the account's sessions (this browser's cookie and every token) and forget it here."""
    if user is not None:
        sign_out(user.id, sessions=resources.sessions, actor=user.username)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _level_names(request: Request) -> dict[str, str]:
    return {level.value: gettext(request, word) for level, word in LEVELS.items()}


@router.get("/decode")
def decode_page(request: Request, decode: DecoderDep, user: SessionUser,
                text: Annotated[str, Query(max_length=20_000)] = "",
                date: Annotated[str, Query(max_length=40)] = "") -> Response:
    """The decode box, and the decoded chain with candidates, reasons and a timeline."""
    result, error = None, None
    if text.strip():
        try:
            result = decode(text, date.strip() or None)
        except PhienhieuError as failure:
            error = failure.message
    return render(request, "web/decode.html", {
        "text": text, "date": date, "result": result, "error": error, "levels": _level_names(request)},
        user=user, status_code=422 if error else 200)


@router.post("/decode/csv", dependencies=[CsrfChecked])
def decode_csv_page(request: Request, decode: DecoderDep, settings: SettingsDep, user: SessionUser,
                    file: Annotated[UploadFile, File()]) -> Response:
    """A CSV with a ``text`` (and optional ``date``) column in; the same rows with their
    decoding out, as a download."""
    try:
        raw = file.file.read(MAX_CSV_BYTES + 1)
        if len(raw) > MAX_CSV_BYTES:
            raise InvalidInputError(gettext(
                request, "The CSV file is larger than 4 MB; use the command line for it."))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInputError(gettext(
                request, "The file is not UTF-8 text; save it as “CSV UTF-8”.")) from None
        data, _ = decode_rows(io.StringIO(text, newline=""), file.filename or "CSV", decode,
                              max_rows=settings.max_batch_rows)
    except PhienhieuError as failure:
        return render(request, "web/decode.html", {
            "text": "", "date": "", "result": None, "error": failure.message,
            "levels": _level_names(request)}, user=user, status_code=422)
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="decoded.csv"'})


@router.get("/units/{unit_id}")
def unit_page(unit_id: str, request: Request, resources: ResourcesDep, user: SessionUser) -> Response:
    """A unit: names, codes, parents over time, subordinate units and history on a map."""
    registry = resources.registry.get()
    if unit_id not in registry:
        raise NotFoundError(gettext(request, "There is no such unit in the registry."))
    unit = registry.unit(unit_id)
    events: list[dict[str, Any]] = [event.model_dump(by_alias=True) for event in unit.events]
    land, islands = outline()
    names = {other: registry.unit(other).name for other in
             [parent.unit for parent in unit.parents] + registry.children(unit_id) if other in registry}
    return render(request, "web/unit.html", {
        "unit": unit, "events": events, "names": names, "children": registry.children(unit_id),
        "levels": _level_names(request), "map": {"width": WIDTH, "height": HEIGHT, "land": land,
                                                 "islands": islands, "points": event_points(events)}},
        user=user)


@router.get("/search")
def search_page(request: Request, resources: ResourcesDep, user: SessionUser,
                q: Annotated[str, Query(max_length=2000)] = "",
                type: Annotated[str, Query(max_length=20)] = "",
                page: Annotated[int, Query(ge=1, le=1000)] = 1) -> Response:
    """Search persons, pages and units; a family whose search finds nobody is shown how
    to ask an officer instead."""
    result, error, limit = None, None, 20
    if q.strip():
        try:
            query = SearchRequest.model_validate({
                "q": q, "type": type or None, "limit": limit, "offset": (page - 1) * limit})
            result = search_index(query, sessions=resources.sessions, index=resources.search_index)
        except ValidationError:
            error = gettext(request, "The search could not be read: keep it under 500 characters.")
        except PhienhieuError as failure:
            error = failure.message
    return render(request, "web/search.html", {
        "q": q, "type": type, "page": page, "limit": limit, "result": result, "error": error},
        user=user, status_code=422 if error else 200)


def login_redirect(request: Request, error: UnauthorizedError) -> Response:
    """Send a visitor who must sign in to the sign-in page, and back here afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={safe_next(target)}", status_code=303)
