"""Lists for people browsing the archive: scans with their OCR state, and collections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.jobs import job_statuses, scan_job_id
from archive.models import Collection, Scan


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
