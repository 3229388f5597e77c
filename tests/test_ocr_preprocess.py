"""Each preprocessing stage fixes what it claims to fix."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bench.synth import Degradation, find_font, make_page
from ocr.loading import SourcePage
from ocr.model import StepRecord
from ocr.options import OcrOptions
from ocr.pipeline import preprocess_page
from ocr.preprocess import (
    PageContext,
    clean_borders,
    correct_skew,
    estimate_noise,
    estimate_skew,
    flatten_illumination,
    pad_edges,
    remove_noise,
    remove_rules,
    rotate_page,
    turn_upright,
)


@pytest.mark.parametrize("angle", [-12.0, -6.5, -1.8, 0.0, 2.3, 7.0, 14.0])
def test_a_skewed_page_comes_back_within_half_a_degree(angle: float) -> None:
    page = make_page(5, degradation=Degradation(skew=angle))
    context = PageContext(image=page.image, dpi=page.dpi)
    correct_skew(context)
    assert abs(context.skew - angle) <= 0.5
    assert abs(estimate_skew(context.image)) <= 0.5


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_page_comes_back_upright(turn: int) -> None:
    page = make_page(6, degradation=Degradation(turn=turn))
    context = preprocess_page(SourcePage(1, page.image, page.dpi),
                              OcrOptions(deskew=False, denoise=False, binarize=False))
    assert context.rotation == (360 - turn) % 360
    upright = make_page(6).image
    # Same shape as the clean page (after the 1.5× upscale from 200 dpi).
    assert context.image.shape == (round(upright.shape[0] * 1.5), round(upright.shape[1] * 1.5))


def test_boxes_map_back_through_every_transform() -> None:
    context = PageContext(image=np.full((400, 600), 255, np.uint8), dpi=300)
    turn_upright(context, 90)
    rotate_page(context, 5.0)
    box = (50, 60, 100, 40)
    forward = context.transform
    x, y, w, h = context.to_loaded(box)
    centre = forward @ np.array([x + w / 2, y + h / 2, 1.0])
    assert abs(centre[0] - (box[0] + box[2] / 2)) < 2
    assert abs(centre[1] - (box[1] + box[3] / 2)) < 2


def test_flattening_removes_a_shadow() -> None:
    page = make_page(7, degradation=Degradation(uneven_light=0.7))
    context = PageContext(image=page.image, dpi=page.dpi)
    paper_before = np.percentile(page.image, 90, axis=0)
    flatten_illumination(context)
    paper_after = np.percentile(context.image, 90, axis=0)
    # The paper's brightness varied across the page; afterwards it is even.
    assert np.ptp(paper_before) > 60
    assert np.ptp(paper_after) < 20


def test_denoising_runs_only_on_noisy_pages() -> None:
    clean = PageContext(image=make_page(8).image, dpi=200)
    assert "skipped" in remove_noise(clean)
    noisy_page = make_page(8, degradation=Degradation(noise=25)).image
    noisy = PageContext(image=noisy_page, dpi=200)
    assert "denoised" in remove_noise(noisy)
    assert estimate_noise(noisy.image) < estimate_noise(noisy_page) / 2


def test_noise_confined_to_a_corner_still_counts() -> None:
    page = make_page(8).image.astype(np.float32)
    height, width = page.shape
    rng = np.random.default_rng(0)
    corner = (slice(0, height // 3), slice(0, width // 3))
    page[corner] += rng.normal(0, 20, page[corner].shape)
    noisy = np.clip(page, 0, 255).astype(np.uint8)
    assert estimate_noise(noisy) > 6.0  # the threshold that triggers denoising
    assert estimate_noise(make_page(8).image) < 6.0  # sharp text alone stays below it


def test_borders_and_punch_holes_are_whitened() -> None:
    image = np.full((1200, 900), 255, np.uint8)
    image[:, :25] = 0  # scanner edge
    image[300:360, 40:100] = 255
    yy, xx = np.mgrid[0:1200, 0:900]
    image[(yy - 330) ** 2 + (xx - 70) ** 2 < 28 ** 2] = 0  # punch hole
    image[600:640, 300:700] = 0  # a thick text-like bar in the middle: kept
    context = PageContext(image=image, dpi=300)
    clean_borders(context)
    assert context.image[:, :25].min() == 255
    assert context.image[330, 70] == 255
    assert context.image[620, 500] == 0


def test_a_bold_capital_at_the_margin_is_not_taken_for_a_punch_hole() -> None:
    # A carbon copy's "Đ" starting a line, its strokes doubled into a bold blob, is as
    # large and as full of its box as a hole: three were whitened from one notice.
    canvas = Image.new("L", (900, 1200), 255)
    font = find_font("DejaVuSerif.ttf")
    assert font is not None
    ImageDraw.Draw(canvas).text((60, 300), "Đ", fill=0, font=ImageFont.truetype(str(font), 56),
                                stroke_width=3, stroke_fill=0)
    image = np.asarray(canvas, dtype=np.uint8).copy()
    context = PageContext(image=image, dpi=300)
    assert "removed 0 " in clean_borders(context)
    assert np.array_equal(context.image, image)


def test_the_paper_edge_inside_the_margin_is_whitened_and_a_margin_note_kept() -> None:
    # Deskewing leaves the paper's dark edge a little inside the canvas, touching nothing.
    image = np.full((1200, 900), 255, np.uint8)
    image[100:900, 860:880] = 0
    image[1100:1130, 20:60] = 0  # a page number in the bottom margin
    context = PageContext(image=image, dpi=300)
    clean_borders(context)
    assert context.image[:, 860:880].min() == 255
    assert context.image[1115, 40] == 0


def test_faint_broken_rules_are_found_in_the_grey_page_and_drawn_on_across_the_table() -> None:
    grey = np.full((900, 1500), 245, np.uint8)
    for y in (100, 250, 400, 550, 700):
        grey[y:y + 3, 100:1400] = 215  # faint: lighter than the ink's threshold
    for x in (100, 500, 1400):
        grey[100:703, x:x + 3] = 215
    grey[150:200, 200:240] = 20  # a letter
    binary = np.where(grey < 100, 0, 255).astype(np.uint8)
    for y in (100, 250, 400, 550, 700):
        binary[y:y + 3, 300:320] = 0  # what binarising left of the rules: dashes
        binary[y:y + 3, 1000:1010] = 0
    context = PageContext(image=binary, dpi=300, grey=grey)
    detail = remove_rules(context)
    assert "(a table)" in detail
    assert context.image[100:703, 100:1403].min() == 0  # the letter
    assert np.count_nonzero(context.image == 0) == 50 * 40
    assert context.table is not None
    assert np.abs(np.subtract(context.table.box, (100, 100, 1403, 703))).max() <= 3
    edges = [edge for column in context.table.columns for edge in column]
    assert np.abs(np.subtract(edges, (100, 500, 500, 1400))).max() <= 3


def test_a_stains_short_edge_is_never_drawn_through_the_table() -> None:
    grey = np.full((900, 1500), 245, np.uint8)
    for y in (100, 250, 400, 550, 700):
        grey[y:y + 3, 100:1400] = 215
    grey[20:140, 900:903] = 215  # a short upright streak by the table's top: not a rule
    binary = np.where(grey < 100, 0, 255).astype(np.uint8)
    binary[300:350, 890:910] = 0  # a letter where the streak would run on
    context = PageContext(image=binary, dpi=300, grey=grey)
    remove_rules(context)
    assert context.table is not None
    assert len(context.table.columns) == 1
    assert context.image[300:350, 890:910].max() == 0


def test_a_line_of_blurred_doubled_letters_is_not_taken_for_a_rule() -> None:
    # Run together by a carbon copy's ghost and blur, the faint ink of "Thượng" and
    # "Quảng" made runs half an inch long, and whitening them cut the words in two.
    page = make_page(1002, kind="carbon", font="LiberationMono-Regular.ttf", dpi=150)
    options = OcrOptions(orientation=False, regions=False)
    context = preprocess_page(SourcePage(1, page.image, page.dpi), options)
    rules = next(step.detail for step in context.steps if step.name == "rules")
    assert rules.startswith("whitened 0 ruling pixels"), rules


def test_padding_keeps_the_grey_page_beside_the_binarised_one() -> None:
    # The safety net reads the grey page in place of the binarised one: same pixels, same boxes.
    grey = np.full((100, 300), 200, np.uint8)
    context = PageContext(image=np.where(grey < 128, 0, 255).astype(np.uint8), dpi=300, grey=grey)
    pad_edges(context, 12)
    assert context.grey is not None
    assert context.grey.shape == context.image.shape == (124, 324)


def test_every_stage_is_recorded_and_switchable() -> None:
    page = make_page(9, degradation=Degradation(skew=3))
    context = preprocess_page(SourcePage(1, page.image, page.dpi), OcrOptions())
    names = [step.name for step in context.steps]
    assert names == ["photo", "flatten", "denoise", "upscale", "deskew", "orientation", "binarize",
                     "borders", "rules", "stamps", "signatures"]
    assert all(isinstance(step, StepRecord) and step.ms >= 0 for step in context.steps)
    bare = preprocess_page(SourcePage(1, page.image, page.dpi), OcrOptions(
        orientation=False, deskew=False, flatten=False, denoise=False, binarize=False, dewarp=False,
        regions=False))
    assert [step.name for step in bare.steps] == ["upscale"]
    assert bare.skew == 0.0
