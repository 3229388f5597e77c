"""Conflicts among the copies of one person: a cluster never takes one value over another,
so where copies disagree an officer is shown every value with the copies that give it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

#: Which values can be the same fact written more or less precisely: ``1974`` and
#: ``1974-04-15`` can; ``1974-04`` and ``1968`` cannot.
_COMPATIBLE: dict[str, Callable[[str, str], bool]] = {
    "birth_year": lambda a, b: a == b,
    "death_date": lambda a, b: a.startswith(b) or b.startswith(a),
    "unit_chain": lambda a, b: set(a.split()) <= set(b.split()) or set(b.split()) <= set(a.split()),
}


def conflicts(copies: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """For each field of ``birth_year``, ``death_date`` and ``unit_chain`` on which two copies
    cannot both be right: every value given, with the copies (their index) that give it."""
    found = []
    for field, compatible in _COMPATIBLE.items():
        values: dict[str, list[int]] = {}
        for index, copy in enumerate(copies):
            if copy.get(field) is not None:
                values.setdefault(str(copy[field]), []).append(index)
        texts = list(values)
        if any(not compatible(a, b) for position, a in enumerate(texts) for b in texts[position + 1:]):
            found.append({"field": field,
                          "values": [{"value": text, "copies": values[text]} for text in texts]})
    return found
