"""The safety net: a reading that looks bad is set beside plain Tesseract's.

The clean-up is tuned on pages; on paper it was not tuned for, it can read worse than
Tesseract alone. Whether a reading is good is judged without the truth: how sure
Tesseract is of its words, how many of them are spelt like Vietnamese syllables, and
how much confident text it found. Only a reading that looks bad pays for the others.

Binarising can also run letters together (a carbon copy's doubled, blurred strokes
become bold blobs) while Tesseract stays fairly sure of what it reads: "Đơn" comes back
"Đơm" at 0.9. That shows as more characters read than blobs of ink to read them from,
and then the grey page, cleaned but not binarised, and the page as loaded are read as
well, and preferred unless they look worse by the margin: Tesseract's recogniser reads
grey levels and tells a letter from its fainter ghost, which a threshold cannot.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from decoder.text import vietnamese_score
from ocr.engine import OcrEngine, RawWord
from ocr.errors import PageTimeoutError
from ocr.layout import segmentation_mode
from ocr.loading import GreyImage, SourcePage
from ocr.model import StepRecord
from ocr.options import OcrOptions
from ocr.preprocess import PageContext, pad_edges
from ocr.tesseract import TesseractEngine

# A reading at least this good is kept without a second one (on bench.ocr's generated
# pages, nine in ten of the pipeline's readings are above it).
GOOD_READING = 0.8
# Another reading replaces the processed one only when it is better by this much; when
# the processed page's letters ran together, unless it is worse by this much.
_MARGIN = 0.03
# Words Tesseract is at least this sure of count as text found.
_SURE_WORD = 0.5
# A reading that found this share of the sure text the best one found is not lowered
# for it: one word read less surely is not text missed.
_ENOUGH_TEXT = 0.9
# More characters read than this per letter-sized blob of ink: letters ran together.
# Print binarised apart makes 0.8–1.0 a blob (accents are blobs of their own); of 156
# pages of bench.ocr (standard and paper kinds, undamaged carbon copies and typewriters;
# ruled tables are not counted), 49 made more than this, 43 of them carbon copies.
MERGED_LETTERS = 1.05


@dataclass
class _Reading:
    name: str
    words: list[RawWord]
    context: PageContext


def reading_quality(words: Sequence[RawWord]) -> float:
    """0..1: length-weighted word confidence, lowered when words are not Vietnamese
    syllables (garbage read from stamps, noise or a page upside down seldom is)."""
    total = sum(len(w.text) for w in words)
    if not total:
        return 0.0
    confidence = sum(w.conf * len(w.text) for w in words) / total
    syllables = vietnamese_score(" ".join(w.text for w in words))
    return confidence * (0.6 + 0.4 * syllables)


def letters_per_blob(image: GreyImage, dpi: int, words: Sequence[RawWord]) -> float:
    """Characters read per letter-sized blob of ink on a binarised ``image`` (0 with no
    blob): well above one, letters ran together and were read by guess."""
    ink = (image < 128).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights, areas = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    # Specks and dots are not letters; taller than a third of an inch is a rule or a stain.
    blobs = np.count_nonzero((heights >= dpi / 40) & (heights <= dpi * 0.3) & (areas >= (dpi / 70) ** 2))
    return sum(len(w.text) for w in words) / blobs if blobs else 0.0


def _scores(readings: Sequence[Sequence[RawWord]]) -> list[float]:
    """Each reading's quality, lowered in proportion when it found less sure text than
    the reading that found most: a reading of one sure word out of ten is not good."""
    def sure(words: Sequence[RawWord]) -> int:
        return sum(len(w.text) for w in words if w.conf >= _SURE_WORD)

    most = (max(sure(words) for words in readings) or 1) * _ENOUGH_TEXT
    return [reading_quality(words) * min(1.0, sure(words) / most) for words in readings]


def _letters_ran_together(context: PageContext, raw: Sequence[RawWord]) -> float | None:
    """Characters per blob when the page was binarised and its grey page can be read
    instead, else None. A ruled table is left alone: read by column, its rules removed."""
    grey = context.grey
    if grey is None or grey.shape != context.image.shape or context.ruled or context.shape == "line":
        return None
    return letters_per_blob(context.image, context.dpi, raw)


def safety_net(page: SourcePage, context: PageContext, raw: list[RawWord], options: OcrOptions,
               time_left: Callable[[], float], engine: OcrEngine | None = None
               ) -> tuple[list[RawWord], PageContext]:
    """The processed reading, or another when it looks bad or its letters ran together:
    the engine's (Tesseract's by default) on the page as loaded (or on it padded with
    paper, for a reading that looks bad), or on the grey page before binarisation;
    whichever looks best, the processed one by a margin unless its letters ran together."""
    engine = engine if engine is not None else TesseractEngine()
    quality = reading_quality(raw)
    per_blob = _letters_ran_together(context, raw)
    merged = per_blob is not None and per_blob > MERGED_LETTERS
    if quality >= GOOD_READING and not merged:
        return raw, context
    started = time.perf_counter()
    readings = [_Reading("processed", raw, context)]
    try:
        if merged and context.grey is not None:
            readings.append(_grey_reading(context, context.grey, options, time_left, engine))
        _read_plain(page, context, options, time_left, engine, readings, padded=quality < GOOD_READING)
    except PageTimeoutError:
        pass  # what was read by then is compared
    scores = _scores([reading.words for reading in readings])
    # Letters run together are read by guess, however sure Tesseract is of them.
    doubted = [merged] + [not merged] * (len(readings) - 1)
    best = max(range(len(readings)), key=lambda i: scores[i] - (_MARGIN if doubted[i] else 0.0))
    chosen = readings[best].context
    chosen.steps = context.steps if chosen is context else [*context.steps]
    why = f"quality {quality:.2f}" + (f", {per_blob:.2f} characters a blob" if merged else "")
    chosen.steps.append(StepRecord(
        name="safety-net", ms=round((time.perf_counter() - started) * 1000, 1),
        detail=f"{why}; " + ", ".join(f"{reading.name} {score:.2f}" for reading, score
                                      in zip(readings, scores, strict=True))
        + f"; kept {readings[best].name}"))
    return readings[best].words, chosen


def _grey_reading(context: PageContext, image: GreyImage, options: OcrOptions,
                  time_left: Callable[[], float], engine: OcrEngine) -> _Reading:
    """The cleaned page before binarisation (``image``: upright, level, flattened), read
    as the processed one was."""
    grey = replace(context, image=image, steps=[], table=None)
    psm = segmentation_mode(grey, options)  # without its table: read as running text
    return _Reading("grey", engine.recognise_words(grey.image, options.lang, time_left(), psm), grey)


def _read_plain(page: SourcePage, context: PageContext, options: OcrOptions,
                time_left: Callable[[], float], engine: OcrEngine, readings: list[_Reading],
                padded: bool) -> None:
    """Add plain Tesseract's reading of the page as loaded, and (``padded``) of it padded
    with paper, to ``readings``, each as soon as it is read: the page's time may run out."""
    psm = options.psm or (7 if context.shape == "line" else 3)
    for name, margin in (("plain", 0), ("plain padded", max(10, page.dpi // 10)))[:2 if padded else 1]:
        plain = PageContext(image=page.image, dpi=page.dpi, shape=context.shape,
                            max_pixels=options.max_pixels)
        if margin:
            pad_edges(plain, margin)
        words = engine.recognise_words(plain.image, options.lang, time_left(), psm)
        readings.append(_Reading(name, words, plain))
