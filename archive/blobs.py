"""Content-addressed file storage: every blob is named by its SHA-256.

A blob is written to a temporary file under ``.incoming/``, flushed to disk, and only
then renamed into place, so a crash leaves either the whole blob or nothing at its
name. Reads check the checksum, so silent corruption on disk is caught, not served.

A blob and the database row that refers to it cannot be written atomically together,
so a writer marks the blob while it places it (:meth:`BlobStore.placing`): a marker
file, under a shared lock, from before the rename until the row is committed. A process
killed in between leaves its marker behind; :meth:`BlobStore.interrupted_placements`,
holding the lock exclusively (so no placement is under way), finds those markers and
the caller removes the blobs that no row refers to.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from archive.errors import BlobCorruptError, BlobMissingError, TooLargeFileError
from decoder.untrusted import strip_bidi_controls

_CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
_MAX_NAME_BYTES = 200


def safe_filename(name: str) -> str:
    """A file name safe to show and to create: no directories, control characters,
    bidirectional overrides (with U+202E, ``rtl…gnp.exe`` shows as ``rtlexe.png``) or leading dots,
    at most 200 bytes; ``scan`` when nothing is left."""
    base = strip_bidi_controls(re.split(r"[/\\]", name)[-1])
    cleaned = _UNSAFE_NAME.sub("_", base).strip().lstrip(".").strip()
    encoded = cleaned.encode("utf-8")[:_MAX_NAME_BYTES]
    return encoded.decode("utf-8", errors="ignore").strip() or "scan"


@dataclass(frozen=True)
class StagedBlob:
    """A file copied into the store's incoming area and hashed, not yet in place."""

    sha256: str
    size: int
    path: Path

    @property
    def folder(self) -> Path:
        """The private folder the staged file sits in."""
        return self.path.parent


class BlobStore:
    """Blobs under ``root``, at ``root/ab/cd/abcd…`` by their SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.incoming = root / ".incoming"
        self.incoming.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        """Where the blob with this checksum lives (whether or not it exists)."""
        if not _SHA256.fullmatch(sha256):
            raise BlobMissingError(f"{sha256[:80]!r} is not a SHA-256 checksum.")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    @contextmanager
    def placing(self, sha256: str) -> Iterator[None]:
        """Mark ``sha256`` as being placed for the duration (see the module's docstring)."""
        self.path(sha256)  # refuses anything but a checksum
        with self._placement_lock(fcntl.LOCK_SH):
            marker = self.incoming / f"placing-{sha256}-{os.getpid()}-{os.urandom(4).hex()}"
            marker.touch()
            _fsync_directory(self.incoming)
            try:
                yield
            finally:
                marker.unlink(missing_ok=True)

    @contextmanager
    def interrupted_placements(self) -> Iterator[set[str] | None]:
        """The blobs whose placement a dead process left unfinished, or None when a
        placement is under way right now (try again later). Their markers are removed
        when the block ends; the caller removes the blobs nothing refers to."""
        try:
            with self._placement_lock(fcntl.LOCK_EX | fcntl.LOCK_NB):
                markers = list(self.incoming.glob("placing-*"))
                yield {marker.name.split("-")[1] for marker in markers}
                for marker in markers:
                    marker.unlink(missing_ok=True)
        except BlockingIOError:
            yield None

    @contextmanager
    def _placement_lock(self, mode: int) -> Iterator[None]:
        with (self.incoming / "placing.lock").open("a") as handle:
            fcntl.flock(handle, mode)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def exists(self, sha256: str) -> bool:
        """Whether the blob is in the store."""
        return self.path(sha256).is_file()

    def stage(self, source: BinaryIO, filename: str, *, max_bytes: int) -> StagedBlob:
        """Copy ``source`` into the incoming area under ``filename``, hashing as it goes.

        Raises:
            TooLargeFileError: the stream holds more than ``max_bytes``; nothing is kept.
        """
        folder = Path(tempfile.mkdtemp(dir=self.incoming))
        target = folder / safe_filename(filename)
        digest = hashlib.sha256()
        size = 0
        try:
            with target.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLargeFileError(
                            f"{target.name}: larger than the {max_bytes:,} bytes accepted.")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return StagedBlob(digest.hexdigest(), size, target)

    def commit(self, staged: StagedBlob) -> bool:
        """Move a staged file into place; True when the blob was not already stored."""
        final = self.path(staged.sha256)
        created = not final.exists()
        if created:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged.path, final)
            _fsync_directory(final.parent)
        self.discard(staged)
        return created

    def discard(self, staged: StagedBlob) -> None:
        """Forget a staged file."""
        shutil.rmtree(staged.folder, ignore_errors=True)

    def put(self, data: bytes) -> str:
        """Store bytes; returns their checksum."""
        digest = hashlib.sha256(data).hexdigest()
        final = self.path(digest)
        if final.exists():
            return digest
        final.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.incoming, delete=False) as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(out.name, final)
        _fsync_directory(final.parent)
        return digest

    def verified_path(self, sha256: str) -> Path:
        """The blob's path, after checking that its content still has its checksum.

        Raises:
            BlobMissingError: no such blob.
            BlobCorruptError: the content changed on disk.
        """
        path = self.path(sha256)
        digest = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            raise BlobMissingError(f"The blob {sha256} is missing from the store.") from None
        if digest.hexdigest() != sha256:
            raise BlobCorruptError(f"The blob {sha256} is corrupt: its content no longer matches.")
        return path

    def read(self, sha256: str) -> bytes:
        """The blob's bytes, checksum verified."""
        return self.verified_path(sha256).read_bytes()

    def remove(self, sha256: str) -> None:
        """Delete a blob if it is there."""
        self.path(sha256).unlink(missing_ok=True)

    def checksums(self) -> Iterator[str]:
        """Every blob in the store."""
        for path in self.root.glob("??/??/*"):
            if _SHA256.fullmatch(path.name):
                yield path.name

    def sweep_incoming(self, older_than_s: float) -> int:
        """Remove staged files left by writers that died; returns how many."""
        cutoff = time.time() - older_than_s
        removed = 0
        for folder in self.incoming.iterdir():
            if folder.name.startswith("placing"):
                continue  # markers and their lock belong to interrupted_placements()
            try:
                if folder.stat().st_mtime < cutoff:
                    if folder.is_dir():
                        shutil.rmtree(folder, ignore_errors=True)
                    else:
                        folder.unlink(missing_ok=True)
                    removed += 1
            except FileNotFoundError:
                continue
        return removed


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
