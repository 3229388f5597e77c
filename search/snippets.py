"""Snippets and highlights, computed the same way whatever backend found the record.

A word of the text matches a query word when their folded forms are equal or within the
query word's edit distance (the OCR tolerance the search used), so a snippet highlights
``Thànk`` for a search of ``thanh`` just as the index matched it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from decoder.text import fold
from search.analysis import Term

_WORD = re.compile(r"[^\W_]+")
SNIPPET_CHARS = 200


def word_matches(word: str, query: Sequence[Term]) -> bool:
    """Whether a word of a text (any case, any diacritics) matches one of the query's."""
    folded = fold(word.lower())
    return any(folded == term.folded
               or (term.fuzziness and Levenshtein.distance(folded, term.folded,
                                                           score_cutoff=term.fuzziness)
                   <= term.fuzziness)
               for term in query)


def matching_spans(text: str, query: Sequence[Term]) -> list[tuple[int, int]]:
    """[start, end) of every word of ``text`` that matches the query."""
    return [(m.start(), m.end()) for m in _WORD.finditer(text) if word_matches(m.group(), query)]


def snippet(text: str, query: Sequence[Term], size: int = SNIPPET_CHARS
            ) -> tuple[str, list[tuple[int, int]]]:
    """The stretch of ``text`` of about ``size`` characters with the most matching words,
    and the matches' offsets within it."""
    spans = matching_spans(text, query)
    if len(text) <= size:
        return text, spans
    best_start, best_count = 0, 0
    for index, (start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[index:] if e <= start + size)
        if count > best_count:
            best_start, best_count = start, count
    start = max(0, best_start - size // 5)
    # Begin and end on word boundaries.
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < best_start else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = text[start:end]
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    kept = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + piece + suffix, kept


def hit_snippet(body: str, summary: str | None, query: Sequence[Term]) -> tuple[str, list[tuple[int, int]]]:
    """The snippet of a hit: the best stretch of its text, or its summary (a person's
    birth year, village and unit) when no word of the text matched."""
    text, highlights = snippet(body, query)
    if not highlights and summary:
        return summary, []
    return text, highlights
