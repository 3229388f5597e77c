"""What one process builds from its settings, once: the resources, the guards and the
extract desk. The app factory keeps it on ``app.state``; a CLI command opens its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from api.security import Guards
from api.settings import Settings, load_settings
from archive.jobs import JobPolicy
from extracts.model import Office
from usecases.extracts import ExtractDesk
from usecases.resources import Resources


@dataclass
class AppContext:
    """The settings and everything a process opened from them."""

    settings: Settings
    resources: Resources
    guards: Guards
    extracts: ExtractDesk

    @classmethod
    def open(cls, settings: Settings) -> AppContext:
        """Open the database (migrated), blobs, index and keys the settings name."""
        resources = Resources.open(
            database_url=settings.resolved_database_url, data_dir=settings.data_dir,
            index_url=settings.elasticsearch_url,
            job_policy=JobPolicy(lease_s=settings.job_lease_seconds, max_attempts=settings.job_max_attempts,
                                 retry_base_s=settings.job_retry_seconds))
        office = Office(name=settings.office_name, place=settings.office_place,
                        verify_url=f"{settings.public_url.rstrip('/')}/verify")
        desk = ExtractDesk(sessions=resources.sessions, blobs=resources.blobs, registry=resources.registry,
                           office=office, data_dir=settings.data_dir)
        return cls(settings=settings, resources=resources, guards=Guards.for_data_dir(settings.data_dir),
                   extracts=desk)

    def close(self) -> None:
        """Release the index and the database connections."""
        self.resources.close()


@contextmanager
def open_context(settings: Settings | None = None) -> Iterator[AppContext]:
    """The context of one CLI command (settings from the environment), closed at its end."""
    context = AppContext.open(settings or load_settings())
    try:
        yield context
    finally:
        context.close()
