"""Public pages that say whether an extract is genuine: by serial (the QR code) or by file."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import File, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from api.deps import ExtractsDep
from api.guarded_route import guarded_router
from api.routes.extracts import MAX_VERIFY_BYTES
from api.web.render import gettext, render
from api.web.session import CsrfChecked, SessionUser
from decoder.errors import NotFoundError

router = guarded_router(include_in_schema=False)


@router.get("/verify")
def verify_form(request: Request, user: SessionUser,
                serial: Annotated[str, Query(max_length=40)] = "") -> Response:
    """Check an extract: enter its serial or send the PDF."""
    if serial.strip():
        return RedirectResponse(f"/verify/{quote(serial.strip().upper())}", status_code=303)
    return render(request, "web/verify.html", {"status": None, "result": None, "error": None}, user=user)


@router.get("/verify/{serial}")
def verify_serial(serial: str, request: Request, extracts: ExtractsDep, user: SessionUser) -> Response:
    """What the QR code on an extract opens: was it issued, and does it stand?"""
    try:
        status = extracts.status(serial[:40])
    except NotFoundError:
        return render(request, "web/verify.html", {
            "status": None, "result": None,
            "error": gettext(request, "No extract was issued under this serial number. "
                                      "The document may be forged, or the number mistyped.")},
            user=user, status_code=404)
    return render(request, "web/verify.html", {"status": status, "result": None, "error": None}, user=user)


@router.post("/verify", dependencies=[CsrfChecked])
def verify_file(request: Request, extracts: ExtractsDep, user: SessionUser,
                file: Annotated[UploadFile, File()]) -> Response:
    """Check a PDF: the office's signature, unchanged, and the one issued under its serial."""
    data = file.file.read(MAX_VERIFY_BYTES + 1)
    problem = None
    if len(data) > MAX_VERIFY_BYTES:
        problem = gettext(request, "The file is larger than 20 MB; an extract is far smaller.")
    elif b"%PDF-" not in data[:1024]:
        problem = gettext(request, "The file is not a PDF; send the extract as it was downloaded.")
    if problem:
        return render(request, "web/verify.html", {"status": None, "result": None, "error": problem},
                      user=user, status_code=422)
    return render(request, "web/verify.html", {"status": None, "result": extracts.verify(data),
                                               "error": None}, user=user)
