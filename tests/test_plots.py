"""How registers write a grave's place, status and dates, read into the contract's fields."""

from __future__ import annotations

import pytest

from decoder.plots import (
    Position,
    iso_partial_date,
    name_key,
    parse_level,
    parse_position,
    parse_status,
    place_key,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("lô 3, hàng 4, mộ số 12", Position(lot="3", row="4", number="12")),
    ("Khu B - Lô 3 - Hàng 4 - Mộ 12", Position(zone="B", lot="3", row="4", number="12")),
    ("LO 3 HANG 4 SO 12", Position(lot="3", row="4", number="12")),
    ("Hàng 4; số mộ 7a", Position(row="4", number="7A")),
    ("lô: 2, hàng: 1, mộ số: 15-2", Position(lot="2", row="1", number="15-2")),
    ("quê quán Hà Bắc", Position()),
])
def test_a_position_in_one_cell_is_read_into_its_parts(text: str, expected: Position) -> None:
    assert parse_position(text) == expected
    assert parse_position(text).is_empty() == (expected == Position())


@pytest.mark.parametrize(("text", "expected"), [
    ("vô danh", "unidentified"), ("Mộ vô danh", "unidentified"), ("có tên", "named"),
    ("mộ gió", "named_no_remains"), ("named_no_remains", "named_no_remains"), ("Partial", "partial"),
    ("hoà bình", None),
])
def test_statuses_in_words(text: str, expected: str | None) -> None:
    assert parse_status(text) == expected


def test_levels_in_words() -> None:
    assert [parse_level(text) for text in ("Quốc gia", "cấp tỉnh", "Nghĩa trang cấp huyện", "xã", "?")] == \
        ["national", "province", "district", "commune", None]


@pytest.mark.parametrize(("text", "expected"), [
    ("15/7/1972", "1972-07-15"), ("15.07.1972", "1972-07-15"), ("7/1972", "1972-07"),
    ("ngày 15 tháng 7 năm 1972", "1972-07-15"), ("tháng 7 năm 1972", "1972-07"), ("năm 1972", "1972"),
    ("1972-07", "1972-07"), ("mùa xuân", "mùa xuân"),
])
def test_dates_as_registers_write_them(text: str, expected: str) -> None:
    assert iso_partial_date(text) == expected


def test_keys_compare_names_and_places_without_marks_or_kinds_of_unit() -> None:
    assert name_key("Nguyễn  Văn Thành") == name_key("NGUYEN VAN THANH") == "nguyen van thanh"
    assert place_key("xã Yên Phong, huyện Yên Phong, tỉnh Hà Bắc") == "yen phong yen phong ha bac"
    assert place_key("Yên Phong, Hà Bắc") in place_key("xã Yên Phong, huyện Yên Phong, tỉnh Hà Bắc")
