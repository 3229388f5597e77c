"""Errors of the OCR pipeline; each says in one sentence what is wrong with which file."""

from __future__ import annotations

from decoder.errors import ErrorKind, PhienhieuError


class OcrError(PhienhieuError):
    """Base of OCR errors."""

    code = "ocr_error"


class UnreadableFileError(OcrError):
    """The file is not an image or PDF we can read (empty, truncated, wrong type)."""

    kind = ErrorKind.INVALID_INPUT
    code = "unreadable_file"


class EncryptedPdfError(UnreadableFileError):
    """The PDF is protected by a password."""

    code = "encrypted_pdf"


class TooLargeError(OcrError):
    """Past a configured limit: pixels per page, pages per file or bytes per file."""

    kind = ErrorKind.TOO_LARGE
    code = "too_large"


class EngineError(OcrError):
    """Tesseract is missing, lacks the language, or failed on a page."""

    kind = ErrorKind.UNAVAILABLE
    code = "engine_error"


class PageTimeoutError(OcrError):
    """A page took longer than the per-page time limit."""

    kind = ErrorKind.TOO_LARGE
    code = "page_timeout"
