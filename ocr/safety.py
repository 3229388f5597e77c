"""The safety net: a reading that looks bad is set beside plain Tesseract's.

The clean-up is tuned on pages; on paper it was not tuned for, it can read worse than
Tesseract alone. Whether a reading is good is judged without the truth: how sure
Tesseract is of its words, how many of them are spelt like Vietnamese syllables, and
how much confident text it found. Only a reading that looks bad pays for the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from decoder.text import vietnamese_score
from ocr.engine import OcrEngine, RawWord
from ocr.errors import PageTimeoutError
from ocr.loading import SourcePage
from ocr.model import StepRecord
from ocr.options import OcrOptions
from ocr.preprocess import PageContext, pad_edges
from ocr.tesseract import TesseractEngine

# A reading at least this good is kept without a second one (on bench.ocr's generated
# pages, nine in ten of the pipeline's readings are above it).
GOOD_READING = 0.8
# Another reading replaces the processed one only when it is better by this much.
_MARGIN = 0.03
# Words Tesseract is at least this sure of count as text found.
_SURE_WORD = 0.5


def reading_quality(words: Sequence[RawWord]) -> float:
    """0..1: length-weighted word confidence, lowered when words are not Vietnamese
    syllables (garbage read from stamps, noise or a page upside down seldom is)."""
    total = sum(len(w.text) for w in words)
    if not total:
        return 0.0
    confidence = sum(w.conf * len(w.text) for w in words) / total
    syllables = vietnamese_score(" ".join(w.text for w in words))
    return confidence * (0.6 + 0.4 * syllables)


def _sure_characters(words: Sequence[RawWord]) -> int:
    return sum(len(w.text) for w in words if w.conf >= _SURE_WORD)


def _scores(readings: list[list[RawWord]]) -> list[float]:
    """Each reading's quality, lowered in proportion when it found less sure text than
    the reading that found most: a reading of one sure word out of ten is not good."""
    most = max(_sure_characters(words) for words in readings) or 1
    return [reading_quality(words) * min(1.0, _sure_characters(words) / most) for words in readings]


def safety_net(page: SourcePage, context: PageContext, raw: list[RawWord], options: OcrOptions,
               time_left: Callable[[], float], engine: OcrEngine | None = None
               ) -> tuple[list[RawWord], PageContext]:
    """The processed reading, or the engine's (Tesseract's by default) on the page as
    loaded (or on it padded with paper) when the processed one looks bad and the other
    looks better."""
    engine = engine if engine is not None else TesseractEngine()
    quality = reading_quality(raw)
    if quality >= GOOD_READING:
        return raw, context
    started = time.perf_counter()
    psm = options.psm or (7 if context.shape == "line" else 3)
    readings, contexts = [raw], [context]
    try:
        for margin in (0, max(10, page.dpi // 10)):
            plain = PageContext(image=page.image, dpi=page.dpi, shape=context.shape,
                                max_pixels=options.max_pixels)
            if margin:
                pad_edges(plain, margin)
            readings.append(engine.recognise_words(plain.image, options.lang, time_left(), psm))
            contexts.append(plain)
    except PageTimeoutError:
        pass  # what was read by then is compared
    scores = _scores(readings)
    best = max(range(len(readings)), key=lambda i: scores[i] - (0 if i == 0 else _MARGIN))
    names = ["processed", "plain", "plain padded"]
    chosen = contexts[best]
    chosen.steps = context.steps if chosen is context else [*context.steps]
    chosen.steps.append(StepRecord(
        name="safety-net", ms=round((time.perf_counter() - started) * 1000, 1),
        detail=f"quality {quality:.2f}; " + ", ".join(
            f"{names[i]} {scores[i]:.2f}" for i in range(len(readings))) + f"; kept {names[best]}"))
    return readings[best], chosen
