"""Lists for people browsing the archive: scans with their OCR state, and collections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.jobs import job_statuses, scan_job_id
from archive.models import Collection, Page, Scan


@dataclass(frozen=True)
class ScanRow:
    """A scan as listed: what it is, where it is filed, and how far its OCR is."""

    id: int
    filename: str
    collection: str | None
    page_count: int
    uploaded_by: str | None
    uploaded_at: datetime
    job_id: int | None
    state: str | None
    progress: float


@dataclass(frozen=True)
class CollectionRow:
    """A collection and how many scans it holds."""

    id: int
    name: str
    scans: int


def list_scans(session: Session, collection_id: int | None, limit: int, offset: int
               ) -> tuple[int, list[ScanRow]]:
    """Scans, newest first, optionally of one collection; and how many in all."""
    query = select(Scan, Collection.name).outerjoin(Collection, Scan.collection_id == Collection.id)
    if collection_id is not None:
        query = query.where(Scan.collection_id == collection_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(Scan.id.desc()).limit(limit).offset(offset)).all()
    job_ids = {scan.id: scan_job_id(session, scan.id) for scan, _ in rows}
    statuses = {status.id: status for status in job_statuses(
        session, [job_id for job_id in job_ids.values() if job_id])}
    listed = []
    for scan, name in rows:
        status = statuses.get(job_ids[scan.id] or -1)
        listed.append(ScanRow(scan.id, scan.filename, name, scan.page_count, scan.uploaded_by,
                              scan.uploaded_at, job_ids[scan.id], status.state if status else None,
                              status.progress if status else 0.0))
    return total, listed


def list_collections(session: Session) -> list[CollectionRow]:
    """Every collection with its number of scans, by name."""
    rows = session.execute(
        select(Collection.id, Collection.name, func.count(Scan.id))
        .outerjoin(Scan, Scan.collection_id == Collection.id)
        .group_by(Collection.id, Collection.name).order_by(Collection.name)).all()
    return [CollectionRow(row[0], row[1], row[2]) for row in rows]


@dataclass(frozen=True)
class PageState:
    """How the reading of one page of a scan went."""

    number: int
    confidence: float | None
    error: str | None


@dataclass(frozen=True)
class JobState:
    """Where a scan's OCR job is."""

    state: str
    progress: float
    error: str | None


@dataclass(frozen=True)
class ScanView:
    """A scan with its collection, its pages' state and its OCR job."""

    id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    page_count: int
    collection: str | None
    uploaded_by: str | None
    uploaded_at: datetime
    job_id: int | None
    job: JobState | None
    pages: list[PageState]


def scan_view(session: Session, scan_id: int) -> ScanView | None:
    """A scan as its page shows it, or None if there is no such scan."""
    scan = session.get(Scan, scan_id)
    if scan is None:
        return None
    collection = session.get(Collection, scan.collection_id) if scan.collection_id else None
    job_id = scan_job_id(session, scan_id)
    pages = session.execute(select(Page.number, Page.confidence, Page.error)
                            .where(Page.scan_id == scan_id).order_by(Page.number)).all()
    job = job_statuses(session, [job_id])[0] if job_id else None
    return ScanView(
        id=scan.id, filename=scan.filename, media_type=scan.media_type, size=scan.size, sha256=scan.sha256,
        page_count=scan.page_count, collection=collection.name if collection else None,
        uploaded_by=scan.uploaded_by, uploaded_at=scan.uploaded_at, job_id=job_id,
        job=JobState(job.state, job.progress, job.error) if job else None,
        pages=[PageState(number, confidence, error) for number, confidence, error in pages])
