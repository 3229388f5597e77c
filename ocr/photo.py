"""A page photographed rather than scanned: the paper found on the desk and made flat.

A phone held over a page sees it at an angle, as a quadrilateral on a darker ground.
Deskewing turns a page but cannot undo its perspective, and the desk around it reads as
borders and noise. When the image holds a bright quadrilateral on a darker surround,
filling most but not all of it, the paper is warped back to a rectangle; anything else
(a scan, white to its edges) is left alone. Uneven light is the flatten stage's work.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from ocr.preprocess import PageContext

# The paper fills between these shares of a photo: less is a photo of a desk, more
# leaves no surround to tell it by (a scan).
_PAPER_SHARE = (0.3, 0.93)
# The surround is at least this many grey levels darker than the paper.
_DARKER_SURROUND = 40
# Every corner of the paper lies at least this share of the image's shorter side within it.
_DESK_ALL_ROUND = 0.02
# The detection runs on a copy this many pixels on its longer side.
_WORKING_SIDE = 800


def flatten_photo(context: PageContext) -> str:
    """Warp a photographed page's paper to a flat rectangle, keeping the mapping back."""
    image = context.image
    scale = min(1.0, _WORKING_SIDE / max(image.shape))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    corners, why = _paper_corners(small)
    if corners is None:
        return f"not a photo ({why})"
    corners = corners / scale
    top, right, bottom, left = (math.dist(corners[i], corners[(i + 1) % 4]) for i in range(4))
    width, height = round(max(top, bottom)), round(max(left, right))
    context.check_size(height, width)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    flat = cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
    context.apply(matrix.astype(np.float64), np.asarray(flat, dtype=np.uint8))
    return f"paper found ({why}); warped flat to {width} × {height}"


def _paper_corners(small: np.ndarray) -> tuple[np.ndarray | None, str]:
    """The paper's four corners (top left, top right, bottom right, bottom left) on the
    small copy, or None and why not."""
    blurred = cv2.GaussianBlur(small, (0, 0), 3)
    _, paper = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None, "no paper"
    largest = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(largest) / small.size
    if not _PAPER_SHARE[0] <= share <= _PAPER_SHARE[1]:
        return None, f"bright part {share:.0%} of the image"
    quad = cv2.approxPolyDP(largest, 0.02 * cv2.arcLength(largest, True), True).reshape(-1, 2)
    if len(quad) != 4 or not cv2.isContourConvex(quad):
        return None, f"bright part has {len(quad)} corners"
    # A scan's lit half under a shadow is bounded by the image's edges; a photo's paper
    # lies on the desk with the desk all round it.
    height, width = small.shape
    margin = _DESK_ALL_ROUND * min(height, width)
    if (quad.min(axis=0) < margin).any() or (quad[:, 0].max() > width - margin) \
            or (quad[:, 1].max() > height - margin):
        return None, "bright part reaches the image's edge"
    inside = np.zeros_like(small)
    cv2.fillConvexPoly(inside, quad, 255)
    contrast = float(np.median(small[inside > 0])) - float(np.median(small[inside == 0]))
    if contrast < _DARKER_SURROUND:
        return None, f"surround only {contrast:.0f} levels darker"
    return _ordered(quad.astype(np.float64)), f"{share:.0%} of the image, {contrast:.0f} levels brighter"


def _ordered(quad: np.ndarray) -> np.ndarray:
    """Corners as top left, top right, bottom right, bottom left."""
    sums, diffs = quad.sum(axis=1), np.diff(quad, axis=1).ravel()
    return np.array([quad[np.argmin(sums)], quad[np.argmin(diffs)], quad[np.argmax(sums)],
                     quad[np.argmax(diffs)]])
