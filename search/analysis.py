"""How text becomes search terms, the same way for documents, queries and both backends.

Two forms of every word: *folded* (lowercase, no diacritics, ``đ -> d``) so a family's
``nguyen van thanh`` finds ``Nguyễn Văn Thành``, and *exact* (lowercase NFC) so the
record spelled as typed ranks first. Codes (``e88``, ``47120 HN``, ``hn-1972-0042``) get a
*key* of their own, with case, diacritics, spaces and punctuation removed, so they match
however they were written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from decoder.grammar import lettered_echelons, parse
from decoder.text import fold, to_nfc

_WORD = re.compile(r"[^\W_]+")
_NOT_KEY = re.compile(r"[^0-9a-z]+")
#: Longer tokens are dropped by both analysers (tantivy's remove_long, the same in ES).
MAX_TOKEN_CHARS = 40


@dataclass(frozen=True)
class Term:
    """One word of a query in both forms."""

    exact: str
    folded: str

    @property
    def fuzziness(self) -> int:
        """Edits allowed for OCR errors: none up to 2 letters, 1 up to 6, then 2
        (Elasticsearch's ``AUTO:3,7``); none for codes and numbers (``e88`` is not
        ``e86``)."""
        if any(character.isdigit() for character in self.folded):
            return 0
        length = len(self.folded)
        return 0 if length < 3 else 1 if length < 7 else 2


def terms(text: str) -> list[Term]:
    """The words of ``text`` as the analysers see them."""
    words = _WORD.findall(to_nfc(text).lower())
    return [Term(word, fold(word)) for word in words if len(word) <= MAX_TOKEN_CHARS]


def phrases(text: str) -> list[list[Term]]:
    """The quoted parts of a query (``"Nguyễn Văn Thành"``), as word lists of two or more."""
    found = [terms(quoted) for quoted in re.findall(r'"([^"]+)"', text)]
    return [words for words in found if len(words) > 1]


def code_key(text: str) -> str:
    """The form codes are matched in: ``47120 HN`` and ``47120-hn`` both give ``47120hn``."""
    return _NOT_KEY.sub("", fold(to_nfc(text)))


def designation_keys(text: str) -> set[str]:
    """Keys of the unit designations and mailbox codes written in ``text``: each echelon
    (``e88``, ``f308``), each mailbox (``47120``, ``47120hn``)."""
    keys: set[str] = set()
    for designation in parse(text):
        keys.update(lettered_echelons(designation))
        if designation.mailbox is not None:
            keys.add(designation.mailbox.number)
            if designation.mailbox.letters:
                keys.add(code_key(designation.mailbox.number + designation.mailbox.letters))
    return keys


def query_code_keys(text: str) -> set[str]:
    """Keys a query may mean as a code: its designations, each word with a digit, and the
    whole query when it is short and has a digit (``47120 HN``)."""
    keys = designation_keys(text)
    words = terms(text)
    keys |= {code_key(word.folded) for word in words if any(c.isdigit() for c in word.folded)}
    if len(words) <= 3 and any(c.isdigit() for c in text):
        keys.add(code_key(text))
    return {key for key in keys if key}


def day_number(value: date) -> int:
    """Days since 1970-01-01: how both backends index and filter dates."""
    return (value - date(1970, 1, 1)).days


def unique(values: Iterable[str]) -> list[str]:
    """The values without repeats, in their first order."""
    return list(dict.fromkeys(value for value in values if value))
