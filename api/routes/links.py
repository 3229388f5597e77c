"""Linkage: the pairs waiting for an officer, decisions on them, and the clusters found."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ResourcesDep, require
from api.guarded_route import guarded_router
from api.responses import AUTH_RESPONSES
from archive.models import User
from archive.users import Action
from usecases.linkage import decide_pair, export_clusters, pairs_for_review, unmerge_record

router = guarded_router(prefix="/api/v1", tags=["linkage"])
Limit = Annotated[int, Query(ge=1, le=200, description="at most this many")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="after skipping this many")]


class Decision(BaseModel):
    """An officer's decision on a pair."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["same", "different"]
    note: str | None = Field(default=None, max_length=2000)


@router.get("/links/review", responses=AUTH_RESPONSES)
def get_review(resources: ResourcesDep, user: Annotated[User, require(Action.REVIEW_LINKS)],
               limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
    """The pairs waiting for review, the least certain first: ``{"total", "pairs"}``; each
    pair shows its two records, the match probability, and field by field what each side
    says, how they compare and the match weight of that."""
    return pairs_for_review(sessions=resources.sessions, limit=limit, offset=offset)


PairId = Annotated[int, Path(ge=1, le=2**31 - 1, description="the pair's id")]


@router.post("/links/review/{pair_id}", responses=AUTH_RESPONSES)
def post_decision(pair_id: PairId, body: Decision, resources: ResourcesDep,
                  user: Annotated[User, require(Action.REVIEW_LINKS)]) -> dict[str, Any]:
    """Decide a pair: ``same`` joins the two records' clusters now; ``different`` keeps them
    apart in every later run. Audited; no run changes a decision."""
    return decide_pair(pair_id, body.decision, note=body.note, sessions=resources.sessions,
                       actor=user.username)


@router.get("/links/clusters", responses=AUTH_RESPONSES)
def get_clusters(resources: ResourcesDep, _: Annotated[User, require(Action.REVIEW_LINKS)]) -> dict[str, Any]:
    """Every cluster with its members (each record in exactly one), and how many pairs wait."""
    return export_clusters(sessions=resources.sessions)


class Unmerge(BaseModel):
    """Which record to take out of its cluster, and why."""

    model_config = ConfigDict(extra="forbid")

    record: str = Field(min_length=3, max_length=200, description="entry:SOURCE:ROW, person:ID or grave:ID")
    note: str | None = Field(default=None, max_length=2000)


@router.post("/links/unmerge", responses=AUTH_RESPONSES)
def post_unmerge(body: Unmerge, resources: ResourcesDep,
                 user: Annotated[User, require(Action.REVIEW_LINKS)]) -> dict[str, Any]:
    """Take a record out of its cluster into one of its own; it is kept apart from every
    record it leaves in later runs (a ``different`` decision on each pair). Audited."""
    return unmerge_record(body.record, note=body.note, sessions=resources.sessions, actor=user.username)
