"""Checks on text from outside: characters no field may hold, file names, numbers, JSON.

One place says what is refused, so the HTTP edge, the CLI's file imports and the upload
paths refuse the same things with the same words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from decoder.errors import InvalidInputError

# C0 controls and DEL. Tab and newline are text; a browser sends a textarea's line breaks
# as CR LF, so carriage return is allowed too. PostgreSQL refuses NUL in text outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidirectional embeddings, overrides and isolates: they make `rtl\u202egnp.exe` display as
# `rtlexe.png`. Vietnamese text never needs them.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_FORMULA_STARTS = frozenset("=+-@\t\r")
#: How deeply JSON from outside may nest; the registry needs four levels.
MAX_JSON_DEPTH = 64


def forbidden_character(text: str) -> str | None:
    """The first character that no text field may hold, as ``U+XXXX``, or None."""
    found = _CONTROL.search(text) or _BIDI.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def find_forbidden(value: Any, place: str) -> tuple[str, str] | None:
    """Where in a parsed JSON value (keys included) a forbidden character is, and which.

    Returns:
        ``(path, "U+XXXX")`` for the first one found, or None.
    """
    if _is_flat(value) and forbidden_character(" ".join(_flat_texts(value))) is None:
        return None  # a record of plain values, searched at once; the paths only when needed
    for path, text in _strings(value, place, 0):
        character = forbidden_character(text)
        if character:
            return path, character
    return None


_SCALARS = (str, int, float, bool, type(None))


def _is_flat(value: Any) -> bool:
    """Whether ``value`` is an object of plain values (a row), nothing nested."""
    return isinstance(value, dict) and all(type(item) in _SCALARS for item in value.values())


def _flat_texts(value: dict[Any, Any]) -> list[str]:
    return [*map(str, value), *(item for item in value.values() if type(item) is str)]


def _strings(value: Any, place: str, depth: int) -> Iterator[tuple[str, str]]:
    if depth > MAX_JSON_DEPTH:
        return
    if isinstance(value, str):
        yield place, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{place}.{key}", str(key)
            yield from _strings(item, f"{place}.{key}", depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{place}[{index}]", depth + 1)


def refuse_forbidden(value: Any, place: str) -> None:
    """Raise when a value holds a character no text field may hold.

    Raises:
        InvalidInputError: naming the field and the character.
    """
    found = find_forbidden(value, place)
    if found:
        raise InvalidInputError(f"{found[0]} contains the control character {found[1]}, "
                                "which no text may hold.")


def strip_bidi_controls(text: str) -> str:
    """``text`` without bidirectional embeddings, overrides, isolates and marks."""
    return _BIDI.sub("", text)


def spreadsheet_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: one that begins like a formula (``=``, ``+``,
    ``-``, ``@``, tab, carriage return) gets a leading apostrophe, so
    ``=HYPERLINK("http://…")`` in a scan's text never runs when an officer opens the file."""
    return f"'{text}" if text[:1] in _FORMULA_STARTS else text


def is_ascii_digits(text: str) -> bool:
    """Whether ``text`` is one or more of 0–9 (``"²".isdigit()`` is true; ``int("²")`` fails)."""
    return text.isascii() and text.isdigit()


def parse_json(raw: bytes | str, place: str = "$") -> Any:
    """Parse JSON from outside, refusing what would crash or exhaust the parser.

    Raises:
        InvalidInputError: not JSON, not UTF-8, nested deeper than ``MAX_JSON_DEPTH``, or
            an integer too long to read.
    """
    try:
        value = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidInputError(f"{place}: not valid JSON ({error}).") from None
    except RecursionError:
        raise InvalidInputError(f"{place}: the JSON nests deeper than {MAX_JSON_DEPTH} levels.") from None
    except ValueError as error:  # an integer longer than Python reads from text
        raise InvalidInputError(f"{place}: a number in the JSON is too long ({error}).") from None
    if not _is_flat(value) and _depth(value, 0) > MAX_JSON_DEPTH:
        raise InvalidInputError(f"{place}: the JSON nests deeper than {MAX_JSON_DEPTH} levels.")
    return value


def _depth(value: Any, depth: int) -> int:
    if depth > MAX_JSON_DEPTH:
        return depth
    if isinstance(value, dict):
        return max((_depth(item, depth + 1) for item in value.values()), default=depth + 1)
    if isinstance(value, list):
        return max((_depth(item, depth + 1) for item in value), default=depth + 1)
    return depth
