"""The background thread that keeps the search index up to date from the outbox (in the
server, and in a worker run on its own)."""

from __future__ import annotations

import logging
import threading

from usecases.resources import Resources

log = logging.getLogger("phienhieu.publisher")

_EVERY_S = 1.0


class IndexPublisher:
    """Applies the outbox to the index every second, until stopped."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-publisher", daemon=True)

    def start(self) -> None:
        """Start publishing."""
        self._thread.start()

    def stop(self) -> None:
        """Finish the current batch and stop."""
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(_EVERY_S):
            try:
                self._resources.publish_changes()
            except Exception:  # the database or index may be away; the outbox keeps the work
                log.exception("publishing to the search index failed; will retry")
