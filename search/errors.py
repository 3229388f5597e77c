"""Errors of the search layer."""

from __future__ import annotations

from decoder.errors import ErrorKind, PhienhieuError


class SearchUnavailableError(PhienhieuError):
    """The index cannot be reached or opened."""

    kind = ErrorKind.UNAVAILABLE
    code = "search_unavailable"


class IndexBusyError(PhienhieuError):
    """Another process holds the index's writer; it applies the changes itself."""

    kind = ErrorKind.CONFLICT
    code = "index_busy"
