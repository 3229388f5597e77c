"""Documented error responses, shared by every route for its OpenAPI description."""

from __future__ import annotations

from typing import Any

from api.schemas import ErrorPublic

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorPublic, "description": "the body cannot be read (not UTF-8, or not the form)"},
    404: {"model": ErrorPublic, "description": "not found"},
    413: {"model": ErrorPublic, "description": "the request or a text in it is too large"},
    422: {"model": ErrorPublic, "description": "invalid input, with every problem located"},
}

#: A GeoJSON FeatureCollection (RFC 7946), served as ``application/geo+json``.
GEOJSON_RESPONSES: dict[int | str, dict[str, Any]] = ERROR_RESPONSES | {
    200: {"description": "a GeoJSON FeatureCollection",
          "content": {"application/geo+json": {"schema": {"type": "object"}}}},
}

#: Errors of endpoints that need a staff token.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "no valid staff token"},
    403: {"model": ErrorPublic, "description": "the role may not do this"},
    409: {"model": ErrorPublic, "description": "the record is not in a state that allows this"},
    429: {"model": ErrorPublic, "description": "too many attempts"},
    **ERROR_RESPONSES,
}
