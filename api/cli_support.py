"""What every ``phienhieu`` command shares: services, JSON output, file reading."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.settings import load_settings
from decoder.errors import InvalidInputError

if TYPE_CHECKING:
    from api.services import Services

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]


@contextmanager
def open_services() -> Iterator[Services]:
    """Services for one command, closed at its end."""
    # Imported here so that --help and normalize start without the database stack.
    from api.services import Services

    services = Services(load_settings())
    try:
        yield services
    finally:
        services.close()


def print_json(data: Any) -> None:
    """Pretty JSON on stdout, Vietnamese left readable."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def read_file(path: Path) -> bytes:
    """A file's bytes, or one sentence saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInputError(f"Cannot read {path}: {error.strerror or error}.") from None
