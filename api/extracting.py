"""The extract desk: compose, preview, issue, download, verify and revoke extracts.

Each step reads what it needs in one transaction, renders and signs outside any
transaction (a signature takes a tenth of a second), then records in one more.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.audit import record_event
from archive.extracts import (
    approved_request,
    cited_pages,
    find_extract,
    new_serial,
    record_extract,
    request_extract,
    revoke_extract,
)
from archive.models import FamilyRequest, Person, utc_now
from archive.persons import person_json
from archive.requests import find_request
from decoder.errors import InvalidInputError, NotFoundError
from extracts.compose import compose
from extracts.keys import OfficeKey, office_key
from extracts.model import ExtractContent, Office, SourcePage
from extracts.render import render_html, render_pdf
from extracts.sign import sign_pdf
from extracts.verify import check_pdf

if TYPE_CHECKING:
    from api.services import Services

#: The serial printed on a preview, which is never issued.
PREVIEW_SERIAL = "TL-XEM-TRUOC"


@dataclass(frozen=True)
class Issued:
    """An extract just issued."""

    serial: str
    pdf_sha256: str


class ExtractDesk:
    """Extract work for one process, on the services' database, blobs and settings."""

    def __init__(self, services: Services) -> None:
        self._services = services

    @property
    def office_key(self) -> OfficeKey:
        """The office's signing key, created on first use."""
        settings = self._services.settings
        return office_key(settings.data_dir, settings.office_name)

    def _office(self) -> Office:
        settings = self._services.settings
        return Office(name=settings.office_name, place=settings.office_place,
                      verify_url=f"{settings.public_url.rstrip('/')}/verify")

    def _content(self, code: str, person_id: str, unit_id: str | None, serial: str,
                 issued_at: datetime) -> ExtractContent:
        with self._services.sessions() as session:
            request = approved_request(session, code)
            person = session.get(Person, person_id[:64])
            if person is None:
                raise NotFoundError(f"There is no person record {person_id[:64]!r}.")
            record = person_json(person)
            pages = [SourcePage(scan_id=cited.scan_id, page=cited.page, filename=cited.filename,
                                sha256=cited.sha256, field=cited.field)
                     for cited in cited_pages(session, person)]
            requester = _requester(request)
        return compose(record, self._services.registry.get(), pages, serial=serial, issued_at=issued_at,
                       office=self._office(), requester=requester, unit_id=unit_id)

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
                          location=self._services.settings.office_place)
        digest = hashlib.sha256(signed).hexdigest()
        blobs = self._services.blobs
        created = False
        try:
            with blobs.placing(digest), self._services.sessions.begin() as session:
                created = not blobs.exists(digest)
                blobs.put(signed)
                record_extract(session, code, content.person_id, serial, digest, actor=actor)
        except BaseException:
            if created:
                blobs.remove(digest)
            raise
        return Issued(serial, digest)

    def pdf(self, serial: str, *, secret: str | None, actor: str) -> tuple[Path, str]:
        """The issued PDF and its file name; a family gives its request's secret, staff
        give None (the caller has checked their role). Audited.

        Raises:
            NotFoundError: no such extract, or the secret is not its request's.
        """
        with self._services.sessions.begin() as session:
            extract = find_extract(session, serial)
            if secret is not None:
                request = session.get(FamilyRequest, extract.request_id)
                try:
                    find_request(session, request.tracking_code if request else "", secret)
                except NotFoundError:  # the same answer as for a missing extract
                    raise NotFoundError("No extract has this serial number.") from None
            record_event(session, actor=actor, action="extract.download", subject=f"extract:{extract.serial}")
            serial, digest = extract.serial, extract.pdf_sha256
        return self._services.blobs.verified_path(digest), f"trich-luc-{serial}.pdf"

    def for_request(self, code: str, secret: str | None) -> dict[str, Any] | None:
        """The serial and state of a request's extract, if one was issued."""
        with self._services.sessions() as session:
            extract = request_extract(session, find_request(session, code, secret))
            return _public(extract, None) if extract else None

    def status(self, serial: str) -> dict[str, Any]:
        """``{"valid", "revoked", "issued_at", "subject", ...}`` for the public.

        Raises:
            NotFoundError: no such serial.
        """
        with self._services.sessions() as session:
            extract = find_extract(session, serial)
            person = session.get(Person, extract.person_id)
            return _public(extract, person.full_name if person else None)

    def verify(self, data: bytes) -> dict[str, Any]:
        """Whether ``data`` is an extract this office issued, unchanged, and not revoked.

        Raises:
            InvalidInputError: ``data`` is not a PDF at all.
        """
        if b"%PDF-" not in data[:1024]:
            raise InvalidInputError("The file is not a PDF; send the extract as it was downloaded.")
        check = check_pdf(data, self.office_key.trusted_certificates())
        answer: dict[str, Any] = {"valid": False, "serial": check.serial, "revoked": False,
                                  "reason": check.problem}
        if check.problem is not None:
            return answer
        try:
            with self._services.sessions() as session:
                extract = find_extract(session, check.serial or "")
                revoked, digest = extract.revoked_at is not None, extract.pdf_sha256
                revoke_reason = extract.revoke_reason
        except NotFoundError:
            return answer | {"reason": "no extract was issued under the serial this document carries"}
        if hashlib.sha256(data).hexdigest() != digest:
            return answer | {"reason": "the signature is the office's, but this is not the document issued "
                                       "under that serial"}
        if revoked:
            return answer | {"revoked": True, "reason": f"revoked: {revoke_reason}"}
        return answer | {"valid": True, "reason": None}

    def revoke(self, serial: str, reason: str, *, actor: str) -> dict[str, Any]:
        """Revoke an extract (audited).

        Raises:
            NotFoundError, TransitionError (already revoked).
        """
        with self._services.sessions.begin() as session:
            extract = revoke_extract(session, serial, reason, actor=actor)
            person = session.get(Person, extract.person_id)
            return _public(extract, person.full_name if person else None)


def _requester(request: FamilyRequest) -> str | None:
    name = str(request.requester.get("name", "")).strip()
    relation = str(request.requester.get("relation", "")).strip()
    if not name:
        return None
    return f"{name} ({relation})" if relation else name


def _public(extract: Any, subject: str | None) -> dict[str, Any]:
    revoked = extract.revoked_at is not None
    return {"serial": extract.serial, "valid": not revoked, "revoked": revoked,
            "issued_at": extract.issued_at, "revoked_at": extract.revoked_at,
            "revoke_reason": extract.revoke_reason, "subject": subject}
