"""A page's memory is bounded by its pixels: no stage may grow it past the limit.

A small file may declare a tiny resolution for a large page (3000 × 3000 pixels "at
50 dpi" made 324 million pixels at 300 dpi, and a worker peaked at 4.2 GB); these tests
check the size of every image the pipeline makes and hands to Tesseract.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocr.errors import TooLargeError
from ocr.loading import GreyImage
from ocr.options import OcrOptions
from ocr.pipeline import Deadline, recognise_cleaned
from ocr.preprocess import MAX_UPSCALE, PageContext, TableGrid, rotate_page, upscale_low_resolution
from ocr.runner import process_page
from ocr.tesseract import RawWord, TesseractEngine

LIMIT = 4_000_000


def _low_resolution_png(path: Path, side: int, dpi: int) -> Path:
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for row in range(20, side - 20, 40):
        draw.text((20, row), "Liet si Nguyen Van A, c2 d5 e88 f308", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    path.write_bytes(buffer.getvalue())
    return path


class SizeRecorder(TesseractEngine):
    """An engine that reads nothing and records the size of every image it is handed."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.calls: list[tuple[int, int]] = []

    def recognise_words(self, image: GreyImage, lang: str, timeout_s: float,
                        psm: int = 4) -> list[RawWord]:
        """Nothing, after noting the image's size and the segmentation asked for."""
        self.sizes.append(image.size)
        self.calls.append((image.size, psm))
        return []

    def detect_orientation(self, image: GreyImage, timeout_s: float) -> tuple[int, float]:
        """Upright, after noting the image's size."""
        self.sizes.append(image.size)
        return 0, 0.0


def test_no_image_handed_to_tesseract_passes_the_limit(tmp_path: Path) -> None:
    # 1000 × 1000 pixels at 50 dpi: upscaled to 300 dpi, 36 million pixels.
    path = _low_resolution_png(tmp_path / "bomb.png", 1000, 50)
    engine = SizeRecorder()
    page = process_page(str(path), 1, OcrOptions(max_pixels=LIMIT), engine)
    sizes = engine.sizes
    assert page.error is None
    assert sizes
    assert max(sizes) <= LIMIT
    upscale = next(step for step in page.steps if step.name == "upscale")
    assert "capped" in upscale.detail


def test_the_upscale_factor_is_capped() -> None:
    context = PageContext(image=np.full((100, 100), 255, np.uint8), dpi=50, max_pixels=LIMIT)
    upscale_low_resolution(context, min_dpi=250)
    assert context.image.shape == (100 * MAX_UPSCALE, 100 * MAX_UPSCALE)
    assert context.dpi == 50 * MAX_UPSCALE


def test_an_upscale_leaves_room_under_the_limit_for_the_deskew() -> None:
    context = PageContext(image=np.full((1000, 1000), 255, np.uint8), dpi=100, max_pixels=LIMIT)
    upscale_low_resolution(context, min_dpi=250)
    assert context.image.size <= LIMIT / 2
    rotate_page(context, 15.0)  # the widest canvas a deskew makes
    assert context.image.size <= LIMIT


def test_a_rotation_past_the_limit_is_refused_before_it_is_made() -> None:
    context = PageContext(image=np.full((1900, 2000), 255, np.uint8), dpi=300, max_pixels=LIMIT)
    with pytest.raises(TooLargeError, match="more than the 4,000,000 pixels accepted"):
        rotate_page(context, 10.0)
    assert context.image.shape == (1900, 2000)


def test_a_table_too_large_to_stack_by_columns_is_read_as_sparse_text() -> None:
    # Read column by column, the columns go under the page: 2000 × (1800 + 6 × 1600) pixels.
    image = np.full((1800, 2000), 255, np.uint8)
    table = TableGrid(box=(100, 100, 1900, 1700),
                      columns=[(100 + 300 * i, 400 + 300 * i) for i in range(6)])
    context = PageContext(image=image, dpi=300, table=table, max_pixels=LIMIT)
    engine = SizeRecorder()
    recognise_cleaned(context, OcrOptions(max_pixels=LIMIT), Deadline.start(60), engine)
    calls = engine.calls
    assert calls == [(image.size, 11)]
