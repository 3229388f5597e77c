"""The public registry's coverage: units by level and period, facts verified, sources."""

from __future__ import annotations

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.guarded_route import guarded_router
from api.web.pages_public import _level_names
from api.web.render import render
from api.web.session import SessionUser
from archive.public_registry import FACT_KINDS, PERIODS, UNKNOWN_PERIOD, coverage

router = guarded_router(include_in_schema=False)


@router.get("/registry/coverage")
async def coverage_page(request: Request, user: SessionUser) -> Response:
    """What the public registry covers, how many of its facts two publishers state, and
    the public pages it cites."""
    counted = await run_in_threadpool(coverage)
    return render(request, "web/registry_coverage.html", {
        "coverage": counted, "levels": _level_names(request), "fact_kinds": FACT_KINDS,
        "periods": [label for label, _, _ in PERIODS] + [UNKNOWN_PERIOD]}, user=user)
