"""Photos and scans of documents that families send with a request.

They are checked like any scan (the real type from the bytes, not the name; image size
limits against decompression bombs; encrypted or broken PDFs refused) and kept in the
blob store, placed under the same crash-safe marker as ingested scans.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.orm import Session

from archive.blobs import BlobStore, StagedBlob, safe_filename
from archive.ingest import MEDIA_TYPES
from archive.models import RequestAttachment
from decoder.errors import InvalidInputError, PhienhieuError
from ocr.loading import count_pages, sniff_kind
from ocr.options import OcrOptions

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024


@dataclass(frozen=True)
class StagedAttachment:
    """A checked file, staged, not yet in place."""

    staged: StagedBlob
    filename: str
    media_type: str


def stage_attachments(blobs: BlobStore, files: Sequence[tuple[BinaryIO, str]],
                      options: OcrOptions) -> list[StagedAttachment]:
    """Copy in and check every file; none is kept if any is refused.

    Raises:
        InvalidInputError: too many files, or one that is not a readable image or PDF
            (the message names it).
    """
    if len(files) > MAX_ATTACHMENTS:
        raise InvalidInputError(f"Send at most {MAX_ATTACHMENTS} photos with a request.")
    staged: list[StagedAttachment] = []
    try:
        for handle, name in files:
            filename = safe_filename(name)
            blob = blobs.stage(handle, filename, max_bytes=MAX_ATTACHMENT_BYTES)
            staged.append(StagedAttachment(blob, filename, ""))
            try:
                kind = sniff_kind(blob.path)
                count_pages(blob.path, options)
            except PhienhieuError as error:
                raise InvalidInputError(f"{filename}: {error.message}") from None
            staged[-1] = StagedAttachment(blob, filename, MEDIA_TYPES[kind])
    except BaseException:
        discard_attachments(blobs, staged)
        raise
    return staged


@contextmanager
def placing_attachments(blobs: BlobStore, staged: Sequence[StagedAttachment]) -> Iterator[None]:
    """Mark the files as being placed while the caller's transaction records them."""
    with ExitStack() as stack:
        for item in staged:
            stack.enter_context(blobs.placing(item.staged.sha256))
        yield


def record_attachments(session: Session, blobs: BlobStore, request_id: int,
                       staged: Sequence[StagedAttachment]) -> None:
    """Place the files and add their rows, in the caller's transaction (inside
    :func:`placing_attachments`)."""
    for item in staged:
        blobs.commit(item.staged)
        session.add(RequestAttachment(request_id=request_id, sha256=item.staged.sha256,
                                      filename=item.filename, media_type=item.media_type,
                                      size=item.staged.size))


def discard_attachments(blobs: BlobStore, staged: Sequence[StagedAttachment]) -> None:
    """Forget staged files (those already placed stay where they are)."""
    for item in staged:
        blobs.discard(item.staged)
