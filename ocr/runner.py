"""Run many files' pages in parallel: one process per core, one Tesseract thread each.

Pages are the unit of work, so a 40-page PDF and 40 photos spread over the cores the
same way. A file that cannot be opened is reported and the others go on; a page that
fails is reported on its own page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from ocr.errors import OcrError
from ocr.loading import count_pages, load_page
from ocr.model import OcrFile, OcrPage, OcrResult
from ocr.options import OcrOptions
from ocr.pipeline import ocr_page
from ocr.tesseract import check_languages

Progress = Callable[[int, int], None]


def process_page(path: str, number: int, options: OcrOptions) -> OcrPage:
    """Load and recognise one page (the function each worker process runs)."""
    try:
        page = load_page(Path(path), number, options)
    except OcrError as error:
        return OcrPage(number=number, text="", confidence=0.0, rotation=0, skew=0.0, words=[],
                       error=error.message)
    return ocr_page(page, options)


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def ocr_files(paths: Sequence[Path], options: OcrOptions, *, workers: int | None = None,
              progress: Progress | None = None) -> OcrResult:
    """OCR every page of every file.

    Args:
        paths: image or PDF files.
        options: languages, limits and stages.
        workers: processes to use (default: one per core; 0 or 1 runs in this process).
        progress: called with (pages done, pages in all) after each page.

    Raises:
        EngineError: Tesseract or a requested language is missing.
    """
    check_languages(options.lang)
    files = [OcrFile(path=str(path)) for path in paths]
    jobs: list[tuple[int, int]] = []
    for index, path in enumerate(paths):
        try:
            jobs += [(index, number) for number in range(1, count_pages(path, options) + 1)]
        except OcrError as error:
            files[index].error = error.message
    results = _run(jobs, paths, options, workers if workers is not None else os.cpu_count() or 1,
                   progress)
    for (index, _), page in zip(jobs, results, strict=True):
        files[index].pages.append(page)
    return OcrResult(files=files)


def _run(jobs: list[tuple[int, int]], paths: Sequence[Path], options: OcrOptions, workers: int,
         progress: Progress | None) -> list[OcrPage]:
    done = 0

    def report() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(jobs))

    if workers <= 1 or len(jobs) <= 1:
        pages = []
        for index, number in jobs:
            pages.append(process_page(str(paths[index]), number, options))
            report()
        return pages
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), initializer=_init_worker) as pool:
        futures: list[Future[OcrPage]] = [
            pool.submit(process_page, str(paths[index]), number, options) for index, number in jobs]
        for future in futures:
            future.add_done_callback(lambda _: report())
        return [future.result() for future in futures]
