"""Recognised pages in the archive: stored from the OCR result, read back for the API."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.audit import record_event
from archive.models import Page, utc_now
from archive.outbox import record_change
from decoder.errors import InvalidInputError, NotFoundError
from ocr.model import OcrPage


def store_page(session: Session, scan_id: int, result: OcrPage, image_sha256: str | None) -> Page:
    """Write one recognised page (replacing an earlier reading of it) and tell the index."""
    page = session.scalar(select(Page).where(Page.scan_id == scan_id, Page.number == result.number))
    if page is None:
        page = Page(scan_id=scan_id, number=result.number)
        session.add(page)
    page.image_sha256 = image_sha256
    page.width = result.width
    page.height = result.height
    page.text = result.text
    page.words = [word.model_dump(mode="json") for word in result.words]
    page.entities = [entity.model_dump(mode="json") for entity in result.entities]
    page.regions = [region.model_dump(mode="json") for region in result.regions]
    page.confidence = result.confidence
    page.rotation = result.rotation
    page.skew = result.skew
    page.steps = [step.model_dump(mode="json") for step in result.steps]
    page.source = result.source
    page.engine = result.engine[:100]
    page.error = result.error
    page.corrected_by = None
    page.updated_at = utc_now()
    session.flush()
    record_change(session, "page", [page.id])
    return page


#: A corrected page text is bounded like any text a person types.
MAX_PAGE_TEXT = 200_000


def correct_page(session: Session, scan_id: int, number: int, text: str, *, actor: str) -> Page:
    """Replace a page's text with a person's correction, in the caller's transaction.

    The words and boxes stay as read (they locate the original marks on the image); the
    corrected text is what search and extracts use from now on. Audited with checksums
    of both versions, so the change can be traced without copying the text twice.

    Raises:
        NotFoundError: no such page. InvalidInputError: the text is empty or too long.
    """
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInputError("The corrected text is empty; a page that has no text keeps its reading.")
    if len(text) > MAX_PAGE_TEXT:
        raise InvalidInputError(f"The corrected text is longer than {MAX_PAGE_TEXT:,} characters.")
    page = session.scalar(select(Page).where(Page.scan_id == scan_id, Page.number == number))
    if page is None:
        raise NotFoundError(f"Scan {scan_id} has no recognised page {number}.")
    before = hashlib.sha256(page.text.encode()).hexdigest()
    page.text = text
    page.corrected_by = actor[:100]
    page.updated_at = utc_now()
    session.flush()
    record_change(session, "page", [page.id])
    record_event(session, actor=actor, action="page.correct", subject=f"page:{scan_id}/{number}",
                 details={"before_sha256": before, "after_sha256": hashlib.sha256(text.encode()).hexdigest()})
    return page
