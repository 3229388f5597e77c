"""Clean text as it arrives and fold a province name into the key it is looked up by."""

from __future__ import annotations

import re

from decoder.normalize import normalize
from decoder.text import fold_key

#: Addresses are short; anything past this is not read (keeps hostile input cheap).
MAX_CHARS = 1000

# C0/C1 controls, zero-width and line/paragraph separators: never part of a name. They are
# removed after the legacy repair, because VISCII puts six letters on C0 codes.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u2060\ufeff]")
# Words that name the kind of a provincial unit, not the unit: "tỉnh Hà Bắc" is "Hà Bắc".
_PROVINCE_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp|thu do|t)\s+")


def clean_text(text: object) -> str:
    """The text repaired from legacy encodings and mojibake, NFC, without control
    characters, with runs of whitespace made one space; ``""`` for anything not a string."""
    if not isinstance(text, str):
        return ""
    repaired = normalize(text[:MAX_CHARS])
    return " ".join(_INVISIBLE.sub(" ", repaired).split())


def province_key(text: str) -> str:
    """A province name as looked up: folded (no case, no marks, ``đ -> d``), punctuation
    made spaces, without a leading ``tỉnh``/``thành phố``/``TP``."""
    return _PROVINCE_PREFIX.sub("", fold_key(text))


def compact_key(key: str) -> str:
    """The key without spaces, so that ``Daklak`` and ``TPHCM`` find ``Đắk Lắk`` and ``TP HCM``."""
    return key.replace(" ", "")
