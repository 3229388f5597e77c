"""Cemeteries, graves and initial burials: stored in batches, found, listed and counted.

Every function takes the caller's ``Session`` and only flushes. A batch is checked as a
whole before anything is written (the cemetery each grave names, the person records
linked, the positions taken), then written with one ``executemany`` per table: rows the
same as stored are left alone, so importing the same file again changes nothing. Every
batch that changes something is one audit entry naming what it created and updated, and
every change of a grave's status, its first one included, is kept in its history. A
grave stored or a cemetery changed is noted in the search outbox in the same transaction.

An import's batch arrives as the lines its workers made (:func:`store_grave_lines`): on
PostgreSQL a batch of new graves (each batch of a new register) is written from them, one
``COPY`` per table, with the outcome, history, audit entry and outbox entries the long way
gives; a batch whose graves are all stored as they are (the same file again) is compared
line by line and left alone; any other batch goes the long way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ARRAY, ColumnElement, Text, and_, any_, case, cast, func, not_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.audit import record_event
from archive.bulk import copies_text, copy_text, insert_rows
from archive.grave_lines import LINE_COLUMNS, NULL, GraveLines, copy_field, line_of
from archive.models import Burial, Cemetery, Grave, GraveStatusChange, Person, utc_now
from archive.outbox import record_change
from decoder.errors import ErrorKind, NotFoundError
from decoder.plots import GRAVE_STATUSES, name_key, place_key

_STAMPS = ("created_at", "updated_at")
#: A batch that changes this many graves of one cemetery queues the cemetery for search.
CEMETERY_CHANGE_MIN = 50


@dataclass(frozen=True)
class RowProblem:
    """Why one row of a batch was not stored; ``kind`` says whether it conflicts with what
    is stored or is invalid in itself."""

    row: int
    reason: str
    kind: ErrorKind = ErrorKind.INVALID_INPUT


@dataclass
class BatchOutcome:
    """What storing a batch did."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)


# --- storing --------------------------------------------------------------------------------


#: A row of a batch: its number in the file, and its columns
#: (:mod:`archive.grave_stored`).
Row = tuple[int, dict[str, Any]]


def store_cemeteries(session: Session, rows: Sequence[Row], *, actor: str) -> BatchOutcome:
    """Create or replace cemeteries by id, in the caller's transaction; the search documents
    of an updated cemetery's graves are queued again (its name and province are in them)."""
    outcome = _write(session, Cemetery, list(rows), actor=actor, kind="cemetery")
    record_change(session, "cemetery", outcome.updated)
    return outcome


def store_burials(session: Session, rows: Sequence[Row], *, actor: str) -> BatchOutcome:
    """Create or replace initial burials by id, in the caller's transaction; a burial may
    name a grave not stored yet (registers are imported in any order)."""
    outcome = BatchOutcome()
    people = _linked_people(session, rows)
    good = []
    for row, columns in rows:
        if columns["person_id"] and columns["person_id"] not in people:
            outcome.problems.append(_no_person(row, columns["person_id"]))
        else:
            good.append((row, columns))
    return _write(session, Burial, good, actor=actor, kind="burial", outcome=outcome)


def store_graves(session: Session, rows: Sequence[Row], *, actor: str,
                 reason: str | None = None) -> BatchOutcome:
    """Create or replace graves by id, in the caller's transaction; each row's columns are
    :func:`archive.grave_stored.grave_columns` (they are changed here).

    A grave must name a stored cemetery (by id, or by a name only one cemetery has), a
    stored person if it links one, and a position no other grave holds. A change of
    status is kept in the grave's history with the record's ``reason`` (else ``reason``).
    """
    outcome = BatchOutcome()
    cemeteries = _cemetery_ids(session, {columns["cemetery"] for _, columns in rows})
    people = _linked_people(session, rows)
    checked: list[Row] = []
    for row, columns in rows:
        reference = columns.pop("cemetery")
        cemetery_id = cemeteries.get(reference)
        if cemetery_id is None:
            outcome.problems.append(RowProblem(row, f"cemetery: there is no cemetery {reference!r} "
                                                    "(by id, or by a name only one cemetery has)"))
        elif columns["person_id"] and columns["person_id"] not in people:
            outcome.problems.append(_no_person(row, columns["person_id"]))
        else:
            columns["cemetery_id"] = cemetery_id
            columns["reason"] = columns["reason"] or reason
            checked.append((row, columns))
    free = _free_positions(session, checked, outcome)
    reasons = {columns["id"]: columns.pop("reason") for _, columns in free}
    names = [name for name in free[0][1] if name != "id"] if free else []
    stored = _existing(session, Grave, [columns["id"] for _, columns in free], names)  # one query a batch
    before = {grave_id: {"status": old["status"]} for grave_id, old in stored.items()}
    _write(session, Grave, free, actor=actor, kind="grave", outcome=outcome, stored=stored)
    _record_statuses(session, outcome, before, {c["id"]: c["status"] for _, c in free}, reasons, actor)
    _note_for_search(session, [*outcome.created, *outcome.updated],
                     {columns["id"]: columns["cemetery_id"] for _, columns in free})
    return outcome


def store_grave_lines(session: Session, graves: GraveLines, *, actor: str,
                      reason: str | None = None) -> BatchOutcome:
    """Store graves given as lines (:class:`archive.grave_lines.GraveLines`) as
    :func:`store_graves` stores their columns, in the caller's transaction.

    Two batches go a short way when each grave is in it once, at a position given once,
    in a cemetery named by its id, linking a stored person record or none: one whose
    graves are all stored already, each line the same as the stored grave's (the same
    file imported again), changes nothing; one whose graves are all new is copied as it
    is on PostgreSQL. There a position another grave holds shows as the unique
    constraint's refusal: the copy is undone (to a savepoint) and the batch goes the long
    way, as any other batch does, which says which row clashed with what.
    """
    if graves.lines and _plain(session, graves):
        stored = _stored_lines(session, graves.keys["id"])
        if not stored and copies_text(session):
            try:
                with session.begin_nested():
                    return _copy_new_graves(session, graves, actor=actor, reason=reason)
            except IntegrityError:
                pass  # a position taken (or an id, by a writer at the same moment): the long way
        elif len(stored) == len(graves) and [stored[one] for one in graves.keys["id"]] == graves.lines:
            return BatchOutcome(unchanged=len(graves))
    return store_graves(session, graves.rows(), actor=actor, reason=reason)


#: The columns of a grave's line as stored: its cemetery's id where the line has the
#: reference (the same, or the line is not copied), then the instants :func:`_write` adds.
_COPIED_COLUMNS = tuple("cemetery_id" if name == "cemetery" else name for name in LINE_COLUMNS) + _STAMPS
_HISTORY_COLUMNS = ("grave_id", "from_status", "to_status", "at", "actor", "reason")
#: A stored grave's values in the order of its line; sources as the JSON text stored.
_LINE_OF_STORED = [Grave.cemetery_id if name == "cemetery" else cast(Grave.sources, Text) if name == "sources"
                   else getattr(Grave, name) for name in LINE_COLUMNS]


def _plain(session: Session, graves: GraveLines) -> bool:
    """Whether each grave of the batch is in it once, at a position given once, in a
    cemetery named by its id, and links a stored person record or none."""
    keys = graves.keys
    ids, cemeteries = keys["id"], keys["cemetery"]
    if len(set(ids)) != len(ids) or len(set(zip(cemeteries, keys["zone"], keys["lot"], keys["row"],
                                                keys["number"], strict=True))) != len(ids):
        return False
    references = set(cemeteries)
    found = _cemetery_ids(session, references)
    if len(found) != len(references) or any(found[reference] != reference for reference in references):
        return False
    people = {person for person in keys["person_id"] if person}
    return not people or _existing_ids(session, Person, people) == people


def _stored_lines(session: Session, ids: list[str]) -> dict[str, str]:
    """The line of each stored grave among ``ids``, made as a new one's is: the same text
    only for the same values (sources compared as the JSON text stored: the same list
    written another way, or with its keys in another order, goes the long way)."""
    return {values[0]: line_of(values) for values in session.connection().execute(
        select(*_LINE_OF_STORED).where(_among(session, ids))).all()}


def _among(session: Session, ids: list[str]) -> ColumnElement[bool]:
    """Graves with one of these ids: on PostgreSQL one text parameter split by the server
    (ids hold no comma), which psycopg sends at once where it writes an array element by
    element; elsewhere ``IN``."""
    if session.get_bind().dialect.name == "postgresql":
        return Grave.id == any_(func.string_to_array(",".join(ids), ","))
    return Grave.id.in_(ids)


def _copy_new_graves(session: Session, graves: GraveLines, *, actor: str, reason: str | None) -> BatchOutcome:
    """Copy a batch of new graves (:func:`_plain`, none of them stored): the graves, then
    what :func:`_write` and :func:`_record_statuses` write for graves created (the audit
    entry, their first statuses), then the outbox entries, in that order."""
    ids = list(graves.keys["id"])
    stamp = copy_field(utc_now())
    end = f"\t{stamp}\t{stamp}\n"
    copy_text(session, Grave, _COPIED_COLUMNS, end.join(graves.lines) + end)
    _audit(session, "grave", actor, ids, [])
    at, who, default = copy_field(utc_now()), copy_field(actor[:100]), copy_field(reason)
    # Ids and statuses need no escaping: RecordId's pattern and the four statuses.
    history = "".join(f"{grave_id}\t{NULL}\t{status}\t{at}\t{who}\t{copy_field(own) if own else default}\n"
                      for grave_id, status, own in zip(ids, graves.keys["status"], graves.keys["reason"],
                                                       strict=True))
    copy_text(session, GraveStatusChange, _HISTORY_COLUMNS, history)
    _note_for_search(session, ids, dict(zip(ids, graves.keys["cemetery"], strict=True)))
    return BatchOutcome(created=ids)


def _note_for_search(session: Session, changed: list[str], cemetery_of: dict[str, str]) -> None:
    """Queue the changed graves' search documents: a cemetery with many of them once, for
    all its graves (an import of a million graves queues thousands of entries, not a
    million), the others one by one."""
    many = {cemetery for cemetery, count in Counter(cemetery_of[grave] for grave in changed).items()
            if count >= CEMETERY_CHANGE_MIN}
    record_change(session, "cemetery", sorted(many))
    record_change(session, "grave", [grave for grave in changed if cemetery_of[grave] not in many])


def _linked_people(session: Session, rows: Sequence[Row]) -> set[str]:
    """Which of the person records the rows link are stored."""
    linked = {columns["person_id"] for _, columns in rows if columns["person_id"]}
    return _existing_ids(session, Person, linked)


def _no_person(row: int, person_id: str) -> RowProblem:
    return RowProblem(row, f"person_id: there is no person record {person_id!r}")


def _cemetery_ids(session: Session, references: set[str]) -> dict[str, str]:
    """The cemetery each reference names: its id, or a name (folded) only one cemetery has."""
    found = {cid: cid for cid in session.scalars(select(Cemetery.id).where(Cemetery.id.in_(references)))}
    by_key = {name_key(ref): ref for ref in references - set(found)}
    if by_key:
        matches = session.execute(select(Cemetery.name_key, Cemetery.id).where(Cemetery.name_key.in_(by_key)))
        ids: dict[str, list[str]] = {}
        for key, cid in matches:
            ids.setdefault(key, []).append(cid)
        found |= {by_key[key]: cids[0] for key, cids in ids.items() if len(cids) == 1}
    return found


def _existing_ids(session: Session, model: Any, ids: set[str]) -> set[str]:
    return set(session.scalars(select(model.id).where(model.id.in_(ids)))) if ids else set()


def _position(columns: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (columns["cemetery_id"], columns["zone"], columns["lot"], columns["row"], columns["number"])


def _free_positions(session: Session, rows: list[tuple[int, dict[str, Any]]],
                    outcome: BatchOutcome) -> list[tuple[int, dict[str, Any]]]:
    """The rows whose position no other grave holds, stored or earlier in the batch."""
    if not rows:
        return []
    taken = {tuple(found[1:]): found[0] for found in session.execute(
        select(Grave.id, Grave.cemetery_id, Grave.zone, Grave.lot, Grave.row, Grave.number)
        .where(Grave.cemetery_id.in_({c["cemetery_id"] for _, c in rows}),
               Grave.number.in_({c["number"] for _, c in rows})))}
    free = []
    for row, columns in rows:
        holder = taken.get(_position(columns))
        if holder is not None and holder != columns["id"]:
            outcome.problems.append(RowProblem(
                row, f"the position {describe_position(columns)} in cemetery {columns['cemetery_id']!r} "
                     f"is grave {holder!r} already", ErrorKind.CONFLICT))
            continue
        taken[_position(columns)] = columns["id"]
        free.append((row, columns))
    return free


def describe_position(columns: dict[str, Any]) -> str:
    """``khu B, lô 3, hàng 4, mộ số 12``, the parts given."""
    parts = [("khu", columns.get("zone")), ("lô", columns.get("lot")), ("hàng", columns.get("row")),
             ("mộ số", columns.get("number"))]
    return ", ".join(f"{word} {value}" for word, value in parts if value)


def _existing(session: Session, model: Any, ids: list[str],
              names: Iterable[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    columns = [model.id, *(getattr(model, name) for name in names)]
    if session.get_bind().dialect.name == "postgresql":  # one array parameter, not a thousand
        where = model.id == any_(cast(ids, ARRAY(model.id.type)))
    else:
        where = model.id.in_(ids)
    return {row[0]: dict(row._mapping) for row in session.execute(select(*columns).where(where))}


def _write(session: Session, model: Any, rows: list[tuple[int, dict[str, Any]]], *, actor: str, kind: str,
           outcome: BatchOutcome | None = None,
           stored: dict[str, dict[str, Any]] | None = None) -> BatchOutcome:
    """Insert the new rows and update the changed ones, one ``executemany`` each; audited.
    ``stored`` is what the rows' ids hold already, when the caller has read it."""
    outcome = outcome or BatchOutcome()
    names = [name for name in rows[0][1] if name != "id"] if rows else []
    if stored is None:
        stored = _existing(session, model, [columns["id"] for _, columns in rows], names)
    now = utc_now()
    new, changed = [], []
    for _, columns in rows:
        old = stored.get(columns["id"])
        if old is None:
            new.append(columns | {"created_at": now, "updated_at": now})
            stored[columns["id"]] = columns  # a second row with the id in the batch updates it
        elif any(old[name] != columns[name] for name in names):
            changed.append(columns | {"updated_at": now})
            stored[columns["id"]] = columns
        else:
            outcome.unchanged += 1
    if new:
        insert_rows(session, model, new)
    if changed:
        session.execute(update(model), changed)
    outcome.created += [columns["id"] for columns in new]
    outcome.updated += [columns["id"] for columns in changed]
    if new or changed:
        _audit(session, kind, actor, [c["id"] for c in new], [c["id"] for c in changed])
    return outcome


def _audit(session: Session, kind: str, actor: str, created: list[str], updated: list[str]) -> None:
    if len(created) + len(updated) == 1:
        action = f"{kind}.create" if created else f"{kind}.update"
        record_event(session, actor=actor, action=action, subject=f"{kind}:{(created or updated)[0]}")
        return
    record_event(session, actor=actor, action=f"{kind}s.store", subject=f"{kind}s",
                 details={"created": created, "updated": updated})


def _record_statuses(session: Session, outcome: BatchOutcome, before: dict[str, dict[str, Any]],
                     after: dict[str, str], reasons: dict[str, str | None], actor: str) -> None:
    """A history line for every grave created and every status changed."""
    now = utc_now()
    lines = [{"grave_id": grave_id, "from_status": before.get(grave_id, {}).get("status"),
              "to_status": after[grave_id], "at": now, "actor": actor[:100], "reason": reasons.get(grave_id)}
             for grave_id in [*outcome.created, *outcome.updated]
             if before.get(grave_id, {}).get("status") != after[grave_id]]
    if lines:
        insert_rows(session, GraveStatusChange, lines)


# --- reading --------------------------------------------------------------------------------


R = TypeVar("R", Cemetery, Grave, Burial)
#: What a missing record is called in the sentence that says so.
_RECORD_NAMES: dict[type[Any], str] = {Cemetery: "cemetery", Grave: "grave", Burial: "initial burial"}


def find_record(session: Session, model: type[R], record_id: str) -> R:
    """The cemetery, grave or initial burial with this id.

    Raises:
        NotFoundError: there is none.
    """
    record = session.get(model, record_id)
    if record is None:
        raise NotFoundError(f"There is no {_RECORD_NAMES[model]} {record_id!r}.")
    return record


def cemetery_json(cemetery: Cemetery) -> dict[str, Any]:
    """A stored cemetery as CONTRACT's cemetery JSON."""
    return {name: getattr(cemetery, name) for name in
            ("id", "name", "level", "commune", "district", "province", "lat", "lon", "contact")}


def grave_json(grave: Grave) -> dict[str, Any]:
    """A stored grave as CONTRACT's grave JSON."""
    remains = {"place": grave.remains_place, "lat": grave.remains_lat, "lon": grave.remains_lon,
               "date": grave.remains_date, "burial": grave.remains_burial}
    return {"id": grave.id, "cemetery": grave.cemetery_id, "zone": grave.zone or None,
            "lot": grave.lot or None, "row": grave.row or None, "number": grave.number,
            "status": grave.status, "name": grave.name,
            "birth_year": grave.birth_year, "hometown": grave.hometown, "unit_text": grave.unit_text,
            "death_date": grave.death_date,
            "remains_from": remains if any(value is not None for value in remains.values()) else None,
            "person_id": grave.person_id, "sources": grave.sources}


def burial_json(burial: Burial) -> dict[str, Any]:
    """A stored initial burial as CONTRACT's burial JSON."""
    data = {name: getattr(burial, name) for name in
            ("id", "name", "unit_text", "death_date", "burial_date", "place", "lat", "lon", "buried_by",
             "marker", "witnesses")}
    recovered = {"date": burial.recovered_date, "grave": burial.recovered_grave}
    return data | {"recovered": recovered if any(recovered.values()) else None,
                   "person_id": burial.person_id, "sources": burial.sources}


def status_history(session: Session, grave_id: str) -> list[dict[str, Any]]:
    """A grave's status changes, oldest first."""
    changes = session.scalars(select(GraveStatusChange).where(GraveStatusChange.grave_id == grave_id)
                              .order_by(GraveStatusChange.id))
    return [{"from": change.from_status, "to": change.to_status, "at": change.at.isoformat(),
             "actor": change.actor, "reason": change.reason} for change in changes]


def list_cemeteries(session: Session, *, province: str | None = None, limit: int = 50,
                    offset: int = 0) -> tuple[int, list[Cemetery]]:
    """Cemeteries by province and name, a page at a time, with how many there are."""
    query = select(Cemetery)
    if province:
        query = query.where(Cemetery.province_key == place_key(province))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = session.scalars(query.order_by(Cemetery.province_key, Cemetery.name_key, Cemetery.id)
                           .limit(limit).offset(offset))
    return total, list(page)


def list_graves(session: Session, *, cemetery: str | None = None, status: str | None = None,
                limit: int = 50, offset: int = 0) -> tuple[int, list[Grave]]:
    """Graves by cemetery and position, a page at a time, with how many there are."""
    query = select(Grave)
    if cemetery:
        query = query.where(Grave.cemetery_id == cemetery)
    if status:
        query = query.where(Grave.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = (Grave.cemetery_id, Grave.zone, Grave.lot, Grave.row, Grave.number, Grave.id)
    return total, list(session.scalars(query.order_by(*order).limit(limit).offset(offset)))


# --- counting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CemeteryCount:
    """One cemetery's graves by status, the graves whose stone disagrees with the linked
    person record, and where the cemetery is."""

    id: str
    name: str
    province: str | None
    counts: dict[str, int]
    disagreeing: int


def _disagrees() -> ColumnElement[bool]:
    """The stone and the linked record differ on the name, the hometown (neither contains
    the other) or the date of death (neither is the other's beginning), where both say."""
    both = and_
    name = both(Grave.name_key.is_not(None), Person.name_key.is_not(None), Grave.name_key != Person.name_key)
    hometown = both(Grave.hometown_key.is_not(None), Person.hometown_key.is_not(None),
                    not_(or_(Person.hometown_key.contains(Grave.hometown_key),
                             Grave.hometown_key.contains(Person.hometown_key))))
    death = both(Grave.death_date.is_not(None), Person.death_date.is_not(None),
                 not_(or_(Grave.death_date.startswith(Person.death_date),
                          Person.death_date.startswith(Grave.death_date))))
    return and_(Person.id.is_not(None), or_(name, hometown, death))


def count_graves(session: Session, *, province: str | None = None,
                 cemetery: str | None = None) -> list[CemeteryCount]:
    """Every cemetery's counts (or one province's, or one cemetery's), in one grouped query."""
    by_status = [func.sum(case((Grave.status == status, 1), else_=0)) for status in GRAVE_STATUSES]
    query = (select(Cemetery.id, Cemetery.name, Cemetery.province, *by_status, func.count(Grave.id),
                    func.sum(case((_disagrees(), 1), else_=0)))
             .select_from(Cemetery).outerjoin(Grave, Grave.cemetery_id == Cemetery.id)
             .outerjoin(Person, Person.id == Grave.person_id)
             .group_by(Cemetery.id, Cemetery.name, Cemetery.province)
             .order_by(Cemetery.province, Cemetery.name, Cemetery.id))
    if province:
        query = query.where(Cemetery.province_key == place_key(province))
    if cemetery:
        query = query.where(Cemetery.id == cemetery)
    counted = []
    for cid, name, where, *numbers in session.execute(query):
        values = [int(number or 0) for number in numbers]
        counts = dict(zip([*GRAVE_STATUSES, "total"], values[:-1], strict=True))
        counted.append(CemeteryCount(id=cid, name=name, province=where, counts=counts,
                                     disagreeing=values[-1]))
    return counted
