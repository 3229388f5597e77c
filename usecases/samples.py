"""Relatives, DNA samples, their custody, the laboratory's comparisons and the
identifications that name graves: one transaction each, as the API, pages and commands
call them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive.graves import find_record
from archive.identifications import (
    family_progress,
    identification_json,
    identifications_of,
    identify,
    match_json,
    record_match,
    undo_identification,
)
from archive.models import DnaMatch, Grave, Person
from archive.relatives import add_relative, erase_relative, relative_json, relatives_of
from archive.sample_schema import (
    CustodyRecord,
    IdentificationRecord,
    MatchRecord,
    RelativeRecord,
    SampleRecord,
)
from archive.samples import (
    ChainsReport,
    add_custody_event,
    check_all_chains,
    create_sample,
    custody_of,
    find_sample,
    list_samples,
    sample_json,
    samples_of,
)
from decoder.errors import NotFoundError


def register_relative(person_id: str, record: RelativeRecord, *, sessions: sessionmaker[Session],
                      actor: str) -> str:
    """Register a relative of a person; returns its id."""
    with sessions.begin() as session:
        return add_relative(session, person_id, record, actor=actor).id


def person_relatives(person_id: str, *, sessions: sessionmaker[Session], contacts: bool) -> dict[str, Any]:
    """A person's registered relatives (contacts only for officers) and samples."""
    with sessions() as session:
        if session.get(Person, person_id) is None:
            raise NotFoundError(f"There is no person record {person_id!r}.")
        relatives = [relative_json(relative, contacts=contacts)
                     for relative in relatives_of(session, person_id)]
        samples = [{"id": sample.id, "barcode": sample.barcode, "kind": sample.kind,
                    "relative_id": sample.relative_id} for sample in samples_of(session, person_id=person_id)]
        return {"person_id": person_id, "relatives": relatives, "samples": samples}


def erase_relative_data(relative_id: str, *, reason: str, sessions: sessionmaker[Session],
                        actor: str) -> None:
    """Erase a relative's personal data on request (the audit keeps that it existed)."""
    with sessions.begin() as session:
        erase_relative(session, relative_id, actor=actor, reason=reason)


def new_sample(record: SampleRecord, *, sessions: sessionmaker[Session], actor: str) -> dict[str, str]:
    """Create a sample: ``{"id", "barcode"}``."""
    with sessions.begin() as session:
        sample = create_sample(session, record, actor=actor)
        return {"id": sample.id, "barcode": sample.barcode}


def sample_document(sample_ref: str, *, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """A sample (by id or barcode) with its custody chain, ``chain_intact`` and comparisons."""
    with sessions() as session:
        sample = find_sample(session, sample_ref)
        data = sample_json(session, sample)
        column = DnaMatch.reference_sample if sample.kind == "reference" else DnaMatch.remains_sample
        matches = session.scalars(select(DnaMatch).where(column == sample.id).order_by(DnaMatch.recorded_at))
        data["matches"] = [match_json(match) for match in matches]
        return data


def record_custody(sample_ref: str, record: CustodyRecord, *, sessions: sessionmaker[Session],
                   actor: str) -> dict[str, Any]:
    """Append a custody event; returns the sample as :func:`sample_document` gives it."""
    with sessions.begin() as session:
        add_custody_event(session, sample_ref, record, actor=actor)
    return sample_document(sample_ref, sessions=sessions)


def new_match(record: MatchRecord, *, sessions: sessionmaker[Session], actor: str) -> dict[str, Any]:
    """Record a laboratory comparison."""
    with sessions.begin() as session:
        return match_json(record_match(session, record, actor=actor))


def name_grave(record: IdentificationRecord, *, sessions: sessionmaker[Session],
               actor: str) -> dict[str, Any]:
    """Name a grave after a person (see :func:`archive.identifications.identify`)."""
    with sessions.begin() as session:
        return identification_json(identify(session, record, actor=actor))


def undo_naming(identification_id: str, *, reason: str, sessions: sessionmaker[Session],
                actor: str) -> None:
    """Undo an identification; the grave is put back as it was."""
    with sessions.begin() as session:
        undo_identification(session, identification_id, actor=actor, reason=reason)


def progress_for_family(person_id: str | None, *, sessions: sessionmaker[Session]) -> list[str]:
    """The plain steps a family may read (see :func:`archive.identifications.family_progress`)."""
    if person_id is None:
        return []
    with sessions() as session:
        return family_progress(session, person_id)


def check_sample_chains(*, sessions: sessionmaker[Session]) -> ChainsReport:
    """Check every sample's chain of custody."""
    with sessions() as session:
        return check_all_chains(session)


def sample_list(*, sessions: sessionmaker[Session], limit: int, offset: int) -> dict[str, Any]:
    """A page of samples, the newest first: ``{"total", "samples"}``, each with its last
    custody event."""
    with sessions() as session:
        total, samples = list_samples(session, limit=limit, offset=offset)
        rows = []
        for sample in samples:
            events = custody_of(session, sample.id)
            rows.append({"id": sample.id, "barcode": sample.barcode, "kind": sample.kind,
                         "person_id": sample.person_id, "grave_id": sample.grave_id,
                         "created_at": sample.created_at.isoformat(),
                         "last_event": events[-1].event if events else None})
        return {"total": total, "samples": rows}


def grave_samples(grave_id: str, *, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """A grave's remains samples and identifications, for its DNA page."""
    with sessions() as session:
        grave = find_record(session, Grave, grave_id)
        samples = [{"id": sample.id, "barcode": sample.barcode, "created_at": sample.created_at.isoformat()}
                   for sample in samples_of(session, grave_id=grave_id)]
        return {"grave": {"id": grave.id, "status": grave.status, "name": grave.name,
                          "person_id": grave.person_id, "cemetery": grave.cemetery_id,
                          "number": grave.number},
                "samples": samples,
                "identifications": [identification_json(item)
                                    for item in identifications_of(session, grave_id=grave_id)]}
