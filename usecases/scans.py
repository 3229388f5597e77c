"""Scan use cases: upload, browse, read a page and its image, correct a page's text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive.blobs import BlobStore
from archive.browse import CollectionRow, ScanRow, ScanView, list_collections, list_scans, scan_view
from archive.ingest import Ingester, IngestOutcome, Prepared
from archive.jobs import JobPolicy, JobStatus, job_statuses
from archive.models import Page, Scan
from archive.pages import correct_page
from archive.persons import PersonsImport, import_persons
from decoder.errors import InvalidInputError
from ocr.options import OcrOptions

#: Applies what the outbox holds to the search index (``Resources.publish_changes``).
Publish = Callable[[], object]
#: Where ``phienhieu demo --samples`` files its scans.
SAMPLE_COLLECTION = "Hồ sơ mẫu (dữ liệu minh hoạ)"


def upload_scans(files: Sequence[tuple[BinaryIO, str]], *, ingester: Ingester, publish: Publish,
                 collection: str | None, actor: str) -> list[IngestOutcome]:
    """Store uploaded scans and queue their OCR, all or nothing: every file is checked
    first, and if any cannot be read as a scan nothing is stored.

    Raises:
        InvalidInputError: naming every file that cannot be read.
    """
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
    publish()
    return outcomes


def make_ingester(*, sessions: sessionmaker[Session], blobs: BlobStore, policy: JobPolicy,
                  options: OcrOptions | None = None) -> Ingester:
    """Stores files into the archive and queues their OCR with ``options``."""
    return Ingester(sessions, blobs, options or OcrOptions(), policy)


def load_samples(*, ingester: Ingester, sessions: sessionmaker[Session], publish: Publish
                 ) -> tuple[list[IngestOutcome], PersonsImport]:
    """Add the demonstration scans (queued for OCR) and person records (idempotent: the
    scans come back as duplicates, the records are updated in place)."""
    outcomes = []
    with resources.as_file(resources.files("archive").joinpath("demo")) as demo:
        for sample in sorted((demo / "scans").iterdir()):
            with sample.open("rb") as handle:
                outcomes.append(ingester.ingest_stream(handle, sample.name, collection=SAMPLE_COLLECTION,
                                                       uploaded_by="demo"))
        with (demo / "persons.jsonl").open("rb") as handle:
            persons = import_persons(sessions, handle, actor="demo")
    publish()
    return outcomes, persons


def find_scan(scan_id: int, *, sessions: sessionmaker[Session]) -> ScanView | None:
    """A scan with its pages' state and its OCR job."""
    with sessions() as session:
        return scan_view(session, scan_id)


def find_page(scan_id: int, number: int, *, sessions: sessionmaker[Session]) -> Page | None:
    """A recognised page of a scan."""
    with sessions() as session:
        return session.scalar(select(Page).where(Page.scan_id == scan_id, Page.number == number))


def page_image(scan_id: int, number: int, *, sessions: sessionmaker[Session], blobs: BlobStore
               ) -> tuple[Path, str] | None:
    """A page's image, checksum verified, and its media type: the scan itself for a
    one-page image, a PNG rendered from it otherwise."""
    with sessions() as session:
        row = session.execute(
            select(Page.image_sha256, Scan.sha256, Scan.media_type).join(Scan, Page.scan_id == Scan.id)
            .where(Page.scan_id == scan_id, Page.number == number)).one_or_none()
    if row is None or row.image_sha256 is None:
        return None
    media_type = row.media_type if row.image_sha256 == row.sha256 else "image/png"
    return blobs.verified_path(row.image_sha256), media_type


def browse_scans(collection_id: int | None, limit: int, offset: int, *, sessions: sessionmaker[Session]
                 ) -> tuple[int, list[ScanRow]]:
    """Scans, newest first, with their OCR state; and how many in all."""
    with sessions() as session:
        return list_scans(session, collection_id, limit, offset)


def browse_collections(*, sessions: sessionmaker[Session]) -> list[CollectionRow]:
    """Collections with their number of scans."""
    with sessions() as session:
        return list_collections(session)


def save_correction(scan_id: int, number: int, text: str, *, sessions: sessionmaker[Session],
                    publish: Publish, actor: str) -> None:
    """Replace a page's text with a correction (audited, then re-indexed)."""
    with sessions.begin() as session:
        correct_page(session, scan_id, number, text, actor=actor)
    publish()


def jobs(job_ids: Sequence[int], *, sessions: sessionmaker[Session]) -> list[JobStatus]:
    """The state of each job that exists among ``job_ids``."""
    with sessions() as session:
        return job_statuses(session, job_ids)
