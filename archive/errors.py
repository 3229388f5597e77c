"""Errors of the archive (storage) layer."""

from __future__ import annotations

from decoder.errors import ErrorKind, PhienhieuError


class ArchiveError(PhienhieuError):
    """Base of storage errors."""

    code = "archive_error"


class DatabaseUnavailableError(ArchiveError):
    """The database cannot be reached or opened."""

    kind = ErrorKind.UNAVAILABLE
    code = "database_unavailable"
