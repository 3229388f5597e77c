"""Putting a file into the archive: stored once, checked, and its OCR queued.

The order makes a crash harmless at every point. The upload is copied to the blob
store's incoming area and hashed; a file already stored (same SHA-256) is reported as a
duplicate and dropped. The file is then checked as a scan (type, size, pages, limits)
before anything is recorded. The scan row, its jobs and the audit entry are written in
one transaction, and the blob is renamed into place inside that transaction just before
it commits, marked as being placed until the commit: a kill before the rename leaves
only a staged file (swept later); a kill after it leaves a marked blob that the next
process to open the archive removes (:func:`recover_interrupted_ingests`); a failed
commit removes the blob it had just placed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive.audit import record_event
from archive.blobs import BlobStore, StagedBlob, safe_filename
from archive.jobs import JobPolicy, enqueue_scan, scan_job_id
from archive.models import Collection, Extract, Page, RequestAttachment, Scan
from decoder.errors import InvalidInputError, PhienhieuError
from ocr.loading import count_pages, sniff_kind
from ocr.options import OcrOptions

MEDIA_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg",
               "tiff": "image/tiff", "webp": "image/webp"}
Status = Literal["added", "duplicate", "failed"]


@dataclass(frozen=True)
class IngestOutcome:
    """What became of one file."""

    name: str
    status: Status
    scan_id: int | None = None
    job_id: int | None = None
    pages: int = 0
    error: str | None = None


def collect_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and every file under the folders named, in a stable order;
    hidden files and folders are left out."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in relative):
                    yield child
        else:
            yield path


def ensure_collection(sessions: sessionmaker[Session], name: str) -> int:
    """The id of the collection called ``name``, created if new.

    Raises:
        InvalidInputError: the name is blank or longer than 200 characters.
    """
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 200:
        raise InvalidInputError("A collection name has 1 to 200 characters.")
    for _ in range(2):
        with sessions() as session:
            found = session.scalar(select(Collection.id).where(Collection.name == cleaned))
            if found is not None:
                return found
        try:
            with sessions.begin() as session:
                collection = Collection(name=cleaned)
                session.add(collection)
                session.flush()
                return collection.id
        except IntegrityError:
            continue  # created meanwhile by another process: read it again
    raise InvalidInputError(f"The collection {cleaned!r} could not be created.")


@dataclass(frozen=True)
class Prepared:
    """An upload copied in and checked as a scan, not yet recorded."""

    staged: StagedBlob
    name: str
    media_type: str
    pages: int


class Ingester:
    """Stores files into the archive and queues their OCR."""

    def __init__(self, sessions: sessionmaker[Session], blobs: BlobStore, options: OcrOptions,
                 policy: JobPolicy) -> None:
        self._sessions = sessions
        self._blobs = blobs
        self._options = options
        self._policy = policy
        self._collections: dict[str, int] = {}

    def ingest_path(self, path: Path, *, collection: str | None = None,
                    uploaded_by: str | None = None) -> IngestOutcome:
        """Ingest one file from disk."""
        try:
            with path.open("rb") as source:
                return self.ingest_stream(source, path.name, collection=collection,
                                          uploaded_by=uploaded_by)
        except OSError as error:
            return IngestOutcome(path.name, "failed",
                                 error=f"{path.name}: cannot be read ({error.strerror or error}).")

    def ingest_stream(self, source: BinaryIO, filename: str, *, collection: str | None = None,
                      uploaded_by: str | None = None) -> IngestOutcome:
        """Ingest one upload; a file that is not a readable scan comes back ``failed``."""
        prepared = self.prepare(source, filename)
        if isinstance(prepared, IngestOutcome):
            return prepared
        try:
            return self.record(prepared, collection=collection, uploaded_by=uploaded_by)
        finally:
            self.discard(prepared)

    def prepare(self, source: BinaryIO, filename: str) -> Prepared | IngestOutcome:
        """Copy an upload in and check it, recording nothing yet: a :class:`Prepared` file
        to :meth:`record` or :meth:`discard`, or the outcome when it is a duplicate or
        cannot be read."""
        name = safe_filename(filename)
        try:
            staged = self._blobs.stage(source, name, max_bytes=self._options.max_file_bytes)
        except PhienhieuError as error:
            return IngestOutcome(name, "failed", error=error.message)
        existing = self._find(staged.sha256)
        if existing is not None:
            self._blobs.discard(staged)
            return IngestOutcome(name, "duplicate", *existing)
        try:
            pages = count_pages(staged.path, self._options)
            kind = sniff_kind(staged.path)
        except PhienhieuError as error:
            self._blobs.discard(staged)
            return IngestOutcome(name, "failed", error=error.message)
        return Prepared(staged, name, MEDIA_TYPES[kind], pages)

    def record(self, prepared: Prepared, *, collection: str | None = None,
               uploaded_by: str | None = None) -> IngestOutcome:
        """Store a prepared file and queue its OCR (a duplicate if the same bytes won a race)."""
        return self._record(prepared.staged, prepared.name, prepared.media_type, prepared.pages,
                            collection, uploaded_by)

    def discard(self, prepared: Prepared) -> None:
        """Forget a prepared file."""
        self._blobs.discard(prepared.staged)

    def _collection(self, name: str | None) -> int | None:
        if name is None:
            return None
        if name not in self._collections:
            self._collections[name] = ensure_collection(self._sessions, name)
        return self._collections[name]

    def _find(self, sha256: str) -> tuple[int, int | None, int] | None:
        with self._sessions() as session:
            scan = session.scalar(select(Scan).where(Scan.sha256 == sha256))
            if scan is None:
                return None
            return scan.id, scan_job_id(session, scan.id), scan.page_count

    def _record(self, staged: StagedBlob, name: str, media_type: str, pages: int,
                collection: str | None, uploaded_by: str | None) -> IngestOutcome:
        placed = False
        collection_ref = self._collection(collection)
        try:
            with self._blobs.placing(staged.sha256), self._sessions.begin() as session:
                scan = Scan(sha256=staged.sha256, filename=name, media_type=media_type,
                            size=staged.size, page_count=pages, uploaded_by=uploaded_by,
                            collection_id=collection_ref)
                session.add(scan)
                session.flush()
                job_id = enqueue_scan(session, scan.id, pages, self._policy)
                record_event(session, actor=uploaded_by or "cli", action="scan.ingest",
                             subject=f"scan:{scan.id}",
                             details={"sha256": staged.sha256, "filename": name, "pages": pages,
                                      "collection": collection})
                placed = self._blobs.commit(staged)
                scan_id = scan.id
        except IntegrityError:
            # Another upload of the same bytes won the race: this one is its duplicate.
            if placed:
                self._blobs.remove(staged.sha256)
            existing = self._find(staged.sha256)
            if existing is None:
                raise
            return IngestOutcome(name, "duplicate", *existing)
        except BaseException:
            if placed:
                self._blobs.remove(staged.sha256)
            raise
        return IngestOutcome(name, "added", scan_id, job_id, pages)


def recover_interrupted_ingests(sessions: sessionmaker[Session], blobs: BlobStore) -> int:
    """Remove the blobs that killed writers placed without recording; returns how many.

    Safe beside running writers: it does nothing while any placement is under way.
    """
    removed = 0
    with blobs.interrupted_placements() as checksums:
        for checksum in checksums or ():
            with sessions() as session:
                referenced = session.scalar(select(Scan.id).where(Scan.sha256 == checksum).limit(1))
                referenced = referenced or session.scalar(
                    select(Page.id).where(Page.image_sha256 == checksum).limit(1))
                referenced = referenced or session.scalar(
                    select(RequestAttachment.id).where(RequestAttachment.sha256 == checksum).limit(1))
                referenced = referenced or session.scalar(
                    select(Extract.id).where(Extract.pdf_sha256 == checksum).limit(1))
            if referenced is None and blobs.exists(checksum):
                blobs.remove(checksum)
                removed += 1
    return removed
