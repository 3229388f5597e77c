"""The officers' review of linkage: two records side by side, field by field, and the
decision that they are one man or two."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import ResourcesDep
from api.guarded_route import guarded_router
from api.web.i18n import N_
from api.web.render import render
from api.web.session import CsrfChecked, require_page
from archive.models import User
from archive.users import Action
from usecases.linkage import decide_pair, pairs_for_review

router = guarded_router(include_in_schema=False)
PAGE_SIZE = 10
Reviewer = Annotated[User, require_page(Action.REVIEW_LINKS)]

#: How the model reads a field, as the page says it.
LEVELS = {level: level for level in (
    N_("same name, same marks"), N_("same name without marks"),
    N_("same family and given name, middle differs"), N_("nearly the same name"),
    N_("same given name, similar name"), N_("similar name"), N_("same birth year"),
    N_("birth years 1 apart"), N_("birth years 2 apart"), N_("same commune"), N_("same district"),
    N_("same province (today's)"), N_("same unit, down to the company"), N_("same regiment"),
    N_("same division"), N_("same day"), N_("same month"), N_("same year"), N_("years 1 apart"),
    N_("same place"), N_("similar place"), N_("unknown"), N_("different"))}
FIELDS = {"name": N_("Name"), "birth_year": N_("Year of birth"), "hometown": N_("Home town"),
          "unit": N_("Unit"), "death_date": N_("Date of death"), "death_place": N_("Place of death")}


@router.get("/links/review")
def review_page(request: Request, resources: ResourcesDep, user: Reviewer,
                page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                decided: Annotated[str, Query(max_length=20)] = "") -> Response:
    """The pairs waiting for an officer, the least certain first."""
    queue = pairs_for_review(sessions=resources.sessions, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render(request, "web/links_review.html", {
        "queue": queue, "page": page, "limit": PAGE_SIZE, "levels": LEVELS, "fields": FIELDS,
        "decided": decided if decided in ("same", "different") else ""}, user=user)


@router.post("/links/review/{pair_id}", dependencies=[CsrfChecked])
def decide_page(pair_id: Annotated[int, Path(ge=1, le=2**31 - 1)], resources: ResourcesDep,
                user: Reviewer,
                decision: Annotated[Literal["same", "different"], Form()],
                note: Annotated[str, Form(max_length=2000)] = "",
                page: Annotated[int, Form(ge=1, le=100_000)] = 1) -> Response:
    """Record the officer's decision, then show the queue again."""
    decide_pair(pair_id, decision, note=note.strip() or None, sessions=resources.sessions,
                actor=user.username)
    return RedirectResponse(f"/links/review?page={page}&decided={decision}", status_code=303)
