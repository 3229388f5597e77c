"""What an input is: a page, a small crop of a few lines, or a crop of one line.

A page's clean-up assumes a page: margins where scanner edges lie, enough text for
orientation detection. On a crop, letters touch the edge and one short line is too
little text for OSD to be trusted, so crops are told apart before the clean-up starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from ocr.loading import GreyImage

Shape = Literal["page", "crop", "line"]

# Fewer letter-sized shapes than this is too little text to detect a page's orientation
# (the shortest generated page, faded and stained, has 130; a line of 20 letters, 30).
_FEWEST_FOR_A_PAGE = 60
# Fewer than this, in a band several times wider than high, is one line; more is a page.
_MOST_FOR_A_LINE = 150
# An image lower than this is a crop, whatever it holds: no page is 150 pixels high.
_LOWEST_PAGE_PX = 150
# Specks of noise are not letters.
_SMALLEST_SHAPE_PX = 6
# No print inks more than this share of its image; more is a shadow taken for ink.
_MOST_INK = 0.35
# A crop at most this many times as high as its tallest band of ink is one line.
_LINE_SLACK = 2.0


@dataclass(frozen=True)
class InputShape:
    """The shape of an input, the height of its text lines and the median height of its
    letter-sized shapes of ink, in pixels."""

    kind: Shape
    line_height: int
    letters: int
    letter_height: float = 0.0


def measure_shape(image: GreyImage) -> InputShape:
    """Count the letter-sized shapes of ink and the bands of text they form."""
    blurred = cv2.GaussianBlur(image, (3, 3), 0)
    _, ink = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if np.count_nonzero(ink) > ink.size * _MOST_INK:
        # A shadow over part of the page: one threshold takes it all for ink, and its
        # letters run together in one blob. A local threshold sees them.
        ink = cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 10)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = image.shape
    letters = stats[1:][(stats[1:, cv2.CC_STAT_AREA] >= _SMALLEST_SHAPE_PX)
                        & (stats[1:, cv2.CC_STAT_HEIGHT] >= 3)
                        & (stats[1:, cv2.CC_STAT_HEIGHT] < height * 0.98 + 1)]
    letter_height = float(np.median(letters[:, cv2.CC_STAT_HEIGHT])) if len(letters) else 0.0
    if len(letters) == 0 or len(letters) >= _MOST_FOR_A_LINE:
        return InputShape("page", 0, len(letters), letter_height)
    bands = _bands(letters[:, cv2.CC_STAT_TOP], letters[:, cv2.CC_STAT_HEIGHT])
    tallest = max(bottom - top for top, bottom in bands)
    if width >= 3 * height and (len(bands) == 1 or height <= tallest * _LINE_SLACK):
        return InputShape("line", int(tallest), len(letters), letter_height)
    small = len(letters) < _FEWEST_FOR_A_PAGE or height < _LOWEST_PAGE_PX
    return InputShape("crop" if small else "page", int(tallest), len(letters), letter_height)


def _bands(tops: np.ndarray, heights: np.ndarray) -> list[tuple[int, int]]:
    """The vertical spans the shapes cover, merged where they overlap or lie closer than
    a third of a median letter (an accent above its letter, a dot above an i)."""
    gap = float(np.median(heights)) / 3
    bands: list[tuple[int, int]] = []
    for top, bottom in sorted(zip(tops.tolist(), (tops + heights).tolist(), strict=True)):
        if bands and top <= bands[-1][1] + gap:
            bands[-1] = (bands[-1][0], max(bands[-1][1], bottom))
        else:
            bands.append((top, bottom))
    return bands
