"""The OCR result of CONTRACT.md: files, pages and words with boxes and confidence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field


class StepRecord(BaseModel):
    """One preprocessing stage as it ran on a page."""

    name: str
    ms: float
    detail: str


class OcrWord(BaseModel):
    """A recognised word; ``box`` is ``[x, y, width, height]`` on the page as loaded."""

    text: str
    conf: float = Field(ge=0, le=1)
    box: list[int]
    line: int = Field(description="index of the line the word is on, in reading order")
    start: int = Field(description="offset of the word in the page text")
    end: int = Field(description="offset just past the word in the page text")


def union_box(boxes: Sequence[list[int]]) -> list[int]:
    """The ``[x, y, width, height]`` box around non-empty ``boxes`` of the same form."""
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return [left, top, right - left, bottom - top]


EntityKind = Literal["designation", "mailbox", "date", "person", "place", "rank"]


class Entity(BaseModel):
    """Something worth knowing found in the page text, with where it is on the page."""

    kind: EntityKind
    text: str = Field(description="as read")
    value: str = Field(description="normalised: ISO partial date, name, designation…")
    start: int
    end: int
    box: list[int] | None = Field(description="[x, y, width, height] around its words")


RegionKind = Literal["stamp", "signature", "handwriting"]


class Region(BaseModel):
    """Ink on the page that is not print: a stamp or seal, a signature, handwriting.
    What Tesseract read there is left out of the page text."""

    kind: RegionKind
    box: list[int] = Field(description="[x, y, width, height] on the page as loaded")
    detail: str = Field(default="", description="what told it from print")


class OcrPage(BaseModel):
    """One page: its text, words and what was done to it."""

    number: int
    text: str
    confidence: float = Field(ge=0, le=1)
    rotation: int = Field(description="degrees turned clockwise to make the page upright")
    skew: float = Field(description="tilt of the text lines found, degrees counter-clockwise")
    words: list[OcrWord]
    source: Literal["ocr", "text_layer"] = "ocr"
    width: int = 0
    height: int = 0
    engine: str = ""
    steps: list[StepRecord] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    error: str | None = None


class OcrFile(BaseModel):
    """One input file: its pages, or why it could not be read."""

    path: str
    error: str | None = None
    pages: list[OcrPage] = Field(default_factory=list)


class OcrResult(BaseModel):
    """All the files of one run."""

    files: list[OcrFile]
