"""Every route refuses, before its handler runs, text that no field may hold.

A control character (NUL above all: PostgreSQL cannot store it) or a bidirectional
override in the path, the query, a JSON body or a form field is one 422 with the field's
name, on every endpoint and both databases, instead of a check in each handler.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response, params
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile

from decoder.untrusted import refuse_forbidden

_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


async def refuse_forbidden_text(request: Request, *, reads_form: bool) -> None:
    """Raise ``InvalidInputError`` when the request's path, query or body holds a forbidden
    character. A form is parsed only for routes that read one (FastAPI reuses the parse)."""
    refuse_forbidden(dict(request.path_params), "path")
    for key, value in request.query_params.multi_items():
        refuse_forbidden({key: value}, "query")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in _FORM_TYPES:
        if reads_form:
            form = await request.form()
            for key, item in form.multi_items():
                text = (item.filename or "") if isinstance(item, UploadFile) else item
                refuse_forbidden({key: text}, "form")
        return
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            body = json.loads(await request.body())
        except (ValueError, RecursionError):
            return  # not JSON: the handler's own parser says so
        refuse_forbidden(body, "body")


class GuardedRoute(APIRoute):
    """An ``APIRoute`` whose handler first refuses forbidden characters."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        reads_form = self.body_field is not None and isinstance(self.body_field.field_info, params.Form)

        async def guarded(request: Request) -> Response:
            await refuse_forbidden_text(request, reads_form=reads_form)
            return await handler(request)

        return guarded


def guarded_router(**options: Any) -> APIRouter:
    """An ``APIRouter`` whose routes are :class:`GuardedRoute`."""
    return APIRouter(route_class=GuardedRoute, **options)
