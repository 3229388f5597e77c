"""Errors of the search layer."""

from __future__ import annotations

from decoder.errors import ErrorKind, InvalidInputError, PhienhieuError


class SearchUnavailableError(PhienhieuError):
    """The index cannot be reached or opened."""

    kind = ErrorKind.UNAVAILABLE
    code = "search_unavailable"


class OutdatedIndexError(SearchUnavailableError):
    """The embedded index was built with fields of an older version: it must be rebuilt."""

    code = "search_index_outdated"


class IndexBusyError(PhienhieuError):
    """Another process holds the index's writer; it applies the changes itself."""

    kind = ErrorKind.CONFLICT
    code = "index_busy"


class UnknownBackendError(InvalidInputError):
    """The search URL's scheme names no backend."""

    code = "unknown_search_backend"
