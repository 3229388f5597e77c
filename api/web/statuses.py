"""What each status of a family's request means, in the words a family reads.

English here, Vietnamese in the catalog; the API gives both, the pages the visitor's.
"""

from __future__ import annotations

from api.web.i18n import LOCALES, N_, translations
from archive.requests import RequestStatus

#: One sentence a family can act on, for every status.
STATUS_TEXT: dict[RequestStatus, str] = {
    RequestStatus.SUBMITTED: N_("Received; waiting to be reviewed."),
    RequestStatus.IN_REVIEW: N_("An officer is reviewing the request."),
    RequestStatus.APPROVED: N_("Approved; the extract is being prepared."),
    RequestStatus.REJECTED: N_("Not granted; see the officer's note."),
    RequestStatus.ISSUED: N_("The extract is issued and can be downloaded."),
}


def status_text(status: str, locale: str) -> str:
    """The status in words, in ``locale``.

    Raises:
        ValueError: ``status`` is not a request status.
    """
    return translations(locale).gettext(STATUS_TEXT[RequestStatus(status)])


def status_texts(status: str) -> dict[str, str]:
    """The status in words in every language offered: ``{"vi": …, "en": …}``."""
    return {locale: status_text(status, locale) for locale in LOCALES}


def status_words(locale: str) -> dict[RequestStatus, str]:
    """Every status in words, in ``locale``, in workflow order (for lists and choices)."""
    return {status: status_text(status, locale) for status in RequestStatus}
