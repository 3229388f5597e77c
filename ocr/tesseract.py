"""The one wrapper around the ``tesseract`` program (through pytesseract).

Process failures and time-outs become the pipeline's own errors here, and nowhere else.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import pytesseract

from ocr.engine import RawWord
from ocr.errors import EngineError, PageTimeoutError
from ocr.loading import GreyImage

# RawWord moved to ocr.engine with the engine interface; it is still importable from here.
__all__ = ["RawWord", "TesseractEngine", "check_languages", "detect_orientation", "engine_version",
           "installed_languages", "recognise_words"]

_NOT_INSTALLED = "Tesseract is not installed; run scripts/bootstrap.sh."

# One thread per Tesseract: pages already run in parallel, one process per core.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@cache
def engine_version() -> str:
    """``tesseract 5.3.0`` or the like.

    Raises:
        EngineError: Tesseract is not installed.
    """
    try:
        return f"tesseract {pytesseract.get_tesseract_version()}"
    except pytesseract.TesseractNotFoundError:
        raise EngineError(_NOT_INSTALLED) from None


@cache
def installed_languages() -> frozenset[str]:
    """The languages Tesseract can read here."""
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError:
        raise EngineError(_NOT_INSTALLED) from None


def check_languages(lang: str) -> None:
    """Refuse a language that is not installed, before any page is worked on.

    Raises:
        EngineError: one of the languages is missing.
    """
    missing = sorted(set(lang.split("+")) - installed_languages())
    if missing:
        raise EngineError(
            f"Tesseract has no '{missing[0]}' language here; installed: "
            f"{', '.join(sorted(installed_languages()))}.")


def recognise_words(image: GreyImage, lang: str, timeout_s: float, psm: int = 4) -> list[RawWord]:
    """Every word Tesseract finds on the image, in reading order.

    Raises:
        PageTimeoutError: Tesseract ran past ``timeout_s``.
        EngineError: Tesseract failed.
    """
    data = _call(pytesseract.image_to_data, image, lang=lang, config=f"--oem 1 --psm {int(psm)}",
                 output_type=pytesseract.Output.DICT, timeout=timeout_s)
    words = []
    for index, text in enumerate(data["text"]):
        if int(data["level"][index]) != 5 or not str(text).strip():
            continue
        box = (int(data["left"][index]), int(data["top"][index]), int(data["width"][index]),
               int(data["height"][index]))
        key = (int(data["block_num"][index]), int(data["par_num"][index]),
               int(data["line_num"][index]))
        words.append(RawWord(str(text).strip(), max(0.0, float(data["conf"][index])) / 100, box, key))
    return words


def detect_orientation(image: GreyImage, timeout_s: float) -> tuple[int, float]:
    """Degrees to turn the page clockwise to make it upright, and OSD's confidence.

    A page with too little text for OSD counts as upright with no confidence.
    """
    try:
        result = _call(pytesseract.image_to_osd, image, config="--psm 0",
                       output_type=pytesseract.Output.DICT, timeout=timeout_s)
    except EngineError:
        return 0, 0.0
    return int(result.get("rotate", 0)), float(result.get("orientation_conf", 0.0))


def _call(function: Any, image: GreyImage, **kwargs: Any) -> Any:
    try:
        return function(image, **kwargs)
    except pytesseract.TesseractNotFoundError:
        raise EngineError(_NOT_INSTALLED) from None
    except RuntimeError as error:
        if "timeout" in str(error).lower():
            raise PageTimeoutError(f"Tesseract took longer than {kwargs.get('timeout')} s.") from None
        raise EngineError(f"Tesseract failed: {str(error).strip()[:200]}") from None


class TesseractEngine:
    """Tesseract as an :class:`~ocr.engine.OcrEngine`: the functions of this module.

    It holds no state, so it pickles to the runner's worker processes as its name.
    """

    def version(self) -> str:
        """``tesseract 5.3.0`` or the like."""
        return engine_version()

    def check_languages(self, lang: str) -> None:
        """Refuse a language that is not installed (see :func:`check_languages`)."""
        check_languages(lang)

    def recognise_words(self, image: GreyImage, lang: str, timeout_s: float,
                        psm: int = 4) -> list[RawWord]:
        """Every word Tesseract finds (see :func:`recognise_words`)."""
        return recognise_words(image, lang, timeout_s, psm)

    def detect_orientation(self, image: GreyImage, timeout_s: float) -> tuple[int, float]:
        """Tesseract's OSD (see :func:`detect_orientation`)."""
        return detect_orientation(image, timeout_s)
