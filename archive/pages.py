"""Recognised pages in the archive: stored from the OCR result, read back for the API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Page, utc_now
from archive.outbox import record_change
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
