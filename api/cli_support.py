"""What every ``phienhieu`` command shares: its context, JSON output, file reading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from api.context import open_context
from decoder.errors import InvalidInputError

__all__ = ["JsonFlag", "open_context", "print_json", "progress_bar", "read_file"]

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]


def print_json(data: Any) -> None:
    """Pretty JSON on stdout, Vietnamese left readable."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def read_file(path: Path) -> bytes:
    """A file's bytes, or one sentence saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInputError(f"Cannot read {path}: {error.strerror or error}.") from None


def progress_bar() -> Progress:
    """A progress bar on stderr that disappears when done."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=Console(stderr=True), transient=True)
