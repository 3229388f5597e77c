"""``GET /api/v1/search``: pages, persons, units and graves, tolerant of missing diacritics and
OCR errors."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, ValidationError

from api.deps import ResourcesDep
from api.guarded_route import guarded_router
from api.responses import ERROR_RESPONSES
from decoder.errors import InvalidInputError, first_problem
from search.model import MAX_OFFSET, MAX_QUERY_CHARS, DocType, GraveStatus, SearchRequest, SortOrder
from usecases.searching import search as search_index

router = guarded_router(prefix="/api/v1", tags=["search"])
_ISO_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"{text!r} is not a day that exists (YYYY-MM-DD).") from None


class SearchHitPublic(BaseModel):
    """One result."""

    type: DocType
    id: str
    score: float
    title: str
    snippet: str
    highlights: list[tuple[int, int]] = []
    scan_id: int | None = None
    page_number: int | None = None
    boxes: list[list[int]] = []


class SearchResultPublic(BaseModel):
    """A page of results."""

    total: int
    hits: list[SearchHitPublic]
    relaxed: bool = False


@router.get("/search", response_model=SearchResultPublic, responses=ERROR_RESPONSES)
def search(
    resources: ResourcesDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS,
                            description="names, words, codes (e88, 47120 HN); diacritics optional")],
    type: Annotated[DocType | None, Query(description="page, person, unit or grave")] = None,
    collection: Annotated[str | None, Query(max_length=200)] = None,
    cemetery: Annotated[str | None, Query(max_length=64, description="graves in this cemetery")] = None,
    status: Annotated[GraveStatus | None, Query(description="graves of this status")] = None,
    province: Annotated[str | None, Query(max_length=200)] = None,
    unit: Annotated[str | None, Query(max_length=64, description="a unit id")] = None,
    date_from: Annotated[str | None, Query(pattern=_ISO_DAY, description="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(pattern=_ISO_DAY, description="YYYY-MM-DD")] = None,
    sort: Annotated[SortOrder, Query()] = "relevance",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> SearchResultPublic:
    """Search; exact-diacritic matches rank first, OCR typos are tolerated. ``relaxed``
    says no record had every word, and those with some of them are shown."""
    try:
        request = SearchRequest(q=q, type=type, collection=collection, cemetery=cemetery, status=status,
                                province=province, unit=unit,
                                date_from=_day(date_from), date_to=_day(date_to), sort=sort,
                                limit=limit, offset=offset)
    except ValidationError as error:
        raise InvalidInputError(f"Invalid search: {first_problem(error, 'query')[1]}.") from None
    result = search_index(request, sessions=resources.sessions, index=resources.search_index)
    return SearchResultPublic.model_validate(result, from_attributes=True)
