"""Ink that is not print: stamps and seals, signatures, handwriting.

Tesseract reads whatever ink it is given. A stamp's lettering set round a ring, the
loops of a signature and numbers written by hand in a margin come back as garbage, or
as digits nobody typed. They are told from print by their shape: a ring of ink lighter
than the typing; a scrawl several lines tall with little ink in its box; words taller
than the print around them, slanted or not spelt as Vietnamese. They are marked on the
page as regions (boxes on the page as loaded), and what was read in them is left out of
the page text. A stamp's own ink is also whitened where it is lighter than the typing,
so the words it covers read as they were typed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import cv2
import numpy as np

from decoder.text import EDGE_PUNCTUATION, is_vietnamese_syllable
from ocr.engine import RawWord
from ocr.loading import GreyImage
from ocr.model import Region
from ocr.preprocess import PageContext

# A stamp's ring is 0.3 to 1 inch across its radius; seals and office stamps are so.
_RING_RADIUS_IN = (0.3, 1.0)
# Share of a circle that must be inked for it to be a ring: a stamp's ring is drawn
# whole, where a circle through lines of text crosses ink and paper in turn.
_RING_COVERAGE = 0.6
# A ring inks this much more of its circle than of the circles beside it.
_RING_STANDS_OUT = 0.25
# Stamp ink this many grey levels lighter than the typing is the stamp's, not a letter's.
_STAMP_LIGHTER = 45
# A signature is one stroke at least this many letters tall and wide (written digits
# are apart, a rule is flat), and inks at most this share of its box: loops, not a
# block of text or a stain.
_SIGNATURE_LETTERS = (2.3, 4.0)
_SIGNATURE_FILL = 0.35
# Handwriting stands this much taller than the page's printed words (a word with a
# stacked accent and a descender, "Nguyễn", is 1.5 times the median), and leans by
# this shear (x moved per pixel up) or is not spelt as a syllable. Slant counts only
# on a word Tesseract is less sure of than this: a printed word under a stain can be
# tall, and slant measured on a few letters is rough.
_HAND_TALLER = 1.55
# Other words a line needs for its own print to say how tall its words may stand, and how
# much taller than them a word is written by hand: a printed word with an ascender and a
# descender stands 1.3 times its line's median (a passage set larger than the rest); a
# number written beside a line of print, 1.47 times (bench.synth's handwritten pages).
_LINE_PEERS = 3
_HAND_TALLER_THAN_LINE = 1.4
_HAND_SLANT = 0.2
_SURE_PRINT = 0.8
# A word read inside a stamp is kept when Tesseract is at least this sure of it.
_SURE_UNDER_STAMP = 0.6


def find_stamps(context: PageContext) -> str:
    """Find round stamps and seals on the grey page, mark them as regions and whiten
    their ink (lighter than the typing) on the binarised page."""
    grey = context.grey if context.grey is not None else context.image
    scale = min(1.0, 600 / max(grey.shape))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    dpi = context.dpi * scale
    ink = small < np.percentile(small, 75) - 40
    low, high = (round(dpi * r) for r in _RING_RADIUS_IN)
    # The gradient-shape variant: the classic one voted for hundreds of circles on a
    # table's grid and took up to a second a page (bench.ocr's rosters); this one, 10 ms.
    circles = cv2.HoughCircles(cv2.GaussianBlur(small, (5, 5), 1.5), cv2.HOUGH_GRADIENT_ALT, dp=1.5,
                               minDist=low * 2, param1=200, param2=0.7, minRadius=low, maxRadius=high)
    found: list[tuple[float, float, float]] = []
    for x, y, r in (circles[0] if circles is not None else [])[:8]:
        if not _is_ring(ink, x, y, r):
            continue
        # Hough may find the inner of two rings: the stamp reaches to the outermost.
        outer = max((radius for radius in np.arange(r, min(r * 1.7, high * 1.2), max(1.0, r * 0.02))
                     if _ring_coverage(ink, x, y, radius) >= _RING_COVERAGE / 1.2), default=r)
        centre, radius = (x / scale, y / scale), outer * 1.06 / scale
        if any(math.dist(centre, (c, d)) < radius for c, d, _ in found):
            continue
        found.append((centre[0], centre[1], radius))
        context.regions.append(Region(kind="stamp", box=context.to_loaded(_circle_box(centre, radius)),
                                      detail=f"ring of radius {radius / context.dpi:.2f} in"))
    whitened = sum(_whiten_stamp(context, grey, circle) for circle in found)
    return f"{len(found)} stamps" + (f", {whitened} pixels of their ink whitened" if whitened else "")


def _circle_box(centre: tuple[float, float], radius: float) -> tuple[int, int, int, int]:
    return (round(centre[0] - radius), round(centre[1] - radius), round(2 * radius), round(2 * radius))


def _is_ring(ink: np.ndarray, x: float, y: float, r: float) -> bool:
    """Whether the circle is inked and stands out from the circles a tenth inside and
    outside it: a ring, not a circle drawn through lines of text or a stain."""
    coverage = _ring_coverage(ink, x, y, r)
    beside = max(_ring_coverage(ink, x, y, r * 0.9), _ring_coverage(ink, x, y, r * 1.1))
    return coverage >= _RING_COVERAGE and coverage - beside >= _RING_STANDS_OUT


def _ring_coverage(ink: np.ndarray, x: float, y: float, r: float) -> float:
    """Share of the circle's points with ink within a pixel or two of them."""
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    height, width = ink.shape
    hits = np.zeros(angles.shape, bool)
    for offset in (-2, -1, 0, 1, 2):
        xs = np.clip(np.round(x + (r + offset) * np.cos(angles)).astype(int), 0, width - 1)
        ys = np.clip(np.round(y + (r + offset) * np.sin(angles)).astype(int), 0, height - 1)
        hits |= ink[ys, xs]
    return float(hits.mean())


def _whiten_stamp(context: PageContext, grey: GreyImage, circle: tuple[float, float, float]) -> int:
    """Whiten, within the stamp, the ink lighter than the typing: of the pixels the
    threshold kept as ink, those above Otsu's split between the two inks, when the two
    are far enough apart to be two."""
    if context.grey is None or context.image.shape != grey.shape:
        return 0
    x, y, r = circle
    ys, xs = np.ogrid[:grey.shape[0], :grey.shape[1]]
    inked = ((xs - x) ** 2 + (ys - y) ** 2 <= r * r) & (context.image < 128)
    dark = grey[inked]
    if dark.size < 100:
        return 0
    split, _ = cv2.threshold(dark.reshape(1, -1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    typing, stamp = dark[dark <= split], dark[dark > split]
    if not typing.size or not stamp.size or float(stamp.mean() - typing.mean()) < _STAMP_LIGHTER:
        return 0
    lighter = inked & (grey > split)
    context.image[lighter] = 255
    return int(np.count_nonzero(lighter))


def find_signatures(context: PageContext) -> str:
    """Find signatures on the binarised page (large, sparse scrawls), mark them as regions
    and whiten them: Tesseract runs a scrawl into the words beside it."""
    ink = (context.image < 128).astype(np.uint8)
    joined = cv2.dilate(ink, np.ones((3, 3), np.uint8))  # a pen's stroke broken by the threshold
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    letters = heights[(heights > context.dpi * 0.04) & (heights < context.dpi * 0.3)]
    if letters.size < 20:
        return "too few letters to compare with"
    letter = float(np.median(letters))
    stamps = [region.box for region in context.regions if region.kind == "stamp"]
    found = 0
    for label in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[label])
        if not (h >= _SIGNATURE_LETTERS[0] * letter and w >= _SIGNATURE_LETTERS[1] * letter
                and h <= context.dpi * 1.5 and w <= context.image.shape[1] * 0.6):
            continue
        fill = float(((labels[y:y + h, x:x + w] == label) & (ink[y:y + h, x:x + w] > 0)).mean())
        if fill >= _SIGNATURE_FILL or any(_overlap(context.to_loaded((x, y, w, h)), stamp) > 0.5
                                          for stamp in stamps):
            continue
        box = _with_pieces((x, y, w, h), stats, letter)
        _whiten_within(context.image, labels, stats, box)
        context.regions.append(Region(kind="signature", box=context.to_loaded(box),
                                      detail=f"{h / letter:.1f} letters tall, {fill:.2f} inked"))
        found += 1
    return f"{found} signatures (letters {letter:.0f}px high)"


def _with_pieces(box: tuple[int, int, int, int], stats: np.ndarray, letter: float
                 ) -> tuple[int, int, int, int]:
    """The scrawl's box grown over its other pieces (a scrawl breaks where the pen
    lifted): shapes within a letter of it too tall for a letter, or long and flat as a
    flourish. A typed word beside it is neither."""
    x, y, w, h = box
    tall = stats[:, 3] >= 1.6 * letter
    flourish = (stats[:, 2] >= 3 * letter) & (stats[:, 3] <= 0.8 * letter)
    candidates = stats[1:][(tall | flourish)[1:]]
    for _ in range(3):
        lefts, tops = candidates[:, 0], candidates[:, 1]
        rights, bottoms = lefts + candidates[:, 2], tops + candidates[:, 3]
        near = candidates[(lefts <= x + w + letter) & (rights >= x - letter)
                          & (tops <= y + h + letter) & (bottoms >= y - letter)]  # the scrawl is one
        left, top = min(x, int(near[:, 0].min())), min(y, int(near[:, 1].min()))
        right = max(x + w, int((near[:, 0] + near[:, 2]).max()))
        bottom = max(y + h, int((near[:, 1] + near[:, 3]).max()))
        if (left, top, right - left, bottom - top) == (x, y, w, h):
            break
        x, y, w, h = left, top, right - left, bottom - top
    pad = round(letter * 0.2)
    return max(0, x - pad), max(0, y - pad), w + 2 * pad, h + 2 * pad


def _whiten_within(image: GreyImage, labels: np.ndarray, stats: np.ndarray,
                   box: tuple[int, int, int, int]) -> None:
    """Whiten every shape wholly within ``box``."""
    x, y, w, h = box
    inside = np.flatnonzero((stats[:, 0] >= x) & (stats[:, 1] >= y) & (stats[:, 0] + stats[:, 2] <= x + w)
                            & (stats[:, 1] + stats[:, 3] <= y + h))
    window = image[y:y + h, x:x + w]
    window[np.isin(labels[y:y + h, x:x + w], inside[inside > 0])] = 255


def _overlap(box: Sequence[int], other: Sequence[int]) -> float:
    """Share of ``box`` (``[x, y, w, h]``) that lies within ``other``."""
    width = min(box[0] + box[2], other[0] + other[2]) - max(box[0], other[0])
    height = min(box[1] + box[3], other[1] + other[3]) - max(box[1], other[1])
    return max(0, width) * max(0, height) / max(1, box[2] * box[3])


def set_aside(raw: list[RawWord], context: PageContext, regions: list[Region]) -> list[RawWord]:
    """The words that are print: those read in a signature, in a stamp (unless Tesseract
    is sure of them) or written by hand are left out, and the handwriting is added to
    ``regions``. ``context`` is the one the words were read on."""
    hand = handwritten_words(raw, context)
    kept = []
    for index, word in enumerate(raw):
        box = context.to_loaded(word.box)
        inside = [region.kind for region in regions if _overlap(box, region.box) > 0.5]
        if index in hand or "signature" in inside or (
                "stamp" in inside and (word.conf < _SURE_UNDER_STAMP or not _printed_looking(word.text))):
            continue
        kept.append(word)
    regions += _merged_hand_regions([context.to_loaded(raw[index].box) for index in sorted(hand)])
    return kept


def _printed_looking(text: str) -> bool:
    """A syllable, or a number or code as typed (``1972``, ``e88``)."""
    word = text.strip(EDGE_PUNCTUATION)
    return bool(word) and (is_vietnamese_syllable(word) or word.isalnum())


def handwritten_words(raw: list[RawWord], context: PageContext) -> set[int]:
    """Indexes of the words written by hand: not level with a ruled table, taller than the page's
    print and than the print of their own line, and either not spelt as a syllable nor as a
    word read surely, or slanted and read unsurely."""
    printed = [w.box[3] for w in raw if w.conf >= 0.6 and _printed_looking(w.text)]
    if len(printed) < 5:
        return set()
    tallest_print = float(np.median(printed)) * _HAND_TALLER
    lines: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for word in raw:
        lines[word.line_key].append(word.box[3])
    hand = set()
    for index, word in enumerate(raw):
        if word.box[3] < max(tallest_print, _line_print(lines[word.line_key], word.box[3])) or _in_table(
                word.box, context):
            continue
        text = word.text.strip(EDGE_PUNCTUATION)
        if not (is_vietnamese_syllable(text) or _sure_word(word, text)) or (
                word.conf < _SURE_PRINT and abs(slant(_crop(context.image, word.box))) >= _HAND_SLANT):
            hand.add(index)
    return hand


def _in_table(box: tuple[int, int, int, int], context: PageContext) -> bool:
    """Whether a word stands level with the rows of the page's ruled table: a register's
    cells are typed, what is left of a rule beside a word makes its box tall, and a rule
    faded at one end leaves the table's found extent short of its last columns."""
    if context.table is None:
        return False
    _, top, _, bottom = context.table.box
    return top <= box[1] + box[3] / 2 <= bottom


def _line_print(heights: list[int], own: int) -> float:
    """How tall a word may stand among the other words of its line (a heading, a passage
    set larger) and still be their print: none when too few others to tell."""
    others = list(heights)
    others.remove(own)
    return float(np.median(others)) * _HAND_TALLER_THAN_LINE if len(others) >= _LINE_PEERS else 0.0


def _sure_word(word: RawWord, text: str) -> bool:
    """A word of letters read surely: print in a language other than Vietnamese (a name, a
    heading), not numbers written by hand."""
    return word.conf >= _SURE_PRINT and len(text) >= 3 and text.replace("-", "").isalpha()


def _crop(image: GreyImage, box: tuple[int, int, int, int]) -> GreyImage:
    x, y, w, h = box
    return image[max(0, y):y + h, max(0, x):x + w]


def slant(crop: GreyImage) -> float:
    """How far the strokes lean: the shear (pixels right per pixel up) that stands them
    upright, found where the ink's column profile is most concentrated. Print stands at 0."""
    if crop.size == 0:
        return 0.0
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    height, width = ink.shape
    rows, cols = np.nonzero(ink)
    best, sharpest = 0.0, -1.0
    for shear in np.linspace(-0.5, 0.5, 21):
        moved = np.round(cols - shear * (height - 1 - rows)).astype(int) + height
        profile = np.bincount(moved, minlength=width + 2 * height).astype(np.float64)
        sharpness = float(np.square(profile).sum())
        if sharpness > sharpest + 1e-9:
            best, sharpest = float(shear), sharpness
    return round(best, 2)


def _merged_hand_regions(boxes: list[list[int]]) -> list[Region]:
    """One region for words written together: boxes level with each other and closer
    than their height."""
    merged: list[list[int]] = []
    for box in sorted(boxes, key=lambda b: (b[1] // max(1, b[3]), b[0])):
        last = merged[-1] if merged else None
        if last and abs(box[1] - last[1]) < box[3] / 2 and box[0] - (last[0] + last[2]) < box[3]:
            right, bottom = max(last[0] + last[2], box[0] + box[2]), max(last[1] + last[3], box[1] + box[3])
            last[:] = [last[0], min(last[1], box[1]), right - last[0], bottom - min(last[1], box[1])]
        else:
            merged.append(list(box))
    return [Region(kind="handwriting", box=box, detail="taller than the print, slanted or not a syllable")
            for box in merged]
