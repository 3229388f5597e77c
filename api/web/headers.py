"""Security headers on the web UI's pages."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Scripts and styles only from this site; inline styles are allowed for the word boxes
#: of the page viewer. Nothing may frame the pages.
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                           "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")
_HEADERS = [(b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY")]
#: FastAPI's API documentation pages load their own scripts; they keep their defaults.
_EXEMPT = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    """Add the headers above to every HTML answer outside the API documentation."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_EXEMPT):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = next((value for name, value in headers if name == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    message["headers"] = headers + _HEADERS
                else:
                    message["headers"] = [*headers, _HEADERS[1]]
            await send(message)

        await self.app(scope, receive, send_with_headers)
