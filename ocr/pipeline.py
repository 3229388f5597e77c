"""One page through the stages: clean-up, recognition, boxes mapped back, text assembled."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol, TypeVar

import numpy as np

from ocr.engine import OcrEngine, RawWord
from ocr.entities import extract_entities
from ocr.errors import OcrError, PageTimeoutError
from ocr.layout import LAYOUT, ONE_COLUMN, prose_in_columns, segmentation_mode
from ocr.loading import GreyImage, SourcePage
from ocr.model import OcrPage, OcrWord, StepRecord, union_box
from ocr.options import OcrOptions
from ocr.photo import flatten_photo
from ocr.preprocess import (
    PageContext,
    TableGrid,
    binarize_page,
    clean_borders,
    correct_skew,
    downscale_large_text,
    flatten_illumination,
    pad_edges,
    remove_noise,
    remove_rules,
    run_stage,
    turn_upright,
    upscale_low_resolution,
    upscale_small_text,
)
from ocr.regions import find_signatures, find_stamps, set_aside
from ocr.safety import safety_net
from ocr.shapes import InputShape, measure_shape
from ocr.tesseract import TesseractEngine

_Trial = TypeVar("_Trial")

# Below this OSD confidence a page is left as it is: a wrong quarter-turn costs the page.
_MIN_ORIENTATION_CONFIDENCE = 1.5
# Below this mean word confidence the other orientations are tried as well.
_RETRY_BELOW_CONFIDENCE = 0.6
# Below this mean word confidence the page is binarised again with thinner strokes.
_THINNER_BELOW_CONFIDENCE = 0.85
# Grey levels under Otsu's threshold tried then: Otsu's threshold sits nearer the paper
# than the ink when ink is scarce, and blurred letters then run together in bold blobs.
_THINNER_OFFSETS = (-15, -30)
# Lines read with less mean confidence than this are stains and specks, not text.
_MIN_LINE_CONFIDENCE = 0.35
_MIN_SCRAP_CONFIDENCE = 0.2
# A retry's reading with less than this share of the text of the best so far is not kept.
_LEAST_TEXT_SHARE = 0.25


#: The engine pages are read with unless another is given.
DEFAULT_ENGINE: OcrEngine = TesseractEngine()


@dataclass(frozen=True)
class Deadline:
    """A page's time limit, shared by every engine call made for it."""

    limit_s: float
    end: float

    @classmethod
    def start(cls, limit_s: float) -> Deadline:
        return cls(limit_s, time.monotonic() + limit_s)

    @property
    def exceeded(self) -> str:
        """What a page that ran past its limit reports."""
        return f"The page took longer than its limit of {self.limit_s:g} s."

    def left(self) -> float:
        """Seconds left.

        Raises:
            PageTimeoutError: none.
        """
        left = self.end - time.monotonic()
        if left <= 0:
            raise PageTimeoutError(self.exceeded)
        return left


def preprocess_page(page: SourcePage, options: OcrOptions, deadline: Deadline | None = None,
                    engine: OcrEngine = DEFAULT_ENGINE) -> PageContext:
    """Clean a loaded page for recognition, recording every stage (the engine detects
    the page's orientation)."""
    deadline = deadline or Deadline.start(options.page_timeout_s)
    shape = measure_shape(page.image)
    context = PageContext(image=page.image, dpi=page.dpi, max_pixels=options.max_pixels,
                          shape=shape.kind)
    if shape.kind == "line":
        _preprocess_line(context, shape, options)
        return context
    # A photo's desk would be flattened and cleaned as paper: the paper is found first.
    # Flattening comes next because dividing by a shadow multiplies its noise; noise is
    # then measured and removed at the scan's own resolution, before upscaling smooths it
    # into blur. OSD reads straightened lines more surely, so it follows the deskew.
    if options.dewarp and shape.kind == "page":
        run_stage(context, "photo", flatten_photo)
    if options.flatten:
        run_stage(context, "flatten", flatten_illumination)
    if options.denoise:
        run_stage(context, "denoise", remove_noise)
    enlarged = context.transform.copy()
    run_stage(context, "upscale", partial(upscale_low_resolution, min_dpi=options.min_dpi))
    if np.array_equal(enlarged, context.transform):  # not enlarged for a low resolution
        run_stage(context, "downscale", partial(downscale_large_text, letter_height=shape.letter_height))
    if options.deskew:
        run_stage(context, "deskew", correct_skew)
    # A crop has too little text for OSD: one short line was turned upside down.
    if options.orientation and shape.kind == "page":
        run_stage(context, "orientation", partial(_orient, deadline=deadline, engine=engine))
        if options.deskew and context.rotation in (90, 270):
            # Lines that ran down the page could not be measured: measure them now.
            run_stage(context, "deskew-again", correct_skew)
    if options.binarize:
        _binarize(context, options)
    if options.regions and shape.kind == "page":
        run_stage(context, "stamps", find_stamps)
        run_stage(context, "signatures", find_signatures)
    if shape.kind == "crop":
        run_stage(context, "pad", partial(pad_edges, margin=max(10, shape.line_height)))
    return context


def _preprocess_line(context: PageContext, shape: InputShape, options: OcrOptions) -> None:
    """A crop of one line: enlarged to the text height Tesseract reads best and padded
    with paper, and nothing else. Its letters touch the edges, where border cleaning
    would whiten them, and Tesseract's own threshold reads faint thermal print better
    than the page's (bench.ocr's receipt lines: 4.6% against 8.1% CER)."""
    if options.denoise:
        run_stage(context, "denoise", remove_noise)
    run_stage(context, "upscale", partial(upscale_small_text, line_height=shape.line_height))
    scale = context.transform[1, 1]
    run_stage(context, "pad", partial(pad_edges, margin=max(8, round(shape.line_height * scale / 2))))


def _binarize(context: PageContext, options: OcrOptions, offset: int = 0) -> None:
    run_stage(context, "binarize", partial(binarize_page, adaptive=not options.flatten, offset=offset))
    if options.clean_borders:
        run_stage(context, "borders", clean_borders)
    if options.remove_rules:
        run_stage(context, "rules", remove_rules)


def _orient(context: PageContext, deadline: Deadline, engine: OcrEngine) -> str:
    clockwise, confidence = engine.detect_orientation(context.image, deadline.left())
    if confidence < _MIN_ORIENTATION_CONFIDENCE:
        return f"kept (OSD said {clockwise}° at confidence {confidence:.1f})"
    return f"{turn_upright(context, clockwise)} (confidence {confidence:.1f})"


def ocr_page(page: SourcePage, options: OcrOptions, engine: OcrEngine = DEFAULT_ENGINE) -> OcrPage:
    """Recognise one page with ``engine``; a failure is reported on the page, never raised."""
    height, width = page.image.shape
    if page.text_layer is not None:
        return OcrPage(number=page.number, text=page.text_layer, confidence=1.0, rotation=0,
                       skew=0.0, words=[], source="text_layer", width=width, height=height,
                       engine="pdf text layer", entities=extract_entities(page.text_layer))
    # One limit for the page, retries included: a page never holds a worker for longer.
    deadline = Deadline.start(options.page_timeout_s)
    try:
        context = preprocess_page(page, options, deadline, engine)
        raw = recognise_cleaned(context, options, deadline, engine)
        if _may_rethreshold(options, context) and _confidence(raw) < _THINNER_BELOW_CONFIDENCE:
            raw = thinner_ink(context, raw, options, deadline, engine)
        if options.orientation and context.shape == "page" and _confidence(raw) < _RETRY_BELOW_CONFIDENCE:
            raw = best_orientation(context, raw, options, deadline, engine)
        regions = context.regions  # on the page as loaded: whichever reading is kept
        if options.safety_net:
            raw, context = safety_net(page, context, raw, options, deadline.left, engine)
        if options.regions and context.shape == "page":
            raw = set_aside(raw, context, regions)
    except OcrError as error:
        # The engine's own time-out names the seconds its call had left; the page's limit
        # is what the reader set.
        message = deadline.exceeded if isinstance(error, PageTimeoutError) else error.message
        return OcrPage(number=page.number, text="", confidence=0.0, rotation=0, skew=0.0,
                       words=[], width=width, height=height, error=message)
    # A table's rows are its lines: a cell alone ("4") is not a line to be judged alone.
    tabular = context.ruled or (not context.prose_columns and side_by_side_columns(raw))
    words, text = _assemble(drop_noise_words(_table_rows(raw) if tabular else raw, context), context)
    confidence = round(_confidence(words), 3)
    return OcrPage(number=page.number, text=text, confidence=confidence,
                   rotation=context.rotation, skew=context.skew, words=words, width=width,
                   height=height, engine=engine.version(), steps=context.steps,
                   entities=extract_entities(text, words), regions=regions)


def drop_noise_words(raw: list[RawWord], context: PageContext) -> list[RawWord]:
    """Leave out what stains and specks make Tesseract "read": whole lines it is barely
    sure of, and one- or two-letter scraps it is not sure of at all."""
    kept = [
        word for members in _group_lines(raw).values() if _confidence(members) >= _MIN_LINE_CONFIDENCE
        for word in members if not (len(word.text) <= 2 and word.conf < _MIN_SCRAP_CONFIDENCE)
    ]
    context.steps.append(StepRecord(name="filter", ms=0.0,
                                    detail=f"left out {len(raw) - len(kept)} noise words"))
    return kept


def recognise_cleaned(context: PageContext, options: OcrOptions, deadline: Deadline,
               engine: OcrEngine = DEFAULT_ENGINE) -> list[RawWord]:
    """The engine's words on the cleaned page, on the page's own pixels."""
    table = context.table
    if options.psm is None and table is not None and len(table.columns) >= 2 \
            and _stack_pixels(context.image, table) <= options.max_pixels:
        return _read_by_columns(context.image, table, options, deadline, engine)
    # A table whose stacked columns would pass the pixel limit is read as sparse text.
    mode = segmentation_mode(context, options)
    raw = engine.recognise_words(context.image, options.lang, deadline.left(), mode)
    if mode == ONE_COLUMN and options.psm is None and prose_in_columns(raw):
        started = time.perf_counter()
        context.prose_columns = True
        raw = engine.recognise_words(context.image, options.lang, deadline.left(), LAYOUT)
        context.steps.append(StepRecord(name="columns", ms=round((time.perf_counter() - started) * 1000, 1),
                                        detail="columns of prose ran together: read again by its layout"))
    return raw


_STACK_GAP = 40


def _stack_pixels(image: GreyImage, table: TableGrid) -> int:
    """Pixels of the image ``_read_by_columns`` stacks: the page's width by the page's
    height and every column's, one under another (several times the page's pixels)."""
    _, top, _, bottom = table.box
    height = image.shape[0] + (bottom - top + _STACK_GAP) * len(table.columns)
    return int(height * image.shape[1])


def _read_by_columns(image: GreyImage, table: TableGrid, options: OcrOptions, deadline: Deadline,
                     engine: OcrEngine) -> list[RawWord]:
    """A ruled table read column by column: the page without the table, then each column
    under it, in one image read as one column of text. Within a column the word spaces
    are measured against each other, not against the gaps between columns."""
    left, top, right, bottom = table.box
    rest = image.copy()
    rest[top:bottom, left:right] = 255
    pieces = [(rest, 0, 0)] + [(image[top:bottom, x0:x1], x0, top) for x0, x1 in table.columns]
    width = max(piece.shape[1] for piece, _, _ in pieces)
    height = sum(piece.shape[0] for piece, _, _ in pieces) + _STACK_GAP * (len(pieces) - 1)
    stacked = np.full((height, width), 255, np.uint8)
    shifts: list[tuple[int, int, int]] = []  # where a piece ends on the stack, and its shift back
    y = 0
    for piece, x0, y0 in pieces:
        stacked[y:y + piece.shape[0], :piece.shape[1]] = piece
        shifts.append((y + piece.shape[0] + _STACK_GAP // 2, x0, y0 - y))
        y += piece.shape[0] + _STACK_GAP
    placed = []
    for word in engine.recognise_words(stacked, options.lang, deadline.left(), 6):
        x, top_on_stack, w, h = word.box
        _, dx, dy = next((shift for shift in shifts if top_on_stack + h / 2 < shift[0]), shifts[-1])
        placed.append(replace(word, box=(x + dx, top_on_stack + dy, w, h)))
    return placed


# A block of an unruled table read as columns holds a few cells a line; prose, more.
_MOST_WORDS_PER_CELL_LINE = 8


def side_by_side_columns(raw: list[RawWord]) -> bool:
    """Whether Tesseract read an unruled table (a list typed to tab stops) as blocks side
    by side, one per column: blocks level with each other whose lines hold a few words
    each. Prose set in columns has long lines and is left in its order."""
    blocks: dict[int, list[RawWord]] = defaultdict(list)
    for word in raw:
        blocks[word.line_key[0]].append(word)
    spans = []
    for members in blocks.values():
        left, top, width, height = union_box([list(w.box) for w in members])
        lines = len({w.line_key for w in members})
        spans.append((left, top, left + width, top + height, len(members) / lines))
    for index, (left, top, right, bottom, per_line) in enumerate(spans):
        for other_left, other_top, other_right, other_bottom, other_per_line in spans[index + 1:]:
            level = min(bottom, other_bottom) - max(top, other_top)
            apart = right <= other_left or other_right <= left
            if (apart and level > 0.5 * min(bottom - top, other_bottom - other_top)
                    and max(per_line, other_per_line) <= _MOST_WORDS_PER_CELL_LINE):
                return True
    return False


def _table_rows(raw: list[RawWord]) -> list[RawWord]:
    """The words of a table, row by row and left to right within a row.

    Read column by column or cell by cell, a table's words come in no useful order. A
    word joins a row when its middle lies within half a row's height of the row's middle."""
    rows: list[tuple[float, float, list[RawWord]]] = []
    for word in sorted(raw, key=lambda w: w.box[1] + w.box[3] / 2):
        middle = word.box[1] + word.box[3] / 2
        if rows and abs(middle - rows[-1][0]) <= rows[-1][1] / 2:
            rows[-1][2].append(word)
        else:
            rows.append((middle, max(word.box[3], 1), [word]))
    return [replace(word, line_key=(1, 1, index))
            for index, (_, _, members) in enumerate(rows)
            for word in sorted(members, key=lambda w: w.box[0])]


class _Scored(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def conf(self) -> float: ...


def _confidence(words: Sequence[_Scored]) -> float:
    """Mean word confidence, weighted by word length (0 for no words)."""
    total = sum(len(w.text) for w in words)
    return sum(w.conf * len(w.text) for w in words) / total if total else 0.0


def _characters(words: Sequence[_Scored]) -> int:
    return sum(len(w.text) for w in words)


def _group_lines(raw: list[RawWord]) -> dict[tuple[int, int, int], list[RawWord]]:
    """Words by their (block, paragraph, line), in reading order."""
    lines: dict[tuple[int, int, int], list[RawWord]] = defaultdict(list)
    for word in raw:
        lines[word.line_key].append(word)
    return lines


def _surest(raw: list[RawWord], first: _Trial, trials: Iterable[_Trial],
            read: Callable[[_Trial], list[RawWord]], margin: float
            ) -> tuple[list[RawWord], float, _Trial, str]:
    """Read the trials in turn and keep the reading Tesseract is surest of, by more than
    ``margin`` over the best so far (``raw``, read from ``first``, if none is); when the
    page's time runs out, what was read by then. Returns the words, their confidence,
    the trial they came from and, if the time ran out, a note saying so."""
    best, best_confidence, chosen = raw, _confidence(raw), first
    for trial in trials:
        try:
            words = read(trial)
        except PageTimeoutError:
            return best, best_confidence, chosen, "; stopped at the page's time limit"
        confidence = _confidence(words)
        # One word read surely is not a page read better ("Gì" from a page turned wrong).
        enough = _characters(words) >= _LEAST_TEXT_SHARE * _characters(best)
        if confidence > best_confidence + margin and enough:
            best, best_confidence, chosen = words, confidence, trial
    return best, best_confidence, chosen, ""


def best_orientation(context: PageContext, raw: list[RawWord], options: OcrOptions,
                      deadline: Deadline, engine: OcrEngine = DEFAULT_ENGINE) -> list[RawWord]:
    """When the text reads badly, OSD may have been wrong: read the page in the other
    three orientations and keep whichever Tesseract is surest of."""
    started = time.perf_counter()

    def read(turn: int) -> list[RawWord]:
        trial = PageContext(image=context.image, dpi=context.dpi)
        turn_upright(trial, turn)
        mode = segmentation_mode(context, options)
        return engine.recognise_words(trial.image, options.lang, deadline.left(), mode)

    best, confidence, turn, stopped = _surest(raw, 0, (180, 90, 270), read, margin=0.05)
    if turn:
        turn_upright(context, turn)
    context.steps.append(StepRecord(
        name="orientation-retry", ms=round((time.perf_counter() - started) * 1000, 1),
        detail=f"low confidence; kept {turn}° (confidence {confidence:.2f}){stopped}"))
    return best


def _may_rethreshold(options: OcrOptions, context: PageContext) -> bool:
    # Only a global threshold on a flattened page can be moved; the adaptive one is local.
    # A line is left to Tesseract's own threshold.
    return options.rethreshold and options.binarize and options.flatten and context.shape != "line"


def thinner_ink(context: PageContext, raw: list[RawWord], options: OcrOptions,
                 deadline: Deadline, engine: OcrEngine = DEFAULT_ENGINE) -> list[RawWord]:
    """When the text reads badly, its letters may have run together: binarise the grey
    page again under lower thresholds and keep whichever reading Tesseract is surest of
    (on a faded page that is still the first)."""
    started = time.perf_counter()

    def binarised(offset: int) -> tuple[int, PageContext]:
        trial = replace(context, steps=[])
        _binarize(trial, options, offset)
        return offset, trial

    def read(pair: tuple[int, PageContext]) -> list[RawWord]:
        return recognise_cleaned(pair[1], options, deadline, engine)

    best, confidence, (offset, trial), stopped = _surest(
        raw, (0, context), (binarised(level) for level in _THINNER_OFFSETS), read, margin=0.02)
    context.image, context.table = trial.image, trial.table
    context.steps.append(StepRecord(
        name="rethreshold", ms=round((time.perf_counter() - started) * 1000, 1),
        detail=f"low confidence; kept Otsu {offset:+d} (confidence {confidence:.2f}){stopped}"))
    return best


def _assemble(raw: list[RawWord], context: PageContext) -> tuple[list[OcrWord], str]:
    """Words with boxes on the loaded page, and the text: lines by newline, blocks by a
    blank line."""
    lines = _group_lines(raw)
    words: list[OcrWord] = []
    text = ""
    previous_block = None
    for line_index, (key, members) in enumerate(lines.items()):
        if previous_block is not None:
            text += "\n\n" if key[0] != previous_block else "\n"
        previous_block = key[0]
        for position, word in enumerate(members):
            text += " " if position else ""
            words.append(OcrWord(text=word.text, conf=round(word.conf, 3),
                                 box=context.to_loaded(word.box), line=line_index,
                                 start=len(text), end=len(text) + len(word.text)))
            text += word.text
    return words, text

