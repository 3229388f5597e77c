"""The runner's fault paths, through engines that fail on purpose (no Tesseract).

A page the engine fails on is reported on that page and the others are read; a page is
held to its time limit at each engine call; an engine's own bug, or a worker process
that dies, stops the whole run.
"""

from __future__ import annotations

import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from PIL import Image

from ocr.engine import OcrEngine
from ocr.errors import EngineError
from ocr.options import OcrOptions
from ocr.runner import ocr_files
from tests.fault_engines import (
    VERSION,
    WORD,
    CrashingEngine,
    DyingEngine,
    FailingEngine,
    HangingEngine,
    LanguagelessEngine,
    OverstayingEngine,
    SureEngine,
)

#: Every page is drawn this wide plus its index, so an engine can tell page 2 by its width.
WIDTH = 300
SECOND = WIDTH + 1
#: No stage that changes a page's size (or calls the engine again) runs.
PLAIN = OcrOptions(orientation=False, deskew=False, flatten=False, denoise=False, binarize=False,
                   clean_borders=False, remove_rules=False, safety_net=False, rethreshold=False)
#: In this process, and in two worker processes.
WORKERS = [pytest.param(1, id="in-process"), pytest.param(2, id="processes")]


def three_pages(tmp_path: Path) -> Path:
    """A blank three-page TIFF at 300 dpi whose pages are 300, 301 and 302 pixels wide."""
    frames = [Image.new("L", (WIDTH + index, 200), 255) for index in range(3)]
    path = tmp_path / "three.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(300, 300))
    return path


def read(tmp_path: Path, engine: OcrEngine, workers: int, options: OcrOptions = PLAIN,
         seen: list[tuple[int, int]] | None = None) -> list[tuple[str, str | None]]:
    """Each page's text and error, from a run over the three pages."""
    result = ocr_files([three_pages(tmp_path)], options, workers=workers, engine=engine,
                       progress=None if seen is None else lambda done, total: seen.append((done, total)))
    (document,) = result.files
    assert document.error is None
    assert [page.number for page in document.pages] == [1, 2, 3]
    return [(page.text, page.error) for page in document.pages]


@pytest.mark.parametrize("workers", WORKERS)
def test_a_sure_engine_reads_every_page(tmp_path: Path, workers: int) -> None:
    result = ocr_files([three_pages(tmp_path)], PLAIN, workers=workers, engine=SureEngine())
    pages = result.files[0].pages
    assert [(page.text, page.engine, page.error) for page in pages] == [(WORD, VERSION, None)] * 3
    assert [page.width for page in pages] == [WIDTH, SECOND, WIDTH + 2]


@pytest.mark.parametrize("workers", WORKERS)
def test_an_engine_failing_on_page_two_of_three_fails_that_page_alone(tmp_path: Path,
                                                                       workers: int) -> None:
    seen: list[tuple[int, int]] = []
    pages = read(tmp_path, FailingEngine(width=SECOND), workers, seen=seen)
    assert pages == [(WORD, None), ("", "The engine failed on purpose."), (WORD, None)]
    assert sorted(seen)[-1] == (3, 3)


@pytest.mark.parametrize("workers", WORKERS)
def test_an_engine_hanging_on_a_page_is_stopped_at_the_pages_limit(tmp_path: Path,
                                                                   workers: int) -> None:
    started = time.monotonic()
    pages = read(tmp_path, HangingEngine(width=SECOND, seconds=60), workers,
                 PLAIN.model_copy(update={"page_timeout_s": 1.0}))
    # The page reports the limit the reader set, not the seconds the engine's call had left.
    assert pages == [(WORD, None), ("", "The page took longer than its limit of 1 s."), (WORD, None)]
    assert time.monotonic() - started < 30


def test_an_engine_that_overstays_its_last_call_is_not_cut_off(tmp_path: Path) -> None:
    # The runner sets no clock of its own: the limit is handed to every engine call, and
    # an engine that ignores it and then answers keeps its page when no call follows.
    options = PLAIN.model_copy(update={"page_timeout_s": 1.0})
    pages = read(tmp_path, OverstayingEngine(width=SECOND, seconds=1.5), 1, options)
    assert pages == [(WORD, None)] * 3


def test_an_engine_that_overstays_is_stopped_at_the_pages_next_call(tmp_path: Path) -> None:
    # Orientation first, then recognition: the late orientation leaves no time to read.
    options = PLAIN.model_copy(update={"page_timeout_s": 1.0, "orientation": True})
    pages = read(tmp_path, OverstayingEngine(width=SECOND, seconds=1.5), 1, options)
    assert pages == [(WORD, None), ("", "The page took longer than its limit of 1 s."), (WORD, None)]


@pytest.mark.parametrize("workers", WORKERS)
def test_an_engine_bug_stops_the_run(tmp_path: Path, workers: int) -> None:
    # Only the pipeline's own errors are reported on a page; anything else is a fault
    # in the engine and is raised to the caller, whose job then fails as a whole.
    with pytest.raises(RuntimeError, match="engine bug"):
        ocr_files([three_pages(tmp_path)], PLAIN, workers=workers, engine=CrashingEngine(width=SECOND))


def test_a_worker_process_that_dies_stops_the_run(tmp_path: Path) -> None:
    with pytest.raises(BrokenProcessPool):
        ocr_files([three_pages(tmp_path)], PLAIN, workers=2, engine=DyingEngine(width=SECOND))


def test_a_language_the_engine_lacks_is_refused_before_any_file_is_opened(tmp_path: Path) -> None:
    # The file does not exist: opened first, it would have been reported, not raised.
    with pytest.raises(EngineError, match="no 'vie' language"):
        ocr_files([tmp_path / "missing.png"], PLAIN, engine=LanguagelessEngine())
