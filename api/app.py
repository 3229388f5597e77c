"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api.allow_header import AllowHeaderMiddleware
from api.body_limit import BodyLimitMiddleware
from api.errors import HTTP_STATUS
from api.publisher import IndexPublisher
from api.routes import auth, decode, health, records, requests, scans, search
from api.services import Services
from api.settings import Settings
from decoder.errors import InvalidRegistryError, PhienhieuError

logger = logging.getLogger(__name__)

#: Largest JSON body accepted; uploads will have their own streaming limit.
MAX_JSON_BODY = 8 * 1024 * 1024


def create_app(settings: Settings | None = None, services: Services | None = None, *,
               publish_index: bool = True) -> FastAPI:
    """Build the application.

    Args:
        settings: configuration; read from the environment when omitted.
        services: ready services (tests pass their own); built from settings otherwise.
        publish_index: apply the search outbox to the index in the background.
    """
    services = services or Services(settings or Settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        publisher = IndexPublisher(services) if publish_index else None
        if publisher:
            publisher.start()
        yield
        if publisher:
            publisher.stop()
        services.close()

    app = FastAPI(
        title="Phiên hiệu",
        summary="Decode unit designations and cover codes of Vietnamese wartime documents.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.services = services
    app.add_middleware(AllowHeaderMiddleware, paths=lambda: {
        path: {method.upper() for method in operations}
        for path, operations in app.openapi()["paths"].items()})
    app.add_middleware(BodyLimitMiddleware, max_bytes=MAX_JSON_BODY,
                       larger={"/api/v1/scans": services.settings.max_upload_bytes})
    app.include_router(health.router)
    app.include_router(decode.router)
    app.include_router(search.router)
    app.include_router(auth.router)
    app.include_router(scans.router)
    app.include_router(records.router)
    app.include_router(requests.router)
    _install_error_handlers(app)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PhienhieuError)
    async def domain_error(_: Request, error: PhienhieuError) -> JSONResponse:
        content: dict[str, object] = {"detail": error.message}
        if isinstance(error, InvalidRegistryError):
            content["problems"] = [p.as_dict() for p in error.problems]
        return JSONResponse(content, status_code=HTTP_STATUS[error.kind])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"path": ".".join(str(part) for part in item.get("loc", ())),
             "message": str(item.get("msg", "invalid"))}
            for item in error.errors()
        ]
        first = problems[0] if problems else {"path": "body", "message": "invalid"}
        return JSONResponse(
            {"detail": f"Invalid request: {first['path']}: {first['message']}.",
             "problems": problems},
            status_code=422,
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        logger.exception("unexpected error", exc_info=error)
        return JSONResponse({"detail": "An internal error occurred."}, status_code=500)
