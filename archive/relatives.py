"""Relatives of a martyr registered for DNA sampling.

A relative's name and contact are personal data: the audit log names the relative by id
only, and erasing one empties every personal field while the row (and the audit's
record that it existed) stays.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.audit import record_event
from archive.models import Person, Relative, utc_now
from archive.sample_schema import RelativeRecord
from decoder.errors import InvalidInputError, NotFoundError

#: What an erased relative's name reads.
ERASED_NAME = ""


def add_relative(session: Session, person_id: str, record: RelativeRecord, *, actor: str) -> Relative:
    """Register a relative of a stored person, audited.

    Raises:
        NotFoundError: no such person.
    """
    if session.get(Person, person_id) is None:
        raise NotFoundError(f"There is no person record {person_id!r}.")
    now = utc_now()
    relative = Relative(id=f"rel-{uuid.uuid4().hex[:16]}", person_id=person_id, name=record.name,
                        relation=record.relation, line=record.line, living=record.living,
                        contact=record.contact, consent=record.consent, consent_at=record.consent_at,
                        consent_how=record.consent_how, created_by=actor[:100], created_at=now,
                        updated_at=now)
    session.add(relative)
    session.flush()
    record_event(session, actor=actor, action="relative.create", subject=f"relative:{relative.id}",
                 details={"person_id": person_id, "line": record.line})
    return relative


def find_relative(session: Session, relative_id: str) -> Relative:
    """The registered relative with this id (erased ones too).

    Raises:
        NotFoundError: there is none.
    """
    relative = session.get(Relative, relative_id)
    if relative is None:
        raise NotFoundError(f"There is no relative {relative_id!r}.")
    return relative


def relatives_of(session: Session, person_id: str) -> list[Relative]:
    """A person's registered relatives, erased ones left out, in the order registered."""
    return list(session.scalars(select(Relative).where(Relative.person_id == person_id,
                                                       Relative.erased_at.is_(None))
                                .order_by(Relative.created_at, Relative.id)))


def erase_relative(session: Session, relative_id: str, *, actor: str, reason: str) -> None:
    """Erase a relative's personal data on request; the row, its samples and the audit's
    record that it existed stay.

    Raises:
        NotFoundError: no such relative.
        InvalidInputError: no reason given.
    """
    if not reason.strip():
        raise InvalidInputError("Say why the relative's data is erased (the request it answers).")
    relative = find_relative(session, relative_id)
    if relative.erased_at is not None:
        return
    relative.name, relative.relation, relative.contact = ERASED_NAME, None, None
    relative.living, relative.consent_how = None, None
    relative.erased_at = relative.updated_at = utc_now()
    session.flush()
    record_event(session, actor=actor, action="relative.erase", subject=f"relative:{relative_id}",
                 details={"reason": reason.strip()[:500]})


def relative_json(relative: Relative, *, contacts: bool) -> dict[str, Any]:
    """A relative as the API gives it; ``contact`` only when ``contacts`` (officers)."""
    data: dict[str, Any] = {"id": relative.id, "person_id": relative.person_id, "name": relative.name,
                            "relation": relative.relation, "line": relative.line, "living": relative.living,
                            "consent": relative.consent, "consent_at": relative.consent_at,
                            "consent_how": relative.consent_how,
                            "erased": relative.erased_at is not None}
    if contacts:
        data["contact"] = relative.contact
    return data
