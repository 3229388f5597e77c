"""Leads' reasons as sentences in the page's language, through the catalog.

Leads write each reason's English once (:mod:`leads.reasons`, extracted into the catalog by
``scripts/messages.sh``) and keep it with its id and parameters; here the same reason is said
again with the catalog's ``gettext``: its message, the clauses inside it, the levels, and the
dates in words (``ngày 20 tháng 5 năm 1972``). Names, places and ids stay as written.
"""

from __future__ import annotations

from api.web.i18n import translations
from leads.reasons import sentence as said


def sentence(reason: str, locale: str) -> str:
    """``reason`` (an area's or a grave's) in ``locale``; English for a language not offered,
    and a plain string, which carries no id to say it again from, as it is."""
    return said(reason, translations(locale).gettext)
