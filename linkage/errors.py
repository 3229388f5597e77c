"""Errors of the linkage."""

from __future__ import annotations

from decoder.errors import ErrorKind, PhienhieuError


class EngineUnavailableError(PhienhieuError):
    """The linkage engine asked for cannot run here (Spark without pyspark or Java)."""

    kind = ErrorKind.UNAVAILABLE
    code = "engine_unavailable"
