"""A worker: takes OCR jobs from the shared queue and records their pages.

Many workers, in many processes and on many machines, can share one database. While a
page is being read a heartbeat thread renews the job's lease; if the process dies the
lease runs out and another worker takes the job. The page, the job's end and the outbox
entry are written in one transaction, only if this worker still holds the lease, so a
page is never recorded twice.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import socket
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import cv2
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from archive.blobs import BlobStore
from archive.jobs import PAGE_JOB, Claim, JobPolicy, claim_job, fail_job, finish_job, renew_lease
from archive.models import Scan
from archive.pages import store_page
from decoder.errors import ErrorKind, PhienhieuError
from ocr.loading import SourcePage, load_page
from ocr.options import OcrOptions
from ocr.pipeline import ocr_page

log = logging.getLogger("phienhieu.worker")

# PNG level 1: page images are written once and read rarely, so speed beats size.
_PNG_PARAMS = [cv2.IMWRITE_PNG_COMPRESSION, 1]
_PERMANENT = (ErrorKind.INVALID_INPUT, ErrorKind.TOO_LARGE)


@dataclass
class WorkerReport:
    """What a worker did before it stopped."""

    done: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0
    errors: list[str] = field(default_factory=list)


def default_worker_name() -> str:
    """Host and process id: enough to find the process that holds a lease."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    """Runs page jobs until told to stop.

    Args:
        sessions: the shared database.
        blobs: the blob store the scans are in.
        options: OCR options for every page.
        policy: leases and retries.
        name: shown on the jobs this worker holds.
    """

    def __init__(self, sessions: sessionmaker[Session], blobs: BlobStore, options: OcrOptions,
                 policy: JobPolicy, *, name: str | None = None) -> None:
        self._sessions = sessions
        self._blobs = blobs
        self._options = options
        self._policy = policy
        self.name = name or default_worker_name()
        self.report = WorkerReport()

    def run(self, stop: threading.Event, *, exit_when_idle: bool = False,
            poll_s: float = 1.0) -> WorkerReport:
        """Work until ``stop`` is set (or, with ``exit_when_idle``, until no job is due)."""
        log.info("worker %s is taking jobs", self.name)
        while not stop.is_set():
            try:
                if self.run_one():
                    continue
            except OperationalError as error:
                # The database is away for a moment: the leases keep the jobs safe meanwhile.
                log.warning("database unavailable, waiting: %s", error.orig)
                stop.wait(max(poll_s, 5.0))
                continue
            if exit_when_idle:
                break
            stop.wait(poll_s)
        return self.report

    def run_one(self) -> bool:
        """Claim and run one job; False when none was due."""
        with self._sessions.begin() as session:
            claim = claim_job(session, self.name, self._policy, kinds=(PAGE_JOB,))
        if claim is None:
            return False
        lost = threading.Event()
        heartbeat = threading.Thread(target=self._heartbeat, args=(claim, lost), daemon=True)
        heartbeat.start()
        try:
            self._run_page(claim)
        except Exception as error:  # any failure of the job is recorded on it, then retried
            message = (error.message if isinstance(error, PhienhieuError)
                       else f"{type(error).__name__}: {error}")
            log.warning("job %s (scan %s page %s) failed: %s", claim.job_id, claim.scan_id,
                        claim.page_number, message)
            # A page that cannot be decoded or is over the limits will not get better.
            permanent = isinstance(error, PhienhieuError) and error.kind in _PERMANENT
            with self._sessions.begin() as session:
                state = fail_job(session, claim, message, self._policy, permanent=permanent)
            if state == "failed":
                self.report.failed += 1
                self.report.errors.append(message)
            elif state == "queued":
                self.report.retried += 1
        finally:
            lost.set()
            heartbeat.join()
        return True

    def _run_page(self, claim: Claim) -> None:
        assert claim.scan_id is not None
        assert claim.page_number is not None
        with self._sessions() as session:
            scan = session.get(Scan, claim.scan_id)
            if scan is None:
                raise PhienhieuError(f"Scan {claim.scan_id} no longer exists.")
            sha256, page_count = scan.sha256, scan.page_count
        path = self._blobs.verified_path(sha256)
        source = load_page(Path(path), claim.page_number, self._options)
        result = ocr_page(source, self._options)
        image_png = None if page_count == 1 else self._encode(source)
        image = sha256 if image_png is None else hashlib.sha256(image_png).hexdigest()
        placing = nullcontext() if image_png is None else self._blobs.placing(image)
        with placing:
            if image_png is not None:
                self._blobs.put(image_png)
            with self._sessions.begin() as session:
                if not finish_job(session, claim, note=result.error):
                    session.rollback()
                    self.report.lost += 1
                    log.warning("job %s: lease lost, its result is dropped", claim.job_id)
                    return
                store_page(session, claim.scan_id, result, image)
        self.report.done += 1

    def _encode(self, source: SourcePage) -> bytes:
        ok, encoded = cv2.imencode(".png", source.image, _PNG_PARAMS)
        if not ok:
            raise PhienhieuError(f"Page {source.number} could not be encoded as PNG.")
        return encoded.tobytes()

    def _heartbeat(self, claim: Claim, stop: threading.Event) -> None:
        interval = max(0.2, self._policy.lease_s / 3)
        while not stop.wait(interval):
            try:
                with self._sessions.begin() as session:
                    if not renew_lease(session, claim, self._policy):
                        return
            except Exception as error:  # the database may be briefly away; the lease decides
                log.warning("job %s: lease renewal failed: %s", claim.job_id, error)


def run_until_stopped(worker: Worker, *, exit_when_idle: bool = False, poll_s: float = 1.0
                      ) -> WorkerReport:
    """Run a worker in this process, stopping cleanly on SIGTERM or Ctrl-C after the
    current job."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return worker.run(stop, exit_when_idle=exit_when_idle, poll_s=poll_s)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
