"""The services a process needs, built once from Settings and shared by the API and CLI.

This is where transactions begin and end: repository functions in ``archive`` never
commit; the methods here do, once per unit of work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.settings import Settings
from archive.audit import AuditReport, record_event, verify_audit_log
from archive.blobs import BlobStore
from archive.db import make_engine, make_session_factory
from archive.ingest import Ingester, IngestOutcome, recover_interrupted_ingests
from archive.jobs import JobPolicy, JobStatus, job_statuses
from archive.migrate import upgrade_database
from archive.persons import PersonsImport, import_persons
from archive.registry_store import (
    ImportReport,
    export_registry,
    import_registry,
    load_registry,
    registry_revision,
)
from decoder.decode import decode
from decoder.errors import InvalidInputError, InvalidRegistryError, RegistryProblem
from decoder.registry import Registry
from decoder.registry_schema import RegistryDocument
from decoder.result import DecodeResult
from decoder.untrusted import parse_json, refuse_forbidden
from ocr.options import OcrOptions

if TYPE_CHECKING:
    from api.auth import RateLimiter, SignInDelay, TokenSigner
    from api.extracting import ExtractDesk
    from archive.browse import CollectionRow, ScanRow
    from archive.models import Page, User
    from archive.person_schema import PersonRecord
    from archive.requests import Created, RequestCreate
    from archive.users import Role
    from search.model import SearchRequest, SearchResult
    from search.protocol import SearchIndex

log = logging.getLogger("phienhieu.services")

#: Where ``phienhieu demo --samples`` files its scans.
SAMPLE_COLLECTION = "Hồ sơ mẫu (dữ liệu minh hoạ)"
#: How long a loaded registry is trusted before the revision is checked again.
_REGISTRY_RECHECK_SECONDS = 1.0


def public_registry() -> RegistryDocument:
    """The public registry shipped with the package (archive/public/registry.json)."""
    return parse_registry_json(resources.files("archive").joinpath("public", "registry.json").read_bytes())


def layered(base: RegistryDocument, top: RegistryDocument) -> RegistryDocument:
    """``base`` with every unit of ``top`` put in place of the base unit with its id."""
    ids = {unit.id for unit in top.units}
    return RegistryDocument(units=[*(unit for unit in base.units if unit.id not in ids), *top.units])


def parse_registry_json(raw: bytes | str | Any) -> RegistryDocument:
    """Validate registry JSON (text, bytes or already-parsed data) into a document.

    Raises:
        InvalidRegistryError: malformed JSON or schema violations, every one with its path.
    """
    try:
        if isinstance(raw, bytes | str):
            raw = parse_json(raw)
        refuse_forbidden(raw, "$")
    except InvalidInputError as error:
        raise InvalidRegistryError([RegistryProblem("$", error.message)]) from None
    try:
        return RegistryDocument.model_validate(raw)
    except ValidationError as error:
        raise InvalidRegistryError([
            RegistryProblem(_json_path(item["loc"]), item["msg"]) for item in error.errors()
        ]) from None


def _json_path(location: tuple[int | str, ...]) -> str:
    path = "$"
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


class RegistryCache:
    """The in-memory registry, reloaded when another process imports a new revision."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._lock = threading.Lock()
        self._registry: Registry | None = None
        self._revision = -1
        self._checked_at = 0.0

    def get(self) -> Registry:
        """The current registry, reloading it if its revision changed."""
        now = time.monotonic()
        if self._registry is not None and now - self._checked_at < _REGISTRY_RECHECK_SECONDS:
            return self._registry
        with self._lock, self._sessions() as session:
            revision = registry_revision(session)
            if self._registry is None or revision != self._revision:
                self._registry = Registry(load_registry(session).units)
                self._revision = revision
            self._checked_at = now
            return self._registry

    def invalidate(self) -> None:
        """Forget the loaded registry (after an import in this process)."""
        with self._lock:
            self._registry = None


class Services:
    """Database, registry and decoding for one process.

    Args:
        settings: the validated settings; the database is migrated on construction.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(settings.resolved_database_url)
        upgrade_database(self.engine)
        self.sessions = make_session_factory(self.engine)
        self.registry = RegistryCache(self.sessions)
        self.blobs = BlobStore(settings.data_dir / "blobs")
        recover_interrupted_ingests(self.sessions, self.blobs)
        self.job_policy = JobPolicy(lease_s=settings.job_lease_seconds,
                                    max_attempts=settings.job_max_attempts,
                                    retry_base_s=settings.job_retry_seconds)

    def close(self) -> None:
        """Release the index and the database connections."""
        if "search_index" in self.__dict__:
            self.search_index.close()
        self.engine.dispose()

    def decode(self, text: str, date: str | None) -> DecodeResult:
        """Decode one text against the stored registry."""
        return decode(text, date, self.registry.get(), max_chars=self.settings.max_decode_chars)

    def import_registry(self, document: RegistryDocument, *, actor: str = "cli") -> ImportReport:
        """Import a registry document in one transaction (all or nothing)."""
        with self.sessions.begin() as session:
            report = import_registry(session, document=document)
            if report.created or report.updated:
                record_event(session, actor=actor, action="registry.import",
                             subject=f"registry:{report.revision}",
                             details={"created": report.created, "updated": report.updated})
        self.registry.invalidate()
        return report

    def export_registry(self) -> RegistryDocument:
        """The whole stored registry as a document."""
        with self.sessions() as session:
            return export_registry(session)

    def load_public(self) -> ImportReport:
        """Load the public registry (archive/public): units of the file replace stored ones."""
        return self.import_registry(public_registry(), actor="public")

    def load_demo(self) -> ImportReport:
        """Load the demonstration registry over the public one, in one import (idempotent).

        The demo units take precedence over public units with the same id, as an office's
        own registry does; the demo's invented mailboxes never enter the public file.
        """
        raw = resources.files("archive").joinpath("demo", "registry.json").read_bytes()
        demo = parse_registry_json(raw)
        return self.import_registry(layered(public_registry(), demo))

    def load_samples(self) -> tuple[list[IngestOutcome], PersonsImport]:
        """Add the demonstration scans (queued for OCR) and person records (idempotent:
        the scans come back as duplicates, the records are updated in place)."""
        ingester = self.ingester()
        outcomes = []
        with resources.as_file(resources.files("archive").joinpath("demo")) as demo:
            for sample in sorted((demo / "scans").iterdir()):
                with sample.open("rb") as handle:
                    outcomes.append(ingester.ingest_stream(handle, sample.name, collection=SAMPLE_COLLECTION,
                                                           uploaded_by="demo"))
            with (demo / "persons.jsonl").open("rb") as handle:
                persons = self.import_persons(handle, actor="demo")
        self.publish_changes()
        return outcomes, persons

    def ingester(self, options: OcrOptions | None = None) -> Ingester:
        """Stores files into the archive and queues their OCR."""
        return Ingester(self.sessions, self.blobs, options or OcrOptions(), self.job_policy)

    def import_persons(self, source: BinaryIO, *, actor: str = "cli",
                       progress: Callable[[int], None] | None = None) -> PersonsImport:
        """Import person records from JSON Lines (good lines stored, bad ones reported)."""
        return import_persons(self.sessions, source, actor=actor, progress=progress)

    def verify_audit_log(self) -> AuditReport:
        """Check the audit log's hash chain from the first entry to the head."""
        with self.sessions() as session:
            return verify_audit_log(session)

    def job_statuses(self, job_ids: Sequence[int]) -> list[JobStatus]:
        """The state of each job that exists among ``job_ids``."""
        with self.sessions() as session:
            return job_statuses(session, job_ids)

    # -- search ----------------------------------------------------------------------

    @cached_property
    def search_index(self) -> SearchIndex:
        """The embedded index in the data dir, or the cluster (Elasticsearch, or OpenSearch
        by an ``opensearch://`` URL) when set."""
        if self.settings.elasticsearch_url:
            from search.cluster import cluster_index

            return cluster_index(self.settings.elasticsearch_url)
        from search.tantivy_backend import TantivyIndex

        return TantivyIndex(self.settings.data_dir / "index")

    def publish_changes(self) -> int:
        """Apply the outbox to the index until it is empty; returns the entries applied.

        Returns 0 without waiting when another process holds the embedded index's writer:
        that process applies them.
        """
        from archive.outbox import Change, drain_outbox
        from archive.search_feed import documents_for
        from search.errors import IndexBusyError

        index = self.search_index

        def apply(changes: Sequence[Change]) -> None:
            with self.sessions() as session:
                documents, gone = documents_for(session, changes, self.registry.get())
            index.upsert(documents)
            index.delete(gone)
            index.commit()

        applied = 0
        try:
            while True:
                report = drain_outbox(self.sessions, apply, passthrough=(IndexBusyError,))
                applied += report.applied
                if report.error:
                    log.warning("the search index could not be updated, will retry: %s", report.error)
                if not report.applied:
                    return applied
        except IndexBusyError:
            return applied

    def search(self, request: SearchRequest) -> SearchResult:
        """Search the index; page hits get the boxes of their matching words."""
        from archive.models import Page
        from search.analysis import terms
        from search.snippets import word_matches

        result = self.search_index.search(request)
        page_ids = [int(hit.id) for hit in result.hits if hit.type == "page" and hit.id.isdigit()]
        if page_ids:
            words = terms(request.q)
            with self.sessions() as session:
                stored: dict[int, list[dict[str, Any]]] = {
                    row.id: row.words for row in session.execute(
                        select(Page.id, Page.words).where(Page.id.in_(page_ids)))}
            for hit in result.hits:
                if hit.type == "page" and hit.id.isdigit():
                    hit.boxes = [word["box"] for word in stored.get(int(hit.id), [])
                                 if word_matches(word["text"], words)]
        return result

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the index from the database beside the live one, then switch to it.

        Searches keep being answered from the old index meanwhile; changes made during
        the rebuild are queued again and applied to the new one.
        """
        from archive.models import Page, Person, Unit, utc_now
        from archive.outbox import record_change
        from archive.search_feed import all_documents, count_documents

        started = utc_now()
        fresh = self.search_index.new_generation()
        done = 0
        with self.sessions() as session:
            total = count_documents(session)
            registry = self.registry.get()
            for batch in all_documents(session, registry):
                fresh.upsert(batch)
                done += len(batch)
                if progress is not None:
                    progress(done, total)
        fresh.promote()
        with self.sessions.begin() as session:
            record_change(session, "page", session.scalars(
                select(Page.id).where(Page.updated_at >= started)).all())
            record_change(session, "person", session.scalars(
                select(Person.id).where(Person.updated_at >= started)).all())
            record_change(session, "unit", session.scalars(select(Unit.id)).all())  # a few thousand
        self.__dict__.pop("search_index", None)  # reopen on the new generation
        self.publish_changes()
        return done

    # -- staff -----------------------------------------------------------------------

    @cached_property
    def login_limiter(self) -> RateLimiter:
        """Ten sign-in (or tracking) tries in five minutes per address: enough for typos,
        not for guessing."""
        from api.auth import RateLimiter

        return RateLimiter(limit=10, window_s=300)

    @cached_property
    def sign_in_delay(self) -> SignInDelay:
        """The wait before answering sign-ins to a name that keeps failing."""
        from api.auth import SignInDelay

        return SignInDelay()

    @cached_property
    def token_signer(self) -> TokenSigner:
        """Signs and checks staff tokens with the data dir's secret."""
        from api.auth import TokenSigner, load_secret

        return TokenSigner(load_secret(self.settings.data_dir))

    def get_user(self, user_id: int) -> User | None:
        """A staff account by id."""
        from archive.models import User

        with self.sessions() as session:
            return session.get(User, user_id)

    def end_sessions(self, user_id: int, *, actor: str) -> None:
        """End every token and browser session of an account (sign-out)."""
        from archive.users import end_sessions

        with self.sessions.begin() as session:
            end_sessions(session, user_id, actor=actor)

    def authenticate(self, username: str, password: str) -> User | None:
        """The active account with this name and password, or None."""
        from archive.users import authenticate

        with self.sessions() as session:
            return authenticate(session, username, password)

    def create_user(self, username: str, password: str, role: Role, *, actor: str = "cli") -> User:
        """Add a staff account."""
        from archive.users import create_user

        with self.sessions.begin() as session:
            return create_user(session, username, password, role, actor=actor)

    # -- records -----------------------------------------------------------------------

    def scan_view(self, scan_id: int) -> dict[str, Any] | None:
        """A scan with its pages' state and its OCR job, for the API."""
        from archive.jobs import job_statuses, scan_job_id
        from archive.models import Collection, Page, Scan

        with self.sessions() as session:
            scan = session.get(Scan, scan_id)
            if scan is None:
                return None
            collection = session.get(Collection, scan.collection_id) if scan.collection_id else None
            job_id = scan_job_id(session, scan_id)
            pages = session.execute(select(Page.number, Page.confidence, Page.error)
                                    .where(Page.scan_id == scan_id).order_by(Page.number)).all()
            job = job_statuses(session, [job_id])[0] if job_id else None
        return {"id": scan.id, "filename": scan.filename, "media_type": scan.media_type, "size": scan.size,
                "sha256": scan.sha256, "page_count": scan.page_count,
                "collection": collection.name if collection else None, "uploaded_by": scan.uploaded_by,
                "uploaded_at": scan.uploaded_at, "job_id": job_id,
                "job": {"state": job.state, "progress": job.progress, "error": job.error} if job else None,
                "pages": [{"number": number, "confidence": confidence, "error": error}
                          for number, confidence, error in pages]}

    def page(self, scan_id: int, number: int) -> Page | None:
        """A recognised page of a scan."""
        from archive.models import Page

        with self.sessions() as session:
            return session.scalar(select(Page).where(Page.scan_id == scan_id, Page.number == number))

    def page_image(self, scan_id: int, number: int) -> tuple[Path, str] | None:
        """A page's image, checksum verified, and its media type: the scan itself for a
        one-page image, a PNG rendered from it otherwise."""
        from archive.models import Page, Scan

        with self.sessions() as session:
            row = session.execute(
                select(Page.image_sha256, Scan.sha256, Scan.media_type).join(Scan, Page.scan_id == Scan.id)
                .where(Page.scan_id == scan_id, Page.number == number)).one_or_none()
        if row is None or row.image_sha256 is None:
            return None
        media_type = row.media_type if row.image_sha256 == row.sha256 else "image/png"
        return self.blobs.verified_path(row.image_sha256), media_type

    def store_person(self, record: PersonRecord, *, actor: str) -> tuple[str, bool]:
        """Create or replace a person record; returns (id, created)."""
        from archive.persons import store_person

        with self.sessions.begin() as session:
            person_id, created = store_person(session, record)
            record_event(session, actor=actor, action="person.create" if created else "person.update",
                         subject=f"person:{person_id}")
        return person_id, created

    def person_json(self, person_id: str) -> dict[str, object] | None:
        """A person record as CONTRACT's JSON."""
        from archive.models import Person
        from archive.persons import person_json

        with self.sessions() as session:
            person = session.get(Person, person_id)
            return person_json(person) if person else None

    def upload_scans(self, files: Sequence[tuple[BinaryIO, str]], *, collection: str | None,
                     actor: str) -> list[IngestOutcome]:
        """Store uploaded scans and queue their OCR, all or nothing: every file is checked
        first, and if any cannot be read as a scan nothing is stored.

        Raises:
            InvalidInputError: naming every file that cannot be read.
        """
        from archive.ingest import Prepared

        ingester = self.ingester()
        prepared: list[Prepared | IngestOutcome] = []
        try:
            for handle, name in files:
                prepared.append(ingester.prepare(handle, name))
            failed = [item.error or item.name for item in prepared
                      if isinstance(item, IngestOutcome) and item.status == "failed"]
            if failed:
                raise InvalidInputError(" ".join(failed))
            outcomes = [ingester.record(item, collection=collection, uploaded_by=actor)
                        if isinstance(item, Prepared) else item for item in prepared]
        finally:
            for item in prepared:
                if isinstance(item, Prepared):
                    ingester.discard(item)
        self.publish_changes()
        return outcomes

    def list_scans(self, collection_id: int | None, limit: int, offset: int) -> tuple[int, list[ScanRow]]:
        """Scans, newest first, with their OCR state."""
        from archive.browse import list_scans

        with self.sessions() as session:
            return list_scans(session, collection_id, limit, offset)

    def list_collections(self) -> list[CollectionRow]:
        """Collections with their number of scans."""
        from archive.browse import list_collections

        with self.sessions() as session:
            return list_collections(session)

    def correct_page(self, scan_id: int, number: int, text: str, *, actor: str) -> None:
        """Replace a page's text with a correction (audited, re-indexed)."""
        from archive.pages import correct_page

        with self.sessions.begin() as session:
            correct_page(session, scan_id, number, text, actor=actor)
        self.publish_changes()

    def list_users(self) -> list[User]:
        """Every staff account."""
        from archive.users import list_users

        with self.sessions() as session:
            return list_users(session)

    def set_user_active(self, username: str, active: bool, *, actor: str) -> None:
        """Enable or disable a staff account."""
        from archive.users import set_active

        with self.sessions.begin() as session:
            set_active(session, username, active, actor=actor)

    # -- extracts --------------------------------------------------------------------------

    @cached_property
    def extracts(self) -> ExtractDesk:
        """Compose, issue, verify and revoke certified extracts."""
        from api.extracting import ExtractDesk

        return ExtractDesk(self)

    # -- family requests -----------------------------------------------------------------

    @cached_property
    def request_limiter(self) -> RateLimiter:
        """Twenty requests an hour from one address: plenty for a family, little for a bot."""
        from api.auth import RateLimiter

        return RateLimiter(limit=20, window_s=3600)

    def create_request(self, body: RequestCreate, photos: Sequence[tuple[BinaryIO, str]] = ()) -> Created:
        """Record a family's request with any photos of documents; the secret is shown
        once, in the answer. A photo that cannot be read refuses the whole request.

        Raises:
            InvalidInputError: too many photos, or one that is not an image or PDF.
        """
        from archive.attachments import (
            discard_attachments,
            placing_attachments,
            record_attachments,
            stage_attachments,
        )
        from archive.requests import create_request

        staged = stage_attachments(self.blobs, photos, OcrOptions())
        try:
            with placing_attachments(self.blobs, staged), self.sessions.begin() as session:
                created = create_request(session, body)
                record_attachments(session, self.blobs, created.request_id, staged)
            return created
        finally:
            discard_attachments(self.blobs, staged)

    def request_attachment(self, code: str, number: int) -> tuple[Path, str, str] | None:
        """The path, media type and file name of a request's ``number``-th attachment."""
        from archive.requests import find_request, request_attachments

        with self.sessions() as session:
            attachments = request_attachments(session, find_request(session, code, None))
        if not 1 <= number <= len(attachments):
            return None
        item = attachments[number - 1]
        return self.blobs.verified_path(item.sha256), item.media_type, item.filename

    def request_view(self, code: str, secret: str | None) -> dict[str, Any]:
        """A request, for its family (with the secret) or for staff (``secret`` None)."""
        from archive.requests import find_request, request_attachments, request_view

        with self.sessions() as session:
            request = find_request(session, code, secret)
            view = request_view(request)
            view["attachments"] = [
                {"filename": item.filename, "media_type": item.media_type, "size": item.size}
                for item in request_attachments(session, request)]
            return view

    def list_requests(self, status: str | None, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        """Requests for the staff queue, newest first."""
        from archive.requests import list_requests, request_view

        with self.sessions() as session:
            total, rows = list_requests(session, status, limit, offset)
            return total, [request_view(row) for row in rows]

    def move_request(self, code: str, to: str, note: str, *, actor: str) -> dict[str, Any]:
        """Move a request along its workflow."""
        from archive.requests import move_request, request_view

        with self.sessions.begin() as session:
            return request_view(move_request(session, code, to, note, actor=actor))
