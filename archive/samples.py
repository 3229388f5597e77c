"""DNA samples: created with a barcode, followed by their hash-linked chain of custody.

A sample's data never leaves the staff's side: nothing here feeds the search outbox, and
the audit log names samples and relatives by id only.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from archive.audit import record_event
from archive.custody import ChainReport, check_chain, event_hash, sample_hash
from archive.errors import ArchiveError
from archive.models import AuditEntry, Burial, CustodyEvent, Grave, Person, Relative, Sample, utc_now
from archive.relatives import add_relative, find_relative
from archive.sample_schema import CustodyRecord, SampleRecord
from decoder.errors import ErrorKind, InvalidInputError, NotFoundError

#: The audit actions that move a sample's head.
_HEAD_ACTIONS = ("sample.create", "sample.custody")
_BARCODE_DIGITS = 10


class CustodyConflictError(ArchiveError):
    """The event cannot follow the sample's chain (it was destroyed, or the event is
    dated before the last one)."""

    kind = ErrorKind.CONFLICT
    code = "custody_conflict"


def new_barcode() -> str:
    """``PH`` and eleven digits, the last a Luhn check digit (a misread digit is caught
    by the scanner, a mistyped one by :func:`barcode_is_valid`)."""
    digits = "".join(secrets.choice("0123456789") for _ in range(_BARCODE_DIGITS))
    return f"PH{digits}{_luhn_digit(digits)}"


def barcode_is_valid(barcode: str) -> bool:
    """Whether a barcode is one :func:`new_barcode` could have made."""
    body = barcode[2:]
    return (barcode.startswith("PH") and len(body) == _BARCODE_DIGITS + 1 and body.isascii()
            and body.isdigit() and _luhn_digit(body[:-1]) == body[-1])


def _luhn_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def create_sample(session: Session, record: SampleRecord, *, actor: str) -> Sample:
    """Create a sample with a new barcode, audited; a reference sample's new relative is
    registered with it.

    Raises:
        NotFoundError: the person, relative, grave or burial named is not stored.
        InvalidInputError: the relative is another person's, or was erased.
    """
    relative_id = None
    if record.kind == "reference":
        assert record.person_id is not None  # the schema requires it
        if session.get(Person, record.person_id) is None:
            raise NotFoundError(f"There is no person record {record.person_id!r}.")
        if record.relative is not None:
            given = record.relative.model_copy(update={"consent": True})
            relative_id = add_relative(session, record.person_id, given, actor=actor).id
        else:
            assert record.relative_id is not None
            relative_id = _usable_relative(session, record.relative_id, record.person_id).id
    if record.grave_id and session.get(Grave, record.grave_id) is None:
        raise NotFoundError(f"There is no grave {record.grave_id!r}.")
    if record.burial_id and session.get(Burial, record.burial_id) is None:
        raise NotFoundError(f"There is no initial burial {record.burial_id!r}.")
    sample = Sample(id=f"s-{uuid.uuid4().hex[:16]}", barcode=_unused_barcode(session), kind=record.kind,
                    person_id=record.person_id, relative_id=relative_id, grave_id=record.grave_id,
                    burial_id=record.burial_id, collected_at=record.collected_at,
                    collected_by=record.collected_by, consent=record.consent, created_by=actor[:100],
                    created_at=utc_now())
    sample.genesis_hash = sample_hash(sample)
    session.add(sample)
    session.flush()
    record_event(session, actor=actor, action="sample.create", subject=f"sample:{sample.id}",
                 details={"kind": sample.kind, "barcode": sample.barcode, "head": sample.genesis_hash})
    return sample


def _usable_relative(session: Session, relative_id: str, person_id: str) -> Relative:
    relative = find_relative(session, relative_id)
    if relative.person_id != person_id:
        raise InvalidInputError(f"The relative {relative_id!r} is registered for another person.")
    if relative.erased_at is not None:
        raise InvalidInputError(f"The relative {relative_id!r} was erased on request; no sample can be "
                                "taken in that name.")
    return relative


def _unused_barcode(session: Session) -> str:
    while True:  # ten random digits: a clash is a one-in-billions event, tried again
        barcode = new_barcode()
        if session.scalar(select(Sample.id).where(Sample.barcode == barcode)) is None:
            return barcode


def find_sample(session: Session, sample_ref: str) -> Sample:
    """The sample with this id or barcode.

    Raises:
        NotFoundError: there is none.
    """
    sample = (session.get(Sample, sample_ref)
              or session.scalar(select(Sample).where(Sample.barcode == sample_ref)))
    if sample is None:
        raise NotFoundError(f"There is no sample {sample_ref!r}.")
    return sample


def add_custody_event(session: Session, sample_ref: str, record: CustodyRecord, *,
                      actor: str) -> CustodyEvent:
    """Append an event to a sample's chain of custody, audited with its hash.

    Raises:
        NotFoundError: no such sample.
        CustodyConflictError: the sample was destroyed, or the event is dated before the
            last one.
    """
    sample = find_sample(session, sample_ref)
    # Takes the sample's row lock (the write lock on SQLite) before the last link is read,
    # so two events recorded at once extend one chain instead of forking it.
    session.execute(update(Sample).where(Sample.id == sample.id).values(id=Sample.id))
    last = session.scalar(select(CustodyEvent).where(CustodyEvent.sample_id == sample.id)
                          .order_by(CustodyEvent.seq.desc()).limit(1))
    now = utc_now()
    at = record.at or now
    if last is not None and last.event == "destroyed":
        raise CustodyConflictError(f"The sample {sample.barcode} was destroyed; nothing can follow.")
    if last is not None and at < last.at:
        raise CustodyConflictError(f"The event is dated before the sample's last event ({last.event}, "
                                   f"{last.at.isoformat(timespec='minutes')}).")
    event = CustodyEvent(sample_id=sample.id, seq=(last.seq if last else 0) + 1, event=record.event, at=at,
                         by=(record.by or actor)[:200], place=record.place, note=record.note,
                         recorded_by=actor[:100], recorded_at=now,
                         prev_hash=last.hash if last else sample.genesis_hash)
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    record_event(session, actor=actor, action="sample.custody", subject=f"sample:{sample.id}",
                 details={"seq": event.seq, "event": event.event, "head": event.hash})
    return event


def custody_of(session: Session, sample_id: str) -> list[CustodyEvent]:
    """A sample's custody events in order."""
    return list(session.scalars(select(CustodyEvent).where(CustodyEvent.sample_id == sample_id)
                                .order_by(CustodyEvent.seq)))


def audited_head(session: Session, sample_id: str) -> str | None:
    """The head of a sample's chain as the audit log last recorded it."""
    details = session.scalar(select(AuditEntry.details).where(
        AuditEntry.subject == f"sample:{sample_id}", AuditEntry.action.in_(_HEAD_ACTIONS))
        .order_by(AuditEntry.seq.desc()).limit(1))
    if details is None:
        return None
    head = json.loads(details).get("head")
    return head if isinstance(head, str) else None


def chain_report(session: Session, sample: Sample) -> ChainReport:
    """Check one sample's chain of custody against itself and the audit log."""
    return check_chain(sample, custody_of(session, sample.id), audited_head=audited_head(session, sample.id))


@dataclass
class ChainsReport:
    """What checking every sample's chain found."""

    samples: int
    problems: list[str]


def check_all_chains(session: Session, *, max_problems: int = 20) -> ChainsReport:
    """Check the chain of custody of every sample (for ``phienhieu audit verify``)."""
    report = ChainsReport(0, [])
    for sample in session.scalars(select(Sample).order_by(Sample.id).execution_options(yield_per=500)):
        report.samples += 1
        report.problems += chain_report(session, sample).problems
        if len(report.problems) >= max_problems:
            break
    return report


def sample_json(session: Session, sample: Sample) -> dict[str, Any]:
    """A sample as the API gives it, with its custody chain and ``chain_intact``; its
    relative by name, line and relation, never by contact."""
    events = custody_of(session, sample.id)
    report = check_chain(sample, events, audited_head=audited_head(session, sample.id))
    relative = session.get(Relative, sample.relative_id) if sample.relative_id else None
    return {
        "id": sample.id, "barcode": sample.barcode, "kind": sample.kind, "person_id": sample.person_id,
        "relative": None if relative is None else {
            "id": relative.id, "name": relative.name, "relation": relative.relation, "line": relative.line,
            "erased": relative.erased_at is not None},
        "grave_id": sample.grave_id, "burial_id": sample.burial_id, "collected_at": sample.collected_at,
        "collected_by": sample.collected_by, "consent": sample.consent, "created_by": sample.created_by,
        "created_at": sample.created_at.isoformat(),
        "custody": [{"seq": event.seq, "event": event.event, "at": event.at.isoformat(), "by": event.by,
                     "place": event.place, "note": event.note, "recorded_by": event.recorded_by,
                     "hash": event.hash} for event in events],
        "chain_intact": report.intact, "chain_problems": report.problems}


def samples_of(session: Session, *, person_id: str | None = None,
               grave_id: str | None = None) -> list[Sample]:
    """The samples of a person (references from his relatives) or of a grave."""
    query = select(Sample).order_by(Sample.created_at, Sample.id)
    if person_id is not None:
        query = query.where(Sample.person_id == person_id)
    if grave_id is not None:
        query = query.where(Sample.grave_id == grave_id)
    return list(session.scalars(query))


def list_samples(session: Session, *, limit: int, offset: int) -> tuple[int, list[Sample]]:
    """Samples, the newest first, a page at a time; and how many in all."""
    total = session.scalar(select(func.count()).select_from(Sample)) or 0
    rows = session.scalars(select(Sample).order_by(Sample.created_at.desc(), Sample.id).limit(limit)
                           .offset(offset))
    return total, list(rows)
