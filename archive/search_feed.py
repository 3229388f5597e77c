"""From the database to the search index: documents for pages, persons, units and graves.

The index only ever holds what these functions build from the current rows, so it can
be thrown away and rebuilt (:func:`all_documents`) at any time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from archive.graves import describe_position
from archive.models import Cemetery, Collection, Grave, Page, Person, Scan, Unit
from archive.outbox import Change, record_change
from archive.registry_store import load_registry
from decoder.dates import PartialDate
from decoder.decode import decode
from decoder.errors import PhienhieuError
from decoder.registry import Registry
from decoder.registry_schema import UnitEntry
from search.analysis import Term, code_key, designation_keys, unique
from search.model import IndexDocument
from search.snippets import word_matches

_PROVINCE = re.compile(r"(?:tỉnh|thành phố|tp\.?)\s+([^,;.\n]+)", re.IGNORECASE)
_MIN_UNIT_SCORE = 0.6
_BATCH = 1000
#: A grave's status as a family reads it in a result, and as a query may say it (``vô danh``).
GRAVE_STATUS_WORDS = {"named": "có tên", "unidentified": "mộ vô danh",
                      "partial": "chưa rõ tên, có một phần thông tin",
                      "named_no_remains": "mộ gió: có tên, chưa có hài cốt"}
#: The title of a grave whose stone gives no name.
UNNAMED_GRAVE = "Mộ chưa biết tên"


def _first_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return PartialDate.parse(text).first_day
    except PhienhieuError:
        return None


def provinces_in(*places: str | None) -> list[str]:
    """Province names in addresses: after ``tỉnh``/``thành phố``, else the last part."""
    found = []
    for place in places:
        if not place:
            continue
        named = _PROVINCE.findall(place)
        found += [name.strip() for name in named] or [place.split(",")[-1].strip()]
    return unique(found)


def unit_ids(text: str | None, when: str | None, registry: Registry) -> list[str]:
    """Units of the registry the text designates at that date (valid, confident readings),
    with the units above them, so a filter on a division finds its regiments' men."""
    if not text or not len(registry):
        return []
    try:
        result = decode(text[:2000], when, registry)
    except PhienhieuError:
        return []
    found = [c.unit_id for c in result.candidates if c.valid and c.score >= _MIN_UNIT_SCORE]
    return unique(unit for unit_id in found for unit in _with_ancestors(unit_id, registry))


def _with_ancestors(unit_id: str, registry: Registry) -> Iterator[str]:
    seen = {unit_id}
    frontier = [unit_id]
    yield unit_id
    while frontier:
        current = frontier.pop()
        if current not in registry:
            continue
        for parent in registry.unit(current).parents:
            if parent.unit not in seen:
                seen.add(parent.unit)
                frontier.append(parent.unit)
                yield parent.unit


def person_document(person: Person, registry: Registry) -> IndexDocument:
    """A martyr record as a search document."""
    relatives = [r.get("name", "") for r in person.relatives]
    born = person.birth_date or person.birth_year
    parts = [person.full_name, f"sinh {born}" if born else "",
             person.hometown, person.rank, person.position, person.unit_text,
             f"hy sinh {person.death_date}" if person.death_date else "", person.death_place,
             person.burial_place, person.grave, person.circumstances, *relatives]
    summary = " · ".join(str(part) for part in (
        person.birth_year, person.hometown, person.unit_text,
        f"hy sinh {person.death_date}" if person.death_date else None) if part)
    dates = [d for d in (_first_day(person.death_date), _first_day(person.birth_date)) if d]
    return IndexDocument(
        type="person", id=person.id, title=person.full_name,
        body="\n".join(str(part) for part in parts if part), names=[person.full_name],
        codes=unique([code_key(person.id), *sorted(designation_keys(person.unit_text or ""))]),
        provinces=provinces_in(person.hometown, person.death_place),
        units=unit_ids(person.unit_text, person.death_date, registry), dates=dates, summary=summary)


def grave_document(grave: Grave, cemetery: Cemetery, registry: Registry) -> IndexDocument:
    """A grave as a search document. The name on its stone is matched like a person's name
    (with or without marks, through OCR errors); its title and snippet say the name, the
    cemetery, the position and the status. A grave without a name is a document too, found
    by its cemetery, position, status in words (``vô danh``) and what else its stone says."""
    position = describe_position({"zone": grave.zone, "lot": grave.lot, "row": grave.row,
                                  "number": grave.number})
    where = f"{cemetery.name}, {position}"
    status = GRAVE_STATUS_WORDS.get(grave.status, grave.status)
    facts = [part for part in (f"sinh {grave.birth_year}" if grave.birth_year else None,
                               f"quê {grave.hometown}" if grave.hometown else None, grave.unit_text,
                               f"hy sinh {grave.death_date}" if grave.death_date else None) if part]
    address = ", ".join(part for part in (cemetery.commune, cemetery.district, cemetery.province) if part)
    body = [grave.name, where, status, " · ".join(facts), address,
            f"quy tập từ {grave.remains_place}" if grave.remains_place else None]
    death = _first_day(grave.death_date)
    return IndexDocument(
        type="grave", id=grave.id, title=f"{grave.name or UNNAMED_GRAVE} — {where}",
        body="\n".join(part for part in body if part), names=[grave.name] if grave.name else [],
        codes=unique([code_key(grave.id), *sorted(designation_keys(grave.unit_text or ""))]),
        provinces=[cemetery.province] if cemetery.province else [],
        units=unit_ids(grave.unit_text, grave.death_date, registry), dates=[death] if death else [],
        summary=" · ".join([where, status, *facts]), cemetery=cemetery.id,
        status=grave.status)  # type: ignore[arg-type]  # a stored status is one of the four


def page_document(page: Page, scan: Scan, collection: str | None, registry: Registry) -> IndexDocument:
    """A recognised page as a search document."""
    dates = unique(entity["value"] for entity in page.entities if entity["kind"] == "date")
    first_date = dates[0] if dates else None
    designations = [entity["text"] for entity in page.entities
                    if entity["kind"] in ("designation", "mailbox")]
    places = [entity["value"] for entity in page.entities if entity["kind"] == "place"]
    return IndexDocument(
        type="page", id=str(page.id), title=f"{scan.filename} — trang {page.number}", body=page.text,
        codes=sorted(designation_keys(page.text)), collection=collection,
        provinces=provinces_in(*places),
        units=unique(unit for text in designations for unit in unit_ids(text, first_date, registry)),
        dates=[d for d in (_first_day(value) for value in dates) if d],
        scan_id=scan.id, page_number=page.number)


def unit_document(unit: UnitEntry) -> IndexDocument:
    """A unit of the registry as a search document."""
    codes = [code.code for code in unit.codes]
    events = [f"{event.title} {event.place or ''} {event.province or ''}".strip() for event in unit.events]
    return IndexDocument(
        type="unit", id=unit.id, title=unit.name, names=[unit.name, *unit.aliases],
        body="\n".join([unit.name, *unit.aliases, *codes, *events]),
        codes=unique([code_key(unit.id), *(code_key(code) for code in codes)]),
        provinces=unique(event.province for event in unit.events if event.province),
        units=[unit.id], dates=[d for d in (_first_day(e.start) for e in unit.events) if d],
        summary=" · ".join([*unit.aliases[:3], *codes[:3]]))


def documents_for(session: Session, changes: Sequence[Change], registry: Registry
                  ) -> tuple[list[IndexDocument], list[str]]:
    """What the index must now hold for these changed entities: documents to write, and
    keys to delete (entities that are gone). A changed cemetery stands for its graves,
    which :func:`cemetery_documents` gives a batch at a time."""
    wanted: dict[str, set[str]] = {"page": set(), "person": set(), "unit": set(), "grave": set(),
                                   "cemetery": set()}
    for change in changes:
        wanted.setdefault(change.entity, set()).add(change.entity_id)
    documents: list[IndexDocument] = []
    page_ids = [int(value) for value in wanted["page"] if value.isdigit()]
    documents += _page_documents(session, page_ids, registry)
    people = session.scalars(select(Person).where(Person.id.in_(wanted["person"]))).all()
    documents += [person_document(person, registry) for person in people]
    if wanted["unit"]:
        documents += [unit_document(unit) for unit in load_registry(session).units
                      if unit.id in wanted["unit"]]
    if wanted["grave"]:
        documents += _grave_documents(session, registry, Grave.id.in_(wanted["grave"]))
    found = {document.key for document in documents}
    gone = [f"{entity}:{value}" for entity, values in wanted.items() for value in values
            if entity != "cemetery" and f"{entity}:{value}" not in found]
    return documents, gone


def _page_documents(session: Session, page_ids: Iterable[int], registry: Registry) -> list[IndexDocument]:
    rows = session.execute(
        select(Page, Scan, Collection.name).join(Scan, Page.scan_id == Scan.id)
        .outerjoin(Collection, Scan.collection_id == Collection.id).where(Page.id.in_(list(page_ids)))).all()
    return [page_document(page, scan, collection, registry) for page, scan, collection in rows]


def _grave_documents(session: Session, registry: Registry, where: ColumnElement[bool]) -> list[IndexDocument]:
    rows = session.execute(select(Grave, Cemetery).join(Cemetery, Grave.cemetery_id == Cemetery.id)
                           .where(where).order_by(Grave.id)).all()
    return [grave_document(grave, cemetery, registry) for grave, cemetery in rows]


def all_documents(session: Session, registry: Registry) -> Iterator[list[IndexDocument]]:
    """Every document the index should hold, in batches."""
    for unit_batch in _batched(load_registry(session).units):
        yield [unit_document(unit) for unit in unit_batch]
    last = ""
    while True:
        people = session.scalars(
            select(Person).where(Person.id > last).order_by(Person.id).limit(_BATCH)).all()
        if not people:
            break
        yield [person_document(person, registry) for person in people]
        last = people[-1].id
    last_page = 0
    while True:
        ids = session.scalars(
            select(Page.id).where(Page.id > last_page).order_by(Page.id).limit(_BATCH)).all()
        if not ids:
            break
        yield _page_documents(session, ids, registry)
        last_page = ids[-1]
    yield from _all_graves(session, registry)


def cemetery_documents(session: Session, changes: Sequence[Change], registry: Registry
                       ) -> Iterator[list[IndexDocument]]:
    """The documents of every grave in the changed cemeteries among ``changes`` (a
    cemetery's name and province are in its graves'), a batch at a time."""
    cemeteries = sorted({change.entity_id for change in changes if change.entity == "cemetery"})
    if cemeteries:
        yield from _all_graves(session, registry, Grave.cemetery_id.in_(cemeteries))


def _all_graves(session: Session, registry: Registry,
                where: ColumnElement[bool] | None = None) -> Iterator[list[IndexDocument]]:
    last = ""
    while True:
        query = select(Grave.id).where(Grave.id > last)
        ids = session.scalars((query if where is None else query.where(where))
                              .order_by(Grave.id).limit(_BATCH)).all()
        if not ids:
            return
        yield _grave_documents(session, registry, Grave.id.in_(ids))
        last = ids[-1]


def count_documents(session: Session) -> int:
    """How many documents :func:`all_documents` yields."""
    return sum(session.scalar(select(func.count()).select_from(table)) or 0
               for table in (Person, Page, Unit, Grave))


def _batched(items: Sequence[UnitEntry]) -> Iterator[Sequence[UnitEntry]]:
    for start in range(0, len(items), _BATCH):
        yield items[start:start + _BATCH]


def page_hit_boxes(session: Session, page_ids: Sequence[int], words: Sequence[Term]
                   ) -> dict[int, list[list[int]]]:
    """For each page, the boxes of its recognised words that match ``words`` (the query's
    terms), so a hit can be highlighted on the scan."""
    stored = session.execute(select(Page.id, Page.words).where(Page.id.in_(page_ids)))
    return {row.id: [word["box"] for word in row.words if word_matches(word["text"], words)]
            for row in stored}


def requeue_changed_since(session: Session, started: datetime) -> None:
    """Queue again what changed while a new index generation was being built (a cemetery
    stands for its graves), and every unit (a few thousand, cheap), so the new generation
    misses nothing."""
    record_change(session, "page", session.scalars(select(Page.id).where(Page.updated_at >= started)).all())
    record_change(session, "person", session.scalars(
        select(Person.id).where(Person.updated_at >= started)).all())
    record_change(session, "unit", session.scalars(select(Unit.id)).all())
    record_change(session, "grave", session.scalars(
        select(Grave.id).where(Grave.updated_at >= started)).all())
    record_change(session, "cemetery", session.scalars(
        select(Cemetery.id).where(Cemetery.updated_at >= started)).all())
