"""Run many files' pages in parallel: one process per core, one engine thread each.

Pages are the unit of work, so a 40-page PDF and 40 photos spread over the cores the
same way. A file that cannot be opened is reported and the others go on; a page that
fails is reported on its own page. The engine (Tesseract unless another is given) goes
to the worker processes with each page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from ocr.engine import OcrEngine
from ocr.errors import OcrError
from ocr.loading import count_pages, load_page
from ocr.model import OcrFile, OcrPage, OcrResult
from ocr.options import OcrOptions
from ocr.pipeline import DEFAULT_ENGINE, ocr_page

Progress = Callable[[int, int], None]


def process_page(path: str, number: int, options: OcrOptions,
                 engine: OcrEngine = DEFAULT_ENGINE) -> OcrPage:
    """Load and recognise one page (the function each worker process runs)."""
    try:
        page = load_page(Path(path), number, options)
    except OcrError as error:
        return OcrPage(number=number, text="", confidence=0.0, rotation=0, skew=0.0, words=[],
                       error=error.message)
    return ocr_page(page, options, engine)


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def ocr_files(paths: Sequence[Path], options: OcrOptions, *, workers: int | None = None,
              progress: Progress | None = None, engine: OcrEngine = DEFAULT_ENGINE) -> OcrResult:
    """OCR every page of every file.

    Args:
        paths: image or PDF files.
        options: languages, limits and stages.
        workers: processes to use (default: one per core; 0 or 1 runs in this process).
        progress: called with (pages done, pages in all) after each page.
        engine: what reads the pages (default: Tesseract).

    Raises:
        EngineError: the engine or a requested language is missing.
    """
    engine.check_languages(options.lang)
    files = [OcrFile(path=str(path)) for path in paths]
    jobs: list[tuple[int, int]] = []
    for index, path in enumerate(paths):
        try:
            jobs += [(index, number) for number in range(1, count_pages(path, options) + 1)]
        except OcrError as error:
            files[index].error = error.message
    results = _run(jobs, paths, options, workers if workers is not None else os.cpu_count() or 1,
                   progress, engine)
    for (index, _), page in zip(jobs, results, strict=True):
        files[index].pages.append(page)
    return OcrResult(files=files)


def _run(jobs: list[tuple[int, int]], paths: Sequence[Path], options: OcrOptions, workers: int,
         progress: Progress | None, engine: OcrEngine) -> list[OcrPage]:
    done = 0

    def report() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(jobs))

    if workers <= 1 or len(jobs) <= 1:
        pages = []
        for index, number in jobs:
            pages.append(process_page(str(paths[index]), number, options, engine))
            report()
        return pages
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_init_worker) as pool:
        futures: list[Future[OcrPage]] = [
            pool.submit(process_page, str(paths[index]), number, options, engine)
            for index, number in jobs]
        for future in futures:
            future.add_done_callback(lambda _: report())
        return [future.result() for future in futures]
