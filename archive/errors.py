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


class BlobMissingError(ArchiveError):
    """A blob the database refers to is not in the store."""

    kind = ErrorKind.NOT_FOUND
    code = "blob_missing"


class BlobCorruptError(ArchiveError):
    """A stored blob no longer has the checksum it was stored under."""

    code = "blob_corrupt"


class TooLargeFileError(ArchiveError):
    """A file is larger than the archive accepts."""

    kind = ErrorKind.TOO_LARGE
    code = "file_too_large"


class DuplicateUserError(ArchiveError):
    """A staff account with that name exists already."""

    kind = ErrorKind.CONFLICT
    code = "duplicate_user"


class WorkerStoppedError(ArchiveError):
    """A worker process stopped before it finished (killed, or out of memory)."""

    kind = ErrorKind.UNAVAILABLE
    code = "worker_stopped"
