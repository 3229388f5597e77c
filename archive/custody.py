"""A sample's chain of custody, hash-linked like the audit log.

The first link carries the hash of what the sample is (its barcode, kind, whose it is,
where it came from), each event the hash of the link before it, and every event is also
written to the audit log with its hash. Changing a sample or an event breaks its chain;
removing events from the end leaves the audit log naming an event the chain lacks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from archive.audit import canonical_json
from archive.models import CustodyEvent, Sample


def _digest(material: list[object]) -> str:
    return hashlib.sha256(canonical_json(material).encode("utf-8")).hexdigest()


def _instant(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")


def sample_hash(sample: Sample) -> str:
    """The hash of what a sample is, which its first custody event is chained to."""
    return _digest([sample.id, sample.barcode, sample.kind, sample.person_id, sample.relative_id,
                    sample.grave_id, sample.burial_id, sample.collected_at, sample.collected_by,
                    bool(sample.consent), sample.created_by, _instant(sample.created_at)])


def event_hash(event: CustodyEvent) -> str:
    """The hash of one custody event, covering every field and the link before it."""
    return _digest([event.sample_id, event.seq, event.event, _instant(event.at), event.by, event.place,
                    event.note, event.recorded_by, _instant(event.recorded_at), event.prev_hash])


@dataclass
class ChainReport:
    """What checking one sample's chain found; ``head`` is the hash of its last link."""

    sample_id: str
    events: int
    head: str
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def check_chain(sample: Sample, events: Sequence[CustodyEvent], *, audited_head: str | None) -> ChainReport:
    """Check a sample's chain: its own hash, every link in order, and that its last link
    is the one the audit log recorded last for it (``audited_head``; None when the audit
    log has nothing on the sample, which is itself a problem)."""
    report = ChainReport(sample.id, len(events), sample.genesis_hash)
    if sample_hash(sample) != sample.genesis_hash:
        report.problems.append(f"sample {sample.id} was altered after it was created")
    previous = sample.genesis_hash
    for expected_seq, event in enumerate(sorted(events, key=lambda e: e.seq), start=1):
        if event.seq != expected_seq:
            report.problems.append(f"custody event {expected_seq} of sample {sample.id} is missing")
        if event.prev_hash != previous:
            report.problems.append(f"custody event {event.seq} of sample {sample.id} does not follow the one "
                                   "before it")
        if event_hash(event) != event.hash:
            report.problems.append(f"custody event {event.seq} of sample {sample.id} was altered after "
                                   "it was recorded")
        previous = event.hash
    report.head = previous
    if audited_head is None:
        report.problems.append(f"the audit log has no record of sample {sample.id}")
    elif audited_head != previous:
        report.problems.append(f"the audit log records a later custody event of sample {sample.id} than "
                               "its chain holds: events were removed")
    return report
