"""What the cemetery, grave and person pages read about graves: a cemetery's plan, its
graves found by name, the graves a person record is linked to, the places on the map,
and the archived pages a grave's sources name.

Every function takes the caller's ``Session`` and only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from archive.models import Burial, Cemetery, Grave, Page, Person
from archive.persons import resolve_page
from decoder.plots import name_key


@dataclass(frozen=True)
class PlanCell:
    """One grave in a cemetery's plan."""

    id: str
    zone: str
    lot: str
    row: str
    number: str
    status: str
    name: str | None


def position_order(part: str) -> tuple[int, int, str]:
    """Sort key of a position part: numbers by value first, then letters (``2`` < ``10`` < ``B``)."""
    digits = part.isascii() and part.isdigit()
    return (0 if digits else 1, int(part) if digits and len(part) < 10 else 0, part)


def zone_sizes(session: Session, cemetery_id: str) -> list[tuple[str, int]]:
    """The zones of a cemetery (``""`` for graves without one) and how many graves each holds."""
    found = session.execute(select(Grave.zone, func.count()).where(Grave.cemetery_id == cemetery_id)
                            .group_by(Grave.zone))
    return sorted(((zone, int(count)) for zone, count in found), key=lambda item: position_order(item[0]))


def plan_cells(session: Session, cemetery_id: str, *, zone: str | None, limit: int) -> list[PlanCell]:
    """The graves of a cemetery (or of one of its zones) in plan order, at most ``limit``."""
    query = (select(Grave.id, Grave.zone, Grave.lot, Grave.row, Grave.number, Grave.status, Grave.name)
             .where(Grave.cemetery_id == cemetery_id).limit(limit))
    if zone is not None:
        query = query.where(Grave.zone == zone)
    cells = [PlanCell(*row) for row in session.execute(query)]
    return sorted(cells, key=lambda cell: tuple(position_order(part) for part in
                                                (cell.zone, cell.lot, cell.row, cell.number)))


def graves_named(session: Session, cemetery_id: str, text: str, *, limit: int) -> list[Grave]:
    """The graves of a cemetery whose stone's name contains ``text``, with or without marks
    (the folded name the grave stores is compared with ``text`` folded)."""
    key = name_key(text)
    if not key:
        return []
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = (select(Grave).where(Grave.cemetery_id == cemetery_id,
                                 Grave.name_key.like(f"%{escaped}%", escape="\\"))
             .order_by(Grave.name_key, Grave.id).limit(limit))
    return list(session.scalars(query))


def graves_of_person(session: Session, person_id: str) -> list[tuple[Grave, str]]:
    """The graves linked to a person record, each with its cemetery's name."""
    query = (select(Grave, Cemetery.name).join(Cemetery, Cemetery.id == Grave.cemetery_id)
             .where(Grave.person_id == person_id).order_by(Cemetery.name, Grave.id))
    return [(grave, cemetery) for grave, cemetery in session.execute(query)]


def person_name(session: Session, person_id: str | None) -> str | None:
    """The full name of a person record, or None."""
    return session.scalar(select(Person.full_name).where(Person.id == person_id)) if person_id else None


def burials_of_grave(session: Session, grave: Grave) -> list[Burial]:
    """The initial burials a grave's remains came from: the one its record names and those
    whose recovery names the grave."""
    conditions = [Burial.recovered_grave == grave.id]
    if grave.remains_burial:
        conditions.append(Burial.id == grave.remains_burial)
    return list(session.scalars(select(Burial).where(or_(*conditions)).order_by(Burial.id)))


def mapped_cemeteries(session: Session, *, limit: int) -> list[Cemetery]:
    """The cemeteries that have coordinates, at most ``limit``."""
    query = (select(Cemetery).where(Cemetery.lat.is_not(None), Cemetery.lon.is_not(None))
             .order_by(Cemetery.id).limit(limit))
    return list(session.scalars(query))


def mapped_burials(session: Session, *, limit: int) -> list[Burial]:
    """The initial burials whose place has coordinates, at most ``limit``."""
    query = (select(Burial).where(Burial.lat.is_not(None), Burial.lon.is_not(None))
             .order_by(Burial.id).limit(limit))
    return list(session.scalars(query))


def cited_pages(session: Session, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sources, each with ``scan_id`` and ``page`` of the archived page it names when
    that page is stored (its scan given by id or checksum), else ``scan_id`` None."""
    cited = []
    for source in sources:
        page_id = resolve_page(session, str(source.get("scan", "")), source.get("page"))
        page = session.get(Page, page_id) if page_id is not None else None
        cited.append(source | {"scan_id": page.scan_id if page else None})
    return cited
