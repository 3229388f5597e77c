"""What the page pipeline asks of an OCR engine, and the words an engine reports.

The pipeline and the runner speak to an engine only through :class:`OcrEngine`;
``ocr.tesseract.TesseractEngine`` is the one the project ships. An engine travels to the
runner's worker processes with each page, so it must pickle: a module-level class whose
state is plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ocr.loading import GreyImage


@dataclass(frozen=True)
class RawWord:
    """A word as the engine reports it, on the image it was given."""

    text: str
    conf: float  # 0..1
    box: tuple[int, int, int, int]
    line_key: tuple[int, int, int]  # block, paragraph, line


class OcrEngine(Protocol):
    """An OCR engine as the pipeline uses it.

    Failures are the pipeline's own errors: ``PageTimeoutError`` when a call runs past
    the seconds it was given, ``EngineError`` for anything else the engine cannot do. The
    page that met them reports them and the run goes on; any other exception is a fault
    in the engine and stops the run.
    """

    def version(self) -> str:
        """The engine's name and version, recorded with every page it reads."""

    def check_languages(self, lang: str) -> None:
        """Refuse, before any page is read, a language list the engine cannot read.

        Raises:
            EngineError: the engine is missing or lacks one of the languages.
        """

    def recognise_words(self, image: GreyImage, lang: str, timeout_s: float,
                        psm: int = 4) -> list[RawWord]:
        """Every word on the image, in reading order.

        Args:
            image: the grey page (or a part of it) to read.
            lang: languages joined by ``+``, e.g. ``vie+eng``.
            timeout_s: seconds the call may take; past them it must stop.
            psm: Tesseract's page segmentation mode, as a layout hint.

        Raises:
            PageTimeoutError: the call ran past ``timeout_s``.
            EngineError: the engine failed.
        """

    def detect_orientation(self, image: GreyImage, timeout_s: float) -> tuple[int, float]:
        """Degrees to turn the page clockwise to make it upright, and the confidence;
        ``(0, 0.0)`` when the page holds too little text to tell.

        Raises:
            PageTimeoutError: the call ran past ``timeout_s``.
        """
