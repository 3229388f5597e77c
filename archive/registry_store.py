"""Repository functions for the unit registry. The caller owns the transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from archive.models import RegistryMeta, Unit, UnitAlias, UnitCode, UnitEvent, UnitParent
from archive.outbox import record_change
from decoder.errors import InvalidRegistryError
from decoder.registry_schema import RegistryDocument, UnitEntry
from decoder.registry_validation import validate_document

T = TypeVar("T")


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    created: int
    updated: int
    unchanged: int
    revision: int


def registry_revision(session: Session) -> int:
    """The stored registry's revision (0 before the first import)."""
    revision = session.scalar(select(RegistryMeta.revision).where(RegistryMeta.id == 1))
    return revision or 0


def load_registry(session: Session) -> RegistryDocument:
    """Every stored unit as a registry document, units sorted by id."""
    children: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in session.execute(select(UnitAlias).order_by(UnitAlias.unit_id, UnitAlias.position)
                               ).scalars():
        children[row.unit_id]["aliases"].append(row.alias)  # type: ignore[arg-type]
    for parent in session.execute(
            select(UnitParent).order_by(UnitParent.unit_id, UnitParent.position)).scalars():
        children[parent.unit_id]["parents"].append(
            {"unit": parent.parent_id, "from": parent.date_from, "to": parent.date_to})
    for code in session.execute(
            select(UnitCode).order_by(UnitCode.unit_id, UnitCode.position)).scalars():
        children[code.unit_id]["codes"].append(
            {"code": code.code, "kind": code.kind, "from": code.date_from, "to": code.date_to,
             "source": code.source, "verified": code.verified})
    for event in session.execute(
            select(UnitEvent).order_by(UnitEvent.unit_id, UnitEvent.position)).scalars():
        children[event.unit_id]["events"].append(
            {"from": event.date_from, "to": event.date_to, "title": event.title,
             "place": event.place, "province": event.province, "lat": event.lat,
             "lon": event.lon, "source": event.source})
    units = [
        {"id": unit.id, "level": unit.level, "number": unit.number, "name": unit.name,
         "branch": unit.branch, "founded": unit.founded, "dissolved": unit.dissolved,
         **children.get(unit.id, {})}
        for unit in session.execute(select(Unit).order_by(Unit.id)).scalars()
    ]
    return RegistryDocument.model_validate({"units": units})


export_registry = load_registry


def import_registry(session: Session, *, document: RegistryDocument) -> ImportReport:
    """Store ``document`` over the registry: all of it, or nothing.

    Each unit of the file replaces the stored unit with its id (its aliases, parents,
    codes and events included); stored units the file does not name are kept.

    Raises:
        InvalidRegistryError: the file conflicts with itself or with the stored registry;
            nothing has been written.
    """
    stored = {unit.id: unit for unit in load_registry(session).units}
    problems = validate_document(document, stored)
    if problems:
        raise InvalidRegistryError(problems)
    created = [unit for unit in document.units if unit.id not in stored]
    updated = [unit for unit in document.units if unit.id in stored and unit != stored[unit.id]]
    unchanged = len(document.units) - len(created) - len(updated)
    if created or updated:
        _write_units(session, created, updated)
        record_change(session, "unit", [unit.id for unit in [*created, *updated]])
        revision = _bump_revision(session)
    else:
        revision = registry_revision(session)
    return ImportReport(len(created), len(updated), unchanged, revision)


def _write_units(session: Session, created: list[UnitEntry], updated: list[UnitEntry]) -> None:
    changed_ids = [unit.id for unit in updated]
    for table in (UnitAlias, UnitParent, UnitCode, UnitEvent):
        for chunk in _chunks(changed_ids, 500):
            session.execute(delete(table).where(table.unit_id.in_(chunk)))
    if created:
        session.execute(insert(Unit), [_unit_row(unit) for unit in created])
    for unit in updated:
        session.execute(update(Unit).where(Unit.id == unit.id).values(**_unit_row(unit)))
    _insert_children(session, [*created, *updated])
    session.flush()


def _unit_row(unit: UnitEntry) -> dict[str, Any]:
    return {"id": unit.id, "level": unit.level.value, "number": unit.number, "name": unit.name,
            "branch": unit.branch.value if unit.branch else None, "founded": unit.founded,
            "dissolved": unit.dissolved}


def _insert_children(session: Session, units: Iterable[UnitEntry]) -> None:
    rows: Mapping[type, list[dict[str, Any]]] = defaultdict(list)
    for unit in units:
        for position, alias in enumerate(unit.aliases):
            rows[UnitAlias].append({"unit_id": unit.id, "position": position, "alias": alias})
        for position, parent in enumerate(unit.parents):
            rows[UnitParent].append({"unit_id": unit.id, "position": position,
                                     "parent_id": parent.unit, "date_from": parent.start,
                                     "date_to": parent.end})
        for position, code in enumerate(unit.codes):
            rows[UnitCode].append({"unit_id": unit.id, "position": position, "code": code.code,
                                   "kind": code.kind.value, "date_from": code.start,
                                   "date_to": code.end, "source": code.source,
                                   "verified": code.verified})
        for position, event in enumerate(unit.events):
            rows[UnitEvent].append({"unit_id": unit.id, "position": position,
                                    "date_from": event.start, "date_to": event.end,
                                    "title": event.title, "place": event.place,
                                    "province": event.province, "lat": event.lat,
                                    "lon": event.lon, "source": event.source})
    for table, values in rows.items():
        for chunk in _chunks(values, 5000):
            session.execute(insert(table), chunk)


def _bump_revision(session: Session) -> int:
    meta = session.get(RegistryMeta, 1, with_for_update=True)
    if meta is None:
        meta = RegistryMeta(id=1, revision=0)
        session.add(meta)
    meta.revision += 1
    meta.updated_at = datetime.now(UTC)
    session.flush()
    return meta.revision


def _chunks(items: list[T], size: int) -> Iterable[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
