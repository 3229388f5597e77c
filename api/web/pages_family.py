"""Pages for families: the request form, the tracking page, and their photos."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import ValidationError

from api.deps import ExtractsDep, GuardsDep, ResourcesDep, client_address, count_family_try
from api.guarded_route import guarded_router
from api.web.render import gettext, locale_of, render
from api.web.session import CsrfChecked, SessionUser
from api.web.statuses import status_text
from archive.attachments import MAX_ATTACHMENTS
from archive.requests import RequestCreate
from decoder.errors import NotFoundError, PhienhieuError
from decoder.untrusted import is_ascii_digits
from usecases.requests import submit_request as record_request
from usecases.requests import view_request

router = guarded_router(include_in_schema=False)
#: The form's fields: (name, where it goes in the request).
REQUESTER_FIELDS = ("requester_name", "contact", "relation")
PERSON_FIELDS = ("full_name", "birth_year", "hometown", "unit_text", "death_date", "death_place")
Text = Annotated[str, Form(max_length=2000)]


def _blank_form(name: str = "") -> dict[str, str]:
    return dict.fromkeys((*REQUESTER_FIELDS, *PERSON_FIELDS, "note"), "") | {"full_name": name}


@router.get("/request")
def request_form(request: Request, user: SessionUser, name: str = "") -> Response:
    """The short form a family fills in to ask for an extract."""
    return render(request, "web/request_form.html", {
        "form": _blank_form(name[:200]), "errors": {}, "error": None, "max_photos": MAX_ATTACHMENTS},
        user=user)


def _request_body(form: dict[str, str]) -> dict[str, Any]:
    person: dict[str, Any] = {name: form[name].strip() for name in PERSON_FIELDS if form[name].strip()}
    if "birth_year" in person:
        year = person["birth_year"]
        person["birth_year"] = int(year) if is_ascii_digits(year) and len(year) <= 4 else year
    return {"requester": {"name": form["requester_name"], "contact": form["contact"],
                          "relation": form["relation"]},
            "person": person, "note": form["note"]}


def _field_errors(request: Request, error: ValidationError) -> dict[str, str]:
    fields = {"name": "requester_name", "contact": "contact", "relation": "relation", "note": "note"}
    errors: dict[str, str] = {}
    for item in error.errors():
        location = [str(part) for part in item["loc"]]
        field = location[1] if len(location) > 1 and location[0] == "person" else None
        field = field or (fields.get(location[-1]) if location else None) or "full_name"
        if field == "person":  # a rule about several dates at once
            field = "death_date"
        errors.setdefault(field, gettext(request, "Please check this field:") + " " + str(item["msg"]))
    return errors


@router.post("/request", dependencies=[CsrfChecked])
def submit_request(request: Request, resources: ResourcesDep, guards: GuardsDep, user: SessionUser,
                   requester_name: Text = "", contact: Text = "", relation: Text = "",
                   full_name: Text = "", birth_year: Text = "", hometown: Text = "", unit_text: Text = "",
                   death_date: Text = "", death_place: Text = "",
                   note: Annotated[str, Form(max_length=4000)] = "",
                   photos: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    """Record the request and show its tracking code and secret, once."""
    form = {"requester_name": requester_name, "contact": contact, "relation": relation,
            "full_name": full_name, "birth_year": birth_year, "hometown": hometown, "unit_text": unit_text,
            "death_date": death_date, "death_place": death_place, "note": note}
    context: dict[str, Any] = {"form": form, "errors": {}, "error": None, "max_photos": MAX_ATTACHMENTS}
    try:
        body = RequestCreate.model_validate(_request_body(form))
    except ValidationError as error:
        context["errors"] = _field_errors(request, error)
        return render(request, "web/request_form.html", context, user=user, status_code=422)
    files = [(photo.file, photo.filename or "photo") for photo in photos or [] if photo.filename]
    address = client_address(request)
    try:
        guards.request_limiter.hit(f"address:{address}")
        created = record_request(body, files, sessions=resources.sessions, blobs=resources.blobs)
    except PhienhieuError as failure:
        context["error"] = failure.message
        return render(request, "web/request_form.html", context, user=user,
                      status_code=429 if failure.code == "too_many_requests" else 422)
    return render(request, "web/request_created.html", {
        "code": created.tracking_code, "secret": created.secret}, user=user, status_code=201)


@router.get("/track")
def track_form(request: Request, user: SessionUser, code: str = "") -> Response:
    """Where a family enters its tracking code and secret."""
    return render(request, "web/track.html", {"code": code[:32], "error": None}, user=user)


@router.post("/track", dependencies=[CsrfChecked])
def track(request: Request, resources: ResourcesDep, extracts: ExtractsDep, user: SessionUser,
          code: Annotated[str, Form(max_length=32)],
          secret: Annotated[str, Form(max_length=200)]) -> Response:
    """The request's status in plain words (code and secret travel in the form, never in
    the address, so they stay out of logs and browser history)."""
    try:
        count_family_try(request)
        view = view_request(code, secret.strip(), sessions=resources.sessions)
    except NotFoundError:
        return render(request, "web/track.html", {
            "code": code, "error": gettext(request, "No request has this tracking code and secret. "
                                                    "Check both, letter by letter.")},
            user=user, status_code=404)
    return render(request, "web/request_status.html", {
        "view": view, "status_text": status_text(view.status, locale_of(request)), "secret": secret.strip(),
        "extract": extracts.for_request(code, secret.strip())}, user=user)


@router.post("/track/extract", dependencies=[CsrfChecked])
def download_extract(request: Request, extracts: ExtractsDep,
                     code: Annotated[str, Form(max_length=32)],
                     secret: Annotated[str, Form(max_length=200)]) -> Response:
    """The family's signed extract, downloaded with the request's code and secret."""
    count_family_try(request)
    extract = extracts.for_request(code, secret.strip())
    if extract is None:
        raise NotFoundError(gettext(request, "No extract has been issued for this request yet."))
    path, name = extracts.pdf(extract.serial, secret=secret.strip(), actor="family")
    return FileResponse(path, media_type="application/pdf", filename=name)
