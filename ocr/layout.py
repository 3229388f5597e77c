"""Columns of prose run together: what a page read as one column of text looks like when it
was set in two or more.

Pages are read as one column of text of varying sizes (Tesseract's mode 4), which keeps a
typed notice's label and value on one line where the automatic layout (mode 3) split them.
A brochure or a book set in columns is then read straight across: each line of the left
column joined to the line beside it. Such a reading is told by its lines: many of them hold
one wide gap, at the same place down the page, with a run of words on either side; a list
typed to tab stops has gaps too, but a few words between them.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence

from ocr.engine import RawWord
from ocr.options import OcrOptions
from ocr.preprocess import PageContext

#: Tesseract's page segmentation modes: one column of text of varying sizes, and the
#: automatic layout, which finds columns.
ONE_COLUMN, LAYOUT = 4, 3

#: A gap between two words this many times the line's letter height is a gutter, not a
#: word space (a word space is under one letter height; the gutter of a two-column
#: brochure at 300 dpi, five).
GUTTER_HEIGHTS = 2.5
#: Words on each side of a gutter, how wide each side runs (in letter heights: some 24
#: letters, a narrow newspaper column; a list's numbered name, "12 Bùi Xuân Nghĩa", is 17),
#: and lines whose gutters line up, that make prose in columns.
WORDS_A_SIDE = 5
SIDE_HEIGHTS = 12
LINES_ALIGNED = 5


def segmentation_mode(context: PageContext, options: OcrOptions) -> int:
    """How Tesseract is to find the text of a cleaned page: one column for running text
    (the automatic layout where that ran columns of prose together); sparse text (every
    cell on its own) on a ruled table without vertical rules to read it by (both measured
    on bench.ocr); one line on a crop of one line. The reader's own mode comes first."""
    if options.psm is not None:
        return options.psm
    if context.shape == "line":
        return 7
    if context.ruled:
        return 11
    return LAYOUT if context.prose_columns else ONE_COLUMN


def prose_in_columns(raw: Sequence[RawWord]) -> bool:
    """Whether the words, read as one column, are columns of prose read straight across."""
    lines: dict[tuple[int, int, int], list[RawWord]] = defaultdict(list)
    for word in raw:
        lines[word.line_key].append(word)
    gutters: list[tuple[float, float]] = []  # where each line's gutter runs, and the line's height
    for members in lines.values():
        found = _gutter(sorted(members, key=lambda w: w.box[0]))
        if found is not None:
            gutters.append(found)
    return any(sum(abs(middle - other) <= height for other, _ in gutters) >= LINES_ALIGNED
               for middle, height in gutters)


def _gutter(words: list[RawWord]) -> tuple[float, float] | None:
    """The middle of the one wide gap of a line with enough words either side, and the
    line's letter height; None when the line has no such gap."""
    if len(words) < 2 * WORDS_A_SIDE:
        return None
    height = statistics.median(word.box[3] for word in words)
    gaps = [words[i].box[0] - (words[i - 1].box[0] + words[i - 1].box[2]) for i in range(1, len(words))]
    wide = [index + 1 for index, gap in enumerate(gaps) if gap > GUTTER_HEIGHTS * height]
    if len(wide) != 1 or not WORDS_A_SIDE <= wide[0] <= len(words) - WORDS_A_SIDE:
        return None
    left, right = words[wide[0] - 1], words[wide[0]]
    left_width = left.box[0] + left.box[2] - words[0].box[0]
    right_width = words[-1].box[0] + words[-1].box[2] - right.box[0]
    if min(left_width, right_width) < SIDE_HEIGHTS * height:
        return None
    return (left.box[0] + left.box[2] + right.box[0]) / 2, height
