"""Registry JSON from outside (a file, a request body) into a validated document."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from decoder.errors import InvalidInputError, InvalidRegistryError, RegistryProblem
from decoder.registry_schema import RegistryDocument
from decoder.untrusted import parse_json, refuse_forbidden


def parse_registry_json(raw: bytes | str | Any) -> RegistryDocument:
    """Validate registry JSON (text, bytes or already-parsed data) into a document.

    Raises:
        InvalidRegistryError: malformed JSON or schema violations, every one with its path.
    """
    try:
        if isinstance(raw, bytes | str):
            raw = parse_json(raw)
        refuse_forbidden(raw, "$")
    except InvalidInputError as error:
        raise InvalidRegistryError([RegistryProblem("$", error.message)]) from None
    try:
        return RegistryDocument.model_validate(raw)
    except ValidationError as error:
        raise InvalidRegistryError([
            RegistryProblem(json_path(item["loc"]), item["msg"]) for item in error.errors()
        ]) from None


def json_path(location: tuple[int | str, ...]) -> str:
    """A pydantic error location as a JSON path: ``("units", 0, "id")`` → ``$.units[0].id``."""
    path = "$"
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def layered(base: RegistryDocument, top: RegistryDocument) -> RegistryDocument:
    """``base`` with every unit of ``top`` put in place of the base unit with its id (an
    office's own registry over the public one)."""
    ids = {unit.id for unit in top.units}
    return RegistryDocument(units=[*(unit for unit in base.units if unit.id not in ids), *top.units])
