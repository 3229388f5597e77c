"""Pages of cemeteries and graves: anyone reads a cemetery with its counts, its plan and
its graves found by name, a grave with its history, and downloads the count; staff
correct a grave from its page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import ResourcesDep
from api.guarded_route import guarded_router
from api.web.i18n import N_
from api.web.map import HEIGHT, WIDTH, outline, sized_points
from api.web.render import download_name, gettext, render
from api.web.session import CsrfChecked, SessionUser, require_page
from archive.grave_schema import StatusName
from archive.models import User
from archive.users import Action
from decoder.errors import InvalidInputError, PhienhieuError
from decoder.plots import GRAVE_STATUSES
from decoder.untrusted import is_ascii_digits
from usecases.grave_exports import COUNT_COLUMNS, Cell, count_csv, count_rows, count_xlsx
from usecases.grave_views import cemetery_overview, cemetery_view, correct_grave, grave_view

router = guarded_router(include_in_schema=False)
PAGE_SIZE = 25
_MAX_ID = 64
GraveWriter = Annotated[User, require_page(Action.WRITE_GRAVES)]
Text = Annotated[str, Form(max_length=500)]

#: The count's column headings, translated where they are shown.
HEADINGS = {"kind": N_("Row"), "id": N_("Id"), "name": N_("Cemetery"), "province": N_("Province"),
            "named": N_("Named"), "unidentified": N_("Unidentified"), "partial": N_("Partly identified"),
            "named_no_remains": N_("Named, no remains"), "total": N_("Total"),
            "disagreeing": N_("Stone disagrees with the record")}
KINDS = {"cemetery": N_("cemetery"), "province": N_("province total"), "total": N_("all cemeteries")}
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/cemeteries")
def cemeteries_page(request: Request, resources: ResourcesDep, user: SessionUser,
                    province: Annotated[str, Query(max_length=200)] = "",
                    page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    """Cemeteries by province with their counts, and all of them on the map of Vietnam."""
    overview = cemetery_overview(sessions=resources.sessions, province=province.strip() or None,
                                 limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    points = sized_points([(*feature["geometry"]["coordinates"], feature["properties"]["counts"]["total"],
                            feature["properties"]["name"], f"/cemeteries/{feature['properties']['id']}")
                           for feature in overview["features"]])
    land, islands = outline()
    return render(request, "web/cemeteries.html", {
        "cemeteries": overview["cemeteries"], "total": overview["total"], "province": province,
        "page": page, "limit": PAGE_SIZE,
        "map": {"width": WIDTH, "height": HEIGHT, "land": land, "islands": islands, "points": points}},
        user=user)


@router.get("/graves/count.csv")
def all_counts_csv(request: Request, resources: ResourcesDep) -> Response:
    """The count of every cemetery, each province and the whole, as CSV."""
    return _download(request, count_rows(sessions=resources.sessions), "kiem-dem.csv")


@router.get("/graves/count.xlsx")
def all_counts_xlsx(request: Request, resources: ResourcesDep) -> Response:
    """The count of every cemetery, each province and the whole, as an Excel workbook."""
    return _download(request, count_rows(sessions=resources.sessions), "kiem-dem.xlsx")


@router.get("/cemeteries/{cemetery_id}/count.csv")
def cemetery_count_csv(cemetery_id: str, request: Request, resources: ResourcesDep) -> Response:
    """One cemetery's count as CSV."""
    rows = count_rows(sessions=resources.sessions, cemetery=cemetery_id[:_MAX_ID])
    return _download(request, rows, f"kiem-dem-{download_name(cemetery_id, limit=_MAX_ID)}.csv")


@router.get("/cemeteries/{cemetery_id}/count.xlsx")
def cemetery_count_xlsx(cemetery_id: str, request: Request, resources: ResourcesDep) -> Response:
    """One cemetery's count as an Excel workbook."""
    rows = count_rows(sessions=resources.sessions, cemetery=cemetery_id[:_MAX_ID])
    return _download(request, rows, f"kiem-dem-{download_name(cemetery_id, limit=_MAX_ID)}.xlsx")


def _download(request: Request, rows: list[list[Cell]], filename: str) -> Response:
    """The rows under headings in the visitor's language, as the file ``filename`` names."""
    header = [gettext(request, HEADINGS[column]) for column in COUNT_COLUMNS]
    translated = [[gettext(request, KINDS[str(row[0])]), *row[1:]] for row in rows]
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if filename.endswith(".xlsx"):
        return Response(count_xlsx(header, translated, title=gettext(request, "Count")), media_type=_XLSX,
                        headers=disposition)
    return Response(count_csv(header, translated), media_type="text/csv; charset=utf-8", headers=disposition)


@router.get("/cemeteries/{cemetery_id}")
def cemetery_page(cemetery_id: str, request: Request, resources: ResourcesDep, user: SessionUser,
                  q: Annotated[str, Query(max_length=200)] = "",
                  zone: Annotated[str | None, Query(max_length=32)] = None) -> Response:
    """A cemetery: its facts, its counts by status, its plan as a grid, and its graves
    found by name (with or without marks)."""
    view = cemetery_view(cemetery_id[:_MAX_ID], sessions=resources.sessions, zone=zone, query=q)
    return render(request, "web/cemetery.html", {"view": view, "q": q}, user=user)


def _grave_page(request: Request, resources: ResourcesDep, user: User | None, grave_id: str, *,
                error: str | None = None, form: dict[str, Any] | None = None,
                saved: bool = False) -> Response:
    grave = grave_view(grave_id[:_MAX_ID], sessions=resources.sessions)
    return render(request, "web/grave.html", {
        "grave": grave, "error": error, "form": form or grave, "saved": saved,
        "statuses": GRAVE_STATUSES}, user=user, status_code=422 if error else 200)


@router.get("/graves/{grave_id}")
def grave_page(grave_id: str, request: Request, resources: ResourcesDep, user: SessionUser,
               saved: bool = False) -> Response:
    """A grave: what its stone says, its status and history, where its remains came from,
    the linked record and the sources; staff correct it here."""
    return _grave_page(request, resources, user, grave_id, saved=saved)


@router.post("/graves/{grave_id}", dependencies=[CsrfChecked])
def correct_grave_page(grave_id: str, request: Request, resources: ResourcesDep, user: GraveWriter,
                       status: Annotated[StatusName, Form()],
                       reason: Annotated[str, Form(max_length=2000)],
                       name: Text = "", birth_year: Annotated[str, Form(max_length=10)] = "",
                       hometown: Text = "", unit_text: Text = "",
                       death_date: Annotated[str, Form(max_length=20)] = "") -> Response:
    """Correct a grave's status and stone with the reason (kept in its history and audited)."""
    form = {"status": status, "name": name.strip() or None, "hometown": hometown.strip() or None,
            "unit_text": unit_text.strip() or None, "death_date": death_date.strip() or None,
            "birth_year": birth_year.strip() or None, "reason": reason}
    try:
        if len(reason.strip()) < 3:
            raise InvalidInputError(gettext(
                request, "Say why the grave is corrected (at least three characters)."))
        if form["birth_year"] is not None and not is_ascii_digits(str(form["birth_year"])):
            raise InvalidInputError(gettext(request, "The year of birth is written with four digits."))
        changes = form | {"birth_year": int(form["birth_year"]) if form["birth_year"] else None}
        correct_grave(grave_id[:_MAX_ID], changes, reason.strip(), sessions=resources.sessions,
                      actor=user.username)
    except PhienhieuError as failure:
        return _grave_page(request, resources, user, grave_id, error=failure.message, form=form)
    resources.publish_changes()
    return RedirectResponse(f"/graves/{grave_id[:_MAX_ID]}?saved=1", status_code=303)
