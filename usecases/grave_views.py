"""What the cemetery, grave and person pages show, a staff member's correction of a grave,
and the demonstration cemeteries of ``phienhieu demo --samples``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from archive.audit import record_event
from archive.grave_schema import GraveRecord
from archive.grave_views import (
    PlanCell,
    burials_of_grave,
    cited_pages,
    graves_named,
    graves_of_person,
    person_name,
    plan_cells,
    zone_sizes,
)
from archive.graves import (
    burial_json,
    cemetery_json,
    count_graves,
    find_record,
    grave_json,
    list_cemeteries,
    status_history,
)
from archive.models import Cemetery, Grave
from decoder.errors import InvalidInputError, first_problem
from decoder.plots import GRAVE_STATUSES
from usecases.grave_exports import cemetery_features
from usecases.graves import (
    FileImport,
    cemetery_document,
    import_burial_file,
    import_cemetery_file,
    import_grave_file,
    save_grave,
)

#: A plan is drawn whole up to this many graves, zone by zone beyond.
PLAN_LIMIT = 3000
#: Graves found by name on a cemetery's page.
FOUND_LIMIT = 100
#: What a staff member may correct from a grave's page (the position and links stay).
STONE_FIELDS = ("name", "birth_year", "hometown", "unit_text", "death_date")
#: The demonstration files are small; anything larger is not one of them.
_DEMO_MAX_BYTES = 1_000_000


@dataclass
class PlanRow:
    """One row of graves in a lot."""

    row: str
    cells: list[PlanCell]


@dataclass
class PlanLot:
    """One lot of a zone, row by row."""

    lot: str
    rows: list[PlanRow] = field(default_factory=list)


@dataclass
class PlanZone:
    """One zone of a cemetery, lot by lot."""

    zone: str
    lots: list[PlanLot] = field(default_factory=list)


@dataclass
class CemeteryView:
    """A cemetery's page: its facts and counts, its zones, its plan (whole, or the zone
    chosen), and the graves found by name."""

    cemetery: dict[str, Any]
    zones: list[tuple[str, int]]
    zone: str | None
    plan: list[PlanZone]
    found: list[dict[str, Any]] | None


def cemetery_overview(*, sessions: sessionmaker[Session], province: str | None, limit: int,
                      offset: int) -> dict[str, Any]:
    """A page of cemeteries, each with its ``counts``, and every cemetery with coordinates
    as GeoJSON ``features`` for the map: ``{"total", "cemeteries", "features"}``."""
    with sessions() as session:
        counts = {count.id: count for count in count_graves(session)}
        total, cemeteries = list_cemeteries(session, province=province, limit=limit, offset=offset)
        empty = dict.fromkeys([*GRAVE_STATUSES, "total"], 0)
        listed = [cemetery_json(cemetery) | {"counts": counts[cemetery.id].counts if cemetery.id in counts
                                             else empty} for cemetery in cemeteries]
        return {"total": total, "cemeteries": listed, "features": cemetery_features(session, counts)}


def plan_of(cells: list[PlanCell]) -> list[PlanZone]:
    """Cells in plan order grouped into zones, lots and rows."""
    zones: list[PlanZone] = []
    for cell in cells:
        if not zones or zones[-1].zone != cell.zone:
            zones.append(PlanZone(cell.zone))
        lots = zones[-1].lots
        if not lots or lots[-1].lot != cell.lot:
            lots.append(PlanLot(cell.lot))
        rows = lots[-1].rows
        if not rows or rows[-1].row != cell.row:
            rows.append(PlanRow(cell.row, []))
        rows[-1].cells.append(cell)
    return zones


def cemetery_view(cemetery_id: str, *, sessions: sessionmaker[Session], zone: str | None = None,
                  query: str = "") -> CemeteryView:
    """A cemetery with its counts, its plan and the graves whose name contains ``query``.

    The plan holds every grave when there are at most :data:`PLAN_LIMIT`; otherwise only
    the zone asked for (none until one is chosen).

    Raises:
        NotFoundError: no such cemetery.
    """
    cemetery = cemetery_document(cemetery_id, sessions=sessions)
    with sessions() as session:
        zones = zone_sizes(session, cemetery_id)
        whole = cemetery["counts"]["total"] <= PLAN_LIMIT
        chosen = zone if zone is not None and any(zone == name for name, _ in zones) else None
        cells = (plan_cells(session, cemetery_id, zone=chosen, limit=PLAN_LIMIT)
                 if whole or chosen is not None else [])
        found = None
        if query.strip():
            found = [grave_json(grave) for grave in graves_named(session, cemetery_id, query,
                                                                  limit=FOUND_LIMIT)]
    return CemeteryView(cemetery=cemetery, zones=zones, zone=chosen, plan=plan_of(cells), found=found)


def grave_view(grave_id: str, *, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """A grave as CONTRACT's JSON with its ``history``, its cemetery's name, the linked
    person's name, the initial burials its remains came from, and its
    sources with the archived pages they name.

    Raises:
        NotFoundError: no such grave.
    """
    with sessions() as session:
        grave = find_record(session, Grave, grave_id)
        cemetery = session.get(Cemetery, grave.cemetery_id)
        data = grave_json(grave)
        return data | {
            "history": status_history(session, grave_id),
            "cemetery_name": cemetery.name if cemetery else grave.cemetery_id,
            "person_name": person_name(session, grave.person_id),
            "burials": [burial_json(burial) for burial in burials_of_grave(session, grave)],
            "sources": cited_pages(session, grave.sources or []),
        }


def person_graves(person_id: str, *, sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    """Where a person lies: the graves linked to his record, each with its cemetery's name."""
    with sessions() as session:
        return [grave_json(grave) | {"cemetery_name": cemetery}
                for grave, cemetery in graves_of_person(session, person_id)]


def correct_grave(grave_id: str, changes: dict[str, Any], reason: str, *, sessions: sessionmaker[Session],
                  actor: str) -> bool:
    """Correct a grave's status and what its stone says, with the reason; returns whether
    anything changed. The grave is stored through :func:`usecases.graves.save_grave` (its
    history keeps a change of status with the reason); a correction that keeps the status
    is noted with its reason in the audit log.

    Raises:
        NotFoundError: no such grave.
        InvalidInputError: the corrected grave is not valid (the sentence says why).
    """
    current = grave_view(grave_id, sessions=sessions)
    record_data = {name: current[name] for name in
                   ("id", "cemetery", "zone", "lot", "row", "number", "status", *STONE_FIELDS,
                    "remains_from", "person_id")}
    record_data["sources"] = [{key: value for key, value in source.items() if key != "scan_id"}
                              for source in current["sources"]]
    wanted = record_data | {key: value for key, value in changes.items() if key in ("status", *STONE_FIELDS)}
    if wanted == record_data:
        return False
    try:
        record = GraveRecord.model_validate({key: value for key, value in wanted.items() if value is not None}
                                            | {"reason": reason})
    except ValidationError as error:
        where, message = first_problem(error, "grave")
        raise InvalidInputError(f"{where}: {message}") from None
    fields = sorted(key for key in STONE_FIELDS if wanted[key] != record_data[key])

    def audit_correction(session: Session) -> None:
        # A status change keeps its reason in the grave's history; a correction of the
        # stone alone keeps it here, in the same transaction as the change.
        record_event(session, actor=actor, action="grave.correct", subject=f"grave:{grave_id}",
                     details={"reason": reason, "fields": fields})

    save_grave(record, sessions=sessions, actor=actor,
               also=None if wanted["status"] != current["status"] else audit_correction)
    return True


def load_grave_samples(*, sessions: sessionmaker[Session]) -> list[FileImport]:
    """Add the two demonstration cemeteries with their graves and initial burials (every
    name and fact in them invented); idempotent. The sample person records must be stored
    first: some graves are linked to them."""
    reports = []
    demo = resources.files("archive").joinpath("demo")
    for name, importer in (("cemeteries.jsonl", import_cemetery_file), ("burials.jsonl", import_burial_file),
                           ("graves.csv", import_grave_file)):
        with resources.as_file(demo.joinpath(name)) as path:
            reports.append(importer(path, sessions=sessions, actor="demo", max_bytes=_DEMO_MAX_BYTES))
    return reports
