"""The in-memory registry of a process, reloaded when any process imports a new revision."""

from __future__ import annotations

import threading
import time

from sqlalchemy.orm import Session, sessionmaker

from archive.registry_store import load_registry, registry_revision
from decoder.registry import Registry

#: How long a loaded registry is trusted before the revision is checked again.
RECHECK_SECONDS = 1.0


class RegistryCache:
    """The current registry, checked against the stored revision at most once a second."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._registry: Registry | None = None
        self._revision = -1
        self._checked_at = 0.0

    def get(self) -> Registry:
        """The current registry, reloading it if its revision changed."""
        now = time.monotonic()
        if self._registry is not None and now - self._checked_at < RECHECK_SECONDS:
            return self._registry
        with self._lock, self._sessions() as session:
            revision = registry_revision(session)
            if self._registry is None or revision != self._revision:
                self._registry = Registry(load_registry(session).units)
                self._revision = revision
            self._checked_at = now
            return self._registry

    def invalidate(self) -> None:
        """Forget the loaded registry (after an import in this process)."""
        with self._lock:
            self._registry = None
