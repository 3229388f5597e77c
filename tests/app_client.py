"""``make_client(**overrides)``: an in-process API client over real, isolated storage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.context import AppContext
from api.security import CSRF_COOKIE
from api.settings import Settings
from archive.models import User
from archive.users import Role
from archive.worker import Worker
from ocr.options import OcrOptions
from usecases.registry import load_demo
from usecases.staff import add_account


def make_settings(data_dir: Path, database_url: str | None = None, **overrides: Any) -> Settings:
    """Settings for a test: its own data dir and database, never the environment's."""
    return Settings(data_dir=data_dir, database_url=database_url, **overrides)


@contextmanager
def make_client(data_dir: Path, database_url: str | None = None, *, demo: bool = True,
                publish_index: bool = True, **overrides: Any) -> Iterator[TestClient]:
    """A client for a fresh app; the demo registry is loaded unless ``demo=False``; its
    search index kept up to date in the background unless ``publish_index=False``."""
    context = AppContext.open(make_settings(data_dir, database_url, **overrides))
    if demo:
        load_demo(sessions=context.resources.sessions, registry=context.resources.registry)
    with TestClient(create_app(context=context, publish_index=publish_index),
                    raise_server_exceptions=False) as client:
        yield client


def context_of(client: TestClient) -> AppContext:
    """The context the client's app runs on."""
    context: AppContext = client.app.state.context  # type: ignore[attr-defined]
    return context


def add_staff(context: AppContext, name: str, password: str, role: Role) -> User:
    """A staff account made directly in the context's database."""
    return add_account(name, password, role, sessions=context.resources.sessions, actor="test")


def worker_for(context: AppContext) -> Worker:
    """An OCR worker on the context's database and blobs."""
    resources = context.resources
    return Worker(resources.sessions, resources.blobs, OcrOptions(), resources.job_policy)


def sign_in_page(client: TestClient, username: str, password: str) -> None:
    """Sign in through the login form as a person would (cookies, CSRF token and all)."""
    client.cookies.clear()
    client.get("/login")
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": client.cookies[CSRF_COOKIE], "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
