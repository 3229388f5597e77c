"""An address as wartime lists write it, split into commune, district and province.

Lists write ``xã Yên Phong, huyện Yên Phong, tỉnh Hà Bắc``, ``Quỳnh Lưu - Nghệ Tĩnh``,
``h.Yên Phong t.Hà Bắc`` or just ``Thanh Hoá``. Parts are cut at ``, ; / -`` and dashes
and at the words that name a kind of unit; a part without such a word takes its level from
its place: the last one is the province when it is a known province name, the ones before
it the district, then the commune.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from decoder.text import EDGE_PUNCTUATION, fold
from places.catalogue import lookup
from places.keys import clean_text, province_key

PROVINCE, DISTRICT, COMMUNE, HAMLET = 0, 1, 2, 3
CITY = -1  # "thành phố": a province when the name is one (Hà Nội), else a district (Vinh)
_SLOTS = (PROVINCE, DISTRICT, COMMUNE)

# Abbreviations are plain ASCII, so they are read in any text.
_ABBREVIATIONS = {"t.": PROVINCE, "tp": CITY, "tp.": CITY, "h.": DISTRICT, "q.": DISTRICT, "tx": DISTRICT,
                  "tx.": DISTRICT, "x.": COMMUNE, "p.": COMMUNE, "tt": COMMUNE, "tt.": COMMUNE}
# With marks, a kind word is only read with its own marks: "Quan Hóa" and "Hà Tĩnh" are names.
_MARKED = {"tỉnh": PROVINCE, "thủ đô": PROVINCE, "thành phố": CITY, "huyện": DISTRICT, "quận": DISTRICT,
           "thị xã": DISTRICT, "xã": COMMUNE, "phường": COMMUNE, "thị trấn": COMMUNE, "thôn": HAMLET,
           "xóm": HAMLET, "ấp": HAMLET, "bản": HAMLET, "làng": HAMLET, "khu phố": HAMLET, "tổ": HAMLET}
# Without marks only the words no place name is likely to start with ("ban", "ap", "to" are).
_PLAIN = {"tinh": PROVINCE, "thanh pho": CITY, "huyen": DISTRICT, "quan": DISTRICT, "thi xa": DISTRICT,
          "xa": COMMUNE, "phuong": COMMUNE, "thi tran": COMMUNE, "thon": HAMLET, "xom": HAMLET}
_MARKED_KINDS = {**_ABBREVIATIONS, **_MARKED}
_PLAIN_KINDS = {**_ABBREVIATIONS, **_PLAIN}

_BRACKETED = re.compile(r"[(\[][^)\]]*[)\]]|[()\[\]]")  # "(nay là Bắc Ninh)" is a comment, not a level
_GLUED_ABBREVIATION = re.compile(r"\b(tp|tx|tt|[xhtpq])\.(?=\w)", re.IGNORECASE)  # "h.Yên Phong"
_SEPARATOR = re.compile(r"\s*(?:([-–—])|[,;/|\\])\s*")
_LABEL = re.compile(r"^(?:que quan|nguyen quan|que|tru quan|thuong tru|dia chi|noi sinh)\s*:\s*")
_COUNTRY = {"viet nam", "vietnam", "vn"}
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Address:
    """The administrative units of an address, as the writer spelt them; None where it names none."""

    commune: str | None = None
    district: str | None = None
    province: str | None = None


@dataclass(frozen=True)
class _Segment:
    level: int | None  # None: no kind word, the level comes from the position
    name: str


def split_address(text: str) -> Address:
    """Split an address into commune, district and province.

    Legacy-encoded (TCVN3, VNI, VISCII) and mojibake text is repaired first; names come back
    in NFC as the writer spelt them, without the kind words (``xã``, ``huyện``, ``tỉnh``…).
    Hamlets (``thôn``, ``xóm``…) and a trailing ``Việt Nam`` are left out. Never raises.
    """
    return _split_text(text) if isinstance(text, str) else _split(text)


@lru_cache(maxsize=1 << 16)  # lists name the same communes row after row
def _split_text(text: str) -> Address:
    return _split(text)


def _split(text: str) -> Address:
    cleaned = _prepare(text)
    if not cleaned:
        return Address()
    marked = fold(cleaned) != cleaned.lower()
    segments = [segment for part in _parts(cleaned) for segment in _segments(part, marked)]
    segments = _split_trailing_province([s for s in segments if province_key(s.name) not in _COUNTRY])
    slots = _assign(segments)
    return Address(commune=slots.get(COMMUNE), district=slots.get(DISTRICT), province=slots.get(PROVINCE))


def _prepare(text: str) -> str:
    cleaned = _GLUED_ABBREVIATION.sub(r"\1. ", _BRACKETED.sub(" ", clean_text(text)))
    label = _LABEL.match(fold(cleaned).lower())  # fold keeps the length: the match slices the text
    return " ".join(cleaned[label.end():].split()) if label else cleaned


def _parts(text: str) -> list[str]:
    """The text cut at separators; two parts cut at a dash stay one when together they are a
    province name (``Bà Rịa - Vũng Tàu``, ``Gia Lai – Kon Tum``)."""
    spans: list[tuple[int, int]] = []
    start, dash = 0, False
    for match in [*_SEPARATOR.finditer(text), None]:
        end = match.start() if match else len(text)
        if text[start:end].strip():
            if spans and dash and _joins_province(text[spans[-1][0]:spans[-1][1]], text[start:end]):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        if match:
            start, dash = match.end(), match.group(1) is not None
    return [text[a:b] for a, b in spans]


def _joins_province(before: str, after: str) -> bool:
    """Whether the last words before a dash and the part after it make a province name."""
    words = before.split()
    return any(lookup(" ".join([*words[-size:], after])) for size in range(1, min(4, len(words)) + 1))


def _kind_at(words: list[str], i: int, kinds: dict[str, int]) -> tuple[int, int] | None:
    """The level named by the kind word at ``words[i]`` and how many words it takes."""
    for size in (2, 1):
        candidate = " ".join(words[i:i + size]).lower().strip(":\"'")
        if len(words[i:i + size]) == size and candidate in kinds:
            return kinds[candidate], size
    return None


def _segments(part: str, marked: bool) -> list[_Segment]:
    """A part cut before each kind word that is followed by a name; a kind word right after
    another one, or at the end, is part of the name (``xa Tinh Phong``, ``Ha Tinh``)."""
    kinds = _MARKED_KINDS if marked else _PLAIN_KINDS
    matches = list(_WORD.finditer(part))
    words = [m.group() for m in matches]
    found: list[tuple[int | None, int, int]] = []  # level, first word, last word + 1
    level: int | None = None
    first = i = 0
    while i < len(words):
        kind = _kind_at(words, i, kinds)
        opens = kind is not None and i + kind[1] < len(words) and (i > first or level is None)
        if kind is not None and opens:
            if i > first or level is not None:
                found.append((level, first, i))
            level, i = kind[0], i + kind[1]
            first = i
            continue
        i += 1
    found.append((level, first, len(words)))
    segments = []
    for seg_level, a, b in found:
        name = part[matches[a].start():matches[b - 1].end()].strip(EDGE_PUNCTUATION + " ") if b > a else ""
        if name:
            segments.append(_Segment(seg_level, name))
    return segments


def _split_trailing_province(segments: list[_Segment]) -> list[_Segment]:
    """``Nga Sơn Thanh Hóa``, written without a separator: the province name that ends the last
    segment becomes a segment of its own."""
    if not segments or segments[-1].level in (PROVINCE, CITY) or lookup(segments[-1].name):
        return segments
    last = segments[-1]
    words = last.name.split()
    for size in range(min(4, len(words) - 1), 0, -1):
        if lookup(" ".join(words[-size:])):
            head, tail = " ".join(words[:-size]), " ".join(words[-size:])
            return [*segments[:-1], _Segment(last.level, head), _Segment(None, tail)]
    return segments


def _assign(segments: list[_Segment]) -> dict[int, str]:
    """Each segment to its slot: labelled ones by their word, the others right to left into the
    coarsest free level that is finer than what lies to their right and coarser than the
    labelled levels to their left."""
    levels = [_labelled_level(segments, i) for i in range(len(segments))]
    slots: dict[int, str] = {}
    for segment, level in zip(segments, levels, strict=True):
        if level in _SLOTS:
            slots.setdefault(level, segment.name)
    bound = -1
    for i in range(len(segments) - 1, -1, -1):
        level = levels[i]
        if level is not None:
            bound = max(bound, level)
            continue
        left = min((lv for lv in levels[:i] if lv is not None), default=HAMLET + 1)
        free = [lv for lv in _SLOTS if bound < lv < left and lv not in slots
                and (lv != PROVINCE or lookup(segments[i].name))]
        if free:
            slots[free[0]] = segments[i].name
            bound = free[0]
    return slots


def _labelled_level(segments: list[_Segment], i: int) -> int | None:
    """The level a kind word gives; a city is the province only when it is one and no province
    follows it (``TP. Nam Định, Hà Nam Ninh``: Nam Định is the district)."""
    segment = segments[i]
    if segment.level != CITY:
        return segment.level
    province_follows = any(s.level == PROVINCE or lookup(s.name) for s in segments[i + 1:])
    return PROVINCE if lookup(segment.name) and not province_follows else DISTRICT
