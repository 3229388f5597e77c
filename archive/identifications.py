"""The laboratory's comparisons, and the identifications that name a grave after a person.

A grave is named only on a comparison concluded ``match`` between a reference sample of
the person and a remains sample of the grave, or on archived documents with a note
saying why they suffice. Naming keeps the grave's history and what it was before, so an
identification can be undone, audited, and the grave put back as it was.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.audit import record_event
from archive.errors import ArchiveError
from archive.models import (
    CustodyEvent,
    DnaMatch,
    Grave,
    GraveStatusChange,
    Identification,
    Person,
    Sample,
    utc_now,
)
from archive.outbox import record_change
from archive.persons import scan_id_of
from archive.sample_schema import IdentificationRecord, MatchRecord
from archive.samples import find_sample
from decoder.errors import ErrorKind, InvalidInputError, NotFoundError

#: The statuses a grave can be named from.
NAMEABLE = ("unidentified", "partial")


class IdentificationRefusedError(ArchiveError):
    """An identification without the basis it needs, or of a grave that cannot take it."""

    kind = ErrorKind.CONFLICT
    code = "identification_refused"


def record_match(session: Session, record: MatchRecord, *, actor: str) -> DnaMatch:
    """Record a laboratory's comparison, audited.

    Raises:
        NotFoundError: a sample or the report's scan is not stored.
        InvalidInputError: the samples are not a reference and a remains sample.
    """
    reference = find_sample(session, record.reference_sample)
    remains = find_sample(session, record.remains_sample)
    if reference.kind != "reference" or remains.kind != "remains":
        raise InvalidInputError("A comparison sets a reference sample (from a relative) beside a remains "
                                "sample.")
    if record.report_scan is not None and scan_id_of(session, record.report_scan) is None:
        raise NotFoundError(f"There is no archived scan {record.report_scan!r} for the report.")
    match = DnaMatch(id=f"m-{uuid.uuid4().hex[:16]}", reference_sample=reference.id,
                     remains_sample=remains.id, lr=record.lr, conclusion=record.conclusion, note=record.note,
                     report_scan=record.report_scan, recorded_by=actor[:100], recorded_at=utc_now())
    session.add(match)
    session.flush()
    record_event(session, actor=actor, action="match.record", subject=f"match:{match.id}",
                 details={"reference_sample": reference.id, "remains_sample": remains.id,
                          "conclusion": record.conclusion})
    return match


def match_json(match: DnaMatch) -> dict[str, Any]:
    """A comparison as the API gives it."""
    return {"id": match.id, "reference_sample": match.reference_sample,
            "remains_sample": match.remains_sample, "lr": match.lr, "conclusion": match.conclusion,
            "note": match.note, "report_scan": match.report_scan, "recorded_by": match.recorded_by,
            "recorded_at": match.recorded_at.isoformat()}


def identify(session: Session, record: IdentificationRecord, *, actor: str) -> Identification:
    """Name a grave after a person: the grave becomes ``named``, linked to the person, its
    status change kept in its history; audited, and queued for search.

    Raises:
        NotFoundError: no such grave or person.
        IdentificationRefusedError: no basis (no match of this person and this grave, nor
            archived documents with a note), or the grave is not unidentified or partial.
    """
    grave = session.get(Grave, record.grave_id)
    if grave is None:
        raise NotFoundError(f"There is no grave {record.grave_id!r}.")
    person = session.get(Person, record.person_id)
    if person is None:
        raise NotFoundError(f"There is no person record {record.person_id!r}.")
    if grave.status not in NAMEABLE:
        raise IdentificationRefusedError(f"The grave {grave.id!r} is {grave.status}; only an unidentified "
                                         "or partial grave can be named.")
    basis = _basis(session, record, grave.id, person.id)
    before = {"status": grave.status, "name": grave.name, "person_id": grave.person_id}
    identification = Identification(
        id=f"id-{uuid.uuid4().hex[:16]}", grave_id=grave.id, person_id=person.id,
        matches=list(record.matches),
        documents=[document.model_dump(exclude_none=True) for document in record.documents],
        note=record.note, grave_before=before, by=actor[:100], at=utc_now())
    session.add(identification)
    reason = f"identified as {person.id} ({basis})"
    _set_grave(session, grave, status="named", name=grave.name or person.full_name, person_id=person.id,
               actor=actor, reason=reason)
    record_event(session, actor=actor, action="grave.identify", subject=f"grave:{grave.id}",
                 details={"identification": identification.id, "person_id": person.id, "basis": basis})
    return identification


def _basis(session: Session, record: IdentificationRecord, grave_id: str, person_id: str) -> str:
    """What the identification rests on, or the reason it is refused."""
    if record.matches:
        for match_id in record.matches:
            problem = _match_problem(session, match_id, grave_id, person_id)
            if problem is not None:
                raise IdentificationRefusedError(problem)
        return "DNA match " + ", ".join(record.matches)
    if not record.documents:
        raise IdentificationRefusedError("An identification needs its basis: a laboratory comparison "
                                         "concluded match (matches), or archived documents (documents) "
                                         "with a note.")
    for document in record.documents:
        if scan_id_of(session, document.scan) is None:
            raise IdentificationRefusedError(f"The document {document.scan!r} is not an archived scan.")
    if not (record.note or "").strip():
        raise IdentificationRefusedError("An identification on documents alone needs a note saying why "
                                         "they suffice.")
    return "documents " + ", ".join(document.scan for document in record.documents)


def _match_problem(session: Session, match_id: str, grave_id: str, person_id: str) -> str | None:
    match = session.get(DnaMatch, match_id)
    if match is None:
        return f"There is no laboratory comparison {match_id!r}."
    if match.conclusion != "match":
        return f"The comparison {match_id!r} concluded {match.conclusion}, not match."
    reference = session.get(Sample, match.reference_sample)
    remains = session.get(Sample, match.remains_sample)
    if reference is None or reference.person_id != person_id:
        return f"The comparison {match_id!r} is not of a reference sample of {person_id!r}."
    if remains is None or remains.grave_id != grave_id:
        return f"The comparison {match_id!r} is not of a remains sample of the grave {grave_id!r}."
    return None


def undo_identification(session: Session, identification_id: str, *, actor: str, reason: str) -> None:
    """Undo an identification: the grave is put back as it was, the change kept in its
    history; audited.

    Raises:
        NotFoundError: no such identification.
        IdentificationRefusedError: it was undone already, or the grave changed since.
    """
    identification = session.get(Identification, identification_id)
    if identification is None:
        raise NotFoundError(f"There is no identification {identification_id!r}.")
    if identification.undone_at is not None:
        raise IdentificationRefusedError(f"The identification {identification_id!r} was undone already.")
    grave = session.get(Grave, identification.grave_id)
    if grave is None or grave.person_id != identification.person_id or grave.status != "named":
        raise IdentificationRefusedError("The grave changed since it was named; correct it instead.")
    before = identification.grave_before
    _set_grave(session, grave, status=before["status"], name=before.get("name"),
               person_id=before.get("person_id"), actor=actor,
               reason=f"identification {identification_id} undone: {reason}")
    identification.undone_by, identification.undone_at = actor[:100], utc_now()
    identification.undo_reason = reason
    record_event(session, actor=actor, action="grave.identify.undo", subject=f"grave:{grave.id}",
                 details={"identification": identification_id, "reason": reason[:500]})


def _set_grave(session: Session, grave: Grave, *, status: str, name: str | None, person_id: str | None,
               actor: str, reason: str) -> None:
    now = utc_now()
    if status != grave.status:
        session.add(GraveStatusChange(grave_id=grave.id, from_status=grave.status, to_status=status, at=now,
                                      actor=actor[:100], reason=reason))
    grave.status, grave.name, grave.person_id, grave.updated_at = status, name, person_id, now
    session.flush()
    record_change(session, "grave", [grave.id])


def identifications_of(session: Session, *, person_id: str | None = None,
                       grave_id: str | None = None) -> list[Identification]:
    """The identifications of a person or of a grave, undone ones too, newest first."""
    query = select(Identification).order_by(Identification.at.desc())
    if person_id is not None:
        query = query.where(Identification.person_id == person_id)
    if grave_id is not None:
        query = query.where(Identification.grave_id == grave_id)
    return list(session.scalars(query))


def identification_json(identification: Identification) -> dict[str, Any]:
    """An identification as the API gives it."""
    return {"id": identification.id, "grave_id": identification.grave_id,
            "person_id": identification.person_id, "matches": identification.matches,
            "documents": identification.documents, "note": identification.note, "by": identification.by,
            "at": identification.at.isoformat(),
            "undone": identification.undone_at is not None, "undone_by": identification.undone_by,
            "undo_reason": identification.undo_reason}


def family_progress(session: Session, person_id: str) -> list[str]:
    """What a family may read of the work on its martyr, in plain steps and nothing more:
    ``sample_taken`` (a sample from the family was taken), ``analysed`` (the laboratory
    has analysed it), ``identified`` (a grave was named after him)."""
    steps = []
    references = list(session.scalars(select(Sample.id).where(Sample.person_id == person_id,
                                                                Sample.kind == "reference")))
    if references:
        steps.append("sample_taken")
        analysed = session.scalar(select(CustodyEvent.id).where(CustodyEvent.sample_id.in_(references),
                                                               CustodyEvent.event == "analysed").limit(1))
        compared = session.scalar(select(DnaMatch.id).where(DnaMatch.reference_sample.in_(references))
                                  .limit(1))
        if analysed is not None or compared is not None:
            steps.append("analysed")
    if session.scalar(select(Identification.id).where(Identification.person_id == person_id,
                                                      Identification.undone_at.is_(None)).limit(1)):
        steps.append("identified")
    return steps
