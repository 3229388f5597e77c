"""Registry use cases: decode against it, import and export it, load the shipped files."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from sqlalchemy.orm import Session, sessionmaker

from archive.audit import record_event
from archive.public_registry import public_document
from archive.registry_store import ImportReport, export_registry, import_registry
from decoder.decode import decode
from decoder.registry_json import layered, parse_registry_json
from decoder.registry_schema import RegistryDocument
from decoder.result import DecodeResult
from usecases.registry_cache import RegistryCache

#: Decodes one text at an optional date (``decode_text`` with its registry bound).
Decoder = Callable[[str, str | None], DecodeResult]


def decode_text(text: str, date: str | None, *, registry: RegistryCache, max_chars: int) -> DecodeResult:
    """Decode one text against the stored registry."""
    return decode(text, date, registry.get(), max_chars=max_chars)


def import_document(document: RegistryDocument, *, sessions: sessionmaker[Session],
                    registry: RegistryCache, actor: str) -> ImportReport:
    """Import a registry document in one transaction (all or nothing), audited.

    Raises:
        InvalidRegistryError: the document contradicts itself or the stored registry.
    """
    with sessions.begin() as session:
        report = import_registry(session, document=document)
        if report.created or report.updated:
            record_event(session, actor=actor, action="registry.import",
                         subject=f"registry:{report.revision}",
                         details={"created": report.created, "updated": report.updated})
    registry.invalidate()
    return report


def export_document(*, sessions: sessionmaker[Session]) -> RegistryDocument:
    """The whole stored registry as a document."""
    with sessions() as session:
        return export_registry(session)


def load_public(*, sessions: sessionmaker[Session], registry: RegistryCache) -> ImportReport:
    """Load the public registry (archive/public): units of the file replace stored ones."""
    return import_document(public_document(), sessions=sessions, registry=registry,
                           actor="public")


def load_demo(*, sessions: sessionmaker[Session], registry: RegistryCache) -> ImportReport:
    """Load the demonstration registry over the public one, in one import (idempotent).

    The demo units take precedence over public units with the same id, as an office's own
    registry does; the demo's invented mailboxes never enter the public file.
    """
    demo = parse_registry_json(resources.files("archive").joinpath("demo", "registry.json").read_bytes())
    return import_document(layered(public_document(), demo), sessions=sessions, registry=registry,
                           actor="cli")
