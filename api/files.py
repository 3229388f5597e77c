"""Writing output files so that a failure never leaves a half-written one behind."""

from __future__ import annotations

from pathlib import Path

from decoder.errors import InvalidInputError


def write_atomically(path: Path, data: str, *, newline: str | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    Args:
        path: the file to write.
        data: its whole content.
        newline: passed to the text writer (``""`` keeps CSV line endings as written).

    Raises:
        InvalidInputError: the file cannot be written, in one sentence.
    """
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(data, encoding="utf-8", newline=newline)
        temporary.replace(path)
    except OSError as error:
        raise InvalidInputError(f"Cannot write {path}: {error.strerror or error}.") from None
