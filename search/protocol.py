"""The one interface both search backends implement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from search.model import IndexDocument, SearchRequest, SearchResult


class SearchIndex(Protocol):
    """A search index. Writes become visible after :meth:`commit`."""

    def upsert(self, documents: Sequence[IndexDocument]) -> None:
        """Add documents, replacing those with the same key."""

    def delete(self, keys: Sequence[str]) -> None:
        """Remove documents by key (``type:id``); unknown keys are ignored."""

    def commit(self) -> None:
        """Make every write so far durable and searchable."""

    def clear(self) -> None:
        """Remove every document (committed with the next commit)."""

    def count(self) -> int:
        """How many documents are searchable."""

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search; hits carry stored text for snippets."""

    def new_generation(self) -> SearchIndex:
        """An empty index beside this one, for a rebuild; searches still go here."""

    def promote(self) -> None:
        """Make this (new) generation the one every process searches, and drop the old."""

    def close(self) -> None:
        """Release files and connections."""
