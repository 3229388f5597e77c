"""Languages of the web UI: Vietnamese first, English available.

Templates are written with English message ids; the Vietnamese catalog
(``templates/locale/vi/LC_MESSAGES/messages.po``) is read and compiled in memory at
start-up, so there is no build step and no compiled file to forget.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

#: Languages offered, the default first.
LOCALES = ("vi", "en")
DEFAULT_LOCALE = LOCALES[0]
LOCALE_DIR = Path(__file__).resolve().parents[2] / "templates" / "locale"


@cache
def translations(locale: str) -> NullTranslations:
    """The gettext translations for ``locale`` (English: the message ids themselves)."""
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale not in LOCALES or not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def pick_locale(requested: str | None) -> str:
    """``requested`` when it is offered, the default otherwise."""
    return requested if requested in LOCALES else DEFAULT_LOCALE


def negotiate(accept_language: str | None, default: str) -> str:
    """The offered language an ``Accept-Language`` header prefers, ``default`` when it
    names none of them (``vi-VN,vi;q=0.9,en;q=0.8`` -> ``vi``).

    A malformed part is skipped, never an error: the header is the client's.
    """
    best, best_weight = default, 0.0
    for part in (accept_language or "").split(",")[:50]:
        tag, _, rest = part.strip().partition(";")
        language = tag.strip().split("-")[0].lower()
        weight = _weight(rest)
        if language in LOCALES and weight > best_weight:
            best, best_weight = language, weight
    return best


def _weight(parameters: str) -> float:
    """The ``q`` of ``q=0.8`` (1 when absent, 0 when unreadable)."""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                return 0.0
            return weight if 0.0 <= weight <= 1.0 else 0.0
    return 1.0


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for a marker
    """Mark ``message`` for the catalog without translating it here (it is translated
    where it is shown)."""
    return message
