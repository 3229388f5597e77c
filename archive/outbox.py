"""The search outbox: what the index must look at again, written with the change.

Writers call :func:`record_change` in the transaction that changes the entity, so the
index can never miss a committed change. One consumer (the process that holds the index)
drains the outbox: it hands due entries to the index and deletes them once applied; when
the index fails, the entries wait with exponential back-off and are tried again, for as
long as it takes. An entry names an entity, not its content: the index reads the current
state, so several changes to one record cost one update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from archive.bulk import insert_rows
from archive.models import OutboxEntry, utc_now

#: What changed; a ``cemetery`` entry stands for the documents of the graves in it.
Entity = Literal["page", "person", "unit", "grave", "cemetery"]
_RETRY_BASE_S = 1.0
_RETRY_MAX_S = 300.0


@dataclass(frozen=True)
class Change:
    """One entry of the outbox."""

    id: int
    entity: str
    entity_id: str
    attempts: int


@dataclass(frozen=True)
class DrainReport:
    """What one pass over the outbox did."""

    applied: int
    failed: int
    error: str | None = None


def record_change(session: Session, entity: Entity, entity_ids: Iterable[str | int]) -> None:
    """Note, in the caller's transaction, that these entities changed."""
    rows = [{"entity": entity, "entity_id": str(entity_id)} for entity_id in entity_ids]
    if rows:
        now = utc_now()
        insert_rows(session, OutboxEntry, [row | {"created_at": now, "next_attempt_at": now,
                                                     "attempts": 0} for row in rows])


def pending_changes(session: Session) -> int:
    """How many entries wait in the outbox."""
    return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def drain_outbox(sessions: sessionmaker[Session], apply: Callable[[Sequence[Change]], None],
                 *, batch: int = 500, passthrough: tuple[type[Exception], ...] = ()) -> DrainReport:
    """Apply one batch of due entries; on failure keep them for a later try.

    Args:
        sessions: where the outbox lives.
        apply: brings the index up to date for these entities; raises on failure.
        batch: most entries handed over at once.
        passthrough: errors that say "not now" rather than "failed": raised to the
            caller, the entries left as they were.
    """
    now = utc_now()
    with sessions() as session:
        changes = [Change(row.id, row.entity, row.entity_id, row.attempts) for row in session.execute(
            select(OutboxEntry).where(OutboxEntry.next_attempt_at <= now)
            .order_by(OutboxEntry.id).limit(batch)).scalars()]
    if not changes:
        return DrainReport(0, 0)
    ids = [change.id for change in changes]
    try:
        apply(changes)
    except passthrough:
        raise
    except Exception as error:  # any index failure: keep the entries, try again later
        message = f"{type(error).__name__}: {error}"[:2000]
        with sessions.begin() as session:
            for change in changes:
                wait = min(_RETRY_MAX_S, _RETRY_BASE_S * 2 ** change.attempts)
                session.execute(update(OutboxEntry).where(OutboxEntry.id == change.id).values(
                    attempts=change.attempts + 1, last_error=message,
                    next_attempt_at=now + timedelta(seconds=wait)))
        return DrainReport(0, len(changes), message)
    with sessions.begin() as session:
        session.execute(delete(OutboxEntry).where(OutboxEntry.id.in_(ids)))
    return DrainReport(len(changes), 0)
