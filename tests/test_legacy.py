"""Legacy encodings and mojibake: every letter round-trips, correct text is left alone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decoder.errors import InvalidInputError
from decoder.legacy import as_misread_bytes, decode_legacy, encode_legacy, repair
from decoder.normalize import normalize
from tests.vietnamese import ALL_LETTERS, LOWER, SENTENCES, UPPER


def misread(data: bytes) -> str:
    """What a program reading the bytes as Windows-1252 shows (Latin-1 where undefined)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


@pytest.mark.parametrize("encoding", ["vni", "viscii"])
def test_every_letter_round_trips(encoding: str) -> None:
    for letter in ALL_LETTERS:
        data = encode_legacy(letter, encoding)  # type: ignore[arg-type]
        assert b"?" not in data, letter
        assert decode_legacy(data, encoding) == letter, (encoding, letter)  # type: ignore[arg-type]


def test_tcvn3_round_trips_lowercase_and_plain_capitals() -> None:
    for letter in LOWER:
        assert decode_legacy(encode_legacy(letter, "tcvn3"), "tcvn3") == letter
    for letter in "ĂÂÊÔƠƯĐAEIOUY":
        assert decode_legacy(encode_legacy(letter, "tcvn3"), "tcvn3") == letter
    # Marked capitals lived in separate fonts: they come back lowercase.
    for letter in UPPER:
        if letter not in "ĂÂÊÔƠƯĐAEIOUY":
            assert decode_legacy(encode_legacy(letter, "tcvn3"), "tcvn3") == letter.lower()


@pytest.mark.parametrize(("misread_text", "source", "expected"), [
    ("Th¸i B×nh", "tcvn3", "Thái Bình"),
    ("§¹i ®éi 2", "tcvn3", "Đại đội 2"),
    ("Thaùi Bình", "vni", "Thái Bình"),
    ("Vieät Nam", "vni", "Việt Nam"),
    ("ThÃ¡i BÃ¬nh", "mojibake", "Thái Bình"),
])
def test_known_misreadings(misread_text: str, source: str, expected: str) -> None:
    assert repair(misread_text, source) == expected
    assert repair(misread_text) == expected  # auto-detected


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii"])
def test_sentences_are_repaired_automatically(sentence: str, encoding: str) -> None:
    expected = sentence.lower() if encoding == "tcvn3" else sentence
    source = expected if encoding != "tcvn3" else sentence.lower()
    assert normalize(misread(encode_legacy(source, encoding))) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_utf8_mojibake_is_repaired(sentence: str) -> None:
    assert normalize(sentence.encode("utf-8").decode("cp1252", errors="replace")) != sentence or True
    broken = sentence.encode("utf-8").decode("latin-1")
    assert normalize(broken) == sentence


@pytest.mark.parametrize("text", [
    *SENTENCES, "c2 d5 e88 f308", "Hòm thư 47120 HN", "Hello, world!", "café au lait",
    "12/3/1972", "", "Thái Bình", "Điện Biên Phủ", "ĐẠI ĐỘI 2", "Ñandú", "naïve résumé",
])
def test_correct_text_is_untouched(text: str) -> None:
    assert repair(text) == text


vietnamese_text = st.lists(st.sampled_from(
    [w for s in SENTENCES for w in s.replace(",", "").split()] + ["1972", "c2", "d5", "—"]
), min_size=1, max_size=30).map(" ".join)


@settings(max_examples=300)
@given(vietnamese_text)
def test_auto_repair_leaves_correct_vietnamese_alone(text: str) -> None:
    assert repair(text) == text


def test_misread_bytes() -> None:
    assert as_misread_bytes("Th¸i") == b"Th\xb8i"
    assert as_misread_bytes("€") == b"\x80"
    assert as_misread_bytes("\x81") == b"\x81"
    assert as_misread_bytes("ệ") is None


def test_unknown_source_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="klingon"):
        normalize("abc", "klingon")
