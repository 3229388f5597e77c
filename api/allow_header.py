"""Correct ``Allow`` headers on ``405`` responses.

Where one path has several routes (``GET /requests`` and ``POST /requests``), Starlette
answers an unsupported method with the first route's methods only; this middleware
names every method the API documents for the path.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class AllowHeaderMiddleware:
    """Rewrite the ``Allow`` header of 405 responses from the documented paths.

    Args:
        app: the wrapped application.
        paths: returns ``{path template: methods}`` (read once, on the first 405).
    """

    def __init__(self, app: ASGIApp, paths: Callable[[], dict[str, set[str]]]) -> None:
        self.app = app
        self._paths = paths
        self._patterns: list[tuple[re.Pattern[str], str]] | None = None

    def _allowed(self, path: str) -> str | None:
        if self._patterns is None:
            self._patterns = [
                (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"),
                 ", ".join(sorted(methods)))
                for template, methods in self._paths().items()]
        return next((methods for pattern, methods in self._patterns if pattern.match(path)), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def fix_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                allowed = self._allowed(scope.get("path", ""))
                if allowed:
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                    message = {**message, "headers": [*headers, (b"allow", allowed.encode())]}
            await send(message)

        await self.app(scope, receive, fix_allow)
