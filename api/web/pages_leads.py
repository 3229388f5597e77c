"""Pages of leads: a martyr's search map (drawn here, no tile server) with its layers, the
areas and the graves that may hold him, its printable A4 copy for the field team, the
search areas officers adopt and follow; and a cemetery's sampling plan."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import ResourcesDep
from api.guarded_route import guarded_router
from api.web.errors import failure_message, failure_status
from api.web.i18n import N_
from api.web.render import download_name, gettext, render, render_text
from api.web.search_map import leads_frame, search_map
from api.web.session import CsrfChecked, require_page
from archive.area_schema import AreaChange, AreaRecord
from archive.models import User
from archive.users import Action
from decoder.errors import PhienhieuError
from usecases.grave_exports import count_csv
from usecases.leads import new_area, person_map, sampling_plan, update_area

router = guarded_router(include_in_schema=False)
Reader = Annotated[User, require_page(Action.READ_PERSONS)]
AreaKeeper = Annotated[User, require_page(Action.MANAGE_AREAS)]
Planner = Annotated[User, require_page(Action.PLAN_SAMPLING)]
Number = Annotated[float, Form(ge=-180, le=180)]

KINDS = {"unit_position": N_("where his unit was"), "death_place": N_("where he fell"),
         "initial_burial": N_("a first burial"), "remains_collected": N_("remains collected")}
STATUSES = {"open": N_("to search"), "searched": N_("searched"), "concluded": N_("concluded")}
LEVELS = {"commune": N_("commune"), "district": N_("district"), "province": N_("province")}
LINES = {"maternal": N_("mother's line"), "paternal": N_("father's line"), "other": N_("other relative")}
WORDS: dict[str, Any] = {"kinds": KINDS, "statuses": STATUSES, "levels": LEVELS, "lines": LINES}


def _frame(leads: dict[str, Any], recorded: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    frame = leads_frame(leads, recorded)
    return frame.south, frame.west, frame.north, frame.east


def _map_context(person_id: str, resources: ResourcesDep) -> dict[str, Any]:
    data = person_map(person_id[:64], sessions=resources.sessions, registry=resources.registry, frame=_frame)
    drawn = search_map(data["leads"], data["recorded"], data["burials"], data["cemeteries"])
    return {"data": data, "map": drawn, **WORDS}


@router.get("/persons/{person_id}/leads")
def leads_page(person_id: str, request: Request, resources: ResourcesDep, user: Reader,
               error: str = "") -> Response:
    """A martyr's search map and leads: the areas with their reasons, the graves ranked,
    the search areas recorded, each layer shown or hidden."""
    return render(request, "web/leads.html", _map_context(person_id, resources) | {"error": error[:300]},
                  user=user)


@router.get("/persons/{person_id}/leads.pdf")
def leads_pdf(person_id: str, request: Request, resources: ResourcesDep, user: Reader) -> Response:
    """The search map on one A4 page with its legend, then the areas' and graves' reasons:
    what a field team takes with it."""
    from weasyprint import HTML  # a second to import: only this download pays it

    html = render_text(request, "web/leads_print.html", _map_context(person_id, resources), user=user)
    pdf = HTML(string=html).write_pdf()
    name = download_name(person_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="ban-do-tim-kiem-{name}.pdf"'})


@router.post("/persons/{person_id}/areas", dependencies=[CsrfChecked])
def adopt_area(person_id: str, request: Request, resources: ResourcesDep, user: AreaKeeper,
               place: Annotated[str, Form(max_length=200)], lat: Number, lon: Number,
               radius_km: Annotated[float, Form(gt=0, le=500)],
               level: Annotated[Literal["commune", "district", "province"], Form()],
               note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Record a search area for the martyr (adopted from a lead, or drawn by hand)."""
    try:
        record = AreaRecord.model_validate({"person_id": person_id[:64], "place": place, "level": level,
                                            "lat": lat, "lon": lon, "radius_km": radius_km,
                                            "note": note.strip() or None})
        new_area(record, sessions=resources.sessions, actor=user.username)
    except (PhienhieuError, ValueError) as failure:
        return _again(request, resources, user, person_id, failure)
    return RedirectResponse(f"/persons/{person_id[:64]}/leads#recorded", status_code=303)


@router.post("/areas/{area_id}", dependencies=[CsrfChecked])
def change_area_page(area_id: str, request: Request, resources: ResourcesDep, user: AreaKeeper,
                     person_id: Annotated[str, Form(max_length=64)],
                     status: Annotated[Literal["open", "searched", "concluded"], Form()],
                     note: Annotated[str, Form(max_length=2000)] = "",
                     date: Annotated[str, Form(max_length=10)] = "",
                     radius_km: Annotated[str, Form(max_length=10)] = "") -> Response:
    """Record how far an area's search has gone (and widen or narrow it)."""
    try:
        change = AreaChange.model_validate({"status": status, "note": note.strip() or None,
                                            "date": date.strip() or None,
                                            "radius_km": float(radius_km) if radius_km.strip() else None})
        update_area(area_id[:40], change, sessions=resources.sessions, actor=user.username)
    except (PhienhieuError, ValueError) as failure:
        return _again(request, resources, user, person_id, failure)
    return RedirectResponse(f"/persons/{person_id[:64]}/leads#recorded", status_code=303)


def _again(request: Request, resources: ResourcesDep, user: User, person_id: str,
           failure: Exception) -> Response:
    """The leads page again, with what was wrong."""
    context = _map_context(person_id, resources) | {"error": failure_message(failure)}
    return render(request, "web/leads.html", context, user=user, status_code=failure_status(failure))


@router.get("/cemeteries/{cemetery_id}/sampling-plan")
def sampling_plan_page(cemetery_id: str, request: Request, resources: ResourcesDep,
                       user: Planner) -> Response:
    """The persons whose leads point at the cemetery's unnamed graves, best first, and whose
    relatives to sample (the mother's line first)."""
    plan = sampling_plan(cemetery_id[:64], sessions=resources.sessions, registry=resources.registry)
    return render(request, "web/sampling_plan.html", {"plan": plan, **WORDS}, user=user)


@router.get("/cemeteries/{cemetery_id}/sampling-plan.csv")
def sampling_plan_csv(cemetery_id: str, request: Request, resources: ResourcesDep, user: Planner) -> Response:
    """The sampling plan as a list for the field team: one row per relative to sample."""
    plan = sampling_plan(cemetery_id[:64], sessions=resources.sessions, registry=resources.registry)
    header = [gettext(request, text) for text in (N_("Martyr record"), N_("Score"), N_("Graves"), N_("Rank"),
                                                  N_("Relative"), N_("Relation"), N_("Line"), N_("Living"),
                                                  N_("Already sampled"))]
    rows: list[list[Any]] = []
    for person in plan["persons"]:
        for relative in person["relatives"] or [None]:
            rows.append([person["person_id"], person["score"], " ".join(person["graves"]),
                         *(_relative_cells(request, relative) if relative else [""] * 6)])
    name = download_name(cemetery_id)
    return Response(count_csv(header, rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="ke-hoach-lay-mau-{name}.csv"'})


def _relative_cells(request: Request, relative: dict[str, Any]) -> list[Any]:
    living = {True: N_("yes"), False: N_("no"), None: N_("unknown")}[relative["living"]]
    return [relative["rank"], relative["name"], relative["relation"] or "",
            gettext(request, LINES[relative["line"]]), gettext(request, living),
            gettext(request, N_("yes") if relative["sampled"] else N_("no"))]
