"""Find every unit designation in a text: echelon chains, mailbox codes and known names.

The parser works on two aligned views of the same NFC text: the text itself, where
case and the letter ``Đ`` still matter, and its folded form (lowercase, no diacritics,
``đ -> d``), which has the same length, so one offset serves both. Patterns run on the
folded view and are then checked against the original.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from decoder.errors import TooManyDesignationsError
from decoder.lexicon import (
    BLOCKING_WORDS,
    CHAIN_JOINERS,
    HEAD_ABBREVIATIONS,
    HEAD_LETTERS,
    HEAD_WORDS,
    LEVEL_LETTERS,
    LOOKALIKE_CODES,
    MAILBOX_WORDS,
    PLACE_WORDS,
    QUALIFIER_WORDS,
    QUALIFIER_WORDS_BEFORE_NUMBER_ONLY,
)
from decoder.model import Designation, Echelon, Level, Mailbox, Qualifier
from decoder.text import fold, is_vietnamese_syllable, to_nfc

# Characters OCR puts where a digit belongs, and the digit it meant.
_CONFUSABLE_DIGITS = {"O": "0", "o": "0", "I": "1", "l": "1", "S": "5", "Z": "2"}
_NUMBER_CHARS = set("0123456789") | set(_CONFUSABLE_DIGITS)


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation, longest first, with flexible spaces inside words."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, word.split())) for word in ordered)


_ABBREVIATION_FOLDS = {fold(abbr): abbr for abbr in HEAD_ABBREVIATIONS}
_QUALIFIERS_ANY = {**QUALIFIER_WORDS, **QUALIFIER_WORDS_BEFORE_NUMBER_ONLY}


def _element_pattern(heads: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<head>{heads})"
        rf"(?:[\s.\-:]*(?P<q1>{_alternation(_QUALIFIERS_ANY)})(?![a-z]))?"
        r"(?P<sep>[\s.\-:]*)(?:so\s*)?"
        r"(?:(?P<prefix>[abckd])[\s.]*)?"
        r"(?P<num>[0-9oilsz]+)"
    )


_ELEMENT = _element_pattern(
    f"{_alternation(HEAD_WORDS)}|{_alternation(_ABBREVIATION_FOLDS)}|[a-f]")
# When "ĐĐ"-like abbreviations fail their capitals check, the letter alone may still be
# one ("dĐC 1" is a sapper battalion).
_LETTER_ELEMENT = _element_pattern("[a-f]")
_QUALIFIER_AFTER = re.compile(rf"[\s\-]*(?P<q>{_alternation(QUALIFIER_WORDS)})(?![a-z0-9])")
_MAILBOX = re.compile(
    rf"(?P<head>{_alternation(MAILBOX_WORDS)})(?:\s+so)?[\s.:\-]*(?P<num>[0-9oilsz]{{3,7}})"
)
_MAILBOX_LETTERS = re.compile(r"[\s\-/]*(?P<letters>[a-z]{1,3})(?![a-z0-9])")
_MAILBOX_SUFFIX = re.compile(r"\s*[-/]\s*(?P<suffix>[a-z]{1,2})\s*\.?\s*(?P<n>[0-9]{1,3})(?![a-z0-9])")
_JOIN = re.compile(
    rf"^[\s,;:./\\|()\-–—]*(?:(?:{'|'.join(CHAIN_JOINERS)})[\s,;:./\\|()\-–—]*)?$"
)
_WORD = re.compile(r"[a-z0-9]+")
_THEATRE_HEADS = {Level.FRONT, Level.THEATRE}
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class NameEntry:
    """A name the registry knows (cover name, honorific, alias) as the parser sees it."""

    canonical: str
    needs_context: bool = False  # honorifics that are ordinary words ("Thép", "Vinh Quang")


@dataclass(frozen=True)
class NameTable:
    """Registry names by :func:`name_key`, for the name part of the grammar."""

    entries: Mapping[str, NameEntry] = field(default_factory=dict)

    @cached_property
    def max_tokens(self) -> int:
        """The most words any name has."""
        return max((key.count(" ") + 1 for key in self.entries), default=0)


def name_key(text: str) -> str:
    """The lookup key of a name: folded words joined by single spaces."""
    return " ".join(_WORD.findall(fold(to_nfc(text))))


@dataclass(slots=True)
class _Element:
    start: int
    end: int
    level: Level
    number: str
    qualifier: Qualifier | None
    prefix: str | None
    letter: str | None  # the echelon letter as written, for letter forms
    repaired: bool

    def echelon(self, text: str) -> Echelon:
        return Echelon(
            level=self.level, number=self.number, qualifier=self.qualifier,
            prefix=self.prefix, raw=text[self.start:self.end],
        )


def parse(text: str, names: NameTable | None = None, *, limit: int | None = None
          ) -> list[Designation]:
    """Every designation in ``text``, in the order written.

    Args:
        text: any text; it is brought to NFC first, and offsets refer to that form.
        names: registry names to recognise as ``name`` designations.
        limit: the most units or codes (each echelon of a chain, each mailbox, each name)
            the text may name; None for no limit.

    Returns:
        The designations found; an empty list when there are none.

    Raises:
        TooManyDesignationsError: the text names more than ``limit``, found out as soon
            as the count passes it.
    """
    original = to_nfc(text)
    folded = fold(original)
    budget = _Budget(limit)
    mailboxes = list(budget.count(_find_mailboxes(original, folded)))
    in_mailbox = _Spans([(d.start, d.end) for d in mailboxes])
    elements = budget.count(e for e in _find_elements(original, folded)
                            if not in_mailbox.contain(e.start, e.end))
    chains = list(_chains(original, folded, list(elements)))
    found = mailboxes + chains
    if names is not None and names.entries:
        taken = _Spans([(d.start, d.end) for d in found])
        found += [d for d in budget.count(_find_names(original, folded, names))
                  if not taken.overlap(d.start, d.end)]
    return sorted(found, key=lambda d: d.start)


class _Budget:
    """What the parser has found, counted against the caller's limit as it is found."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.found = 0

    def count(self, items: Iterable[_T]) -> Iterator[_T]:
        for item in items:
            self.found += 1
            if self.limit is not None and self.found > self.limit:
                raise TooManyDesignationsError(
                    f"The text names more than {self.limit:,} units or codes; "
                    f"at most {self.limit:,} can be decoded at once.")
            yield item


class _Spans:
    """Spans of the text already taken, sorted, asked about by binary search: asking
    every span in turn made a text of many designations quadratic to parse."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.ends = [e for _, e in ordered]
        # The furthest end of the spans up to each one, for overlap with spans that overlap.
        self.reach = list(itertools.accumulate(self.ends, max))

    def contain(self, start: int, end: int) -> bool:
        """Whether one span holds [start, end); the spans must not overlap each other."""
        index = bisect.bisect_right(self.starts, start) - 1
        return index >= 0 and end <= self.ends[index]

    def overlap(self, start: int, end: int) -> bool:
        """Whether any span shares a character with [start, end)."""
        before_end = bisect.bisect_left(self.starts, end)
        return before_end > 0 and self.reach[before_end - 1] > start


def repair_number(raw: str) -> tuple[str, bool] | None:
    """Digits from a number OCR may have misread (``3O8`` -> ``308``).

    Returns:
        The digits without leading zeros and whether anything was repaired, or None
        when ``raw`` holds no real digit or a letter OCR does not confuse with one.
    """
    if not raw or any(ch not in _NUMBER_CHARS for ch in raw):
        return None
    if not any(ch.isdigit() for ch in raw):
        return None
    digits = "".join(_CONFUSABLE_DIGITS.get(ch, ch) for ch in raw)
    return digits.lstrip("0") or "0", digits != raw


def _boundary_before(folded: str, start: int) -> bool:
    return start == 0 or not folded[start - 1].isalnum()


def _boundary_after(folded: str, end: int) -> bool:
    return end >= len(folded) or not folded[end].isalnum()


def _starts_letter_element(original: str, folded: str, pos: int) -> bool:
    """True when a run-together letter element (``d5`` in ``c2d5``) starts at ``pos``."""
    match = _ELEMENT.match(folded, pos)
    return bool(match and len(match.group("head")) == 1 and original[pos] in "abcdefABCDEF")


def _find_elements(original: str, folded: str) -> Iterable[_Element]:
    pos = 0
    previous_end = -1
    while (match := _ELEMENT.search(folded, pos)) is not None:
        start = match.start()
        element = None
        if _boundary_before(folded, start) or start == previous_end:
            element = _element_from_match(original, folded, match)
            letter_match = _LETTER_ELEMENT.match(folded, start)
            if element is None and letter_match is not None:
                element = _element_from_match(original, folded, letter_match)
        if element is None:
            pos = start + 1
            continue
        yield element
        previous_end = pos = element.end


def _element_from_match(original: str, folded: str, match: re.Match[str]) -> _Element | None:
    head = match.group("head")
    start, head_end = match.start(), match.end("head")
    level, letter = _head_level(original[start:head_end], head)
    if level is None:
        return None
    prefix = match.group("prefix")
    if prefix is not None and level not in _THEATRE_HEADS:
        return None
    if level == Level.THEATRE and prefix is None:
        return None
    if letter is not None and (match.group("q1") is None and len(match.group("sep")) > 1):
        return None  # "c  2" is too loose to be a letter designation
    number_end = _number_end(original, folded, match.start("num"), match.end("num"))
    if number_end is None:
        return None
    repaired = repair_number(original[match.start("num"):number_end])
    if repaired is None:
        return None
    qualifier = _QUALIFIERS_ANY[_squash(match.group("q1"))] if match.group("q1") else None
    end = number_end
    after = _QUALIFIER_AFTER.match(folded, number_end)
    if after is not None and qualifier is None:
        qualifier, end = QUALIFIER_WORDS[_squash(after.group("q"))], after.end()
    return _Element(
        start=start, end=end, level=level, number=repaired[0], qualifier=qualifier,
        prefix=original[match.start("prefix")].upper().replace("Ð", "Đ") if prefix else None,
        letter=original[start] if letter else None, repaired=repaired[1],
    )


def _head_level(written: str, head: str) -> tuple[Level | None, str | None]:
    """The level a head names, and the letter when it is an echelon letter."""
    squashed = _squash(head)
    if squashed in HEAD_WORDS:
        return HEAD_WORDS[squashed], None
    if squashed in _ABBREVIATION_FOLDS:
        known = HEAD_ABBREVIATIONS.get(written.replace("Ð", "Đ"))
        return known, None
    if written in "abcdefABCDEF":
        return HEAD_LETTERS[squashed], written
    return None, None  # "đ" folds to "d" but is no echelon letter


def _number_end(original: str, folded: str, start: int, end: int) -> int | None:
    """Where the number really ends: trailing look-alike letters that run into a word
    ("e8Sư") are given back until the number stands on a boundary."""
    while end > start:
        if _boundary_after(folded, end) or _starts_letter_element(original, folded, end):
            return end
        if original[end - 1].isdigit():
            return None
        end -= 1
    return None


def _squash(words: str) -> str:
    return " ".join(words.split())


def _chains(original: str, folded: str, elements: list[_Element]) -> Iterable[Designation]:
    group: list[_Element] = []
    for element in elements:
        if group and not _JOIN.match(folded[group[-1].end:element.start]):
            yield from _designation(original, folded, group)
            group = []
        group.append(element)
    if group:
        yield from _designation(original, folded, group)


def _designation(original: str, folded: str, group: list[_Element]) -> Iterable[Designation]:
    _read_theatre_letters(group)
    if len(group) == 1 and not _lone_element_stands(original, folded, group[0]):
        return
    start, end = group[0].start, group[-1].end
    yield Designation(
        raw=original[start:end], start=start, end=end, kind="chain",
        echelons=[e.echelon(original) for e in group],
        repaired=any(e.repaired for e in group),
    )


def _read_theatre_letters(group: list[_Element]) -> None:
    """A capital ``B`` with a number is a theatre (``B2``) unless smaller units follow it.

    ``b2 c3`` is a platoon in a company; ``d12 B5`` and a lone ``B3`` are theatres.
    """
    # Whether a unit larger than a platoon follows each element, from the levels as
    # written, in one pass from the end (asked of every B in turn, it was quadratic).
    bigger_after: list[bool] = []
    seen = False
    for element in reversed(group):
        bigger_after.append(seen)
        seen = seen or element.level.rank > Level.PLATOON.rank
    for element, bigger in zip(group, reversed(bigger_after), strict=True):
        if element.letter == "B" and not bigger:
            element.level, element.prefix = Level.THEATRE, "B"


def _lone_element_stands(original: str, folded: str, element: _Element) -> bool:
    """Whether a single element alone is a designation and not a grave plot, hill or gun."""
    if element.letter is None:
        return element.level != Level.GROUP or len(element.number) >= 2
    if f"{element.letter.lower()}{element.number}" in LOOKALIKE_CODES:
        return False
    return not _preceded_by(folded, element.start, BLOCKING_WORDS)


def _preceded_by(folded: str, start: int, words: frozenset[str]) -> bool:
    """True when one of ``words`` (one or two words long) ends right before ``start``."""
    before = _WORD.findall(folded[max(0, start - 40):start])
    return bool(before) and (before[-1] in words or " ".join(before[-2:]) in words)


def _find_mailboxes(original: str, folded: str) -> Iterable[Designation]:
    for match in _MAILBOX.finditer(folded):
        if not _boundary_before(folded, match.start()):
            continue
        repaired = repair_number(original[match.start("num"):match.end("num")])
        if repaired is None or not _boundary_after_mailbox(folded, match.end("num")):
            continue
        number = original[match.start("num"):match.end("num")]
        digits = "".join(_CONFUSABLE_DIGITS.get(ch, ch) for ch in number)
        end, letters, suffix = match.end("num"), None, None
        found_letters = _MAILBOX_LETTERS.match(folded, end)
        if found_letters and _looks_like_code(original[found_letters.start("letters"):found_letters.end()]):
            letters = original[found_letters.start("letters"):found_letters.end()].upper()
            end = found_letters.end()
            found_suffix = _MAILBOX_SUFFIX.match(folded, end)
            if found_suffix:
                suffix = (original[found_suffix.start("suffix"):found_suffix.end("suffix")].upper()
                          + found_suffix.group("n"))
                end = found_suffix.end()
        yield Designation(
            raw=original[match.start():end], start=match.start(), end=end, kind="mailbox",
            mailbox=Mailbox(number=digits, letters=letters, suffix=suffix),
            repaired=repaired[1],
        )


def _boundary_after_mailbox(folded: str, end: int) -> bool:
    return end >= len(folded) or not folded[end].isdigit()


def _looks_like_code(letters: str) -> bool:
    """Unmarked capitals, or letters that are no Vietnamese word ("HN", "hn"; not "gửi")."""
    if any(ch not in "ĐđÐ" and not ch.isascii() for ch in letters):
        return False
    return letters.isupper() or not is_vietnamese_syllable(letters)


def _find_names(original: str, folded: str, names: NameTable) -> Iterable[Designation]:
    words = list(_WORD.finditer(folded))
    longest = names.max_tokens
    index = 0
    while index < len(words):
        found = None
        for size in range(min(longest, len(words) - index), 0, -1):
            key = " ".join(w.group() for w in words[index:index + size])
            entry = names.entries.get(key)
            if entry is not None and _name_stands(original, folded, words, index, size, entry):
                found = (size, entry)
                break
        if found is None:
            index += 1
            continue
        size, entry = found
        start, end = words[index].start(), words[index + size - 1].end()
        yield Designation(raw=original[start:end], start=start, end=end, kind="name",
                          name=entry.canonical)
        index += size


def _name_stands(
    original: str, folded: str, words: list[re.Match[str]], index: int, size: int,
    entry: NameEntry,
) -> bool:
    start = words[index].start()
    if _preceded_by(folded, start, PLACE_WORDS):
        return False
    if not entry.needs_context or (index == 0 and index + size == len(words)):
        return True  # a name typed alone ("quan tien phong") means the name
    after_head = _preceded_by(folded, start, frozenset(HEAD_WORDS) | {"quan"})
    capitalised = all(original[w.start()].isupper() for w in words[index:index + size])
    return after_head or capitalised


def lettered_echelons(designation: Designation) -> list[str]:
    """The designation's numbered echelons in the army's letters, as written in order:
    ``Đại đội 3, Tiểu đoàn 2, Trung đoàn 7`` gives ``["c3", "d2", "e7"]``."""
    return [f"{LEVEL_LETTERS[echelon.level]}{echelon.number}" for echelon in designation.echelons
            if echelon.level in LEVEL_LETTERS and echelon.number]
