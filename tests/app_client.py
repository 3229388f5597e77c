"""``make_client(**overrides)``: an in-process API client over real, isolated storage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services
from api.settings import Settings


def make_settings(data_dir: Path, database_url: str | None = None, **overrides: Any) -> Settings:
    """Settings for a test: its own data dir and database, never the environment's."""
    return Settings(data_dir=data_dir, database_url=database_url, **overrides)


@contextmanager
def make_client(data_dir: Path, database_url: str | None = None, *, demo: bool = True,
                **overrides: Any) -> Iterator[TestClient]:
    """A client for a fresh app; the demo registry is loaded unless ``demo=False``."""
    services = Services(make_settings(data_dir, database_url, **overrides))
    if demo:
        services.load_demo()
    with TestClient(create_app(services=services), raise_server_exceptions=False) as client:
        yield client
