"""How domain errors become HTTP responses and CLI exit codes: one table each."""

from __future__ import annotations

from enum import IntEnum

from decoder.errors import ErrorKind


class ExitCode(IntEnum):
    """Exit codes of the ``phienhieu`` command."""

    OK = 0
    FAILED = 1  # the command ran, and something it was given failed (a bad row, a bad file)
    USAGE = 2
    INVALID_INPUT = 3
    NOT_FOUND = 4
    CONFLICT = 5
    UNAVAILABLE = 6
    INTERNAL = 70


HTTP_STATUS: dict[ErrorKind, int] = {
    ErrorKind.INVALID_INPUT: 422,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.UNAUTHORIZED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.TOO_MANY_REQUESTS: 429,
    ErrorKind.UNAVAILABLE: 503,
    ErrorKind.INTERNAL: 500,
}

EXIT_CODE: dict[ErrorKind, ExitCode] = {
    ErrorKind.INVALID_INPUT: ExitCode.INVALID_INPUT,
    ErrorKind.NOT_FOUND: ExitCode.NOT_FOUND,
    ErrorKind.CONFLICT: ExitCode.CONFLICT,
    ErrorKind.TOO_LARGE: ExitCode.INVALID_INPUT,
    ErrorKind.UNAUTHORIZED: ExitCode.INVALID_INPUT,
    ErrorKind.FORBIDDEN: ExitCode.INVALID_INPUT,
    ErrorKind.TOO_MANY_REQUESTS: ExitCode.UNAVAILABLE,
    ErrorKind.UNAVAILABLE: ExitCode.UNAVAILABLE,
    ErrorKind.INTERNAL: ExitCode.INTERNAL,
}
