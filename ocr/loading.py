"""Reading scans: PNG, JPEG, TIFF (multi-page), WebP and PDF, as grey pages.

The type is read from the file's first bytes, never from its name. Sizes are checked
from the header before any pixel is decoded, so a decompression bomb is refused without
being expanded. PDF pages are rendered with pdfium; a page that already carries text
keeps it, flagged as such.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageSequence, UnidentifiedImageError

from ocr.errors import EncryptedPdfError, TooLargeError, UnreadableFileError
from ocr.options import OcrOptions

Kind = Literal["pdf", "png", "jpeg", "tiff", "webp"]
GreyImage = NDArray[np.uint8]

# A PDF page with fewer characters than this in its text layer is treated as a scan.
_MIN_TEXT_LAYER_CHARS = 20


@dataclass
class SourcePage:
    """One page as loaded: grey pixels, resolution, and any text it already had."""

    number: int
    image: GreyImage
    dpi: int
    text_layer: str | None = None


def sniff_kind(path: Path) -> Kind:
    """The file type from its magic bytes.

    Raises:
        UnreadableFileError: empty, unreadable, or not a supported type.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as error:
        raise UnreadableFileError(f"{path.name}: cannot be read ({error.strerror}).") from None
    if not head:
        raise UnreadableFileError(f"{path.name}: the file is empty.")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    raise UnreadableFileError(
        f"{path.name}: not a PNG, JPEG, TIFF, WebP or PDF file (whatever its name says)."
    )


def count_pages(path: Path, options: OcrOptions) -> int:
    """How many pages the file has, checking the limits on the way.

    Raises:
        UnreadableFileError, EncryptedPdfError, TooLargeError.
    """
    _check_size(path, options)
    if sniff_kind(path) == "pdf":
        with _open_pdf(path) as pdf:
            pages = len(pdf)
    else:
        with _open_image(path) as image:
            pages = getattr(image, "n_frames", 1)
    if pages > options.max_pages:
        raise TooLargeError(f"{path.name}: {pages:,} pages; at most {options.max_pages:,} are accepted.")
    if pages == 0:
        raise UnreadableFileError(f"{path.name}: the document has no pages.")
    return pages


def load_page(path: Path, number: int, options: OcrOptions) -> SourcePage:
    """Page ``number`` (from 1) of the file, as grey pixels.

    Raises:
        UnreadableFileError, EncryptedPdfError, TooLargeError.
    """
    if sniff_kind(path) == "pdf":
        return _load_pdf_page(path, number, options)
    with _open_image(path) as image:
        frames = ImageSequence.Iterator(image)
        try:
            frame = frames[number - 1]
        except (IndexError, EOFError):
            raise UnreadableFileError(f"{path.name}: there is no page {number}.") from None
        return SourcePage(number, _grey_pixels(path, frame, options), _dpi(frame, options))


def load_pages(path: Path, options: OcrOptions) -> Iterator[SourcePage]:
    """Every page of the file, one at a time."""
    for number in range(1, count_pages(path, options) + 1):
        yield load_page(path, number, options)


def _check_size(path: Path, options: OcrOptions) -> None:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UnreadableFileError(f"{path.name}: cannot be read ({error.strerror}).") from None
    if size > options.max_file_bytes:
        raise TooLargeError(
            f"{path.name}: {size:,} bytes; at most {options.max_file_bytes:,} are accepted.")


def _open_image(path: Path) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooLargeError(f"{path.name}: the image is too large to decode safely.") from None
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise UnreadableFileError(f"{path.name}: not a readable image ({error}).") from None


def _grey_pixels(path: Path, frame: Image.Image, options: OcrOptions) -> GreyImage:
    width, height = frame.size
    if width * height > options.max_pixels:
        raise TooLargeError(
            f"{path.name}: a page of {width:,} × {height:,} pixels is larger than the "
            f"{options.max_pixels:,} pixels accepted.")
    try:
        frame.load()
        grey = frame.convert("L")
    except (OSError, ValueError, SyntaxError) as error:
        raise UnreadableFileError(f"{path.name}: the image data is damaged ({error}).") from None
    return np.asarray(grey, dtype=np.uint8).copy()


def _dpi(frame: Image.Image, options: OcrOptions) -> int:
    dpi = frame.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if 50 <= value <= 2400 else options.assumed_dpi


def _open_pdf(path: Path):  # type: ignore[no-untyped-def]  # pypdfium2 ships no types
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise EncryptedPdfError(f"{path.name}: the PDF is protected by a password.") from None
        raise UnreadableFileError(f"{path.name}: not a readable PDF ({error}).") from None


def _load_pdf_page(path: Path, number: int, options: OcrOptions) -> SourcePage:
    with _open_pdf(path) as pdf:
        if not 1 <= number <= len(pdf):
            raise UnreadableFileError(f"{path.name}: there is no page {number}.")
        page = pdf[number - 1]
        width, height = page.get_size()
        scale = options.dpi / 72
        if width * scale * height * scale > options.max_pixels:
            raise TooLargeError(
                f"{path.name}: page {number} would render larger than {options.max_pixels:,} pixels.")
        text = page.get_textpage().get_text_range().strip()
        bitmap = page.render(scale=scale, grayscale=True)
        pixels = np.asarray(bitmap.to_pil().convert("L"), dtype=np.uint8).copy()
    layer = text if len(text) >= _MIN_TEXT_LAYER_CHARS else None
    return SourcePage(number, pixels, options.dpi, layer)
