"""The append-only audit log: each entry carries the hash of the one before it.

Changing, removing or reordering any entry breaks the chain from there on, which
:func:`verify_audit_log` reports. Appends are serialised by locking the one-row
``audit_head`` (a row lock on PostgreSQL, the write lock on SQLite), so concurrent
writers extend one chain instead of forking it. The head hash printed by
``phienhieu audit verify`` can be kept elsewhere to detect a rewrite of the whole log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from archive.models import AuditEntry, AuditHead, utc_now

GENESIS = "0" * 64
_MAX_PROBLEMS = 20


def canonical_json(data: Any) -> str:
    """One spelling of ``data`` as JSON, so equal data hashes equal."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(seq: int, at: datetime, actor: str, action: str, subject: str, details: str,
               prev_hash: str) -> str:
    """The hash of one entry, covering every field and the previous entry's hash."""
    material = canonical_json([seq, at.isoformat(timespec="microseconds"), actor, action, subject,
                               details, prev_hash])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def record_event(session: Session, *, actor: str, action: str, subject: str,
                 details: Mapping[str, Any] | None = None) -> AuditEntry:
    """Append one entry in the caller's transaction (it is kept only if that commits)."""
    # The UPDATE comes first: it takes the lock before the head is read.
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1))
    seq, prev_hash = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    at = utc_now()
    text = canonical_json(dict(details or {}))
    entry = AuditEntry(seq=seq, at=at, actor=actor[:100], action=action[:64], subject=subject[:200],
                       details=text, prev_hash=prev_hash)
    entry.hash = entry_hash(seq, at, entry.actor, entry.action, entry.subject, text, prev_hash)
    session.add(entry)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=entry.hash))
    session.flush()
    return entry


@dataclass
class AuditReport:
    """What a verification found."""

    entries: int
    head_hash: str
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def verify_audit_log(session: Session) -> AuditReport:
    """Walk the whole log and check every link of the chain and the head."""
    report = AuditReport(entries=0, head_hash=GENESIS)
    expected_seq, previous = 1, GENESIS
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq).execution_options(
        yield_per=1000)).scalars()
    for entry in rows:
        report.entries += 1
        if entry.seq != expected_seq:
            report.problems.append(f"entry {expected_seq} is missing (the next one is {entry.seq})")
        if entry.prev_hash != previous:
            report.problems.append(f"entry {entry.seq} does not follow the entry before it")
        recomputed = entry_hash(entry.seq, entry.at, entry.actor, entry.action, entry.subject,
                                entry.details, entry.prev_hash)
        if recomputed != entry.hash:
            report.problems.append(f"entry {entry.seq} was altered after it was written")
        expected_seq, previous = entry.seq + 1, entry.hash
        if len(report.problems) >= _MAX_PROBLEMS:
            return report
    head = session.get(AuditHead, 1)
    if head is None:
        report.problems.append("the audit head is missing")
    elif head.seq != expected_seq - 1 or head.hash != previous:
        report.problems.append(
            f"the log ends at entry {expected_seq - 1} but its head says {head.seq}: "
            "entries were removed from the end")
    report.head_hash = previous
    return report
