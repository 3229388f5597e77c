"""OpenCV clean-up of a page before recognition, one small stage at a time.

Every stage works on a :class:`PageContext`, records what it did and how long it took,
and can be switched off in :class:`~ocr.options.OcrOptions`. Geometric stages (upscale,
orientation, deskew) also record their transform, so word boxes found on the cleaned
page can be mapped back to the page as loaded.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np
from numpy.typing import NDArray

from ocr.errors import TooLargeError
from ocr.loading import GreyImage
from ocr.model import Region, StepRecord

Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class TableGrid:
    """Where a ruled table lies on the page, and the spans between its vertical rules."""

    box: tuple[int, int, int, int]  # left, top, right, bottom
    columns: list[tuple[int, int]]  # left and right of every column


@dataclass
class PageContext:
    """A page on its way through the stages."""

    image: GreyImage
    dpi: int
    transform: Matrix = field(default_factory=lambda: np.eye(3))  # loaded -> current pixels
    rotation: int = 0
    skew: float = 0.0
    table: TableGrid | None = None  # the page carries table ruling: where it lies
    grey: GreyImage | None = None  # the page just before binarisation
    steps: list[StepRecord] = field(default_factory=list)
    max_pixels: int | None = None  # the most pixels the page may grow to (None: no limit)
    shape: str = "page"  # "page", "crop" (a few lines) or "line" (ocr.shapes)
    regions: list[Region] = field(default_factory=list)  # ink that is not print (ocr.regions)
    prose_columns: bool = False  # read as one column, its columns of prose ran together (ocr.layout)

    @property
    def ruled(self) -> bool:
        """Whether the page is ruled as a table."""
        return self.table is not None

    def apply(self, matrix: Matrix, image: GreyImage) -> None:
        """Replace the image by a geometric transform of it, keeping the mapping."""
        self.transform = matrix @ self.transform
        self.image = image
        self.check_size(*image.shape)

    def check_size(self, height: int, width: int) -> None:
        """Refuse an image of the page larger than the limit: memory grows with pixels,
        in this process and in Tesseract's.

        Raises:
            TooLargeError: ``height`` × ``width`` is over ``max_pixels``.
        """
        if self.max_pixels is not None and height * width > self.max_pixels:
            raise TooLargeError(
                f"The page grew to {width:,} × {height:,} pixels while it was read, more than "
                f"the {self.max_pixels:,} pixels accepted.")

    def to_loaded(self, box: tuple[int, int, int, int]) -> list[int]:
        """A ``[x, y, w, h]`` box on the current image, on the page as loaded."""
        x, y, w, h = box
        corners = np.array([[x, y, 1], [x + w, y, 1], [x, y + h, 1], [x + w, y + h, 1]], float).T
        back = np.linalg.inv(self.transform) @ corners
        back = back[:2] / back[2]  # a photo's perspective warp scales each point its own way
        left, top = back[0].min(), back[1].min()
        return [round(left), round(top), round(back[0].max() - left), round(back[1].max() - top)]


Stage = Callable[[PageContext], str]


def run_stage(context: PageContext, name: str, stage: Stage) -> None:
    """Run one stage and record its name, duration and what it reports."""
    started = time.perf_counter()
    detail = stage(context)
    elapsed = (time.perf_counter() - started) * 1000
    context.steps.append(StepRecord(name=name, ms=round(elapsed, 1), detail=detail))


# Upscaling past this invents nothing Tesseract can use (a 72 dpi fax becomes 288 dpi).
MAX_UPSCALE = 4.0
# Share of the pixel limit an upscaled page may fill: deskewing onto a wider canvas
# (up to 1.5 times the pixels at 15°) must still fit under the limit.
_UPSCALED_SHARE = 0.5


def upscale_low_resolution(context: PageContext, min_dpi: int, target_dpi: int = 300) -> str:
    """Enlarge scans below ``min_dpi`` towards ``target_dpi``: Tesseract wants ~300 dpi text.

    The factor is capped (``MAX_UPSCALE``, and half the page's pixel limit): a small file
    may declare a tiny resolution for a large page, and a 3000 × 3000 page said to be
    50 dpi would become 324 million pixels at 300 dpi.
    """
    if context.dpi >= min_dpi:
        return f"kept {context.dpi} dpi"
    height, width = context.image.shape
    factor = min(target_dpi / context.dpi, MAX_UPSCALE)
    if context.max_pixels is not None:
        factor = min(factor, math.sqrt(context.max_pixels * _UPSCALED_SHARE / (width * height)))
    size = (round(width * factor), round(height * factor))
    if factor <= 1.0:
        return f"kept {context.dpi} dpi (already as large as the pixel limit allows)"
    context.check_size(size[1], size[0])
    resized = cv2.resize(context.image, size, interpolation=cv2.INTER_CUBIC)
    context.apply(np.diag([factor, factor, 1.0]), resized.astype(np.uint8))
    dpi = round(context.dpi * factor)
    capped = "" if dpi >= target_dpi else f" (capped; {target_dpi} dpi asked)"
    context.dpi = min(dpi, target_dpi)
    return f"upscaled ×{factor:.2f} to {context.dpi} dpi{capped}"


# Tesseract reads a line best with its letters some 40-60 pixels from top to bottom
# (measured on bench.ocr's line crops: 15 px lines lose one letter in ten unenlarged).
LINE_HEIGHT_PX = 48


def upscale_small_text(context: PageContext, line_height: int) -> str:
    """Enlarge a crop whose text is small in pixels, whatever resolution it declares:
    a crop's dpi is often a screen's or a guess, its text height is measured."""
    height, width = context.image.shape
    factor = min(LINE_HEIGHT_PX / max(line_height, 1), MAX_UPSCALE)
    if context.max_pixels is not None:
        factor = min(factor, math.sqrt(context.max_pixels * _UPSCALED_SHARE / (width * height)))
    if factor <= 1.05:
        return f"kept: text {line_height}px high"
    size = (round(width * factor), round(height * factor))
    context.check_size(size[1], size[0])
    resized = cv2.resize(context.image, size, interpolation=cv2.INTER_CUBIC)
    context.apply(np.diag([factor, factor, 1.0]), resized.astype(np.uint8))
    context.dpi = round(context.dpi * factor)
    return f"upscaled ×{factor:.2f}: text {line_height}px high"


# Tesseract reads print best with capitals some 30 pixels high, and large text worse, not
# better: a page whose letters stand this high (median of its letter-sized shapes; 21–31
# on bench.ocr's pages at 150–300 dpi) is scaled down to LETTER_PX. A typewritten page
# scanned with letters 54 px high was read at 14.7% CER as it was, 8.2% scaled down.
LARGE_LETTER_PX = 40
LETTER_PX = 22


def downscale_large_text(context: PageContext, letter_height: float) -> str:
    """Shrink a page whose letters are far taller than Tesseract reads best."""
    if letter_height <= LARGE_LETTER_PX:
        return f"kept: letters {letter_height:.0f}px high"
    factor = LETTER_PX / letter_height
    height, width = context.image.shape
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    resized = cv2.resize(context.image, size, interpolation=cv2.INTER_AREA)
    context.apply(np.diag([factor, factor, 1.0]), resized.astype(np.uint8))
    context.dpi = max(1, round(context.dpi * factor))
    return f"downscaled ×{factor:.2f}: letters {letter_height:.0f}px high"


def pad_edges(context: PageContext, margin: int) -> str:
    """Surround the image with ``margin`` pixels of its own paper: Tesseract loses
    letters that touch the image's edge. The grey page kept from before binarisation is
    padded too, so that it stays the binarised page's grey, pixel for pixel."""
    paper = int(np.percentile(context.image, 90))
    height, width = context.image.shape
    context.check_size(height + 2 * margin, width + 2 * margin)
    padded = cv2.copyMakeBorder(context.image, margin, margin, margin, margin,
                                cv2.BORDER_CONSTANT, value=paper)
    if context.grey is not None and context.grey.shape == (height, width):
        context.grey = cv2.copyMakeBorder(context.grey, margin, margin, margin, margin,
                                          cv2.BORDER_CONSTANT, value=int(np.percentile(context.grey, 90)))
    context.apply(np.array([[1.0, 0.0, margin], [0.0, 1.0, margin], [0.0, 0.0, 1.0]]), padded)
    return f"padded {margin}px of grey {paper}"


def flatten_illumination(context: PageContext) -> str:
    """Divide the page by its estimated background, so shadows and stains fade.

    The background is the page with the ink closed away (a morphological closing with a
    kernel wider than any stroke), computed at a quarter of the size for speed.
    """
    image = context.image
    small = cv2.resize(image, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    size = max(5, int(context.dpi / 25) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.GaussianBlur(background, (0, 0), size / 2)
    background = cv2.resize(background, (image.shape[1], image.shape[0]),
                            interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(image, np.maximum(background, 1), scale=255)
    context.image = cv2.normalize(flat, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    return f"background kernel {size * 4}px"


def estimate_noise(image: GreyImage, tile: int = 64) -> float:
    """Standard deviation of the noise (Immerkær's method), in grey levels, in the
    noisiest tenth of the page: noise gathered in a shadow counts even if the rest of the
    page is clean."""
    kernel = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], dtype=np.float32)
    response = np.abs(cv2.filter2D(image.astype(np.float32), -1, kernel))
    height, width = response.shape
    rows, cols = max(1, height // tile), max(1, width // tile)
    cropped = response[:rows * tile, :cols * tile] if height >= tile and width >= tile else response
    if cropped is response:
        per_tile = np.array([response.mean()])
    else:
        per_tile = cropped.reshape(rows, tile, cols, tile).mean(axis=(1, 3)).ravel()
    return float(np.percentile(per_tile, 90) * math.sqrt(math.pi / 2) / 6)


def remove_noise(context: PageContext, threshold: float = 6.0) -> str:
    """Non-local-means denoising, only where the page is noisy enough to need it."""
    sigma = estimate_noise(context.image)
    if sigma < threshold:
        return f"noise σ={sigma:.1f}, skipped"
    context.image = cv2.fastNlMeansDenoising(context.image, None, h=min(30.0, sigma * 1.0),
                                             templateWindowSize=7, searchWindowSize=15)
    return f"noise σ={sigma:.1f}, denoised"


def binarize_page(context: PageContext, adaptive: bool, offset: int = 0) -> str:
    """Black ink on white: Otsu on a flattened page (moved by ``offset`` grey levels;
    below it, blurred strokes come out thinner), a local threshold otherwise."""
    if context.grey is None:
        context.grey = context.image
    image = cv2.GaussianBlur(context.grey, (3, 3), 0)
    if adaptive:
        block = max(15, int(context.dpi / 6) | 1)
        context.image = cv2.adaptiveThreshold(image, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C,
                                              cv2.THRESH_BINARY, block, 15)
        return f"adaptive threshold, block {block}px"
    otsu, _ = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, context.image = cv2.threshold(image, otsu + offset, 255, cv2.THRESH_BINARY)
    return f"Otsu threshold {otsu:.0f}" + (f", used {otsu + offset:.0f}" if offset else "")


def _ink_mask(image: GreyImage) -> GreyImage:
    _, mask = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return np.asarray(mask, dtype=np.uint8)


def estimate_skew(image: GreyImage, limit: float = 15.0) -> float:
    """The angle (degrees, counter-clockwise positive) by which the text lines are tilted.

    Rotating the ink by the right angle makes the row profile peakiest (lines and gaps
    alternate sharply); searched coarsely, then to a tenth of a degree, on a small copy.
    """
    mask = _ink_mask(image)
    scale = 1000 / max(mask.shape)
    if scale < 1:
        mask = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = mask.shape
    centre = (width / 2, height / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, -angle, 1.0)
        rotated = cv2.warpAffine(mask, matrix, (width, height), flags=cv2.INTER_NEAREST)
        profile = rotated.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = max(np.arange(-limit, limit + 0.01, 1.0), key=sharpness)
    fine = np.arange(coarse - 1.0, coarse + 1.01, 0.1)
    return round(float(max(fine, key=sharpness)), 2)


def rotate_page(context: PageContext, angle: float) -> None:
    """Rotate counter-clockwise by ``angle`` degrees on a canvas large enough to keep it all."""
    height, width = context.image.shape
    radians = math.radians(angle)
    new_width = math.ceil(abs(width * math.cos(radians)) + abs(height * math.sin(radians)))
    new_height = math.ceil(abs(height * math.cos(radians)) + abs(width * math.sin(radians)))
    context.check_size(new_height, new_width)
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    matrix[0, 2] += (new_width - width) / 2
    matrix[1, 2] += (new_height - height) / 2
    rotated = cv2.warpAffine(context.image, matrix, (new_width, new_height), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    context.apply(np.vstack([matrix, [0.0, 0.0, 1.0]]), rotated)


def correct_skew(context: PageContext, limit: float = 15.0) -> str:
    """Measure the tilt of the text lines and rotate it away (within ±``limit`` degrees)."""
    skew = estimate_skew(context.image, limit)
    context.skew = round(context.skew + skew, 2)
    if abs(skew) < 0.05:
        return "straight"
    rotate_page(context, -skew)
    return f"rotated {-skew:+.2f}°"


def turn_upright(context: PageContext, clockwise: int) -> str:
    """Turn the page by a multiple of 90° clockwise (what orientation detection asks)."""
    clockwise %= 360
    if clockwise == 0:
        return "upright"
    height, width = context.image.shape
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    matrices = {
        90: np.array([[0.0, -1.0, height], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
        180: np.array([[-1.0, 0.0, width], [0.0, -1.0, height], [0.0, 0.0, 1.0]]),
        270: np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, width], [0.0, 0.0, 1.0]]),
    }
    # The exact pixel grid maps x' = H-1-y; the box mapping uses edges, hence H, not H-1.
    context.apply(matrices[clockwise], cv2.rotate(context.image, codes[clockwise]))
    context.rotation = (context.rotation + clockwise) % 360
    return f"turned {clockwise}° clockwise"


def remove_rules(context: PageContext) -> str:
    """Whiten the ruling of tables and forms: straight ink runs far longer than any letter.

    Tesseract reads a table's vertical rules as ``|`` and lets horizontal ones cut
    through the letters' marks; the text between them is what matters. A thin faded rule
    breaks into dashes when binarised, so rules are looked for in the grey page, with
    every pixel darker than the paper counted as ink.
    """
    faint = _faint_ink(context.grey) if context.grey is not None else 255 - context.image
    length = max(20, round(context.dpi * 0.5))
    horizontal = _lone_runs(faint, _straight_runs(faint, (length, 1), thickest=context.dpi // 20),
                            context.dpi)
    vertical = _straight_runs(faint, (1, round(length * 0.6)), thickest=context.dpi // 20)
    rules = cv2.bitwise_or(horizontal, vertical)
    # A table has several long rules; an underline, a fold or a run of noise is not one.
    _, _, stats, _ = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    across = stats[1:][stats[1:, cv2.CC_STAT_WIDTH] >= faint.shape[1] * 0.3]
    long_rules = len(across)
    context.table = None
    if long_rules >= 3:
        # Where even the grey rule was broken, dashes stay behind, and Tesseract may skip
        # a whole row beside them: every rule is drawn on across the whole table.
        rules, context.table = _extend_rules(across, vertical, rules, context.dpi)
    rules = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    found = int(np.count_nonzero(rules))
    context.image[rules > 0] = 255
    return f"whitened {found} ruling pixels, {long_rules} long rules" + (
        " (a table)" if context.ruled else "")


def _faint_ink(grey: GreyImage) -> GreyImage:
    """Everything darker than the paper beyond its own grain: the paper's grey less four
    times its spread (read from the brighter half of the page, which is all paper), and
    at least 12 levels."""
    paper, upper = np.percentile(grey, [50, 75])
    spread = (upper - paper) / 0.674
    _, mask = cv2.threshold(grey, paper - max(12.0, 4 * spread), 255, cv2.THRESH_BINARY_INV)
    return np.asarray(mask, dtype=np.uint8)


def _extend_rules(across: NDArray[np.int32], vertical: GreyImage, rules: GreyImage, dpi: int
                  ) -> tuple[GreyImage, TableGrid]:
    """The rules with every long horizontal one (``across``: their component stats)
    carried across the table and every long vertical one down it, and the table's grid.
    The table is the box around the long horizontal rules; a short run (a stain's edge,
    a smudge) is whitened where it is but never carried through the text."""
    _, _, down, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    left, top = int(across[:, 0].min()), int(across[:, 1].min())
    right = int((across[:, 0] + across[:, 2]).max())
    bottom = int((across[:, 1] + across[:, 3]).max())
    extended = rules.copy()
    for _, y, _, h, _ in across:
        extended[y:y + h, left:right] = 255
    edges = [left, right]
    for x, _, w, h, _ in down[1:]:
        if left - w <= x <= right and h >= (bottom - top) * 0.5:
            extended[top:bottom, x:x + w] = 255
            edges.append(int(x + w // 2))
    # One rule broken in two gives two edges a few pixels apart: they are one.
    merged: list[int] = []
    for edge in sorted(edges):
        if merged and edge - merged[-1] < dpi // 10:
            continue
        merged.append(edge)
    return extended, TableGrid(box=(left, top, right, bottom), columns=list(itertools.pairwise(merged)))


# A run with ink just above and just below it over this share of its length passes
# through a line of letters that blur ran together (a carbon copy's): rules have paper
# beside them, but where a letter crosses them.
_HEMMED_SHARE = 0.5
# A run in ink this solid on both sides lies inside a stain or a blot, not among letters
# (they leave paper between them): whitening it cuts nothing, and it is whitened as before.
_SOLID = 0.9


def _lone_runs(faint: GreyImage, runs: GreyImage, dpi: int) -> GreyImage:
    """``runs`` (horizontal) without those hemmed in by letters on both sides, a few
    pixels off: whitening those cut a line of blurred letters through its middle."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    gap, depth = max(2, dpi // 100), max(4, dpi // 30)
    height = faint.shape[0]
    hemmed = []
    for label in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[label])
        above = faint[max(0, y - gap - depth):max(0, y - gap), x:x + w] > 0
        below = faint[min(height, y + h + gap):min(height, y + h + gap + depth), x:x + w] > 0
        if not above.size or not below.size or min(above.mean(), below.mean()) >= _SOLID:
            continue
        if np.count_nonzero(above.any(axis=0) & below.any(axis=0)) > _HEMMED_SHARE * w:
            hemmed.append(label)
    if hemmed:
        runs = runs.copy()
        runs[np.isin(labels, hemmed)] = 0
    return runs


def _straight_runs(ink: GreyImage, shape: tuple[int, int], thickest: int) -> GreyImage:
    """Ink runs at least ``shape`` long in its direction, left out where thicker than
    ``thickest`` across it (a dark band or a stain, not a rule)."""
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    across = stats[:, cv2.CC_STAT_HEIGHT] if shape[0] > shape[1] else stats[:, cv2.CC_STAT_WIDTH]
    thick = np.flatnonzero(across > max(3, thickest))
    thick = thick[thick > 0]
    if thick.size:
        runs[np.isin(labels, thick)] = 0
    return np.asarray(runs, dtype=np.uint8)


def clean_borders(context: PageContext) -> str:
    """Whiten scanner edges and punch holes: large dark shapes on the page's margins."""
    ink = 255 - context.image
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = ink.shape
    unit = context.dpi / 300
    removed = 0
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if (_is_border(x, y, w, h, width, height, context.dpi)
                or (_is_punch_hole(x, y, w, h, area, width, height, unit)
                    and _round_and_solid(labels[y:y + h, x:x + w] == label))):
            context.image[labels == label] = 255
            removed += 1
    return f"removed {removed} border or hole shapes"


# A punch hole fills nearly all of its convex hull; a bold capital at the margin (a
# carbon copy's "Đ", its counter and notches) fills far less, and was whitened as one.
_HOLE_SOLIDITY = 0.85


def _round_and_solid(shape: NDArray[np.bool_]) -> bool:
    """Whether a shape fills its convex hull as a disc does."""
    points = cv2.findNonZero(shape.astype(np.uint8))
    hull = cv2.contourArea(cv2.convexHull(points)) if points is not None else 0.0
    return bool(hull > 0 and np.count_nonzero(shape) >= _HOLE_SOLIDITY * hull)


def _is_border(x: int, y: int, w: int, h: int, width: int, height: int, dpi: int) -> bool:
    # A letter touching the edge of a crop is a quarter of its height too: a border
    # is also longer than any letter (half an inch).
    longest_letter = dpi / 2
    touches = x == 0 or y == 0 or x + w >= width or y + h >= height
    if touches and (w > max(width * 0.25, longest_letter) or h > max(height * 0.25, longest_letter)):
        return True
    # The paper's own edge, once deskewed, lies a little inside the canvas: a long band
    # wholly within the outer margin. Tesseract takes it for a tall letter on every line
    # it passes and runs those lines' words together.
    band_x, band_y = width * 0.06, height * 0.06
    along_side = (x + w <= band_x or x >= width - band_x) and h > max(height * 0.2, longest_letter)
    along_top = (y + h <= band_y or y >= height - band_y) and w > max(width * 0.2, longest_letter)
    return along_side or along_top


def _is_punch_hole(x: int, y: int, w: int, h: int, area: int, width: int, height: int,
                   unit: float) -> bool:
    if not (35 * unit <= w <= 130 * unit and 0.75 <= w / max(h, 1) <= 1.33):
        return False
    near_edge = x < width * 0.12 or x + w > width * 0.88 or y < height * 0.08 or y + h > height * 0.92
    return near_edge and area / (w * h) > 0.6
