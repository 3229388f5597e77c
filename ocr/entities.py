"""Facts in page text: unit designations and mailboxes (through the decoder), dates in
Vietnamese forms, names after their labels, places after theirs, and ranks — each with
its box on the page, the union of the boxes of the words it spans.

Patterns run on the folded text (same length as the text), so they match with or
without diacritics and OCR's dropped marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from decoder.dates import PartialDate
from decoder.errors import InvalidDateError
from decoder.grammar import NameTable, parse
from decoder.text import fold, to_nfc
from ocr.model import Entity, EntityKind, OcrWord, union_box

_DIGIT = r"[0-9oOlI]"  # OCR reads 0 as o/O and 1 as l/I inside dates
_LONG_DATE = re.compile(
    rf"ngay\s*({_DIGIT}{{1,2}})\s*,?\s*thang\s*({_DIGIT}{{1,2}})\s*,?\s*nam\s*({_DIGIT}{{4}})")
_MONTH_YEAR = re.compile(rf"thang\s*({_DIGIT}{{1,2}})\s*,?\s*nam\s*({_DIGIT}{{4}})")
_NUMERIC_DATE = re.compile(r"(?<![0-9/.\-])([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*"
                           r"([0-9]{4}|[0-9]{2})(?![0-9/.\-])")
_SHORT_DATE = re.compile(r"(?<![0-9/.\-])([0-9]{1,2})\s*/\s*([0-9]{2})(?![0-9/.\-])")
_YEAR = re.compile(rf"(?<![a-z])nam\s*({_DIGIT}{{4}})(?![0-9])")

_NAME_LABELS = r"(?:dong chi|ho va ten|ho ten|liet si|ten)"
_NAME = re.compile(rf"(?<![a-z]){_NAME_LABELS}\s*[:.]?\s*")
_PLACE_LABELS = r"(?:que quan|nguyen quan|noi hy sinh|tru quan|noi sinh|noi an tang|an tang tai)"
_PLACE = re.compile(rf"(?<![a-z]){_PLACE_LABELS}\s*[:.]?\s*")
_RANKS = ("binh nhi", "binh nhat", "ha si", "trung si", "thuong si", "chuan uy", "thieu uy",
          "trung uy", "thuong uy", "dai uy", "thieu ta", "trung ta", "thuong ta", "dai ta")
_RANK = re.compile(rf"(?<![a-z])({'|'.join(_RANKS)})(?![a-z])")
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_]*")


def extract_entities(text: str, words: Sequence[OcrWord] = (),
                     names: NameTable | None = None) -> list[Entity]:
    """Every entity in ``text``, in reading order.

    Args:
        text: the page text (NFC).
        words: the page's words with their offsets and boxes, for the entities' boxes.
        names: registry names for the decoder's name designations.
    """
    text = to_nfc(text)
    folded = fold(text)
    found = [*_designations(text, names), *_dates(text, folded), *_people(text, folded),
             *_places(text, folded), *_ranks(text, folded)]
    boxed = [entity.model_copy(update={"box": _box(entity.start, entity.end, words)})
             for entity in found]
    return sorted(boxed, key=lambda e: (e.start, e.kind))


def _entity(kind: EntityKind, text: str, start: int, end: int, value: str) -> Entity:
    return Entity(kind=kind, text=text[start:end], value=value, start=start, end=end, box=None)


def _designations(text: str, names: NameTable | None) -> Iterable[Entity]:
    for designation in parse(text, names):
        if designation.kind == "mailbox" and designation.mailbox is not None:
            value = designation.mailbox.key + (f"-{designation.mailbox.suffix}"
                                               if designation.mailbox.suffix else "")
            yield _entity("mailbox", text, designation.start, designation.end, value)
        else:
            value = designation.name or " ".join(
                f"{e.level.value}:{e.prefix or ''}{e.number}" for e in designation.echelons)
            yield _entity("designation", text, designation.start, designation.end, value)


def _digits(raw: str) -> str:
    return raw.translate(str.maketrans("oOlI", "0011"))


def _date(year: str, month: str | None = None, day: str | None = None) -> str | None:
    parts = [_digits(year)]
    if len(parts[0]) == 2:
        parts[0] = "19" + parts[0]  # two-digit years in these papers are 19xx
    parts += [f"{int(_digits(p)):02d}" for p in (month, day) if p is not None]
    try:
        when = PartialDate.parse("-".join(parts))
    except InvalidDateError:
        return None
    return str(when) if 1900 <= when.year <= 2029 else None


def _dates(text: str, folded: str) -> Iterable[Entity]:
    taken: list[tuple[int, int]] = []
    for pattern, order in ((_LONG_DATE, (3, 2, 1)), (_NUMERIC_DATE, (3, 2, 1)),
                           (_MONTH_YEAR, (2, 1, None)), (_SHORT_DATE, (2, 1, None)),
                           (_YEAR, (1, None, None))):
        for match in pattern.finditer(folded):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            year, month, day = (match.group(i) if i else None for i in order)
            value = _date(year or "", month, day)
            if value is None:
                continue
            taken.append((match.start(), match.end()))
            yield _entity("date", text, match.start(), match.end(), value)


def _people(text: str, folded: str) -> Iterable[Entity]:
    for match in _NAME.finditer(folded):
        words: list[re.Match[str]] = []
        for word in _NAME_WORD.finditer(text, match.end()):
            between = text[(words[-1].end() if words else match.end()):word.start()]
            if "\n" in between or "," in between or not word.group()[0].isupper() or len(words) == 5:
                break
            words.append(word)
        if len(words) >= 2:
            start, end = words[0].start(), words[-1].end()
            yield _entity("person", text, start, end, " ".join(w.group() for w in words))


def _places(text: str, folded: str) -> Iterable[Entity]:
    for match in _PLACE.finditer(folded):
        line_end = text.find("\n", match.end())
        end = len(text) if line_end < 0 else line_end
        value = text[match.end():end].strip(" .;:")
        if value:
            start = match.end() + (len(text[match.end():end]) - len(text[match.end():end].lstrip()))
            yield _entity("place", text, start, start + len(value), value)


def _ranks(text: str, folded: str) -> Iterable[Entity]:
    for match in _RANK.finditer(folded):
        value = text[match.start():match.end()]
        yield _entity("rank", text, match.start(), match.end(), value[0].upper() + value[1:].lower())


def _box(start: int, end: int, words: Sequence[OcrWord]) -> list[int] | None:
    inside = [w.box for w in words if w.start < end and start < w.end]
    return union_box(inside) if inside else None
