"""Vietnamese text: NFC, the look-alikes of Đ, the folded matching key, and a syllable check.

The folded form (lowercase, no diacritics, ``đ -> d``) keeps the length of its NFC input
character for character, so an offset found in the folded text is an offset in the
original. The syllable check tells real Vietnamese from mojibake when repairing legacy
encodings.
"""

from __future__ import annotations

import re
import unicodedata

# Ð (Icelandic eth) and Ɖ (African D) look like Đ and are common in old data and OCR.
_D_LOOKALIKES = str.maketrans({"Ð": "Đ", "Ɖ": "Đ", "ð": "đ", "ɖ": "đ"})
_D_LOOKALIKE_CHARS = frozenset("ÐƉðɖ")


def to_nfc(text: str) -> str:
    """The text in NFC, with the look-alikes of ``Đ``/``đ`` replaced by the real letters."""
    nfc = unicodedata.normalize("NFC", text)
    return nfc if _D_LOOKALIKE_CHARS.isdisjoint(nfc) else nfc.translate(_D_LOOKALIKES)


class _FoldTable(dict[int, str]):
    """A translation table that folds each character the first time it is seen."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            lower = char  # "İ".lower() is two characters; keep the length
        base = unicodedata.normalize("NFD", lower)
        folded = base[0] if all(unicodedata.combining(c) for c in base[1:]) else lower
        folded = "d" if folded in "đð" else folded
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lowercase without diacritics, ``đ -> d``; same length as ``text`` when it is NFC."""
    return text.translate(_FOLD)


_NON_WORD = re.compile(r"[\W_]+")


def fold_key(text: str) -> str:
    """``fold`` with runs of spaces and punctuation reduced to one space, for lookups."""
    return _NON_WORD.sub(" ", fold(to_nfc(text))).strip()


_TONES = {"\u0301", "\u0300", "\u0309", "\u0303", "\u0323"}
_MARKED_NUCLEI = """
a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iêu iu oa oai oay oao oă oe oeo oi ôi
ơi oo ua uâ uây uê ui uô uôi uơ ưa ưi ưu ươ ươi ươu uy uya uyê uyu yê yêu
""".split()
# Without its marks ("nguyen") a word is still Vietnamese, as typed on plain keyboards.
_NUCLEI = sorted(
    set(_MARKED_NUCLEI) | {n.translate(str.maketrans("ăâêôơư", "aaeoou")) for n in _MARKED_NUCLEI},
    key=len, reverse=True,
)
_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    rf"(?:{'|'.join(_NUCLEI)})"
    r"(?:ch|nh|ng|[cmnpt])?$"
)


def is_vietnamese_syllable(word: str) -> bool:
    """True when ``word`` is spelt like one Vietnamese syllable (with at most one tone)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONES for ch in decomposed) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return bool(_SYLLABLE.match(toneless))


_WORDS = re.compile(r"\S+")
#: Punctuation that clings to words ("(Thái," -> "Thái") and is stripped before checks.
EDGE_PUNCTUATION = "\"'()[]{}.,;:!?«»“”‘’-–—/"


def vietnamese_score(text: str) -> float:
    """Share (0..1) of the alphabetic words of ``text`` spelt like Vietnamese syllables.

    Words are runs of non-space characters, so the symbols of mojibake (``Th¸i``) stay
    inside the word they broke; pure numbers and punctuation are not counted.
    """
    words = [w.strip(EDGE_PUNCTUATION) for w in _WORDS.findall(text)]
    words = [w for w in words if w and not w.isdigit() and any(ch.isalpha() for ch in w)]
    if not words:
        return 0.0
    return sum(is_vietnamese_syllable(w) for w in words) / len(words)
