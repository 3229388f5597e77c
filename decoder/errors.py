"""Errors of the decoding domain.

Every error in Phiên hiệu derives from :class:`PhienhieuError`. Its ``kind`` says what
sort of failure it is; the API maps kinds to HTTP statuses and the CLI to exit codes,
so domain code never speaks of either.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import ValidationError


class ErrorKind(StrEnum):
    """What went wrong, independent of how it is reported."""

    INVALID_INPUT = "invalid_input"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    TOO_LARGE = "too_large"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    TOO_MANY_REQUESTS = "too_many_requests"
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"


class PhienhieuError(Exception):
    """Base of every error the project raises on purpose.

    Args:
        message: one sentence a user can act on.
    """

    kind: ErrorKind = ErrorKind.INTERNAL
    code: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInputError(PhienhieuError):
    """The caller sent something the domain cannot accept."""

    kind = ErrorKind.INVALID_INPUT
    code = "invalid_input"


class InvalidDateError(InvalidInputError):
    """A partial date is malformed or impossible."""

    code = "invalid_date"


class TextTooLongError(PhienhieuError):
    """A text is longer than the decoder accepts in one call."""

    kind = ErrorKind.TOO_LARGE
    code = "text_too_long"


class TooManyDesignationsError(PhienhieuError):
    """A text names more units or codes than one decode accepts."""

    kind = ErrorKind.TOO_LARGE
    code = "too_many_designations"


class RegistryProblem:
    """One problem found in a registry document, located by its JSON path."""

    __slots__ = ("message", "path")

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message

    def __repr__(self) -> str:
        return f"RegistryProblem({self.path!r}, {self.message!r})"

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        """The problem as JSON-ready data."""
        return {"path": self.path, "message": self.message}


class InvalidRegistryError(InvalidInputError):
    """A registry document failed validation; nothing was stored.

    Args:
        problems: every problem found, each with its JSON path.
    """

    code = "invalid_registry"

    def __init__(self, problems: list[RegistryProblem]) -> None:
        count = len(problems)
        first = problems[0] if problems else RegistryProblem("$", "unknown problem")
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"The registry file is invalid: {first}{more}.")
        self.problems = problems


class NotFoundError(PhienhieuError):
    """A record asked for does not exist."""

    kind = ErrorKind.NOT_FOUND
    code = "not_found"


class UnknownUnitError(PhienhieuError):
    """A unit id is not in the registry."""

    kind = ErrorKind.NOT_FOUND
    code = "unknown_unit"


def first_problem(error: ValidationError, default_place: str) -> tuple[str, str]:
    """Where the first problem of a pydantic ``error`` lies (its dotted location, or
    ``default_place`` for the whole value) and what it is, without pydantic's
    ``Value error,`` prefix."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or default_place
    return where, str(first["msg"]).removeprefix("Value error, ")
