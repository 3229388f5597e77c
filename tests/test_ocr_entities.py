"""Entities in page text, and on a generated page with their boxes."""

from __future__ import annotations

import random

import pytest

from bench.synth import death_notice_lines, make_page, person
from ocr.entities import extract_entities
from ocr.loading import SourcePage
from ocr.options import OcrOptions
from ocr.pipeline import ocr_page


def values(text: str, kind: str) -> list[str]:
    return [e.value for e in extract_entities(text) if e.kind == kind]


@pytest.mark.parametrize(("text", "expected"), [
    ("hy sinh ngày 12 tháng 3 năm 1972", ["1972-03-12"]),
    ("hy sinh ngay 12 thang 3 nam 1972", ["1972-03-12"]),
    ("ngày l2 tháng 3 năm 197O", ["1970-03-12"]),
    ("ngày 12/3/1972 tại Quảng Trị", ["1972-03-12"]),
    ("ngày 12-03-1972", ["1972-03-12"]),
    ("thư viết 3/72", ["1972-03"]),
    ("tháng 7 năm 1968", ["1968-07"]),
    ("sinh năm 1950", ["1950"]),
    ("ngày 31 tháng 2 năm 1972", ["1972-02"]),  # the impossible day goes, the month stays
    ("lô 3, hàng 5, mộ số 18", []),
    ("điện thoại 0912.345.678", []),
])
def test_dates_in_vietnamese_forms(text: str, expected: list[str]) -> None:
    assert values(text, "date") == expected


def test_names_places_ranks_and_units() -> None:
    text = ("Đồng chí: Nguyễn Văn Thành, sinh năm 1950\nQuê quán: xã Yên Phong, tỉnh Hà Bắc\n"
            "Cấp bậc: Hạ sĩ. Đơn vị: c2 d5 e88 f308, HT 47120 HN\nNơi hy sinh: Quảng Trị\n"
            "Liệt sĩ Lê Văn Hùng; họ tên mẹ: Trần Thị Hoa")
    # A relative's name after "họ tên mẹ" is not taken for the soldier's.
    assert values(text, "person") == ["Nguyễn Văn Thành", "Lê Văn Hùng"]
    assert values(text, "place") == ["xã Yên Phong, tỉnh Hà Bắc", "Quảng Trị"]
    assert values(text, "rank") == ["Hạ sĩ"]
    assert values(text, "designation") == ["company:2 battalion:5 regiment:88 division:308"]
    assert values(text, "mailbox") == ["47120 HN"]
    for entity in extract_entities(text):
        assert text[entity.start:entity.end] == entity.text


def test_planted_facts_are_found_on_a_page_with_their_boxes() -> None:
    seed, dpi = 70, 200
    page = make_page(seed, dpi=dpi)
    planted = person(random.Random(seed))
    assert death_notice_lines(random.Random(seed))[1].endswith(planted["name"])
    result = ocr_page(SourcePage(1, page.image, page.dpi), OcrOptions())
    found = {(e.kind, e.value): e for e in result.entities}
    expected_date = f"{planted['year']}-{int(planted['month']):02d}-{int(planted['day']):02d}"
    margin, line_height = round(dpi * 0.5), round(12 * dpi / 72 * 1.6)
    for key, line in [(("person", planted["name"]), 1), (("date", expected_date), 6),
                      (("rank", planted["rank"]), 4), (("place", planted["place"]), 7)]:
        assert key in found, f"{key} not in {sorted(found)}"
        box = found[key].box
        assert box is not None
        assert abs(box[1] - (margin + line * line_height)) < line_height * 0.6, key
        assert box[0] >= margin - 5
    designation = next(e for e in result.entities if e.kind == "designation")
    assert designation.text == planted["unit"]
