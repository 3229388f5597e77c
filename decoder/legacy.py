"""Repair of Vietnamese text from the legacy 8-bit encodings and from UTF-8 mojibake.

Files typed in the 1990s and 2000s used TCVN3 (ABC, northern), VNI (southern) or VISCII
fonts. Read as Windows-1252 they look like ``Th¸i B×nh`` (TCVN3) or ``Thaùi Bình``
(VNI); UTF-8 read the same way looks like ``ThÃ¡i``. Each repair recovers the bytes the
text was read from and decodes them with the right table.

Tables: TCVN3 cross-checked between two independent converters; VNI against the
xvnkb keyboard driver's table; VISCII against libintl-perl's generated table (RFC 1456).
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from functools import cache, lru_cache
from typing import Literal

from decoder.errors import InvalidInputError
from decoder.text import EDGE_PUNCTUATION, is_vietnamese_syllable, vietnamese_score

LegacyEncoding = Literal["tcvn3", "vni", "viscii"]
#: The legacy readings an unknown line is tried in; the first of equal gains is kept.
_LEGACY_ORDER: tuple[LegacyEncoding, ...] = ("tcvn3", "vni", "viscii")
Source = Literal["auto", "tcvn3", "vni", "viscii", "mojibake"]
SOURCES: tuple[str, ...] = ("auto", "tcvn3", "vni", "viscii", "mojibake")

_TONE_MARKS = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # none, sắc, huyền, hỏi, ngã, nặng

# TCVN3 (ABC): each toneless vowel, then its five toned forms, as Windows-1252 bytes.
# Marked capitals are not in the encoding (they lived in separate ".VnTimeH" fonts).
_TCVN3_ROWS = {
    "a": b"a\xb8\xb5\xb6\xb7\xb9", "ă": b"\xa8\xbe\xbb\xbc\xbd\xc6",
    "â": b"\xa9\xca\xc7\xc8\xc9\xcb", "e": b"e\xd0\xcc\xce\xcf\xd1",
    "ê": b"\xaa\xd5\xd2\xd3\xd4\xd6", "i": b"i\xdd\xd7\xd8\xdc\xde",
    "o": b"o\xe3\xdf\xe1\xe2\xe4", "ô": b"\xab\xe8\xe5\xe6\xe7\xe9",
    "ơ": b"\xac\xed\xea\xeb\xec\xee", "u": b"u\xf3\xef\xf1\xf2\xf4",
    "ư": b"\xad\xf8\xf5\xf6\xf7\xf9", "y": b"y\xfd\xfa\xfb\xfc\xfe",
}
_TCVN3_SINGLES = {"đ": 0xAE, "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6,
                  "Đ": 0xA7}

# VNI Windows: a base letter followed by a mark byte, for each tone in _TONE_MARKS order.
_VNI_ROWS = {
    "A": ("A", "AÙ", "AØ", "AÛ", "AÕ", "AÏ"), "Â": ("AÂ", "AÁ", "AÀ", "AÅ", "AÃ", "AÄ"),
    "Ă": ("AÊ", "AÉ", "AÈ", "AÚ", "AÜ", "AË"), "E": ("E", "EÙ", "EØ", "EÛ", "EÕ", "EÏ"),
    "Ê": ("EÂ", "EÁ", "EÀ", "EÅ", "EÃ", "EÄ"), "O": ("O", "OÙ", "OØ", "OÛ", "OÕ", "OÏ"),
    "Ô": ("OÂ", "OÁ", "OÀ", "OÅ", "OÃ", "OÄ"), "Ơ": ("Ô", "ÔÙ", "ÔØ", "ÔÛ", "ÔÕ", "ÔÏ"),
    "U": ("U", "UÙ", "UØ", "UÛ", "UÕ", "UÏ"), "Ư": ("Ö", "ÖÙ", "ÖØ", "ÖÛ", "ÖÕ", "ÖÏ"),
    "I": ("I", "Í", "Ì", "Æ", "Ó", "Ò"), "Y": ("Y", "YÙ", "YØ", "YÛ", "YÕ", "Î"),
}

# VISCII: bytes 0x80..0xFF in order, then the six letters placed on control codes.
_VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"
    "ÕắằặấầẩậẽẹếềểễệốồổỗỠƠộờởịỰỨỪỬơớƯ"
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳĐứÒÓÔạỷừửÙÚỹỵÝỡư"
    "àáâãảăữẫèéêẻìíĩỉđựòóôõỏọụùúũủýợỮ"
)
_VISCII_LOW = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}


def _toned(vowel: str, tone: int) -> str:
    return unicodedata.normalize("NFC", vowel + _TONE_MARKS[tone])


@cache
def _tcvn3_decoding() -> dict[int, str]:
    table = {byte: letter for letter, byte in _TCVN3_SINGLES.items()}
    for vowel, row in _TCVN3_ROWS.items():
        for tone, byte in enumerate(row):
            if byte >= 0x80:
                table[byte] = _toned(vowel, tone)
    return table


@cache
def _vni_decoding() -> dict[str, str]:
    """VNI sequences (as Windows-1252 text) to letters, both cases."""
    table = {"Ñ": "Đ", "ñ": "đ"}
    for vowel, row in _VNI_ROWS.items():
        for tone, sequence in enumerate(row):
            if len(sequence) > 1 or not sequence.isascii():
                table[sequence] = _toned(vowel, tone)
                table[sequence.lower()] = _toned(vowel.lower(), tone)
    return table


@cache
def _viscii_decoding() -> dict[int, str]:
    table = {0x80 + index: letter for index, letter in enumerate(_VISCII_HIGH)}
    table.update(_VISCII_LOW)
    return table


def decode_legacy(data: bytes, encoding: LegacyEncoding) -> str:
    """Decode bytes of a legacy Vietnamese encoding to NFC Unicode.

    Bytes the encoding does not assign are read as Windows-1252 (Latin-1 where that
    leaves them undefined), as the fonts of the time displayed them.
    """
    if encoding == "vni":
        return _decode_vni(cp1252_text(data))
    return codecs.charmap_decode(data, "strict", _byte_table(encoding))[0]


@cache
def _byte_table(encoding: LegacyEncoding) -> dict[int, str]:
    """Every byte's reading in ``encoding``, so that a whole string is decoded in one call."""
    table = _tcvn3_decoding() if encoding == "tcvn3" else _viscii_decoding()
    return {byte: table.get(byte) or _cp1252_table()[byte] for byte in range(256)}


def _decode_vni(text: str) -> str:
    table = _vni_decoding()
    return unicodedata.normalize("NFC", _vni_sequences().sub(lambda found: table[found.group()], text))


@cache
def _vni_sequences() -> re.Pattern[str]:
    """VNI's letters and marks, pairs before single characters: a pair is read as one letter
    wherever it stands, scanning from the left, as the fonts drew it."""
    return re.compile("|".join(map(re.escape, sorted(_vni_decoding(), key=len, reverse=True))))


def encode_legacy(text: str, encoding: LegacyEncoding) -> bytes:
    """Encode Unicode Vietnamese in a legacy encoding (for tests and exports).

    TCVN3 has no marked capitals: they are written lowercase, as the fonts did.
    Characters the encoding cannot hold become ``?``.
    """
    reverse = _reverse_table(encoding)
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        if char in reverse:
            out += reverse[char]
        elif encoding == "tcvn3" and char.lower() in reverse:
            out += reverse[char.lower()]
        elif char.isascii():
            out += char.encode("ascii")
        else:
            out += b"?"
    return bytes(out)


@cache
def _reverse_table(encoding: LegacyEncoding) -> dict[str, bytes]:
    if encoding == "vni":
        return {letter: seq.encode("cp1252") for seq, letter in _vni_decoding().items()}
    table = _tcvn3_decoding() if encoding == "tcvn3" else _viscii_decoding()
    return {letter: bytes([byte]) for byte, letter in table.items()}


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def cp1252_text(data: bytes) -> str:
    """Bytes as Windows-1252 reads them, the five it leaves undefined read as Latin-1: how
    the fonts of the time showed a legacy file's bytes."""
    return codecs.charmap_decode(data, "strict", _cp1252_table())[0]


@cache
def _cp1252_table() -> str:
    return "".join(_cp1252_char(byte) for byte in range(256))


@cache
def _cp1252_reverse() -> dict[str, int]:
    reverse = {chr(byte): byte for byte in range(256)}  # Latin-1 first
    reverse.update({_cp1252_char(byte): byte for byte in range(256)})
    return reverse


def as_misread_bytes(text: str) -> bytes | None:
    """The bytes behind text decoded as Windows-1252 (or Latin-1), or None if impossible."""
    try:
        return codecs.charmap_encode(text, "strict", _cp1252_encoding())[0]
    except UnicodeEncodeError:
        return None


@cache
def _cp1252_encoding() -> dict[int, int]:
    return {ord(char): byte for char, byte in _cp1252_reverse().items()}


def repair(text: str, source: str = "auto") -> str:
    """Undo a legacy-encoding or mojibake misreading.

    Args:
        text: what was read.
        source: ``tcvn3``, ``vni``, ``viscii``, ``mojibake``, or ``auto`` to pick the
            reading that makes the most Vietnamese words, keeping the text as it is
            unless a repair is clearly better.

    Raises:
        InvalidInputError: an unknown source.
    """
    if source not in SOURCES:
        raise InvalidInputError(f"Unknown source encoding {source!r}; use one of {', '.join(SOURCES)}.")
    if source == "auto":
        return "\n".join(_repair_auto(line) for line in text.split("\n"))
    return _repair_as(text, source)


def looks_misread(text: str) -> bool:
    """Whether ``text`` looks like mojibake by ftfy's own test. ftfy (and the width tables
    it loads) takes a fifth of a second to import: it is loaded by the first text that
    needs it, not by every command that starts."""
    from ftfy.badness import is_bad

    return bool(is_bad(text))


def _repair_as(text: str, source: str) -> str:
    if source == "mojibake":
        if not looks_misread(text):
            return text  # ftfy's own first test: text that does not look like mojibake stays
        import ftfy  # loaded by the first text that needs it (see looks_misread)

        fixed: str = ftfy.fix_encoding(text)
        return fixed
    data = as_misread_bytes(text)
    if data is None:
        return text  # characters no single byte could have produced: not this misreading
    encoding: LegacyEncoding = "tcvn3" if source == "tcvn3" else "vni" if source == "vni" else "viscii"
    return decode_legacy(data, encoding)


@cache
def _clean_alphabet() -> frozenset[str]:
    """Printable ASCII, tab, and every NFC Vietnamese letter in both cases."""
    letters = {_toned(vowel, tone) for vowel in "aăâeêioôơuưy" for tone in range(len(_TONE_MARKS))}
    letters |= {"đ"}
    return frozenset({chr(code) for code in range(0x20, 0x7F)} | {"\t"} | letters
                     | {letter.upper() for letter in letters})


def is_clean_vietnamese(line: str) -> bool:
    """Whether no legacy reading of ``line`` can be better: it holds only printable ASCII,
    tabs and NFC Vietnamese letters, and each word with a letter outside ASCII is spelt
    like a Vietnamese syllable.

    For such a line the TCVN3, VNI and VISCII readings keep every space and tab where it
    is, leave every ASCII-only word as it is (their tables only change bytes above 0x7F)
    and can only change words that already were syllables, so none of them gains a word
    (:func:`_word_gain`); nor is it mojibake (see :func:`_repair_auto`).
    """
    if not _clean_alphabet().issuperset(line):
        return False
    return all(word.isascii() or _is_syllable(word.strip(EDGE_PUNCTUATION)) for word in line.split())


#: :func:`is_vietnamese_syllable`, remembered: a language has a few thousand syllables.
_is_syllable = lru_cache(maxsize=1 << 14)(is_vietnamese_syllable)


#: What a legacy byte read as Windows-1252 gives, and what no single byte gives.
_LATIN1_HIGH = re.compile("[\x80-\xff]")
_BEYOND_LATIN1 = re.compile("[^\x00-\xff]")


def _repair_auto(line: str) -> str:
    if not _LATIN1_HIGH.search(line) and not any(char.isalpha() for char in _BEYOND_LATIN1.findall(line)):
        return line  # plain ASCII, or only typographic punctuation: nothing to repair
    if is_clean_vietnamese(line):
        # Nor can mojibake hide in it: a misread UTF-8 letter shows a continuation byte
        # (0x80-0xBF), which Windows-1252 and Latin-1 never read as a Vietnamese letter.
        return line
    best, best_gain = line, 0
    data = as_misread_bytes(line)  # once for the three legacy readings
    legacy = () if data is None else (decode_legacy(data, encoding) for encoding in _LEGACY_ORDER)
    for candidate in itertools.chain([_repair_as(line, "mojibake")], legacy):
        gain = _word_gain(line, candidate)
        if gain > best_gain:
            best, best_gain = candidate, gain
    return best


def _word_gain(line: str, candidate: str) -> int:
    """How many more real Vietnamese words the candidate has among the words it changed.

    Only words that held a letter count as evidence, so a dash or curly quotes (which
    other encodings read as capital letters) never trigger a repair; a repair that
    breaks words costs twice what it mends.
    """
    before, after = line.split(), candidate.split()
    if candidate == line:
        return 0
    if len(before) != len(after):
        return 1 if vietnamese_score(candidate) > vietnamese_score(line) + 0.25 else 0
    return sum(map(_changed_word_gain, before, after))  # the lengths are equal


@lru_cache(maxsize=1 << 16)  # a language has a few thousand syllables, misread a few ways each
def _changed_word_gain(old: str, new: str) -> int:
    """1 when a word becomes a syllable, -2 when a syllable stops being one, else 0."""
    if old == new or not any(char.isalpha() for char in old):
        return 0
    old_ok = _is_syllable(old.strip(EDGE_PUNCTUATION))
    new_ok = _is_syllable(new.strip(EDGE_PUNCTUATION))
    return int(new_ok and not old_ok) - 2 * int(old_ok and not new_ok)
