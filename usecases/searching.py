"""Search use cases: keep the index in step with the database, search it, rebuild it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from archive.models import utc_now
from archive.outbox import Change, drain_outbox
from archive.search_feed import (
    all_documents,
    cemetery_documents,
    count_documents,
    documents_for,
    page_hit_boxes,
    requeue_changed_since,
)
from search.analysis import terms
from search.errors import IndexBusyError
from search.model import SearchRequest, SearchResult
from search.protocol import SearchIndex
from usecases.registry_cache import RegistryCache

log = logging.getLogger("phienhieu.search")


def publish_changes(*, sessions: sessionmaker[Session], index: SearchIndex,
                    registry: RegistryCache) -> int:
    """Apply the outbox to the index until it is empty; returns the entries applied.

    Returns without waiting when another process holds the embedded index's writer:
    that process applies them.
    """

    def apply(changes: Sequence[Change]) -> None:
        with sessions() as session:
            documents, gone = documents_for(session, changes, registry.get())
            index.upsert(documents)
            for batch in cemetery_documents(session, changes, registry.get()):
                index.upsert(batch)
        index.delete(gone)
        index.commit()

    applied = 0
    try:
        while True:
            report = drain_outbox(sessions, apply, passthrough=(IndexBusyError,))
            applied += report.applied
            if report.error:
                log.warning("the search index could not be updated, will retry: %s", report.error)
            if not report.applied:
                return applied
    except IndexBusyError:
        return applied


def search(request: SearchRequest, *, sessions: sessionmaker[Session], index: SearchIndex) -> SearchResult:
    """Search the index; page hits get the boxes of their matching words."""
    result = index.search(request)
    page_ids = [int(hit.id) for hit in result.hits if hit.type == "page" and hit.id.isdigit()]
    if page_ids:
        with sessions() as session:
            boxes = page_hit_boxes(session, page_ids, terms(request.q))
        for hit in result.hits:
            if hit.type == "page" and hit.id.isdigit():
                hit.boxes = boxes.get(int(hit.id), [])
    return result


def rebuild_index(*, sessions: sessionmaker[Session], index: SearchIndex, registry: RegistryCache,
                  progress: Callable[[int, int], None] | None = None) -> int:
    """Build a new generation of the index from the database beside the live one and
    promote it; returns the documents written.

    Searches keep being answered from the old generation meanwhile; what changed during
    the build is queued again, for the caller to publish once it has reopened the index.
    """
    started = utc_now()
    fresh = index.new_generation()
    done = 0
    with sessions() as session:
        total = count_documents(session)
        for batch in all_documents(session, registry.get()):
            fresh.upsert(batch)
            done += len(batch)
            if progress is not None:
                progress(done, total)
    fresh.promote()
    with sessions.begin() as session:
        requeue_changed_since(session, started)
    return done
