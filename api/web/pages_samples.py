"""Pages of relatives and DNA samples: a martyr's relatives with who carries the
mother's line, a sample with its chain of custody and printable label, the laboratory's
comparison, and a grave's samples and identification. Staff only; families read their
request's plain progress on its tracking page."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import ResourcesDep
from api.guarded_route import guarded_router
from api.web.barcodes import barcode_svg
from api.web.errors import failure_message, failure_status
from api.web.i18n import N_
from api.web.render import render
from api.web.session import CsrfChecked, require_page
from archive.models import User
from archive.sample_schema import (
    CustodyRecord,
    IdentificationRecord,
    MatchRecord,
    RelativeRecord,
    SampleRecord,
)
from archive.users import Action, may
from decoder.errors import PhienhieuError
from usecases.samples import (
    erase_relative_data,
    grave_samples,
    name_grave,
    new_match,
    new_sample,
    person_relatives,
    record_custody,
    register_relative,
    sample_document,
    sample_list,
    undo_naming,
)

router = guarded_router(include_in_schema=False)
PAGE_SIZE = 25
Reader = Annotated[User, require_page(Action.READ_SAMPLES)]
RelativeWriter = Annotated[User, require_page(Action.WRITE_RELATIVES)]
SampleCreator = Annotated[User, require_page(Action.CREATE_SAMPLES)]
Custodian = Annotated[User, require_page(Action.RECORD_CUSTODY)]
Laboratory = Annotated[User, require_page(Action.RECORD_MATCHES)]
Identifier = Annotated[User, require_page(Action.IDENTIFY_GRAVES)]
Text = Annotated[str, Form(max_length=500)]
LongText = Annotated[str, Form(max_length=2000)]

#: Custody events as the pages name them.
EVENTS = {"collected": N_("collected"), "sealed": N_("sealed"), "shipped": N_("shipped"),
          "received": N_("received"), "analysed": N_("analysed"), "stored": N_("stored"),
          "returned": N_("returned"), "destroyed": N_("destroyed")}
LINES = {"maternal": N_("mother's line"), "paternal": N_("father's line"), "other": N_("other relative")}
CONCLUSIONS = {"match": N_("match"), "exclusion": N_("exclusion"), "inconclusive": N_("inconclusive")}


def _blank(value: str) -> str | None:
    return value.strip() or None


#: The words every page of this module shows.
WORDS: dict[str, Any] = {"events": EVENTS, "lines": LINES, "conclusions": CONCLUSIONS}


# --- a martyr's relatives -------------------------------------------------------------------


def _relatives_page(request: Request, resources: ResourcesDep, user: User, person_id: str, *,
                    error: str | None = None, status_code: int = 200) -> Response:
    data = person_relatives(person_id, sessions=resources.sessions,
                            contacts=may(user, Action.WRITE_RELATIVES))
    return render(request, "web/relatives.html", {"data": data, "error": error, **WORDS},
                  user=user, status_code=status_code)


@router.get("/persons/{person_id}/relatives")
def relatives_page(person_id: str, request: Request, resources: ResourcesDep, user: Reader) -> Response:
    """A martyr's relatives registered for sampling, grouped by line (the mother's first),
    and their samples."""
    return _relatives_page(request, resources, user, person_id[:64])


@router.post("/persons/{person_id}/relatives", dependencies=[CsrfChecked])
def add_relative_page(person_id: str, request: Request, resources: ResourcesDep, user: RelativeWriter,
                      name: Text, line: Annotated[Literal["maternal", "paternal", "other"], Form()],
                      relation: Text = "", living: Annotated[str, Form(max_length=5)] = "",
                      contact: Text = "", consent: Annotated[str, Form(max_length=5)] = "",
                      consent_how: Text = "") -> Response:
    """Register a relative from the page's form."""
    try:
        record = RelativeRecord.model_validate({
            "name": name, "relation": _blank(relation), "line": line,
            "living": {"yes": True, "no": False}.get(living), "contact": _blank(contact),
            "consent": consent == "yes", "consent_how": _blank(consent_how)})
        register_relative(person_id[:64], record, sessions=resources.sessions, actor=user.username)
    except (PhienhieuError, ValueError) as failure:
        return _relatives_page(request, resources, user, person_id[:64], error=failure_message(failure),
                               status_code=failure_status(failure))
    return RedirectResponse(f"/persons/{person_id[:64]}/relatives", status_code=303)


@router.post("/persons/{person_id}/samples", dependencies=[CsrfChecked])
def add_reference_sample_page(person_id: str, request: Request, resources: ResourcesDep,
                              user: SampleCreator, relative_id: Annotated[str, Form(max_length=40)],
                              collected_at: Annotated[str, Form(max_length=20)] = "",
                              collected_by: Text = "") -> Response:
    """Create a reference sample from a registered relative who consented."""
    try:
        record = SampleRecord.model_validate({
            "kind": "reference", "person_id": person_id[:64], "relative_id": relative_id, "consent": True,
            "collected_at": _blank(collected_at), "collected_by": _blank(collected_by)})
        created = new_sample(record, sessions=resources.sessions, actor=user.username)
    except (PhienhieuError, ValueError) as failure:
        return _relatives_page(request, resources, user, person_id[:64], error=failure_message(failure),
                               status_code=failure_status(failure))
    return RedirectResponse(f"/samples/{created['id']}", status_code=303)


@router.post("/relatives/{relative_id}/erase", dependencies=[CsrfChecked])
def erase_relative_page(relative_id: str, resources: ResourcesDep, user: RelativeWriter,
                        person_id: Annotated[str, Form(max_length=64)], reason: LongText) -> Response:
    """Erase a relative's personal data on the family's request."""
    erase_relative_data(relative_id[:40], reason=reason, sessions=resources.sessions, actor=user.username)
    return RedirectResponse(f"/persons/{person_id}/relatives", status_code=303)


# --- samples --------------------------------------------------------------------------------


@router.get("/samples")
def samples_page(request: Request, resources: ResourcesDep, user: Reader,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                 barcode: Annotated[str, Query(max_length=40)] = "") -> Response:
    """The samples, the newest first; a barcode scanned or typed opens its sample."""
    if barcode.strip():
        return RedirectResponse(f"/samples/{barcode.strip()}", status_code=303)
    listing = sample_list(sessions=resources.sessions, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "web/samples.html", {"listing": listing, "page": page, "limit": PAGE_SIZE,
                                                **WORDS}, user=user)


def _sample_page(request: Request, resources: ResourcesDep, user: User, sample_ref: str, *,
                 error: str | None = None, status_code: int = 200) -> Response:
    sample = sample_document(sample_ref[:40], sessions=resources.sessions)
    return render(request, "web/sample.html", {"sample": sample, "error": error, **WORDS},
                  user=user, status_code=status_code)


@router.get("/samples/{sample_ref}")
def sample_page(sample_ref: str, request: Request, resources: ResourcesDep, user: Reader) -> Response:
    """A sample: what it is, its chain of custody (and whether it is intact), comparisons."""
    return _sample_page(request, resources, user, sample_ref)


@router.get("/samples/{sample_ref}/label")
def label_page(sample_ref: str, request: Request, resources: ResourcesDep, user: Reader) -> Response:
    """A label to print and stick on the tube: the barcode, drawn and written."""
    sample = sample_document(sample_ref[:40], sessions=resources.sessions)
    return render(request, "web/sample_label.html",
                  {"sample": sample, "svg": barcode_svg(sample["barcode"])}, user=user)


@router.post("/samples/{sample_ref}/custody", dependencies=[CsrfChecked])
def custody_page(sample_ref: str, request: Request, resources: ResourcesDep, user: Custodian,
                 event: Annotated[str, Form(max_length=12)], place: Text = "",
                 note: LongText = "") -> Response:
    """Add an event to the sample's chain of custody, now, by whoever records it."""
    try:
        record = CustodyRecord.model_validate({"event": event, "place": _blank(place), "note": _blank(note)})
        record_custody(sample_ref[:40], record, sessions=resources.sessions, actor=user.username)
    except (PhienhieuError, ValueError) as failure:
        return _sample_page(request, resources, user, sample_ref, error=failure_message(failure),
                            status_code=failure_status(failure))
    return RedirectResponse(f"/samples/{sample_ref[:40]}", status_code=303)


@router.post("/samples/{sample_ref}/match", dependencies=[CsrfChecked])
def match_page(sample_ref: str, request: Request, resources: ResourcesDep, user: Laboratory,
               remains: Annotated[str, Form(max_length=40)],
               conclusion: Annotated[str, Form(max_length=12)],
               lr: Annotated[str, Form(max_length=40)] = "", note: LongText = "") -> Response:
    """Record the laboratory's comparison of this reference sample with a remains sample."""
    try:
        ratio = float(lr.replace(",", ".")) if lr.strip() else None
        record = MatchRecord.model_validate({
            "reference_sample": sample_ref[:40], "remains_sample": remains.strip(), "lr": ratio,
            "conclusion": conclusion, "note": _blank(note)})
        new_match(record, sessions=resources.sessions, actor=user.username)
    except (PhienhieuError, ValueError) as failure:
        return _sample_page(request, resources, user, sample_ref, error=failure_message(failure),
                            status_code=failure_status(failure))
    return RedirectResponse(f"/samples/{sample_ref[:40]}", status_code=303)


# --- a grave's samples and identification ---------------------------------------------------


def _grave_dna_page(request: Request, resources: ResourcesDep, user: User, grave_id: str, *,
                    error: str | None = None, status_code: int = 200) -> Response:
    data = grave_samples(grave_id[:64], sessions=resources.sessions)
    return render(request, "web/grave_dna.html", {"data": data, "error": error, **WORDS},
                  user=user, status_code=status_code)


@router.get("/graves/{grave_id}/dna")
def grave_dna_page(grave_id: str, request: Request, resources: ResourcesDep, user: Reader) -> Response:
    """A grave's remains samples, and the identifications that named it (undone ones too)."""
    return _grave_dna_page(request, resources, user, grave_id)


@router.post("/graves/{grave_id}/samples", dependencies=[CsrfChecked])
def add_remains_sample_page(grave_id: str, request: Request, resources: ResourcesDep,
                            user: SampleCreator, collected_at: Annotated[str, Form(max_length=20)] = "",
                            collected_by: Text = "") -> Response:
    """Create a remains sample of the grave."""
    try:
        record = SampleRecord.model_validate({"kind": "remains", "grave_id": grave_id[:64],
                                              "collected_at": _blank(collected_at),
                                              "collected_by": _blank(collected_by)})
        created = new_sample(record, sessions=resources.sessions, actor=user.username)
    except (PhienhieuError, ValueError) as failure:
        return _grave_dna_page(request, resources, user, grave_id, error=failure_message(failure),
                               status_code=failure_status(failure))
    return RedirectResponse(f"/samples/{created['id']}", status_code=303)


@router.post("/graves/{grave_id}/identify", dependencies=[CsrfChecked])
def identify_page(grave_id: str, request: Request, resources: ResourcesDep, user: Identifier,
                  person_id: Annotated[str, Form(max_length=64)], matches: Text = "",
                  scan: Annotated[str, Form(max_length=100)] = "",
                  page: Annotated[str, Form(max_length=6)] = "", note: LongText = "") -> Response:
    """Name the grave after a person, on a laboratory match or on archived documents."""
    try:
        documents = [{"scan": scan.strip()} | ({"page": int(page)} if page.strip().isdigit() else {})
                     ] if scan.strip() else []
        record = IdentificationRecord.model_validate({
            "grave_id": grave_id[:64], "person_id": person_id.strip(),
            "matches": [part.strip() for part in matches.replace(";", ",").split(",") if part.strip()],
            "documents": documents, "note": _blank(note)})
        name_grave(record, sessions=resources.sessions, actor=user.username)
    except (PhienhieuError, ValueError) as failure:
        return _grave_dna_page(request, resources, user, grave_id, error=failure_message(failure),
                               status_code=failure_status(failure))
    resources.publish_changes()
    return RedirectResponse(f"/graves/{grave_id[:64]}/dna", status_code=303)


@router.post("/identifications/{identification_id}/undo", dependencies=[CsrfChecked])
def undo_page(identification_id: str, request: Request, resources: ResourcesDep, user: Identifier,
              grave_id: Annotated[str, Form(max_length=64)], reason: LongText) -> Response:
    """Undo an identification; the grave is put back as it was."""
    try:
        undo_naming(identification_id[:40], reason=reason, sessions=resources.sessions,
                    actor=user.username)
    except PhienhieuError as failure:
        return _grave_dna_page(request, resources, user, grave_id, error=failure_message(failure),
                               status_code=failure_status(failure))
    resources.publish_changes()
    return RedirectResponse(f"/graves/{grave_id[:64]}/dna", status_code=303)
