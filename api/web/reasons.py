"""The decoder's reasons as sentences, in English or Vietnamese, through the catalog.

Each reason id has one English message here (the catalog's message id, with named
placeholders) and its Vietnamese text in ``templates/locale/vi/LC_MESSAGES/messages.po``.
The parameters are put into words first, in the same language: levels, branches, codes
and periods have messages of their own; names, dates and sources stay as written.
"""

from __future__ import annotations

from functools import reduce

from api.web.i18n import N_, translations
from decoder.model import Level, Qualifier
from decoder.reasons import CodeHeld, Reason, ReasonId, ReasonParam, Span, UnitWritten
from decoder.result import DecodeResult

#: The sentence of every reason id, in English.
MESSAGES: dict[ReasonId, str] = {
    ReasonId.UNIT_IS: N_("%(unit)s is %(echelon)s"),
    ReasonId.BRANCH_MISMATCH: N_("written as %(written)s, but %(unit)s is %(branch)s"),
    ReasonId.BELOW_RECORDED: N_("%(echelons)s: below what the registry records for %(unit)s"),
    ReasonId.PARENT_AT_DATE: N_("%(child)s is under %(parent)s in %(date)s"),
    ReasonId.PARENT_IN_REGISTRY: N_("%(child)s is under %(parent)s in the registry"),
    ReasonId.PARENT_AT_OTHER_TIME: N_("%(child)s was under %(parent)s only %(periods)s, not in %(date)s"),
    ReasonId.PARENT_CONTRADICTED: N_("the registry places %(child)s under %(actual)s, not %(parent)s"),
    ReasonId.PARENT_UNKNOWN: N_("the registry does not say which %(level)s %(child)s belonged to"),
    ReasonId.OUTSIDE_LIFETIME: N_("%(unit)s existed %(lifetime)s, not in %(date)s"),
    ReasonId.NUMBERS_REPAIRED: N_("numbers in %(text)s were read through OCR errors"),
    ReasonId.NUMBER_REPAIRED: N_("the number in %(text)s was read through OCR errors"),
    ReasonId.LETTERS_MISMATCH: N_("letters %(written)s differ from the registry's %(held)s"),
    ReasonId.CODE_HELD: N_("%(code)s belonged to %(unit)s %(period)s"),
    ReasonId.CODE_HELD_AT_DATE: N_("%(code)s belonged to %(unit)s in %(date)s (%(period)s)"),
    ReasonId.CODE_HELD_AT_OTHER_TIME: N_("%(code)s belonged to %(unit)s only %(period)s, not in %(date)s"),
    ReasonId.CODE_UNVERIFIED: N_("the mapping of %(code)s is not verified"),
    ReasonId.CODE_UNVERIFIED_SOURCE: N_("the mapping of %(code)s is not verified (source: %(source)s)"),
}
#: Levels as a reason names them (the unit pages use the same words).
LEVELS: dict[Level, str] = {
    Level.SQUAD: N_("squad"), Level.PLATOON: N_("platoon"), Level.COMPANY: N_("company"),
    Level.BATTALION: N_("battalion"), Level.REGIMENT: N_("regiment"), Level.BRIGADE: N_("brigade"),
    Level.DIVISION: N_("division"), Level.GROUP: N_("group"), Level.CORPS: N_("corps"),
    Level.MILITARY_REGION: N_("military region"), Level.FRONT: N_("front"), Level.THEATRE: N_("theatre")}
#: Branches by their contract names, which the English reasons have always shown.
BRANCHES: dict[Qualifier, str] = {
    Qualifier.INFANTRY: N_("infantry"), Qualifier.ARTILLERY: N_("artillery"),
    Qualifier.ANTI_AIRCRAFT: N_("anti_aircraft"), Qualifier.ENGINEERS: N_("engineers"),
    Qualifier.SIGNALS: N_("signals"), Qualifier.SAPPERS: N_("sappers"), Qualifier.ARMOR: N_("armor"),
    Qualifier.MEDICAL: N_("medical"), Qualifier.MORTAR: N_("mortar"), Qualifier.TRANSPORT: N_("transport"),
    Qualifier.RECONNAISSANCE: N_("reconnaissance"), Qualifier.LOGISTICS: N_("logistics")}
#: A code or name by its kind; a name is quoted, a mailbox code is not.
CODES: dict[str, str] = {
    "mailbox": N_("mailbox %(code)s"), "cover_name": N_("cover name %(code)s"),
    "honorific": N_("honorific name %(code)s"), "alias": N_("other name %(code)s"),
    "name": N_("name %(code)s"), "code": N_("code %(code)s")}
FROM_TO, FROM, UNTIL = N_("from %(start)s to %(end)s"), N_("from %(start)s"), N_("until %(end)s")
ALWAYS, ANOTHER_TIME = N_("at every recorded date"), N_("at another time")
BOTH = N_("%(first)s and %(then)s")
#: The parameter that is text as the document wrote it, shown in quotes.
QUOTED = "text"


class _Words:
    """Puts reasons and their parameters into words of one language."""

    def __init__(self, locale: str) -> None:
        self._gettext = translations(locale).gettext

    def reason(self, reason: Reason) -> str:
        """The reason's sentence, its parameters put into words first."""
        params = {name: repr(value) if name == QUOTED and isinstance(value, str) else self.param(value)
                  for name, value in reason.params.items()}
        return self._gettext(MESSAGES[reason.id]) % params

    def param(self, value: ReasonParam) -> str:
        """One parameter in words; plain text stays as written."""
        if isinstance(value, Level):
            return self._gettext(LEVELS[value])
        if isinstance(value, Qualifier):
            return self._gettext(BRANCHES[value])
        if isinstance(value, UnitWritten):
            return f"{self.param(value.level)} {value.number}" if value.number else self.param(value.level)
        if isinstance(value, Span):
            return self.span(value)
        if isinstance(value, CodeHeld):
            return self.code(value)
        if isinstance(value, list):
            if not value or isinstance(value[0], Span):
                return self.spans([item for item in value if isinstance(item, Span)])
            return ", ".join(self.param(item) for item in value)
        return value

    def span(self, span: Span) -> str:
        """``from 1971 to 1972``, ``from 1971``, ``until 1972`` or always."""
        if span.start and span.end:
            return self._gettext(FROM_TO) % {"start": span.start, "end": span.end}
        if span.start:
            return self._gettext(FROM) % {"start": span.start}
        if span.end:
            return self._gettext(UNTIL) % {"end": span.end}
        return self._gettext(ALWAYS)

    def spans(self, spans: list[Span]) -> str:
        """Periods one after the other: ``… and …``."""
        if not spans:  # no recorded period links the two units
            return self._gettext(ANOTHER_TIME)
        words = [self.span(span) for span in spans]
        return reduce(lambda first, then: self._gettext(BOTH) % {"first": first, "then": then}, words)

    def code(self, code: CodeHeld) -> str:
        """``mailbox 47120 HN``, ``cover name 'Bến Tre'`` (a name is quoted as written)."""
        text = code.text if code.kind == "mailbox" else repr(code.text)
        message = CODES.get(code.kind)
        return self._gettext(message) % {"code": text} if message else f"{code.kind} {text}"


def sentence(reason: Reason, locale: str) -> str:
    """``reason`` as a sentence in ``locale`` (English for a language not offered)."""
    return _Words(locale).reason(reason)


def with_sentences(result: DecodeResult, locale: str) -> DecodeResult:
    """``result`` with every candidate's ``reasons`` in ``locale``."""
    return result.with_sentences(_Words(locale).reason)
