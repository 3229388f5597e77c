"""One call to clean any incoming Vietnamese text: repair misreadings, then NFC."""

from __future__ import annotations

import unicodedata

from decoder.legacy import repair
from decoder.text import to_nfc


def normalize(text: str, source: str = "auto") -> str:
    """The text as NFC Unicode Vietnamese.

    Args:
        text: text that may be legacy bytes misread as Windows-1252, or mojibake.
        source: ``auto``, ``tcvn3``, ``vni``, ``viscii`` or ``mojibake``.

    Raises:
        InvalidInputError: an unknown source.
    """
    if source == "auto" and text.isascii():
        return text  # ASCII is NFC and holds nothing a repair would change
    # Plain NFC first: the look-alike fix would turn a misread VISCII "Ð" into "Đ", a
    # character no single byte produces, and hide the misreading.
    return to_nfc(repair(unicodedata.normalize("NFC", text), source))
