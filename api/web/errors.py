"""Errors shown as pages, in the visitor's language, for people rather than programs."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.errors import HTTP_STATUS
from api.web.i18n import N_
from api.web.render import gettext, render
from api.web.session import session_user
from decoder.errors import PhienhieuError, first_problem


def error_page(request: Request, status_code: int, message: str) -> Response:
    """A page that says what went wrong and what to do, with the status code."""
    titles = {
        400: N_("The request could not be read"), 401: N_("Sign in first"), 403: N_("Not allowed"),
        404: N_("Not found"), 405: N_("Not possible here"), 409: N_("Not possible now"),
        413: N_("Too large"), 422: N_("Something to correct"), 429: N_("Too many attempts"),
        503: N_("Unavailable for a moment"),
    }
    title = gettext(request, titles.get(status_code, N_("Something went wrong on our side")))
    if status_code >= 500:
        message = gettext(request, "The error is logged. Please try again later.")
    elif status_code == 404 and message in ("Not Found", ""):
        message = gettext(request, "There is no page at this address.")
    elif status_code == 405:
        message = gettext(request, "This address cannot be used that way.")
    try:
        user = session_user(request)
    except Exception:
        user = None
    return render(request, "web/error.html", {"title": title, "message": message},
                  user=user, status_code=status_code)


def failure_message(failure: Exception) -> str:
    """One sentence for a form's page: an archive error's own, or a validation's first
    problem (``field: what is wrong``)."""
    if isinstance(failure, PhienhieuError):
        return failure.message
    if isinstance(failure, ValidationError):
        where, message = first_problem(failure, "form")
        return f"{where}: {message}"
    return str(failure)


def failure_status(failure: Exception) -> int:
    """The status of a form's page that failed: the error's own (409 for a refusal, 404 for
    an unknown record), 422 for input that is not valid."""
    return HTTP_STATUS[failure.kind] if isinstance(failure, PhienhieuError) else 422
