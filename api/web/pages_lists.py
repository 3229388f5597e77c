"""Source lists on the web: the lists imported, and a list uploaded, previewed with its
column mapping and first rows, then imported."""

from __future__ import annotations

import contextlib
import secrets
import shutil
import time
from pathlib import Path
from typing import Annotated

from fastapi import File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from api.deps import ResourcesDep, SettingsDep
from api.guarded_route import guarded_router
from api.settings import Settings
from api.web.render import gettext, render
from api.web.session import CsrfChecked, require_page
from archive.errors import TooLargeFileError
from archive.models import User
from archive.tabular import SUFFIXES
from archive.users import Action
from decoder.errors import InvalidInputError, PhienhieuError
from usecases.lists import check_source_name, import_list_file, preview_list_file, source_lists

router = guarded_router(include_in_schema=False)
Importer = Annotated[User, require_page(Action.IMPORT_LISTS)]
_TOKEN_CHARS = 32
#: How long an upload waits for its import after its preview.
STAGED_SECONDS = 24 * 3600


def _staged(settings: Settings, token: str, suffix: str) -> Path:
    """Where an uploaded list waits between its preview and its import (the name is ours:
    nothing of the uploaded file's name reaches the disk)."""
    return settings.data_dir / "uploads" / "lists" / f"{token}{suffix}"


def sweep_staged(folder: Path, *, now: float | None = None) -> int:
    """Remove the uploads previewed more than :data:`STAGED_SECONDS` ago and never
    imported; how many were removed."""
    if not folder.is_dir():
        return 0
    cutoff = (now if now is not None else time.time()) - STAGED_SECONDS
    removed = 0
    for path in folder.iterdir():
        with contextlib.suppress(OSError):  # imported or swept by another request meanwhile
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed


@router.get("/lists")
def lists_page(request: Request, resources: ResourcesDep, settings: SettingsDep, user: Importer,
               imported: Annotated[str, Query(max_length=100)] = "",
               entries: Annotated[int, Query(ge=0, le=10**9)] = 0,
               refused: Annotated[int, Query(ge=0, le=10**9)] = 0) -> Response:
    """The lists imported, and the form to upload one."""
    return render(request, "web/lists.html", {
        "lists": source_lists(sessions=resources.sessions), "imported": imported, "entries": entries,
        "refused": refused, "max_bytes": settings.max_import_bytes}, user=user)


@router.post("/lists/preview", dependencies=[CsrfChecked])
def preview_page(request: Request, resources: ResourcesDep, settings: SettingsDep, user: Importer,
                 file: Annotated[UploadFile, File()],
                 source: Annotated[str, Form(max_length=200)]) -> Response:
    """Keep the upload aside and show how it would be read; nothing is imported yet."""
    suffix = Path(file.filename or "").suffix.lower()
    token = secrets.token_hex(_TOKEN_CHARS // 2)
    staged = _staged(settings, token, suffix)
    sweep_staged(staged.parent)
    try:
        name = check_source_name(source)
        if suffix not in SUFFIXES:
            raise InvalidInputError(gettext(request, "Upload a .csv, .jsonl or .xlsx file."))
        staged.parent.mkdir(parents=True, exist_ok=True)
        with staged.open("wb") as out:
            shutil.copyfileobj(file.file, out, length=1 << 20)
        if staged.stat().st_size > settings.max_import_bytes:
            raise TooLargeFileError(gettext(request, "The file is larger than an import takes."))
        preview = preview_list_file(staged, max_bytes=settings.max_import_bytes)
    except PhienhieuError as failure:
        staged.unlink(missing_ok=True)
        return render(request, "web/lists.html", {
            "lists": source_lists(sessions=resources.sessions), "error": failure.message,
            "max_bytes": settings.max_import_bytes}, user=user, status_code=422)
    return render(request, "web/list_preview.html", {
        "preview": preview, "source": name, "token": token, "suffix": suffix,
        "filename": (file.filename or "")[:200]}, user=user)


@router.post("/lists/import", dependencies=[CsrfChecked])
def import_page(request: Request, resources: ResourcesDep, settings: SettingsDep, user: Importer,
                token: Annotated[str, Form(min_length=_TOKEN_CHARS, max_length=_TOKEN_CHARS,
                                           pattern="^[0-9a-f]+$")],
                suffix: Annotated[str, Form(max_length=6)],
                source: Annotated[str, Form(max_length=200)]) -> Response:
    """Import the list previewed, replacing the list of that name."""
    if suffix not in SUFFIXES:
        raise InvalidInputError(gettext(request, "Upload a .csv, .jsonl or .xlsx file."))
    staged = _staged(settings, token, suffix)
    if not staged.is_file():
        raise InvalidInputError(gettext(request, "This upload is no longer waiting; upload the list again."))
    try:
        report = import_list_file(staged, source, sessions=resources.sessions, actor=user.username,
                                  max_bytes=settings.max_import_bytes)
    finally:
        staged.unlink(missing_ok=True)
    return RedirectResponse(f"/lists?imported={report.source}&entries={report.entries}"
                            f"&refused={len(report.problems)}", status_code=303)
