"""The one settings object, read from ``PHIENHIEU_*`` environment variables at start-up.

Every setting is declared here with its default and help text; the README's
configuration table is checked against this class by the tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from decoder.errors import InvalidInputError, first_problem


class Settings(BaseSettings):
    """Configuration of a Phiên hiệu process (server, worker or CLI command)."""

    model_config = SettingsConfigDict(env_prefix="PHIENHIEU_", extra="forbid", frozen=True)

    data_dir: Path = Field(
        default=Path("./data"),
        description="where the SQLite file, the embedded index, blobs and keys live",
    )
    database_url: str | None = Field(
        default=None,
        description="any SQLAlchemy URL; PostgreSQL is supported (default: SQLite file in the data dir)",
    )
    elasticsearch_url: str | None = Field(
        default=None, description="use an Elasticsearch cluster instead of the embedded index"
    )
    ocr_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=0, le=256,
        description="OCR processes started by `serve` (0: none, use `phienhieu worker`)",
    )
    job_lease_seconds: float = Field(
        default=60.0, ge=1, le=3600,
        description="how long a worker holds a job without renewing it before another takes it",
    )
    job_max_attempts: int = Field(
        default=5, ge=1, le=100, description="attempts at a job before it is marked failed",
    )
    job_retry_seconds: float = Field(
        default=5.0, ge=0, le=3600,
        description="wait before the first retry of a failed job; doubled for each further one",
    )
    max_upload_bytes: int = Field(
        default=1024 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024 * 1024,
        description="largest upload of scans in one request",
    )
    max_decode_chars: int = Field(
        default=20_000, ge=100, le=1_000_000,
        description="longest text one decode request accepts",
    )
    max_import_bytes: int = Field(
        default=200 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024 * 1024,
        description="largest file a cemeteries, graves or burials import reads (a spreadsheet: "
                    "at most 20 MB whatever this says)",
    )
    max_batch_rows: int = Field(
        default=10_000, ge=1, le=1_000_000,
        description="most rows one batch decode accepts",
    )
    office_name: str = Field(
        default="Phòng Chính sách người có công", min_length=1, max_length=200,
        description="the office that issues and signs extracts, as printed on them",
    )
    office_place: str = Field(
        default="Hà Nội", min_length=1, max_length=100,
        description="the place written before the date of an extract",
    )
    trusted_proxies: str = Field(
        default="", max_length=1000, pattern=r"^[0-9A-Fa-f.:/, ]*$",
        description="comma-separated addresses of the reverse proxies whose X-Forwarded-For and "
                    "X-Forwarded-Proto are believed (empty: nobody's, so a client cannot pick the "
                    "address its rate limits count against)",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000", min_length=1, max_length=300, pattern=r"^https?://\S+$",
        description="the address the public reaches this service at; extracts' QR codes point there",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_unknown_variables(cls, data: Any) -> Any:
        # A misspelt variable would otherwise be ignored without a word.
        known = {f"PHIENHIEU_{name.upper()}" for name in cls.model_fields}
        unknown = sorted(
            name for name in os.environ
            if name.startswith("PHIENHIEU_") and name not in known
            and not name.startswith("PHIENHIEU_TEST_")
        )
        if unknown:
            raise ValueError(f"unknown setting {unknown[0]}; known: {', '.join(sorted(known))}")
        return data

    @field_validator("database_url", "elasticsearch_url")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value or None

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force (the SQLite file in the data dir by default)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'phienhieu.sqlite3').resolve()}"


class SettingsError(InvalidInputError):
    """The environment holds a setting that cannot be used."""

    code = "invalid_settings"


def load_settings() -> Settings:
    """Settings from the environment, or one sentence saying what is wrong.

    Raises:
        SettingsError: a value has the wrong type or a variable is unknown.
    """
    try:
        return Settings()
    except ValidationError as error:
        where, message = first_problem(error, "environment")
        raise SettingsError(f"Invalid setting ({where}): {message}.") from None
