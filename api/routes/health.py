"""Liveness: ``GET /healthz`` answers once the database does."""

from __future__ import annotations

from sqlalchemy import text

from api.deps import ResourcesDep
from api.guarded_route import guarded_router
from api.schemas import HealthPublic
from archive.errors import DatabaseUnavailableError

router = guarded_router(tags=["health"])


@router.get("/healthz", response_model=HealthPublic, responses={503: {"description": "not ready"}})
def healthz(resources: ResourcesDep) -> HealthPublic:
    """``{"status": "ok"}`` when the service can answer."""
    try:
        with resources.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver failure means "not ready", never a 500
        raise DatabaseUnavailableError("The database is not reachable.") from error
    return HealthPublic(status="ok")
