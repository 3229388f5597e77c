"""The extract desk: compose, preview, issue, download, verify and revoke extracts.

Each step reads what it needs in one transaction, renders and signs outside any
transaction (a signature takes a tenth of a second), then records in one more.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from archive.audit import record_event
from archive.blobs import BlobStore
from archive.extracts import (
    approved_request,
    cited_pages,
    find_extract,
    new_serial,
    record_extract,
    request_extract,
    revoke_extract,
)
from archive.models import Extract, FamilyRequest, Person, utc_now
from archive.persons import person_json
from archive.requests import find_request
from decoder.errors import InvalidInputError, NotFoundError
from extracts.compose import compose
from extracts.keys import OfficeKey, office_key
from extracts.model import ExtractContent, Office, SourcePage
from extracts.render import render_html, render_pdf
from extracts.sign import sign_pdf
from extracts.verify import IssuedRecord, Verdict, check_pdf, verdict
from usecases.registry_cache import RegistryCache

#: The serial printed on a preview, which is never issued.
PREVIEW_SERIAL = "TL-XEM-TRUOC"


@dataclass(frozen=True)
class Issued:
    """An extract just issued."""

    serial: str
    pdf_sha256: str


@dataclass(frozen=True)
class ExtractState:
    """Whether an extract stands: issued and not revoked."""

    serial: str
    valid: bool
    revoked: bool
    issued_at: datetime
    revoked_at: datetime | None
    revoke_reason: str | None
    subject: str | None


class ExtractDesk:
    """Extract work of one office, on its database, blobs and registry, with its key in the data dir."""

    def __init__(self, *, sessions: sessionmaker[Session], blobs: BlobStore, registry: RegistryCache,
                 office: Office, data_dir: Path) -> None:
        self._sessions = sessions
        self._blobs = blobs
        self._registry = registry
        self._office = office
        self._data_dir = data_dir

    @property
    def office_key(self) -> OfficeKey:
        """The office's signing key, created on first use (read each time: an imported key
        signs from then on)."""
        return office_key(self._data_dir, self._office.name)

    def _content(self, code: str, person_id: str, unit_id: str | None, serial: str,
                 issued_at: datetime) -> ExtractContent:
        with self._sessions() as session:
            request = approved_request(session, code)
            person = session.get(Person, person_id[:64])
            if person is None:
                raise NotFoundError(f"There is no person record {person_id[:64]!r}.")
            record = person_json(person)
            pages = [SourcePage(scan_id=cited.scan_id, page=cited.page, filename=cited.filename,
                                sha256=cited.sha256, field=cited.field)
                     for cited in cited_pages(session, person)]
            requester = _requester(request)
        return compose(record, self._registry.get(), pages, serial=serial, issued_at=issued_at,
                       office=self._office, requester=requester, unit_id=unit_id)

    def preview(self, code: str, person_id: str, unit_id: str | None) -> str:
        """The extract as it would be issued now, as HTML. It writes nothing, not even to
        the audit log: it is reached by a GET, which a link on another site can make a
        signed-in officer's browser send.

        Raises:
            NotFoundError, TransitionError, ExtractBlockedError.
        """
        return render_html(self._content(code, person_id, unit_id, PREVIEW_SERIAL, utc_now()))

    def issue(self, code: str, person_id: str, unit_id: str | None, *, actor: str) -> Issued:
        """Compose, render, sign and record the extract; the request becomes issued.

        Raises:
            NotFoundError, TransitionError (not approved), ExtractBlockedError.
        """
        issued_at = utc_now()
        serial = new_serial(issued_at)
        content = self._content(code, person_id, unit_id, serial, issued_at)
        signed = sign_pdf(render_pdf(content), self.office_key, reason=f"Trích lục hồ sơ liệt sĩ số {serial}",
                          location=self._office.place)
        digest = hashlib.sha256(signed).hexdigest()
        created = False
        try:
            with self._blobs.placing(digest), self._sessions.begin() as session:
                created = not self._blobs.exists(digest)
                self._blobs.put(signed)
                record_extract(session, code, content.person_id, serial, digest, actor=actor)
        except BaseException:
            if created:
                self._blobs.remove(digest)
            raise
        return Issued(serial, digest)

    def pdf(self, serial: str, *, secret: str | None, actor: str) -> tuple[Path, str]:
        """The issued PDF and its file name; a family gives its request's secret, staff
        give None (the caller has checked their role). Audited.

        Raises:
            NotFoundError: no such extract, or the secret is not its request's.
        """
        with self._sessions.begin() as session:
            extract = find_extract(session, serial)
            if secret is not None:
                request = session.get(FamilyRequest, extract.request_id)
                try:
                    find_request(session, request.tracking_code if request else "", secret)
                except NotFoundError:  # the same answer as for a missing extract
                    raise NotFoundError("No extract has this serial number.") from None
            record_event(session, actor=actor, action="extract.download", subject=f"extract:{extract.serial}")
            serial, digest = extract.serial, extract.pdf_sha256
        return self._blobs.verified_path(digest), f"trich-luc-{serial}.pdf"

    def for_request(self, code: str, secret: str | None) -> ExtractState | None:
        """The serial and state of a request's extract, if one was issued."""
        with self._sessions() as session:
            extract = request_extract(session, find_request(session, code, secret))
            return _state(extract, None) if extract else None

    def status(self, serial: str) -> ExtractState:
        """Whether the extract under ``serial`` stands, for the public.

        Raises:
            NotFoundError: no such serial.
        """
        with self._sessions() as session:
            extract = find_extract(session, serial)
            person = session.get(Person, extract.person_id)
            return _state(extract, person.full_name if person else None)

    def verify(self, data: bytes) -> Verdict:
        """Whether ``data`` is an extract this office issued, unchanged, and not revoked.

        Raises:
            InvalidInputError: ``data`` is not a PDF at all.
        """
        if b"%PDF-" not in data[:1024]:
            raise InvalidInputError("The file is not a PDF; send the extract as it was downloaded.")
        check = check_pdf(data, self.office_key.trusted_certificates())
        issued = None
        if check.problem is None:
            try:
                with self._sessions() as session:
                    extract = find_extract(session, check.serial or "")
                    issued = IssuedRecord(extract.pdf_sha256, extract.revoked_at is not None,
                                          extract.revoke_reason)
            except NotFoundError:
                issued = None
        return verdict(check, issued, hashlib.sha256(data).hexdigest())

    def revoke(self, serial: str, reason: str, *, actor: str) -> ExtractState:
        """Revoke an extract (audited).

        Raises:
            NotFoundError, TransitionError (already revoked).
        """
        with self._sessions.begin() as session:
            extract = revoke_extract(session, serial, reason, actor=actor)
            person = session.get(Person, extract.person_id)
            return _state(extract, person.full_name if person else None)


def _requester(request: FamilyRequest) -> str | None:
    name = str(request.requester.get("name", "")).strip()
    relation = str(request.requester.get("relation", "")).strip()
    if not name:
        return None
    return f"{name} ({relation})" if relation else name


def _state(extract: Extract, subject: str | None) -> ExtractState:
    revoked = extract.revoked_at is not None
    return ExtractState(serial=extract.serial, valid=not revoked, revoked=revoked,
                        issued_at=extract.issued_at, revoked_at=extract.revoked_at,
                        revoke_reason=extract.revoke_reason, subject=subject)
