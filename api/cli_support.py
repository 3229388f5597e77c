"""What every ``phienhieu`` command shares: its context, JSON output, file reading."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from decoder.errors import InvalidInputError

if TYPE_CHECKING:
    from api.context import AppContext

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


@contextmanager
def open_context() -> Iterator[AppContext]:
    """The context of one command (settings from the environment), closed at its end."""
    # The database, OCR and extract stack is imported when a command needs it, so that
    # --help and the commands that need none of it start without it.
    from api.context import open_context as opened

    with opened() as context:
        yield context
