"""The designation grammar: every notation of the domain reference, and what is not one."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decoder.grammar import NameEntry, NameTable, name_key, parse, repair_number
from decoder.model import Designation, Level, Qualifier

C, D, E, F = Level.COMPANY, Level.BATTALION, Level.REGIMENT, Level.DIVISION


def chain(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """The single chain in ``text`` as (level, number, qualifier, prefix) tuples."""
    found = parse(text)
    assert len(found) == 1, f"{text!r} gave {found}"
    assert found[0].kind == "chain"
    return [
        (e.level.value, e.number, e.qualifier.value if e.qualifier else None, e.prefix)
        for e in found[0].echelons
    ]


FULL = [("company", "2", None, None), ("battalion", "5", None, None),
        ("regiment", "88", None, None), ("division", "308", None, None)]


@pytest.mark.parametrize("text", [
    "c2 d5 e88 f308",
    "C2 D5 E88 F308",
    "c2d5e88f308",
    "C2D5E88F308",
    "c2-d5-e88-f308",
    "c2.d5.e88.f308",
    "c2/d5/e88/f308",
    "c2, d5, e88, f308",
    "c2 – d5 – e88 – f308",
    "c2 thuộc d5 thuộc e88 thuộc f308",
    "c2 thuoc d5, e88 (f308)",
    "Đại đội 2, Tiểu đoàn 5, Trung đoàn 88, Sư đoàn 308",
    "Đại đội 2 thuộc Tiểu đoàn 5, Trung đoàn 88, Đại đoàn 308",
    "ĐẠI ĐỘI 2 TIỂU ĐOÀN 5 TRUNG ĐOÀN 88 SƯ ĐOÀN 308",
    "DAI DOI 2 TIEU DOAN 5 TRUNG DOAN 88 SU DOAN 308",
    "dai doi 2, tieu doan 5, trung doan 88, su doan 308",
    "Đại đội số 2, Tiểu đoàn 5, e88, f308",
    "c2 Tiểu đoàn 5 Trung đoàn 88 f308",
])
def test_every_written_form_of_one_chain(text: str) -> None:
    levels = [(lvl, n, q, None) for lvl, n, q, _ in FULL]
    assert chain(text) == levels


@pytest.mark.parametrize(("text", "expected"), [
    ("c4d2e9", [("company", "4", None, None), ("battalion", "2", None, None),
                ("regiment", "9", None, None)]),
    ("c6 d3 e27 f304", [("company", "6", None, None), ("battalion", "3", None, None),
                        ("regiment", "27", None, None), ("division", "304", None, None)]),
    ("eBB 52", [("regiment", "52", "infantry", None)]),
    ("d PB 7", [("battalion", "7", "artillery", None)]),
    ("Đại đội 6 súng cối", [("company", "6", "mortar", None)]),
    ("Trung đoàn 27 pháo binh", [("regiment", "27", "artillery", None)]),
    ("Tiểu đoàn 4 đặc công", [("battalion", "4", "sappers", None)]),
    ("Tiểu đoàn công binh 7", [("battalion", "7", "engineers", None)]),
    ("c3 thông tin", [("company", "3", "signals", None)]),
    ("Trung đoàn 234 pháo cao xạ", [("regiment", "234", "anti_aircraft", None)]),
    ("Tiểu đoàn 12 phòng không", [("battalion", "12", "anti_aircraft", None)]),
    ("Lữ đoàn 203 xe tăng", [("brigade", "203", "armor", None)]),
    ("Lữ đoàn 202 tăng thiết giáp", [("brigade", "202", "armor", None)]),
    ("Đại đội 3 quân y", [("company", "3", "medical", None)]),
    ("Tiểu đoàn 7 vận tải", [("battalion", "7", "transport", None)]),
    ("Đại đội 18 trinh sát", [("company", "18", "reconnaissance", None)]),
    ("Tiểu đoàn 9 hậu cần", [("battalion", "9", "logistics", None)]),
    ("d12, Mặt trận B5", [("battalion", "12", None, None), ("front", "5", None, "B")]),
    ("c3, Quân khu 4", [("company", "3", None, None), ("military_region", "4", None, None)]),
    ("Quân đoàn 1", [("corps", "1", None, None)]),
    ("QK4", [("military_region", "4", None, None)]),
    ("SĐ 308", [("division", "308", None, None)]),
    ("Đoàn 559", [("group", "559", None, None)]),
    ("Binh trạm 12", [("regiment", "12", None, None)]),
    ("Tiểu đội 3 Trung đội 2", [("squad", "3", None, None), ("platoon", "2", None, None)]),
    ("a3 b2 c1", [("squad", "3", None, None), ("platoon", "2", None, None),
                  ("company", "1", None, None)]),
    ("b2 c3", [("platoon", "2", None, None), ("company", "3", None, None)]),
    ("đi B2", [("theatre", "2", None, "B")]),
    ("chiến trường B3", [("theatre", "3", None, "B")]),
    ("d12 B5", [("battalion", "12", None, None), ("theatre", "5", None, "B")]),
    ("Mặt trận B.702", [("front", "702", None, "B")]),
    ("f308 e88", [("division", "308", None, None), ("regiment", "88", None, None)]),
])
def test_notations_of_the_domain_reference(
    text: str, expected: list[tuple[str, str | None, str | None, str | None]]
) -> None:
    assert chain(text) == expected


@pytest.mark.parametrize(("text", "number"), [
    ("f3O8", "308"), ("e8S", "85"), ("c1l", "11"), ("dZ", None), ("e1O2", "102"),
    ("F3o8", "308"), ("e I02", "102"), ("eSS", None), ("fOO", None),
])
def test_ocr_confusions_inside_numbers(text: str, number: str | None) -> None:
    found = parse(text)
    if number is None:
        assert found == []
        return
    assert [e.number for e in found[0].echelons] == [number]
    assert found[0].repaired


def test_repair_number_rules() -> None:
    assert repair_number("3O8") == ("308", True)
    assert repair_number("308") == ("308", False)
    assert repair_number("007") == ("7", False)
    assert repair_number("OO") is None  # no real digit at all
    assert repair_number("3x8") is None


@pytest.mark.parametrize("text", [
    "lô 3, hàng 5, mộ số 18",
    "Lô A, hàng 12, mộ số 7",
    "mộ số 18 lô B3",
    "ngày 12 tháng 3 năm 1972",
    "12/3/1972",
    "3/72",
    "xã Yên Phong, huyện Yên Phong, tỉnh Hà Bắc",
    "số nhà 12 ngõ 5 phố Hàng Bạc",
    "phòng 204, tầng 3, nhà C2",
    "P.204",
    "Quốc lộ 1A, km 15",
    "Đường 9 – Nam Lào",
    "đồi A1",
    "cao điểm C1",
    "súng B40 và B41",
    "máy bay B52 ném bom",
    "máy bay F4",
    "pháo D74",
    "C130",
    "Đoàn Văn Hùng",
    "đoàn 5 người",
    "Anh ở đâu, em vẫn chờ.",
    "Chiến thắng Điện Biên Phủ",
    "Hòm thư",
    "HT",
    "chiến trường C",
    "",
    "   ",
    "\x00\x01\x02",
    "e-mail: abc@example.com",
])
def test_texts_without_designations(text: str) -> None:
    assert parse(text) == []


@pytest.mark.parametrize(("text", "number", "letters", "suffix"), [
    ("Hòm thư 47120 HN", "47120", "HN", None),
    ("HT 30561 KV", "30561", "KV", None),
    ("hom thu 47120 HN", "47120", "HN", None),
    ("hom thu 47120hn", "47120", "HN", None),
    ("Hộp thư 47120 HN-B5", "47120", "HN", "B5"),
    ("HT 47120HN - B5", "47120", "HN", "B5"),
    ("Hòm thư số 47120 HN", "47120", "HN", None),
    ("HÒM THƯ: 47120 HN", "47120", "HN", None),
    ("Hòm thư 47120", "47120", None, None),
    ("HT 47l2O HN gửi về nhà", "47120", "HN", None),
    ("Hòm thư 47120 gửi mẹ", "47120", None, None),
])
def test_mailbox_codes(text: str, number: str, letters: str | None, suffix: str | None) -> None:
    found = parse(text)
    assert len(found) == 1
    assert found[0].kind == "mailbox"
    assert found[0].mailbox is not None
    assert (found[0].mailbox.number, found[0].mailbox.letters, found[0].mailbox.suffix) == (
        number, letters, suffix)
    assert found[0].echelons == []


def test_offsets_point_at_the_raw_text() -> None:
    text = "Liệt sĩ Nguyễn Văn A, đơn vị c2 d5 e88 f308, hòm thư 47120 HN, hy sinh 1972."
    found = parse(text)
    assert [d.kind for d in found] == ["chain", "mailbox"]
    for designation in found:
        assert text[designation.start:designation.end] == designation.raw
    assert found[0].raw == "c2 d5 e88 f308"
    assert found[1].raw == "hòm thư 47120 HN"


def test_decomposed_input_is_read_like_composed() -> None:
    composed = "Đại đội 2, Tiểu đoàn 5"
    decomposed = unicodedata.normalize("NFD", composed)
    assert parse(decomposed) == parse(composed)


def test_eth_lookalikes_are_read_as_d_bar() -> None:
    assert chain("Ðại đội 2") == [("company", "2", None, None)]


NAMES = NameTable({
    name_key("Bến Tre"): NameEntry("Bến Tre"),
    name_key("Công trường 9"): NameEntry("Công trường 9"),
    name_key("Quân Tiên Phong"): NameEntry("Quân Tiên Phong", needs_context=True),
    name_key("Thép"): NameEntry("Thép", needs_context=True),
})


@pytest.mark.parametrize(("text", "name"), [
    ("Công trường 9", "Công trường 9"),
    ("cong truong 9", "Công trường 9"),
    ("CÔNG TRƯỜNG 9", "Công trường 9"),
    ("đơn vị Bến Tre", "Bến Tre"),
    ("Quân Tiên Phong", "Quân Tiên Phong"),
    ("quan tien phong", "Quân Tiên Phong"),
    ("Sư đoàn Thép", "Thép"),
])
def test_registry_names(text: str, name: str) -> None:
    found = parse(text, NAMES)
    assert [(d.kind, d.name) for d in found] == [("name", name)]


@pytest.mark.parametrize("text", [
    "quê quán Bến Tre",
    "tỉnh Bến Tre",
    "hy sinh tại Bến Tre",
    "thép tốt",
    "bằng thép và gỗ",
    "xa quân tiên phong của cách mạng",
])
def test_names_in_other_roles_are_not_designations(text: str) -> None:
    assert parse(text, NAMES) == []


# Property: any chain written in any supported form parses back to what was written.

_LETTERS = {Level.SQUAD: "a", Level.PLATOON: "b", Level.COMPANY: "c", Level.BATTALION: "d",
            Level.REGIMENT: "e", Level.DIVISION: "f"}
_WORDS = {Level.SQUAD: "Tiểu đội", Level.PLATOON: "Trung đội", Level.COMPANY: "Đại đội",
          Level.BATTALION: "Tiểu đoàn", Level.REGIMENT: "Trung đoàn", Level.DIVISION: "Sư đoàn"}
_QUALIFIER_FORMS = {Qualifier.INFANTRY: ("BB", "bộ binh"), Qualifier.ARTILLERY: ("PB", "pháo binh"),
                    Qualifier.ENGINEERS: ("CB", "công binh"), Qualifier.SAPPERS: ("ĐC", "đặc công")}


def _strip_marks(text: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", text)
                       if not unicodedata.combining(c))
    return stripped.replace("Đ", "D").replace("đ", "d")


@st.composite
def written_chains(draw: st.DrawFn) -> tuple[str, list[tuple[Level, str, Qualifier | None]]]:
    levels = draw(st.lists(st.sampled_from(list(_LETTERS)), min_size=1, max_size=5, unique=True))
    levels.sort(key=lambda level: level.rank)
    if len(levels) == 1:
        only = levels[0]
        levels = [only, Level.DIVISION] if only != Level.DIVISION else [Level.REGIMENT, Level.DIVISION]
    parts, expected = [], []
    separator = draw(st.sampled_from([" ", "", "-", ", ", "/", ".", " thuộc ", " - "]))
    for level in levels:
        number = str(draw(st.integers(min_value=1, max_value=999)))
        qualifier = draw(st.none() | st.sampled_from(list(_QUALIFIER_FORMS)))
        style = draw(st.sampled_from(["letter", "LETTER", "word", "WORD", "plain", "PLAIN"]))
        if style.lower() == "letter":
            letter = _LETTERS[level].upper() if style == "LETTER" else _LETTERS[level]
            if letter == "B":
                letter = "b"  # a capital B alone is a theatre code; tested elsewhere
            text = f"{letter}{_QUALIFIER_FORMS[qualifier][0]} {number}" if qualifier else f"{letter}{number}"
        else:
            word = _WORDS[level] if style.lower() == "word" else _strip_marks(_WORDS[level])
            text = f"{word} {number}" + (f" {_QUALIFIER_FORMS[qualifier][1]}" if qualifier else "")
            text = text.upper() if style.isupper() else text
        if separator == "" and not text[0].isascii():
            text = " " + text
        parts.append(text)
        expected.append((level, number, qualifier))
    joined = separator.join(parts)
    if separator == "" and any(" " in p or not p[-1].isdigit() for p in parts):
        joined = " ".join(parts)
    return joined, expected


@settings(max_examples=300, deadline=None)
@given(written_chains())
def test_generated_chains_parse_back(case: tuple[str, list[tuple[Level, str, Qualifier | None]]]) -> None:
    text, expected = case
    found = parse(text)
    assert len(found) == 1, f"{text!r} gave {found}"
    got = [(e.level, e.number, e.qualifier) for e in found[0].echelons]
    assert got == expected, text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_parser_never_crashes_and_offsets_hold(text: str) -> None:
    found: list[Designation] = parse(text)
    normal = unicodedata.normalize("NFC", text)
    for designation in found:
        assert 0 <= designation.start < designation.end <= len(normal)
