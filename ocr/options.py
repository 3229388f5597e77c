"""The validated options of one OCR run, shared by every page of it."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator


class OcrOptions(BaseModel):
    """What to recognise and within which limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lang: str = Field(default="vie", description="Tesseract languages, e.g. 'vie' or 'vie+eng'")
    dpi: int = Field(default=300, ge=72, le=1200, description="resolution PDFs are rendered at")
    min_dpi: int = Field(default=250, ge=72, le=1200, description="scans below this are upscaled")
    assumed_dpi: int = Field(default=300, ge=72, le=1200,
                             description="resolution assumed when a file does not say")
    max_pixels: int = Field(default=80_000_000, ge=1, description="largest page, in pixels")
    max_pages: int = Field(default=2_000, ge=1, description="most pages in one file")
    max_file_bytes: int = Field(default=512 * 1024 * 1024, ge=1)
    page_timeout_s: float = Field(default=180.0, gt=0)
    psm: int | None = Field(default=None, ge=3, le=13, description=(
        "Tesseract page segmentation; by default 4 (one column: wide typewriter gaps do not "
        "split lines into columns), 7 on a crop of one line, and on ruled tables each column "
        "read on its own (or 11, sparse text, when the table has no vertical rules); given, "
        "it is used as is"))
    orientation: bool = True
    dewarp: bool = Field(default=True, description=(
        "find the paper of a page photographed on a desk and warp it flat"))
    deskew: bool = True
    flatten: bool = True
    denoise: bool = True
    binarize: bool = True
    clean_borders: bool = True
    remove_rules: bool = True
    safety_net: bool = Field(default=True, description=(
        "when the reading looks bad, read the page as plain Tesseract would too, and padded, "
        "and keep the reading that looks best"))
    regions: bool = Field(default=True, description=(
        "find stamps, signatures and handwriting, mark them as regions and leave what was read "
        "in them out of the text"))
    rethreshold: bool = Field(default=True, description=(
        "binarise a page that reads badly again with thinner strokes, keeping the surer reading"))

    @field_validator("lang")
    @classmethod
    def _lang_names(cls, value: str) -> str:
        # Passed to a program: only names of installed traineddata files are allowed.
        if not re.fullmatch(r"[A-Za-z_]{3,20}(\+[A-Za-z_]{3,20}){0,4}", value):
            raise ValueError(f"{value!r} is not a Tesseract language list such as 'vie+eng'")
        return value
