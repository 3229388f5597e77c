"""One call from text to decode result: check the text, parse, resolve."""

from __future__ import annotations

from decoder.dates import parse_optional
from decoder.errors import InvalidInputError, TextTooLongError
from decoder.grammar import parse
from decoder.registry import Registry
from decoder.resolver import Resolver
from decoder.result import DecodeResult
from decoder.text import to_nfc

#: Longest text one decode accepts; a page of OCR text is far shorter.
DEFAULT_MAX_CHARS = 20_000
#: Most units or codes (each echelon of a chain counts) one decode accepts: a page of a
#: roster names a few hundred, and it bounds the resolver's work per text.
DEFAULT_MAX_DESIGNATIONS = 1_000

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def check_text(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The text as NFC, or an error a user can act on.

    Raises:
        InvalidInputError: empty, binary or not valid Unicode text.
        TextTooLongError: longer than ``max_chars``.
    """
    if len(text) > max_chars:
        raise TextTooLongError(
            f"The text has {len(text):,} characters; at most {max_chars:,} can be decoded at once."
        )
    if not text.strip():
        raise InvalidInputError("The text is empty; give the unit or code as written.")
    for char in text:
        if (ord(char) < 32 and char not in _ALLOWED_CONTROLS) or 0xD800 <= ord(char) <= 0xDFFF \
                or char in "\x7f\ufffe\uffff":
            raise InvalidInputError(
                "The text contains control characters or broken Unicode; send plain text."
            )
    return to_nfc(text)


def decode(
    text: str, date: str | None, registry: Registry, *, max_chars: int = DEFAULT_MAX_CHARS,
    max_designations: int = DEFAULT_MAX_DESIGNATIONS,
) -> DecodeResult:
    """Decode every designation in ``text`` at ``date`` against ``registry``.

    Args:
        text: what was written.
        date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or None.
        registry: the registry to resolve against.
        max_chars: the longest text accepted.
        max_designations: the most units or codes the text may name.

    Raises:
        InvalidInputError: bad text or date.
        TextTooLongError: text too long.
        TooManyDesignationsError: the text names more than ``max_designations``.
    """
    when = parse_optional(date)
    normal = check_text(text, max_chars=max_chars)
    designations = parse(normal, registry.name_table, limit=max_designations)
    candidates = Resolver(registry).resolve(designations, when)
    return DecodeResult(
        text=normal, date=str(when) if when else None,
        designations=designations, candidates=candidates,
    )
