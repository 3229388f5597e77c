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

from api.errors import ExitCode
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


#: Refused rows printed one by one; the JSON report holds them all.
SHOWN_PROBLEMS = 1000


def report_import(summary: dict[str, Any], line: str, problems: list[tuple[int, str]],
                  ignored_columns: list[str], *, as_json: bool) -> None:
    """Print what an import of rows did (``summary`` as JSON, else ``line``), the columns it
    left out and each refused row; exit 1 when a row was refused."""
    if as_json:
        print_json({**summary, "refused": [{"row": row, "reason": reason} for row, reason in problems],
                    "ignored_columns": ignored_columns})
    else:
        typer.echo(line)
        if ignored_columns:
            typer.echo(f"Columns left out: {', '.join(ignored_columns)}.", err=True)
    for row, reason in problems[:SHOWN_PROBLEMS]:
        typer.echo(f"row {row}: {reason}", err=True)
    if problems:
        raise typer.Exit(ExitCode.FAILED)
