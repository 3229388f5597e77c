"""OCR engines that fail on purpose, for the runner's fault paths, with no Tesseract.

Each reads a page as the one sure word ``trang`` unless the image it is handed is
``width`` pixels wide: the tests draw every page at its own width and switch off the
stages that would change it, so an engine can fail on page 2 of 3 even in a worker
process, where it cannot count calls. They are module-level frozen dataclasses, so
they pickle to the runner's worker processes.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from ocr.engine import RawWord
from ocr.errors import EngineError, PageTimeoutError
from ocr.loading import GreyImage

#: What every engine here reads on a page it does not fail on.
WORD = "trang"
VERSION = "fault-engine 1"


@dataclass(frozen=True)
class SureEngine:
    """Reads every page as one word it is sure of, so the pipeline retries nothing."""

    def version(self) -> str:
        """The name pages read by it carry."""
        return VERSION

    def check_languages(self, lang: str) -> None:
        """Every language is accepted."""

    def recognise_words(self, image: GreyImage, lang: str, timeout_s: float,
                        psm: int = 4) -> list[RawWord]:
        """The one word, at the top left of the image."""
        return [RawWord(WORD, 0.99, (0, 0, 50, 20), (1, 1, 1))]

    def detect_orientation(self, image: GreyImage, timeout_s: float) -> tuple[int, float]:
        """Upright, surely."""
        return 0, 10.0


@dataclass(frozen=True)
class FailingEngine(SureEngine):
    """Raises ``EngineError``, as Tesseract's wrapper does when the program fails."""

    width: int

    def recognise_words(self, image: GreyImage, lang: str, timeout_s: float,
                        psm: int = 4) -> list[RawWord]:
        """Fails on the marked page."""
        if image.shape[1] == self.width:
            raise EngineError("The engine failed on purpose.")
        return super().recognise_words(image, lang, timeout_s, psm)


@dataclass(frozen=True)
class CrashingEngine(SureEngine):
    """Raises an exception that is not one of the pipeline's: a bug in an engine."""

    width: int

    def recognise_words(self, image: GreyImage, lang: str, timeout_s: float,
                        psm: int = 4) -> list[RawWord]:
        """Crashes on the marked page."""
        if image.shape[1] == self.width:
            raise RuntimeError("engine bug")
        return super().recognise_words(image, lang, timeout_s, psm)


@dataclass(frozen=True)
class DyingEngine(SureEngine):
    """Ends the worker process it runs in, as a segmentation fault would."""

    width: int

    def recognise_words(self, image: GreyImage, lang: str, timeout_s: float,
                        psm: int = 4) -> list[RawWord]:
        """Exits on the marked page (never run it in the test's own process)."""
        if image.shape[1] == self.width:
            os._exit(70)
        return super().recognise_words(image, lang, timeout_s, psm)


@dataclass(frozen=True)
class HangingEngine(SureEngine):
    """Would take ``seconds`` on the marked page, but keeps to the time it is given and
    then raises ``PageTimeoutError``, as Tesseract's wrapper does when it kills the program."""

    width: int
    seconds: float

    def recognise_words(self, image: GreyImage, lang: str, timeout_s: float,
                        psm: int = 4) -> list[RawWord]:
        """Hangs on the marked page until its time is up."""
        if image.shape[1] == self.width:
            time.sleep(min(self.seconds, timeout_s))
            if self.seconds > timeout_s:
                raise PageTimeoutError(f"The engine took longer than {timeout_s:g} s.")
        return super().recognise_words(image, lang, timeout_s, psm)


@dataclass(frozen=True)
class OverstayingEngine(SureEngine):
    """Takes ``seconds`` on the marked page whatever time it is given, then answers."""

    width: int
    seconds: float

    def recognise_words(self, image: GreyImage, lang: str, timeout_s: float,
                        psm: int = 4) -> list[RawWord]:
        """Reads the marked page late."""
        if image.shape[1] == self.width:
            time.sleep(self.seconds)
        return super().recognise_words(image, lang, timeout_s, psm)

    def detect_orientation(self, image: GreyImage, timeout_s: float) -> tuple[int, float]:
        """Answers late on the marked page."""
        if image.shape[1] == self.width:
            time.sleep(self.seconds)
        return super().detect_orientation(image, timeout_s)


@dataclass(frozen=True)
class LanguagelessEngine(SureEngine):
    """Reads no language at all."""

    def check_languages(self, lang: str) -> None:
        """Refuses every language."""
        raise EngineError(f"The engine has no '{lang}' language here.")
