"""NFC, the look-alikes of Đ, folding and the syllable check."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decoder.text import fold, fold_key, is_vietnamese_syllable, to_nfc, vietnamese_score
from tests.vietnamese import ALL_LETTERS


def test_decomposed_input_becomes_nfc() -> None:
    decomposed = "Vi" + "e\u0323\u0302" + "t"
    assert len(decomposed) == 6
    assert to_nfc(decomposed) == "Việt"


@pytest.mark.parametrize(("lookalike", "letter"), [("Ð", "Đ"), ("Ɖ", "Đ"), ("ð", "đ"), ("ɖ", "đ")])
def test_eth_lookalikes(lookalike: str, letter: str) -> None:
    assert to_nfc(f"{lookalike}ại") == f"{letter}ại"


def test_every_vietnamese_letter_folds_to_its_ascii_letter() -> None:
    assert len(ALL_LETTERS) == 146
    for letter in ALL_LETTERS:
        folded = fold(letter)
        assert len(folded) == 1
        assert folded.isascii(), letter
        assert folded == unicodedata.normalize("NFD", letter.lower())[0].replace("đ", "d")
    assert fold("Đ") == fold("đ") == "d"


def test_fold_examples() -> None:
    assert fold("ĐẠI ĐỘI 2, Tiểu Đoàn 5") == "dai doi 2, tieu doan 5"
    assert fold("Nguyễn Văn Thành") == "nguyen van thanh"
    assert fold_key("  Bến   Tre!  ") == "ben tre"


@given(st.text(max_size=300))
def test_fold_keeps_the_length_of_nfc_text(text: str) -> None:
    normal = to_nfc(text)
    assert len(fold(normal)) == len(normal)


@pytest.mark.parametrize("word", ["Thái", "Bình", "Nguyễn", "nghiêng", "gì", "quyết", "giường",
                                  "khuya", "được", "Mường", "thanh", "nguyen", "ươu", "xoong"])
def test_real_syllables(word: str) -> None:
    assert is_vietnamese_syllable(word)


@pytest.mark.parametrize("word", ["Th¸i", "ThÃ¡i", "Vieät", "thaùi", "hn", "KV", "strength",
                                  "bb", "thấý", "xyz", "e88"])
def test_not_syllables(word: str) -> None:
    assert not is_vietnamese_syllable(word)


def test_vietnamese_score() -> None:
    assert vietnamese_score("Nguyễn Văn Thành, hy sinh 1972.") == 1.0
    assert vietnamese_score("Th¸i B×nh") == 0.0
    assert vietnamese_score("1972 - 1975") == 0.0
