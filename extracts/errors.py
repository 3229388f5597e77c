"""Why an extract cannot be made or checked."""

from __future__ import annotations

from decoder.errors import ErrorKind, PhienhieuError


class ExtractBlockedError(PhienhieuError):
    """The evidence does not allow issuing: an unverified mapping, an ambiguous or
    undecodable unit, no archived source page."""

    kind = ErrorKind.CONFLICT
    code = "extract_blocked"


class OfficeKeyError(PhienhieuError):
    """The issuing office's key or certificate cannot be used."""

    kind = ErrorKind.INVALID_INPUT
    code = "office_key"
