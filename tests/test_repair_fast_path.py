"""The repair's fast paths give what the full repair gives: on generated clean Vietnamese,
on the same text misread from TCVN3, VNI, VISCII and UTF-8, and on any mix of letters.

The full repair is the one before the fast paths: every reading tried on every line that
is not plain ASCII, ftfy called on each, no answer remembered. Every name here is invented.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.tabular import repair_text
from bench.graves import COMMUNES, DISTRICTS, PROVINCES
from bench.people import full_name
from decoder import legacy
from decoder.legacy import encode_legacy, is_clean_vietnamese
from decoder.normalize import normalize
from decoder.text import to_nfc

_VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"


@contextmanager
def full_repair() -> Iterator[None]:
    """Within the block, :func:`legacy.repair` tries every reading, with ftfy each time."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(legacy, "is_clean_vietnamese", lambda line: False)
        patch.setattr(legacy, "looks_misread", lambda text: True)
        yield


def reference(text: str) -> str:
    """:func:`normalize` without its fast paths (call it within ``full_repair()``)."""
    return to_nfc(legacy.repair(unicodedata.normalize("NFC", text)))


def clean_texts(count: int, seed: int = 5) -> list[str]:
    """Names, hometowns, units, statuses and positions as registers write them."""
    rng = random.Random(seed)
    kinds = [
        lambda: full_name(rng),
        lambda: full_name(rng).upper(),
        lambda: f"xã {rng.choice(COMMUNES)}, huyện {rng.choice(DISTRICTS)}, tỉnh {rng.choice(PROVINCES)}",
        lambda: f"Đại đội {rng.randint(1, 20)}, Tiểu đoàn {rng.randint(1, 9)} (e{rng.randint(1, 270)})",
        lambda: f"lô {rng.randint(1, 9)}, hàng {rng.randint(1, 20)}, mộ số {rng.randint(1, 40)}",
        lambda: rng.choice(["có tên", "vô danh", "mộ gió", "thiếu thông tin", "Liệt sĩ", "NGÃ BA Đồng Lộc"]),
        lambda: f"{full_name(rng)}\tsinh {rng.randint(1930, 1956)}; quê {rng.choice(PROVINCES)}.",
    ]
    return [rng.choice(kinds)() for _ in range(count)]


def test_clean_vietnamese_is_told_from_misreadings() -> None:
    assert is_clean_vietnamese("Nguyễn Văn Thành, xã Yên Phong (Hà Bắc)")
    assert is_clean_vietnamese("NGUYỄN THỊ ĐẢM\tc2 d5 e88")
    assert not is_clean_vietnamese("Th¸i B×nh")  # TCVN3 read as Windows-1252
    assert not is_clean_vietnamese("Thaùi Bình")  # VNI: every letter Vietnamese, the word not
    assert not is_clean_vietnamese("ThÃ¡i BÃ¬nh")  # UTF-8 read as Windows-1252
    assert not is_clean_vietnamese("Nguyễn – Thành")  # a dash outside the alphabet: the full repair


def test_generated_clean_text_is_left_as_it_is_by_both_paths() -> None:
    texts = clean_texts(3000)
    assert [normalize(text) for text in texts] == texts
    with full_repair():
        assert [reference(text) for text in texts] == texts


def test_fast_paths_agree_with_the_full_repair_on_clean_and_misread_text() -> None:
    texts = clean_texts(1500, seed=8)
    misread = [encode_legacy(text, encoding).decode("cp1252", "replace")
               for text in texts[:500] for encoding in ("tcvn3", "vni", "viscii")]
    mojibake = [text.encode("utf-8").decode("cp1252", "replace") for text in texts[:300]]
    samples = [*texts, *misread, *mojibake]
    fast = [normalize(text) for text in samples]
    cached = [repair_text(text) for text in samples]
    with full_repair():
        slow = [reference(text) for text in samples]
    assert fast == slow
    assert cached == slow
    assert fast[:len(texts)] == texts


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*_VIETNAMESE, *_VIETNAMESE.upper(), *"abcdnghtr ,.-\t0123",
                                         *"¸µ×ùØÃ¡¬º§Ð"]), max_size=40))
def test_any_mix_of_letters_is_repaired_as_the_full_repair_does(text: str) -> None:
    fast = normalize(text)
    with full_repair():
        assert fast == reference(text)


def test_no_misread_utf8_byte_reads_as_a_vietnamese_letter() -> None:
    """Why a clean line skips the mojibake repair: every byte after the first of a UTF-8
    letter (0x80-0xBF), read as Windows-1252 or Latin-1, is something no clean line holds."""
    letters = set(_VIETNAMESE) | set(_VIETNAMESE.upper())
    readings = {bytes([byte]).decode(encoding, "replace") for byte in range(0x80, 0xC0)
                for encoding in ("cp1252", "latin-1")}
    assert readings.isdisjoint(letters)
    assert all(not is_clean_vietnamese(f"Văn{reading}") for reading in readings)
