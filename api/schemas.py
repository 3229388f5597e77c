"""Request and response bodies of the HTTP API (the decode result itself is the domain's)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from decoder.result import DecodeResult

DecodePublic = DecodeResult


class ErrorPublic(BaseModel):
    """Every error response: one sentence, plus the located problems where there are any."""

    detail: str
    problems: list[dict[str, str]] | None = None


class DecodeRequest(BaseModel):
    """``{"text": "c2 d5 e88 f308", "date": "1972-07"}``."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the unit, code or whole passage as written")
    date: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD")


class DecodeBatchRequest(BaseModel):
    """Many texts at once, each with its own date."""

    model_config = ConfigDict(extra="forbid")

    items: list[DecodeRequest] = Field(min_length=1, max_length=1000)


class DecodeBatchItem(BaseModel):
    """The result for one item, or why it could not be decoded."""

    result: DecodeResult | None
    error: str | None


class DecodeBatchPublic(BaseModel):
    """Results in the order of the request's items."""

    results: list[DecodeBatchItem]


class HealthPublic(BaseModel):
    """``{"status": "ok"}``."""

    status: str


class ImportReportPublic(BaseModel):
    """What a registry import changed."""

    created: int
    updated: int
    unchanged: int
    revision: int
