"""Rendering pages: one Jinja2 environment, the visitor's language, and the cookies a
page must leave behind."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from api.security import CSRF_COOKIE
from api.web.i18n import LOCALES, pick_locale, translations
from api.web.lead_reasons import sentence as lead_sentence
from api.web.reasons import sentence
from api.web.session import LANG_COOKIE, csrf_token, secure_cookies
from archive.models import User
from archive.users import Action, may
from decoder.reasons import Reason

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"
_locale: ContextVar[str] = ContextVar("locale", default=LOCALES[0])

_environment = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(),
                           extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
_environment.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=lambda message: translations(_locale.get()).gettext(message),
    ngettext=lambda one, many, n: translations(_locale.get()).ngettext(one, many, n),
    newstyle=True,
)
templates = Jinja2Templates(env=_environment)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _highlight(snippet: str, spans: list[tuple[int, int]]) -> Markup:
    """The snippet, escaped, with the matching words in ``<mark>``."""
    out, last = Markup(), 0
    for start, end in sorted(spans):
        if start < last or end > len(snippet):
            continue
        out += escape(snippet[last:start]) + Markup("<mark>") + escape(snippet[start:end]) + Markup("</mark>")
        last = end
    return out + escape(snippet[last:])


def _reason(reason: Reason) -> str:
    return sentence(reason, _locale.get())


def _lead_reason(reason: str) -> str:
    return lead_sentence(reason, _locale.get())


templates.env.filters["when"] = _when
templates.env.filters["reason"] = _reason
templates.env.filters["lead_reason"] = _lead_reason
templates.env.filters["highlight"] = _highlight
templates.env.globals["Action"] = Action
templates.env.globals["may"] = may


def locale_of(request: Request) -> str:
    """The language the visitor chose, Vietnamese until they choose another."""
    return pick_locale(request.cookies.get(LANG_COOKIE))


def gettext(request: Request, message: str) -> str:
    """``message`` in the visitor's language, for text made outside templates."""
    return translations(locale_of(request)).gettext(message)


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           user: User | None = None, status_code: int = 200) -> HTMLResponse:
    """Render ``template`` in the visitor's language with the layout's context."""
    locale = locale_of(request)
    token = csrf_token(request)
    _locale.set(locale)
    response = templates.TemplateResponse(request, template, {
        "user": user, "locale": locale, "locales": LOCALES, "csrf_token": token,
        "path": request.url.path, **(context or {})}, status_code=status_code)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=secure_cookies(request), path="/")
    response.headers["Content-Language"] = locale
    return response


def render_text(request: Request, template: str, context: dict[str, Any] | None = None, *,
                user: User | None = None) -> str:
    """``template`` as text in the visitor's language (a document to print, not a page)."""
    locale = locale_of(request)
    _locale.set(locale)
    return _environment.get_template(template).render(
        {"request": request, "user": user, "locale": locale, **(context or {})})


def download_name(text: str, *, limit: int = 64) -> str:
    """A record's id as part of a downloaded file's name: ASCII letters, digits, ``-`` and
    ``_`` (a ``Content-Disposition`` header holds nothing else safely), the rest ``_``."""
    return "".join(char if char.isascii() and (char.isalnum() or char in "-_") else "_"
                   for char in text[:limit])
