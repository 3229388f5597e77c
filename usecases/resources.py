"""What a process holds for its whole life, opened once: the database, the blob store,
the registry cache and the search index."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive.blobs import BlobStore
from archive.db import make_engine, make_session_factory
from archive.ingest import recover_interrupted_ingests
from archive.jobs import JobPolicy
from archive.migrate import upgrade_database
from search.backends import open_index
from search.protocol import SearchIndex
from usecases.registry_cache import RegistryCache
from usecases.searching import publish_changes


@dataclass
class Resources:
    """The database, blobs, registry and search index of one process.

    Built by :meth:`open`; the search index is opened on first use and reopened after a
    rebuild switches generations.
    """

    engine: Engine
    sessions: sessionmaker[Session]
    blobs: BlobStore
    registry: RegistryCache
    job_policy: JobPolicy
    data_dir: Path
    index_url: str | None
    _index: SearchIndex | None = field(default=None, repr=False)

    @classmethod
    def open(cls, *, database_url: str, data_dir: Path, index_url: str | None,
             job_policy: JobPolicy) -> Resources:
        """Open the database (migrated to the head), the blob store and the registry
        cache, and finish any ingest a killed process left half-done."""
        data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(database_url)
        upgrade_database(engine)
        sessions = make_session_factory(engine)
        blobs = BlobStore(data_dir / "blobs")
        recover_interrupted_ingests(sessions, blobs)
        return cls(engine=engine, sessions=sessions, blobs=blobs, registry=RegistryCache(sessions),
                   job_policy=job_policy, data_dir=data_dir, index_url=index_url)

    @property
    def search_index(self) -> SearchIndex:
        """The embedded index in the data dir, or the cluster the index URL names."""
        if self._index is None:
            self._index = open_index(self.index_url, data_dir=self.data_dir)
        return self._index

    def publish_changes(self) -> int:
        """Apply the outbox to the search index until it is empty (see
        :func:`usecases.searching.publish_changes`)."""
        return publish_changes(sessions=self.sessions, index=self.search_index, registry=self.registry)

    def reopen_index(self) -> SearchIndex:
        """Close the index and open it again (on the generation a rebuild promoted)."""
        if self._index is not None:
            self._index.close()
            self._index = None
        return self.search_index

    def close(self) -> None:
        """Release the index and the database connections."""
        if self._index is not None:
            self._index.close()
            self._index = None
        self.engine.dispose()
