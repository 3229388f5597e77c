"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.allow_header import AllowHeaderMiddleware
from api.body_limit import BodyLimitMiddleware
from api.context import AppContext
from api.errors import HTTP_STATUS
from api.publisher import IndexPublisher
from api.routes import (
    auth,
    decode,
    extracts,
    graves,
    health,
    leads,
    links,
    records,
    requests,
    samples,
    scans,
    search,
)
from api.routes.extracts import MAX_VERIFY_BYTES
from api.settings import Settings
from api.web import pages_archive, pages_family, pages_public, pages_registry, pages_staff, pages_verify
from api.web.errors import error_page
from api.web.headers import SecurityHeadersMiddleware
from api.web.pages_graves import router as grave_pages
from api.web.pages_leads import router as lead_pages
from api.web.pages_links import router as link_pages
from api.web.pages_lists import router as list_pages
from api.web.pages_public import login_redirect
from api.web.pages_samples import router as sample_pages
from api.web.session import LoginRequiredError
from api.worker_pool import WorkerPool
from archive.attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from decoder.errors import InvalidRegistryError, PhienhieuError

logger = logging.getLogger(__name__)

#: Largest JSON body accepted; uploads have their own limit.
MAX_JSON_BODY = 8 * 1024 * 1024
#: A family's request form: the text fields and up to five photos.
REQUEST_FORM_BODY = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1024 * 1024
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def create_app(settings: Settings | None = None, context: AppContext | None = None, *,
               publish_index: bool = True, workers: WorkerPool | None = None) -> FastAPI:
    """Build the application.

    Args:
        settings: configuration; read from the environment when omitted.
        context: an opened context (tests pass their own); opened from settings otherwise.
        publish_index: apply the search outbox to the index in the background.
        workers: OCR worker processes that live and stop with the application (stopped
            in its shutdown, which runs even when the server is ended by a signal).
    """
    context = context or AppContext.open(settings or Settings())
    app = FastAPI(
        title="Phiên hiệu",
        summary="Decode unit designations and cover codes of Vietnamese wartime documents.",
        version="0.1.0",
        lifespan=_lifespan(context, publish_index=publish_index, workers=workers),
    )
    app.state.context = context
    _add_middleware(app, upload_limit=context.settings.max_upload_bytes)
    _include_routers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _install_error_handlers(app)
    return app


def _lifespan(context: AppContext, *, publish_index: bool, workers: WorkerPool | None
              ) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Start the index publisher and the workers with the application, and stop them
    (then close the context) when it shuts down."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        publisher = IndexPublisher(context.resources) if publish_index else None
        if publisher:
            publisher.start()
        if workers:
            workers.start()
        yield
        if workers:
            await asyncio.to_thread(workers.stop)
        if publisher:
            publisher.stop()
        context.close()

    return lifespan


def _add_middleware(app: FastAPI, *, upload_limit: int) -> None:
    """Body limits (uploads and forms get more room than JSON), Allow headers on 405
    answers, and the security headers on every response."""
    app.add_middleware(AllowHeaderMiddleware, paths=lambda: {
        path: {method.upper() for method in operations}
        for path, operations in app.openapi()["paths"].items()})
    app.add_middleware(BodyLimitMiddleware, max_bytes=MAX_JSON_BODY,
                       larger={"/api/v1/scans": upload_limit, "/upload": upload_limit,
                               "/lists/preview": upload_limit,
                               "/api/v1/verify": MAX_VERIFY_BYTES + 1024 * 1024,
                               "/verify": MAX_VERIFY_BYTES + 1024 * 1024,
                               "/request": REQUEST_FORM_BODY})
    app.add_middleware(SecurityHeadersMiddleware)


def _include_routers(app: FastAPI) -> None:
    """The JSON API, then the web pages, in the order their paths are matched."""
    for router in (health.router, decode.router, search.router, auth.router, scans.router,
                   records.router, requests.router, extracts.router, graves.router, links.router,
                   samples.router, leads.router,
                   pages_public.router, pages_archive.router, pages_family.router,
                   pages_staff.router, pages_verify.router, pages_registry.router, grave_pages,
                   link_pages, list_pages, sample_pages, lead_pages):
        app.include_router(router)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/healthz", "/openapi.json", "/docs", "/redoc"))


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PhienhieuError)
    async def domain_error(request: Request, error: PhienhieuError) -> Response:
        if not _is_api(request):
            if isinstance(error, LoginRequiredError):
                return login_redirect(request, error)
            return error_page(request, HTTP_STATUS[error.kind], error.message)
        content: dict[str, object] = {"detail": error.message}
        if isinstance(error, InvalidRegistryError):
            content["problems"] = [p.as_dict() for p in error.problems]
        return JSONResponse(content, status_code=HTTP_STATUS[error.kind])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        problems = [
            {"path": ".".join(str(part) for part in item.get("loc", ())),
             "message": str(item.get("msg", "invalid"))}
            for item in error.errors()
        ]
        first = problems[0] if problems else {"path": "body", "message": "invalid"}
        if not _is_api(request):
            return error_page(request, 422, f"{first['path']}: {first['message']}")
        return JSONResponse(
            {"detail": f"Invalid request: {first['path']}: {first['message']}.",
             "problems": problems},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if not _is_api(request):
            return error_page(request, error.status_code, str(error.detail))
        return JSONResponse({"detail": error.detail}, status_code=error.status_code,
                            headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        logger.exception("unexpected error", exc_info=error)
        if not _is_api(request):
            return error_page(request, 500, "")
        return JSONResponse({"detail": "An internal error occurred."}, status_code=500)
