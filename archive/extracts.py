"""Issued extracts in the archive: serials, the request they answer, revocation.

Rendering and signing happen outside (``extracts``); this module records what was
issued, in the caller's transaction, and audits every step.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from archive.audit import record_event
from archive.models import Extract, FamilyRequest, Page, Person, Scan, utc_now
from archive.persons import resolve_page
from archive.requests import TransitionError, find_request
from decoder.errors import NotFoundError

_SERIAL_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_serial(when: datetime) -> str:
    """``TL-<year>-`` and eight characters that cannot be guessed or misread."""
    return f"TL-{when.year}-" + "".join(secrets.choice(_SERIAL_ALPHABET) for _ in range(8))


@dataclass(frozen=True)
class CitedPage:
    """An archived page a person record cites."""

    scan_id: int
    page: int
    filename: str
    sha256: str
    field: str | None


def cited_pages(session: Session, person: Person) -> list[CitedPage]:
    """The archived pages the record's sources name, resolved now (a page read after the
    record was imported counts)."""
    cited = []
    for source in person.sources:
        page_id = source.page_id or resolve_page(session, source.scan, source.page)
        if page_id is None:
            continue
        row = session.execute(select(Page.number, Scan.id, Scan.filename, Scan.sha256)
                              .join(Scan, Page.scan_id == Scan.id).where(Page.id == page_id)).one_or_none()
        if row is not None:
            cited.append(CitedPage(row.id, row.number, row.filename, row.sha256, source.field))
    return cited


def approved_request(session: Session, code: str, *, lock: bool = False) -> FamilyRequest:
    """The request, which must be approved to have an extract issued.

    Raises:
        NotFoundError, TransitionError.
    """
    request = find_request(session, code, None)
    if lock:
        session.refresh(request, with_for_update=True)
    if request.status != "approved":
        raise TransitionError(f"An extract is issued for an approved request; this one is {request.status}.")
    return request


def record_extract(session: Session, code: str, person_id: str, serial: str, pdf_sha256: str, *,
                   actor: str) -> Extract:
    """Record an issued extract and mark its request issued (both audited).

    Raises:
        NotFoundError: no such request or person. TransitionError: not approved (any more).
    """
    request = approved_request(session, code, lock=True)
    if session.get(Person, person_id) is None:
        raise NotFoundError(f"There is no person record {person_id!r}.")
    extract = Extract(serial=serial, request_id=request.id, person_id=person_id, pdf_sha256=pdf_sha256,
                      issued_by=actor)
    session.add(extract)
    request.status = "issued"
    request.person_id = person_id
    request.updated_at = utc_now()
    session.flush()
    record_event(session, actor=actor, action="request.transition",
                 subject=f"request:{request.tracking_code}",
                 details={"from": "approved", "to": "issued", "note": serial})
    record_event(session, actor=actor, action="extract.issue", subject=f"extract:{serial}",
                 details={"request": request.tracking_code, "person": person_id, "pdf_sha256": pdf_sha256})
    return extract


def find_extract(session: Session, serial: str) -> Extract:
    """The extract with this serial.

    Raises:
        NotFoundError: none.
    """
    extract = session.scalar(select(Extract).where(Extract.serial == serial.strip().upper()[:40]))
    if extract is None:
        raise NotFoundError("No extract has this serial number.")
    return extract


def request_extract(session: Session, request: FamilyRequest) -> Extract | None:
    """The latest extract issued for a request."""
    return session.scalar(select(Extract).where(Extract.request_id == request.id)
                          .order_by(Extract.id.desc()).limit(1))


def revoke_extract(session: Session, serial: str, reason: str, *, actor: str) -> Extract:
    """Revoke an extract with a reason (audited); it then verifies as revoked.

    When it was its request's standing extract, the request goes back to ``approved``
    (audited too), so that a corrected extract can be issued under a new serial.

    Raises:
        NotFoundError. TransitionError: already revoked.
    """
    extract = find_extract(session, serial)
    revoked = session.execute(  # compare and set: two revokes at once, one succeeds
        update(Extract).where(Extract.id == extract.id, Extract.revoked_at.is_(None))
        .values(revoked_at=utc_now(), revoke_reason=reason).execution_options(synchronize_session=False))
    if cast("CursorResult[Any]", revoked).rowcount != 1:
        raise TransitionError("This extract is revoked already.")
    session.refresh(extract)
    record_event(session, actor=actor, action="extract.revoke", subject=f"extract:{extract.serial}",
                 details={"reason": reason})
    request = session.get(FamilyRequest, extract.request_id, with_for_update=True)
    if request is not None and request.status == "issued" and request_extract(session, request) is extract:
        request.status = "approved"
        request.updated_at = utc_now()
        session.flush()
        record_event(session, actor=actor, action="request.transition",
                     subject=f"request:{request.tracking_code}",
                     details={"from": "issued", "to": "approved",
                              "note": f"{extract.serial} revoked: {reason}"})
    return extract
