"""Recognition end to end on generated pages: text within a CER bound, boxes on the ink."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from PIL import Image
from rapidfuzz.distance import Levenshtein

from bench.synth import FONTS, Degradation, find_font, make_page
from ocr.errors import EngineError
from ocr.loading import SourcePage
from ocr.options import OcrOptions
from ocr.pipeline import (
    Deadline,
    best_orientation,
    ocr_page,
    preprocess_page,
    recognise_cleaned,
    side_by_side_columns,
    thinner_ink,
)
from ocr.runner import ocr_files
from ocr.tesseract import RawWord
from tests.vietnamese import ALL_LETTERS

OPTIONS = OcrOptions()


def cer(truth: str, text: str) -> float:
    truth, text = " ".join(truth.split()), " ".join(text.split())
    return Levenshtein.distance(truth, text) / len(truth)


@pytest.mark.parametrize("font", FONTS)
def test_every_generator_font_draws_every_vietnamese_letter(font: str) -> None:
    # A missing "ễ" is drawn as "ê" with a tilde beside it: the page would not show its truth.
    path = find_font(font)
    assert path is not None, f"{font} is not installed; run scripts/bootstrap.sh test"
    cmap = TTFont(path).getBestCmap()
    assert [letter for letter in ALL_LETTERS if ord(letter) not in cmap] == []


def test_the_generator_refuses_a_kind_it_cannot_make() -> None:
    # Unchecked, a misspelt kind would make a letter without a word and measure the wrong thing.
    with pytest.raises(ValueError, match="no such kind of document: 'lettre'"):
        make_page(1, kind="lettre")


@pytest.mark.parametrize("how", [
    Degradation(),
    Degradation(skew=-3, blur=1.0, noise=12, uneven_light=0.6, fade=0.3, stains=2, jpeg_quality=60),
    Degradation(turn=180, skew=2.5),
])
def test_generated_death_notice_is_read_within_the_cer_bound(how: Degradation) -> None:
    page = make_page(21, degradation=how)
    result = ocr_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    assert result.error is None
    assert cer(page.text, result.text) <= 0.03, result.text
    assert 0.5 < result.confidence <= 1
    assert result.engine.startswith("tesseract")


def test_words_carry_boxes_on_the_page_as_loaded() -> None:
    page = make_page(22, degradation=Degradation(turn=90, skew=2))
    result = ocr_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    height, width = page.image.shape
    assert result.words
    for word in result.words:
        x, y, w, h = word.box
        assert x >= -3
        assert y >= -3
        assert x + w <= width + 3
        assert y + h <= height + 3
        crop = page.image[max(0, y):y + h, max(0, x):x + w]
        assert crop.size, word.text
        assert crop.min() < 128, f"no ink under {word.text!r}"
    # The page was turned 90° clockwise: the lines now run top to bottom.
    first_line = [w for w in result.words if w.line == 0]
    assert np.ptp([w.box[1] for w in first_line]) > np.ptp([w.box[0] for w in first_line])


def test_files_and_pages_in_parallel_with_a_bad_file_among_them(tmp_path: Path) -> None:
    paths = []
    for seed in range(3):
        path = tmp_path / f"page{seed}.png"
        path.write_bytes(make_page(30 + seed).png_bytes())
        paths.append(path)
    frames = [Image.fromarray(make_page(40 + seed).image) for seed in range(2)]
    frames[0].save(tmp_path / "two.tif", save_all=True, append_images=frames[1:], dpi=(200, 200))
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff garbage")
    seen: list[tuple[int, int]] = []
    result = ocr_files([*paths, tmp_path / "broken.jpg", tmp_path / "two.tif"], OPTIONS,
                       workers=2, progress=lambda done, total: seen.append((done, total)))
    files = result.files
    assert [len(f.pages) for f in files] == [1, 1, 1, 0, 2]
    assert files[3].error is not None
    assert "broken.jpg" in files[3].error
    assert [p.number for p in files[4].pages] == [1, 2]
    assert all(cer(make_page(30 + i).text, files[i].pages[0].text) <= 0.03 for i in range(3))
    assert sorted(seen)[-1] == (5, 5)


def test_a_failing_page_does_not_fail_the_document(tmp_path: Path) -> None:
    # A page so small Tesseract's time limit trips is still reported on its own.
    page = make_page(50)
    result = ocr_page(SourcePage(1, page.image, page.dpi), OcrOptions(page_timeout_s=0.001))
    assert result.error is not None
    assert result.error == "The page took longer than its limit of 0.001 s."
    assert result.text == ""


def test_retries_stop_at_the_pages_time_limit_and_keep_what_was_read() -> None:
    page = make_page(51)
    context = preprocess_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    first = [RawWord("Giấy", 0.5, (0, 0, 10, 10), (1, 1, 1))]
    spent = Deadline(limit_s=60, end=time.monotonic())
    assert thinner_ink(context, first, OPTIONS, spent) == first
    assert best_orientation(context, first, OPTIONS, spent) == first
    assert [step.detail.endswith("stopped at the page's time limit") for step in context.steps[-2:]] == [
        True, True]
    assert context.rotation == 0


class _OneSureWord:
    """An engine that reads one word, surely, whatever it is shown."""

    def recognise_words(self, image: np.ndarray, lang: str, timeout_s: float, psm: int = 4) -> list[RawWord]:
        return [RawWord("Gì", 0.95, (0, 0, 40, 30), (1, 1, 1))]


def test_a_turn_that_reads_one_sure_word_is_not_kept_over_a_page() -> None:
    # A page turned wrong read as "Gì" at 0.95 was kept over the whole page read at 0.5.
    page = make_page(52)
    context = preprocess_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    first = [RawWord(word, 0.5, (0, 0, 10, 10), (1, 1, 1)) for word in page.text.split()]
    kept = best_orientation(context, first, OPTIONS, Deadline.start(60), _OneSureWord())  # type: ignore[arg-type]
    assert kept == first
    assert context.rotation == 0


def test_missing_language_is_refused_before_any_work(tmp_path: Path) -> None:
    path = tmp_path / "p.png"
    path.write_bytes(make_page(1).png_bytes())
    with pytest.raises(EngineError, match="no 'klingon' language"):
        ocr_files([path], OcrOptions(lang="klingon"))


def test_hocr_and_alto_carry_the_words_and_boxes() -> None:
    import xml.etree.ElementTree as ET

    from ocr.export import to_alto, to_hocr

    page = make_page(23, degradation=Degradation(skew=2))
    result = ocr_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    hocr = ET.fromstring(to_hocr(result, image="p.png"))
    namespace = {"h": "http://www.w3.org/1999/xhtml"}
    words = hocr.findall(".//h:span[@class='ocrx_word']", namespace)
    assert [w.text for w in words] == [w.text for w in result.words]
    first = result.words[0].box
    assert words[0].get("title", "").startswith(
        f"bbox {first[0]} {first[1]} {first[0] + first[2]} {first[1] + first[3]}")
    alto = ET.fromstring(to_alto(result, image="p.png"))
    strings = alto.findall(".//{http://www.loc.gov/standards/alto/ns-v4#}String")
    assert [s.get("CONTENT") for s in strings] == [w.text for w in result.words]
    assert strings[0].get("HPOS") == str(first[0])


def test_hocr_and_alto_mark_stamps_signatures_and_handwriting() -> None:
    import xml.etree.ElementTree as ET

    from ocr.export import to_alto, to_hocr
    from ocr.model import OcrPage, OcrWord, Region

    page = OcrPage(number=2, text="Giấy", confidence=0.9, rotation=0, skew=0.0, width=800, height=600,
                   words=[OcrWord(text="Giấy", conf=0.9, box=[10, 10, 50, 20], line=0, start=0, end=4)],
                   regions=[Region(kind="stamp", box=[400, 300, 200, 200]),
                            Region(kind="handwriting", box=[600, 40, 90, 50])])
    hocr = ET.fromstring(to_hocr(page))
    floats = hocr.findall(".//{http://www.w3.org/1999/xhtml}div[@class='ocr_image']")
    assert [f.get("title") for f in floats] == ["bbox 400 300 600 500; x_kind stamp",
                                                "bbox 600 40 690 90; x_kind handwriting"]
    alto = ET.fromstring(to_alto(page))
    namespace = "{http://www.loc.gov/standards/alto/ns-v4#}"
    space = alto.find(f".//{namespace}PrintSpace")
    assert space is not None
    blocks = [child.tag.removeprefix(namespace) for child in space]
    assert blocks == ["TextBlock", "Illustration", "Illustration"]
    marked = [(i.get("TYPE"), i.get("HPOS"), i.get("WIDTH")) for i in space.iter(f"{namespace}Illustration")]
    assert marked == [("stamp", "400", "200"), ("handwriting", "600", "90")]


def test_noise_lines_and_scraps_are_left_out() -> None:
    from ocr.pipeline import drop_noise_words
    from ocr.preprocess import PageContext
    from ocr.tesseract import RawWord

    def word(text: str, conf: float, line: int) -> RawWord:
        return RawWord(text, conf, (0, 0, 10, 10), (1, 1, line))

    raw = [word("LẠC:", 0.3, 1), word("293200172", 0.0, 1), word("cKryn", 0.03, 1),
           word("Nơi", 0.95, 2), word("hy", 0.9, 2), word("sinh", 0.93, 2), word("ậ", 0.16, 2),
           word("Mờ", 0.4, 3), word("nhạt", 0.45, 3)]
    context = PageContext(image=np.zeros((10, 10), np.uint8), dpi=300)
    kept = [w.text for w in drop_noise_words(raw, context)]
    assert kept == ["Nơi", "hy", "sinh", "Mờ", "nhạt"]
    assert context.steps[-1].detail == "left out 4 noise words"


@pytest.mark.parametrize("kind", ["roster", "register"])
def test_ruled_tables_are_read_row_by_row(kind: str) -> None:
    page = make_page(3, kind=kind, degradation=Degradation(skew=3, noise=8, blur=0.6,
                                                             uneven_light=0.5, jpeg_quality=70))
    result = ocr_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    rules = next(step for step in result.steps if step.name == "rules")
    assert "(a table)" in rules.detail
    assert "|" not in result.text
    assert cer(page.text, result.text) <= 0.05, result.text


def test_a_page_that_reads_badly_is_binarised_again_thinner() -> None:
    # A shadowed, noisy 150 dpi roster in a thin typewriter face: under Otsu's threshold
    # the noise and the blur run the letters together.
    page = make_page(2018, kind="roster", font="FreeMono.ttf", dpi=150, degradation=Degradation(
        skew=4.3, blur=0.6, noise=8.0, uneven_light=0.7, fade=0.5, jpeg_quality=70))
    once = ocr_page(SourcePage(1, page.image, page.dpi), OcrOptions(rethreshold=False))
    again = ocr_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    retry = next(step for step in again.steps if step.name == "rethreshold")
    assert "kept Otsu -" in retry.detail
    assert "rethreshold" not in [step.name for step in once.steps]
    assert again.confidence > once.confidence
    assert cer(page.text, again.text) < cer(page.text, once.text) - 0.03, again.text


def test_a_tables_cells_keep_their_word_spaces_and_its_rows_their_order() -> None:
    # Read row by row, the wide column gaps made Tesseract run "Hồ Hữu Thắng" together.
    page = make_page(2014, kind="roster", font="FreeSerif.ttf", dpi=150,
                     degradation=Degradation(skew=-2.2, blur=1.0))
    result = ocr_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    rows = page.text.splitlines()
    assert len(result.text.splitlines()) == len(rows)
    for truth, line in zip(rows, result.text.splitlines(), strict=True):
        assert abs(len(line.split()) - len(truth.split())) <= 1, (truth, line)
    assert cer(page.text, result.text) <= 0.08, result.text
    by_row = OcrOptions(psm=6)
    assert cer(page.text, result.text) < cer(page.text, ocr_page(SourcePage(1, page.image, page.dpi),
                                                                 by_row).text)


def test_an_unruled_list_read_as_side_by_side_columns_is_put_back_in_rows() -> None:
    # A list typed to tab stops under a title: Tesseract reads its columns as blocks side
    # by side, names in one, units in another.
    page = make_page(1012, kind="typed_list", font="LiberationMono-Regular.ttf", dpi=200,
                     degradation=Degradation(skew=-4.4, noise=15.0, uneven_light=0.7, stains=1,
                                             jpeg_quality=50))
    context = preprocess_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    assert side_by_side_columns(recognise_cleaned(context, OPTIONS, Deadline.start(60)))
    result = ocr_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    lines = result.text.splitlines()
    # Every row is one line (name and unit together), and the rows keep their order.
    found = [min(range(len(lines)), key=lambda n, row=row: cer(row, lines[n])) for row in page.lines]
    assert all(cer(row, lines[n]) <= 0.1 for row, n in zip(page.lines, found, strict=True)), lines
    assert found == sorted(found)
    assert cer(page.text, result.text) <= 0.04, result.text


def test_a_table_ruled_between_its_rows_only_is_read_cell_by_cell() -> None:
    page = make_page(1005, kind="ledger", font="DejaVuSans.ttf", dpi=200,
                     degradation=Degradation(skew=3.0, noise=8.0, uneven_light=0.4))
    context = preprocess_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    assert context.table is not None
    assert len(context.table.columns) == 1  # no vertical rules to read it by
    result = ocr_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    rules = next(step for step in result.steps if step.name == "rules")
    assert "(a table)" in rules.detail
    assert [line.split()[0] for line in result.text.splitlines()] == [
        row.split()[0] for row in page.lines]
    assert cer(page.text, result.text) <= 0.03, result.text


def _block(number: int, left: int, words_per_line: int) -> list[RawWord]:
    return [RawWord("chữ", 0.9, (left + 60 * column, 100 * line, 50, 40), (number, 1, line))
            for line in range(5) for column in range(words_per_line)]


def test_only_blocks_of_short_lines_level_with_each_other_read_as_a_table() -> None:
    assert side_by_side_columns(_block(1, 0, 4) + _block(2, 600, 2))
    assert not side_by_side_columns(_block(1, 0, 10) + _block(2, 700, 10))  # prose in two columns
    stacked = _block(1, 0, 3) + [replace(w, box=(w.box[0], w.box[1] + 600, *w.box[2:]))
                                 for w in _block(2, 0, 3)]
    assert not side_by_side_columns(stacked)


def test_a_noisy_letter_is_not_taken_for_a_table() -> None:
    page = make_page(4, kind="letter", degradation=Degradation(noise=15, jpeg_quality=50,
                                                                 uneven_light=0.7, stains=3))
    result = ocr_page(SourcePage(1, page.image, page.dpi), OPTIONS)
    rules = next(step for step in result.steps if step.name == "rules")
    assert "(a table)" not in rules.detail
