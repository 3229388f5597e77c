"""Source lists and their entries: a list is replaced whole, in its importer's transaction.

Every function takes the caller's ``Session`` and only flushes. A list's entries are
written a batch at a time with the database's bulk path (``COPY`` on PostgreSQL), all in
one transaction: a list is stored whole or not at all, and importing it again replaces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from archive.audit import record_event
from archive.bulk import copy_text, insert_rows
from archive.list_rows import ENTRY_LINE_COLUMNS
from archive.models import ListEntry, ListSource, utc_now
from linkage.entries import EntryFields


def begin_source(session: Session, name: str, *, file_name: str, actor: str) -> int:
    """Make ``name`` an empty list (created, or its entries removed); returns how many
    entries it held before."""
    before = session.scalar(select(func.count()).select_from(ListEntry).where(ListEntry.source == name)) or 0
    session.execute(delete(ListEntry).where(ListEntry.source == name))
    source = session.get(ListSource, name)
    if source is None:
        session.add(ListSource(name=name, file_name=file_name[:300], entries=0, imported_by=actor[:100],
                               imported_at=utc_now()))
    else:
        source.file_name, source.entries, source.imported_by = file_name[:300], 0, actor[:100]
        source.imported_at = utc_now()
    session.flush()
    return before


def add_entries(session: Session, name: str,
                entries: Sequence[tuple[int, dict[str, Any], EntryFields]]) -> None:
    """Write entries (row number, values as read, fields) of the list ``name``."""
    insert_rows(session, ListEntry, [{
        "source": name, "row": row, "raw": raw, "name": fields.name, "name_key": fields.name_key,
        "birth_year": fields.birth_year, "hometown": fields.hometown, "commune": fields.commune,
        "district": fields.district, "province": fields.province, "unit_text": fields.unit_text,
        "unit_chain": fields.unit_chain, "death_date": fields.death_date, "death_place": fields.death_place,
    } for row, raw, fields in entries])


def add_entry_lines(session: Session, lines: Sequence[str]) -> None:
    """Write entries given as ``COPY`` lines (:func:`archive.list_rows.entry_lines`);
    PostgreSQL only (:func:`archive.bulk.copies_text`)."""
    if lines:
        copy_text(session, ListEntry, ENTRY_LINE_COLUMNS, "\n".join(lines) + "\n")


def finish_source(session: Session, name: str, *, entries: int, replaced: int, problems: int,
                  actor: str) -> None:
    """Record how many entries the list holds now, and audit the import."""
    source = session.get(ListSource, name)
    if source is not None:
        source.entries = entries
    record_event(session, actor=actor, action="list.import", subject=f"list:{name}",
                 details={"entries": entries, "replaced": replaced, "refused_rows": problems})


def list_sources(session: Session) -> list[ListSource]:
    """Every list, by name."""
    return list(session.scalars(select(ListSource).order_by(ListSource.name)))
