"""Pages set in columns, and print that is not Vietnamese: read in order, and kept.

A page is read as one column of text (Tesseract's mode 4); columns of prose read that way
come back joined line by line across the gutter, and were found so on a real two-column
brochure (43% CER, plain Tesseract 3%). Words taller than the page's print and not
spelt as Vietnamese syllables were taken for handwriting, and a passage in English set
larger than the rest was left out with them. Every sentence here is invented.
"""

from __future__ import annotations

import textwrap

import numpy as np

from bench.synth import render_page
from ocr.engine import RawWord
from ocr.layout import prose_in_columns
from ocr.loading import SourcePage
from ocr.options import OcrOptions
from ocr.pipeline import ocr_page
from ocr.preprocess import PageContext, TableGrid
from ocr.regions import handwritten_words
from tests.test_ocr_pipeline import cer

_LEFT = ("Đơn vị hành quân qua rừng suốt ba ngày đêm, mưa to và đường trơn nhưng không ai kêu "
         "mệt. Đến chiều thứ ba cả đại đội dừng lại bên bờ suối để nấu cơm và viết thư gửi về "
         "nhà cho mẹ cho vợ con.")
_RIGHT = ("Sáng hôm sau trời tạnh, anh em chia nhau mang gạo và đạn lên điểm cao. Người chỉ huy "
          "dặn mọi người giữ gìn sức khỏe, đi theo hàng một và không được rời xa đội hình khi "
          "qua vùng trống.")


Placed = list[tuple[str, int, int]]  # words as (text, left, width)


def _line(words: Placed, line: int, *, height: int = 30, conf: float = 0.9) -> list[RawWord]:
    """Words on one line of the page."""
    return [RawWord(text, conf, (left, 100 + 50 * line, width, height), (1, 1, line))
            for text, left, width in words]


def _prose_line(line: int, gutter: int) -> list[RawWord]:
    """Two columns' lines side by side: six words of 60 px each side, letters 30 px high."""
    left = [(f"chữ{i}", 100 + 70 * i, 60) for i in range(6)]
    right = [(f"câu{i}", 520 + gutter + 70 * i, 60) for i in range(6)]
    return _line(left + right, line)


def test_columns_of_prose_read_across_are_told_by_their_gutter() -> None:
    columns = [word for line in range(6) for word in _prose_line(line, gutter=150)]
    assert prose_in_columns(columns)
    word_spaced = [word for line in range(6) for word in _prose_line(line, gutter=0)]
    assert not prose_in_columns(word_spaced)
    assert not prose_in_columns(columns[:48])  # four lines are not yet a layout
    # A list typed to tab stops: a wide gap, and a numbered name before it.
    listed = [word for line in range(8) for word in _line(
        [("1", 100, 20), ("Bùi", 140, 60), ("Xuân", 210, 80), ("Nghĩa", 300, 90), ("1951", 700, 80),
         ("Thanh", 800, 100), ("Oai", 910, 60), ("c12", 990, 60), ("d9", 1060, 40)], line)]
    assert not prose_in_columns(listed)


def test_a_page_in_two_columns_is_read_column_by_column() -> None:
    left, right = textwrap.wrap(_LEFT, 34), textwrap.wrap(_RIGHT, 34)
    rows = max(len(left), len(right))
    page = np.hstack([render_page(lines, dpi=300, width_in=3.6, height_in=0.5 + rows * 0.3)
                      for lines in (left, right)])
    result = ocr_page(SourcePage(1, page, 300), OcrOptions())
    assert "columns" in [step.name for step in result.steps]
    assert cer(" ".join(left + right), result.text) <= 0.03, result.text


def test_print_set_larger_in_another_language_is_not_handwriting() -> None:
    short: Placed = [("và", 100, 40), ("cho", 160, 50), ("con", 230, 50)]
    body = [word for line in range(6) for word in _line(short, line, height=20)]
    larger = _line([("Operation", 100, 200), ("is", 320, 30), ("similar", 370, 120), ("to", 510, 30),
                    ("polyphonic", 560, 200)], 7, height=32, conf=0.7)
    larger[-1] = RawWord("polyphonic", 0.7, (560, 440, 200, 42), (1, 1, 7))  # an ascender and a descender
    written = RawWord("462", 0.72, (900, 430, 90, 50), (1, 1, 7))  # a number written beside the line
    raw = body + larger + [written]
    context = PageContext(image=np.full((800, 1200), 255, np.uint8), dpi=300)
    assert {raw[index].text for index in handwritten_words(raw, context)} == {"462"}


def test_typed_cells_level_with_a_ruled_table_are_not_handwriting() -> None:
    names: Placed = [("Vũ", 300, 40), ("Xuân", 360, 70), ("Nghĩa", 450, 80)]
    rows = [word for line in range(6) for word in _line(names, line, height=20)]
    # Each date read as a cell of its own, its box made tall by what is left of a rule.
    dates = [RawWord(f"1{line}/6/1971", 0.9, (1000, 100 + 50 * line, 140, 48), (2, 1, line))
             for line in range(3)]
    raw = rows + dates
    page = PageContext(image=np.full((800, 1200), 255, np.uint8), dpi=300)
    assert {raw[index].text for index in handwritten_words(raw, page)} == {word.text for word in dates}
    page.table = TableGrid(box=(250, 80, 700, 420), columns=[])  # its rules faded before the dates
    assert handwritten_words(raw, page) == set()
    page.table = TableGrid(box=(250, 80, 700, 160), columns=[])  # a table above them
    assert {raw[index].text for index in handwritten_words(raw, page)} == {"11/6/1971", "12/6/1971"}
