"""The durable job queue, in the database.

A scan's OCR is one ``ocr_scan`` job that gathers one ``ocr_page`` job per page; workers
run the page jobs. A claim takes a lease that the worker renews while it works: when a
worker dies, its lease runs out and another worker takes the job again. Each claim counts
an attempt; a job that keeps failing is retried with exponential back-off and, after its
last attempt, ends ``failed`` with the error. Finishing checks the lease token, so a
worker that lost its lease cannot record a result twice.

On PostgreSQL claims use ``FOR UPDATE SKIP LOCKED``, so any number of workers share the
queue without waiting on each other; SQLite serialises writers anyway.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from archive.models import Job, utc_now

SCAN_JOB = "ocr_scan"
PAGE_JOB = "ocr_page"
FINAL_STATES = ("done", "failed")
_MAX_ERROR_CHARS = 4000
_WORKER_DIED = "The worker running this job stopped without finishing, on every attempt."


@dataclass(frozen=True)
class JobPolicy:
    """How long leases last and how failures are retried."""

    lease_s: float = 60.0
    max_attempts: int = 5
    retry_base_s: float = 5.0
    retry_max_s: float = 600.0

    def backoff(self, attempts: int) -> timedelta:
        """The wait before attempt ``attempts + 1``: doubling from the base, capped."""
        return timedelta(seconds=min(self.retry_max_s, self.retry_base_s * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Claim:
    """A job a worker holds, and the token that proves it still does."""

    job_id: int
    kind: str
    scan_id: int | None
    page_number: int | None
    attempts: int
    token: str


@dataclass(frozen=True)
class JobStatus:
    """What ``GET /jobs/{id}`` shows."""

    id: int
    kind: str
    state: str
    progress: float
    error: str | None
    attempts: int
    scan_id: int | None


def enqueue_scan(session: Session, scan_id: int, pages: int, policy: JobPolicy) -> int:
    """Queue the OCR of every page of a scan; returns the scan job's id."""
    parent = Job(kind=SCAN_JOB, scan_id=scan_id, state="queued", max_attempts=policy.max_attempts)
    session.add(parent)
    session.flush()
    session.execute(insert(Job), [
        {"kind": PAGE_JOB, "scan_id": scan_id, "page_number": number, "parent_id": parent.id,
         "state": "queued", "attempts": 0, "max_attempts": policy.max_attempts, "progress": 0.0,
         "run_after": parent.run_after, "created_at": parent.created_at}
        for number in range(1, pages + 1)])
    return parent.id


def claim_job(session: Session, worker: str, policy: JobPolicy,
              kinds: Sequence[str] = (PAGE_JOB,), now: datetime | None = None) -> Claim | None:
    """Take the oldest job that is due, or whose holder's lease ran out; None when idle.

    The caller commits right away, so the lease is visible to the other workers.
    """
    now = now or utc_now()
    _fail_exhausted(session, now)
    due = or_(and_(Job.state == "queued", Job.run_after <= now),
              and_(Job.state == "running", Job.lease_expires_at < now))
    candidate = (select(Job.id).where(Job.kind.in_(kinds), due).order_by(Job.id).limit(1)
                 .with_for_update(skip_locked=True).scalar_subquery())
    token = secrets.token_hex(16)
    row = session.execute(
        update(Job).where(Job.id == candidate)
        .values(state="running", attempts=Job.attempts + 1, lease_token=token,
                lease_expires_at=now + timedelta(seconds=policy.lease_s), worker=worker[:200],
                started_at=func.coalesce(Job.started_at, now))
        .returning(Job.id, Job.kind, Job.scan_id, Job.page_number, Job.attempts, Job.parent_id)
    ).one_or_none()
    if row is None:
        return None
    if row.parent_id is not None:
        session.execute(update(Job).where(Job.id == row.parent_id, Job.state == "queued")
                        .values(state="running", started_at=now))
    return Claim(row.id, row.kind, row.scan_id, row.page_number, row.attempts, token)


def renew_lease(session: Session, claim: Claim, policy: JobPolicy) -> bool:
    """Extend the lease; False when the job is no longer this worker's."""
    result = session.execute(
        update(Job).where(Job.id == claim.job_id, Job.lease_token == claim.token,
                          Job.state == "running")
        .values(lease_expires_at=utc_now() + timedelta(seconds=policy.lease_s)))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def finish_job(session: Session, claim: Claim, *, note: str | None = None) -> bool:
    """Mark the job done in the caller's transaction, with the work it recorded.

    Returns False, changing nothing, when the lease was lost: the caller must then roll
    back, because another worker owns the job.
    """
    now = utc_now()
    result = session.execute(
        update(Job).where(Job.id == claim.job_id, Job.lease_token == claim.token,
                          Job.state == "running")
        .values(state="done", progress=1.0, lease_token=None, lease_expires_at=None,
                finished_at=now, error=_clip(note)))
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    _update_parent(session, claim.job_id, now)
    return True


def fail_job(session: Session, claim: Claim, error: str, policy: JobPolicy, *,
             permanent: bool = False) -> str:
    """Record a failed attempt: back to the queue after a back-off, or ``failed`` after the
    last attempt (at once when ``permanent``: retrying cannot help). Returns the new state
    (``lost`` when the lease had already gone)."""
    now = utc_now()
    job = session.get(Job, claim.job_id, with_for_update=True)
    if job is None or job.lease_token != claim.token or job.state != "running":
        return "lost"
    job.error = _clip(error)
    job.lease_token = None
    job.lease_expires_at = None
    if permanent or job.attempts >= job.max_attempts:
        job.state = "failed"
        job.finished_at = now
        session.flush()
        _update_parent(session, job.id, now)
    else:
        job.state = "queued"
        job.run_after = now + policy.backoff(job.attempts)
        session.flush()
    return job.state


def job_status(session: Session, job_id: int) -> JobStatus | None:
    """A job's state, progress and error; None when there is no such job."""
    found = job_statuses(session, [job_id])
    return found[0] if found else None


def scan_job_id(session: Session, scan_id: int) -> int | None:
    """The latest OCR job of a scan (the one that gathers its pages)."""
    return session.scalar(select(Job.id).where(Job.scan_id == scan_id, Job.kind == SCAN_JOB)
                          .order_by(Job.id.desc()).limit(1))


def job_statuses(session: Session, job_ids: Sequence[int]) -> list[JobStatus]:
    """The states of the jobs among ``job_ids`` that exist, in id order."""
    statuses = []
    for start in range(0, len(job_ids), 500):
        rows = session.execute(
            select(Job.id, Job.kind, Job.state, Job.progress, Job.error, Job.attempts, Job.scan_id)
            .where(Job.id.in_(job_ids[start:start + 500])).order_by(Job.id)).all()
        statuses += [JobStatus(*row) for row in rows]
    return statuses


def _fail_exhausted(session: Session, now: datetime) -> None:
    """Jobs whose worker died on their last attempt end here, as failed."""
    rows = session.execute(
        update(Job).where(Job.state == "running", Job.kind == PAGE_JOB, Job.lease_expires_at < now,
                          Job.attempts >= Job.max_attempts)
        .values(state="failed", finished_at=now, lease_token=None, lease_expires_at=None,
                error=func.coalesce(Job.error, _WORKER_DIED))
        .returning(Job.id)).scalars().all()
    for job_id in rows:
        _update_parent(session, job_id, now)


def _update_parent(session: Session, child_id: int, now: datetime) -> None:
    """Bring a scan job's progress and state up to date after one of its pages ended."""
    parent_id = session.scalar(select(Job.parent_id).where(Job.id == child_id))
    if parent_id is None:
        return
    # Locking the parent first makes the count below see every sibling that finished.
    session.execute(select(Job.id).where(Job.id == parent_id).with_for_update())
    counts = dict(session.execute(
        select(Job.state, func.count()).where(Job.parent_id == parent_id).group_by(Job.state)).all())
    total = sum(counts.values())
    failed = counts.get("failed", 0)
    finished = counts.get("done", 0) + failed
    values: dict[str, object] = {"progress": round(finished / total, 4) if total else 1.0}
    if finished == total:
        errors = session.execute(
            select(Job.page_number, Job.error).where(Job.parent_id == parent_id,
                                                     Job.error.is_not(None))
            .order_by(Job.page_number)).all()
        summary = "; ".join(f"page {number}: {error}" for number, error in errors)
        values |= {"state": "failed" if failed else "done", "finished_at": now,
                   "error": _clip(summary) if summary else None}
    session.execute(update(Job).where(Job.id == parent_id).values(**values))


def _clip(text: str | None) -> str | None:
    if text is None:
        return None
    return text if len(text) <= _MAX_ERROR_CHARS else text[:_MAX_ERROR_CHARS - 1] + "…"
