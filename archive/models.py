"""SQLAlchemy models of the system of record.

Partial dates are stored as the text the registry uses (``1968``, ``1968-03``,
``1968-03-14``); the decoder turns them into spans. Instants are timezone-aware UTC on
every backend.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model."""

    metadata = MetaData(naming_convention=NAMING)


class Unit(Base):
    """A unit of the registry."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[str] = mapped_column(String(32))
    number: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(300))
    branch: Mapped[str | None] = mapped_column(String(32))
    founded: Mapped[str | None] = mapped_column(String(10))
    dissolved: Mapped[str | None] = mapped_column(String(10))

    aliases: Mapped[list[UnitAlias]] = relationship(
        cascade="all, delete-orphan", order_by="UnitAlias.position")
    parents: Mapped[list[UnitParent]] = relationship(
        cascade="all, delete-orphan", order_by="UnitParent.position",
        foreign_keys="UnitParent.unit_id")
    codes: Mapped[list[UnitCode]] = relationship(
        cascade="all, delete-orphan", order_by="UnitCode.position")
    events: Mapped[list[UnitEvent]] = relationship(
        cascade="all, delete-orphan", order_by="UnitEvent.position")

    __table_args__ = (Index("ix_units_level_number", "level", "number"),)


class UnitAlias(Base):
    """Another name a unit is known by."""

    __tablename__ = "unit_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    alias: Mapped[str] = mapped_column(String(300))


class UnitParent(Base):
    """The unit belonged to ``parent_id`` between two partial dates."""

    __tablename__ = "unit_parents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    date_from: Mapped[str | None] = mapped_column(String(10))
    date_to: Mapped[str | None] = mapped_column(String(10))


class UnitCode(Base):
    """A mailbox code, cover name, honorific or code number held for a period."""

    __tablename__ = "unit_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    date_from: Mapped[str | None] = mapped_column(String(10))
    date_to: Mapped[str | None] = mapped_column(String(10))
    source: Mapped[str | None] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)


class UnitEvent(Base):
    """A history event of a unit, with its place and source."""

    __tablename__ = "unit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    date_from: Mapped[str | None] = mapped_column(String(10))
    date_to: Mapped[str | None] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    place: Mapped[str | None] = mapped_column(String(300))
    province: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(Text)


class RegistryMeta(Base):
    """One row: the registry's revision, bumped by every import that changes it."""

    __tablename__ = "registry_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: datetime.now(UTC))


def utc_now() -> datetime:
    """The current instant, timezone-aware UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A UTC instant: SQLite keeps no zone, so one is put back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use utc_now()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: JSON documents; JSONB on PostgreSQL so they can be indexed and queried there.
Document = JSON().with_variant(JSONB(), "postgresql")


class Collection(Base):
    """An archival fonds or series that scans are filed under."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Scan(Base):
    """An original file as uploaded, stored once by its SHA-256 in the blob store."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    page_count: Mapped[int] = mapped_column(Integer)
    collection_id: Mapped[int | None] = mapped_column(
        ForeignKey("collections.id", ondelete="SET NULL"), index=True)
    uploaded_by: Mapped[str | None] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Page(Base):
    """One page of a scan as recognised: text, words with boxes, and how it was read."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    image_sha256: Mapped[str | None] = mapped_column(
        String(64), doc="the page image in the blob store; the scan itself for one-page images")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[list[dict[str, Any]]] = mapped_column(Document)
    entities: Mapped[list[dict[str, Any]]] = mapped_column(Document)
    regions: Mapped[list[dict[str, Any]]] = mapped_column(
        Document, default=list, doc="stamps, signatures and handwriting: their kind and box")
    confidence: Mapped[float] = mapped_column(Float)
    rotation: Mapped[int] = mapped_column(Integer)
    skew: Mapped[float] = mapped_column(Float)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(Document, doc="the preprocessing record")
    source: Mapped[str] = mapped_column(String(16), doc="ocr or text_layer")
    engine: Mapped[str] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(Text)
    corrected_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    __table_args__ = (UniqueConstraint("scan_id", "number", name="uq_pages_scan_id_number"),)


class Person(Base):
    """A martyr record (the fields of CONTRACT's person JSON, and a few more)."""

    __tablename__ = "persons"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), index=True)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    birth_date: Mapped[str | None] = mapped_column(String(10))
    hometown: Mapped[str | None] = mapped_column(String(500))
    enlisted: Mapped[str | None] = mapped_column(String(10))
    rank: Mapped[str | None] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(200))
    unit_text: Mapped[str | None] = mapped_column(String(500))
    death_date: Mapped[str | None] = mapped_column(String(10))
    death_place: Mapped[str | None] = mapped_column(String(500))
    circumstances: Mapped[str | None] = mapped_column(Text)
    burial_place: Mapped[str | None] = mapped_column(String(500))
    grave: Mapped[str | None] = mapped_column(String(500))
    relatives: Mapped[list[dict[str, Any]]] = mapped_column(Document)
    name_key: Mapped[str | None] = mapped_column(
        String(200), doc="the name folded, to compare with what graves say")
    hometown_key: Mapped[str | None] = mapped_column(
        String(500), doc="the hometown folded, without the kinds of administrative unit")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    sources: Mapped[list[PersonSource]] = relationship(
        cascade="all, delete-orphan", order_by="PersonSource.position")


class PersonSource(Base):
    """Where a person's facts come from: a scan and page, and for OCR'd facts the box."""

    __tablename__ = "person_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    scan: Mapped[str] = mapped_column(String(100), doc="the scan as cited: its id or SHA-256")
    page: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(40), doc="the fact it supports; null: all")
    box: Mapped[list[int] | None] = mapped_column(JSON)
    page_id: Mapped[int | None] = mapped_column(
        ForeignKey("pages.id", ondelete="SET NULL"), index=True,
        doc="the archived page, when the citation names one")


class Job(Base):
    """A unit of background work (OCR of a page; a scan's job gathers its pages)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), index=True)
    page_number: Mapped[int | None] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), doc="queued, running, done or failed")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    run_after: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    lease_token: Mapped[str | None] = mapped_column(String(32))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    worker: Mapped[str | None] = mapped_column(String(200))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_jobs_claim", "state", "kind", "run_after"),)


class OutboxEntry(Base):
    """An entity the search index must look at again, written with the change itself."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(16), doc="page, person or unit")
    entity_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)


class User(Base):
    """A staff account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), doc="archivist, officer or admin")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    token_generation: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0",
        doc="named in every token; raised at sign-out and at any change of the account, "
            "which ends every token issued before")


class FamilyRequest(Base):
    """A family's request for an extract, reached with its tracking code and secret."""

    __tablename__ = "family_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tracking_code: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), index=True)
    requester: Mapped[dict[str, Any]] = mapped_column(Document)
    person: Mapped[dict[str, Any]] = mapped_column(Document)
    note: Mapped[str | None] = mapped_column(Text)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RequestAttachment(Base):
    """A photo or scan of a document that a family sent with its request (in the blob store)."""

    __tablename__ = "request_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("family_requests.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Extract(Base):
    """A certified extract as issued: its serial, its signed PDF, and any revocation."""

    __tablename__ = "extracts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("family_requests.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(Text)


class AuditEntry(Base):
    """One line of the append-only audit log, chained to the one before by its hash."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    details: Mapped[str] = mapped_column(Text, doc="canonical JSON, hashed as stored")
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row: the last entry of the audit log, locked by every append."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class Cemetery(Base):
    """A martyrs' cemetery (nghĩa trang liệt sĩ)."""

    __tablename__ = "cemeteries"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True, doc="the name folded, for lookups")
    level: Mapped[str | None] = mapped_column(String(16), doc="national, province, district or commune")
    commune: Mapped[str | None] = mapped_column(String(200))
    district: Mapped[str | None] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(200))
    province_key: Mapped[str | None] = mapped_column(String(200), index=True)
    lat: Mapped[float | None] = mapped_column(Float, index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    contact: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


#: The graves leads rank: an index of their points (``placed_*``) holds them alone.
_UNNAMED = "status IN ('unidentified', 'partial')"
#: The unnamed graves that say nothing of where their remains came from: leads find them
#: through their cemetery, from an index of them alone.
_UNPLACED = f"{_UNNAMED} AND placed_lat IS NULL"


class Grave(Base):
    """A grave: where it lies, what its stone says, where its remains came from.

    The parts of its position are empty strings, never NULL, where the register gives
    none: a unique constraint treats NULLs as all different."""

    __tablename__ = "graves"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cemetery_id: Mapped[str] = mapped_column(ForeignKey("cemeteries.id"))
    zone: Mapped[str] = mapped_column(String(32))
    lot: Mapped[str] = mapped_column(String(32))
    row: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), doc="named, unidentified, partial or named_no_remains")
    name: Mapped[str | None] = mapped_column(String(200))
    name_key: Mapped[str | None] = mapped_column(String(200))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    hometown: Mapped[str | None] = mapped_column(String(500))
    hometown_key: Mapped[str | None] = mapped_column(String(500))
    unit_text: Mapped[str | None] = mapped_column(String(500))
    death_date: Mapped[str | None] = mapped_column(String(10))
    remains_place: Mapped[str | None] = mapped_column(String(500))
    remains_lat: Mapped[float | None] = mapped_column(Float)
    remains_lon: Mapped[float | None] = mapped_column(Float)
    remains_date: Mapped[str | None] = mapped_column(String(10))
    remains_burial: Mapped[str | None] = mapped_column(
        String(64), doc="the initial-burial record the remains came from (it may be imported later)")
    placed_lat: Mapped[float | None] = mapped_column(
        Float, doc="an unnamed grave's remains on the map: their point, else the gazetteer's for their place")
    placed_lon: Mapped[float | None] = mapped_column(Float)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(Document)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    __table_args__ = (
        UniqueConstraint("cemetery_id", "zone", "lot", "row", "number", name="uq_graves_position"),
        Index("ix_graves_cemetery_id_status", "cemetery_id", "status"),
        Index("ix_graves_unnamed_placed", "placed_lat", "placed_lon", postgresql_include=["id"],
              postgresql_where=text(_UNNAMED), sqlite_where=text(_UNNAMED)),
        Index("ix_graves_unplaced_cemetery", "cemetery_id", postgresql_include=["id"],
              postgresql_where=text(_UNPLACED), sqlite_where=text(_UNPLACED)),
    )


class GraveStatusChange(Base):
    """One change of a grave's status (its first status included), who made it and why."""

    __tablename__ = "grave_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    grave_id: Mapped[str] = mapped_column(ForeignKey("graves.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)


class Burial(Base):
    """Where a soldier was first buried (an táng ban đầu), and when the remains were recovered."""

    __tablename__ = "burials"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    given_key: Mapped[str | None] = mapped_column(String(60), doc="the given name folded")
    unit_text: Mapped[str | None] = mapped_column(String(500))
    death_date: Mapped[str | None] = mapped_column(String(10))
    burial_date: Mapped[str | None] = mapped_column(String(10))
    place: Mapped[str | None] = mapped_column(String(500))
    lat: Mapped[float | None] = mapped_column(Float, index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    buried_by: Mapped[str | None] = mapped_column(String(500))
    marker: Mapped[str | None] = mapped_column(String(200))
    witnesses: Mapped[list[str]] = mapped_column(Document)
    recovered_date: Mapped[str | None] = mapped_column(String(10))
    recovered_grave: Mapped[str | None] = mapped_column(
        String(64), index=True, doc="the grave the remains were moved to (it may be imported later)")
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(Document)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    # A person's namesakes among first burials, found by given name and death year.
    __table_args__ = (Index("ix_burials_given_key_death_date", "given_key", "death_date"),)


# --- source lists and linkage -----------------------------------------------------------------


class ListSource(Base):
    """A list of martyrs as an office received it: a unit's roster, a province's list, a
    cemetery's register. Importing it again replaces its entries."""

    __tablename__ = "list_sources"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    entries: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ListEntry(Base):
    """One row of a list: the row as read (``raw``) and its fields normalised."""

    __tablename__ = "list_entries"

    source: Mapped[str] = mapped_column(ForeignKey("list_sources.name", ondelete="CASCADE"), primary_key=True)
    row: Mapped[int] = mapped_column(Integer, primary_key=True)
    raw: Mapped[dict[str, Any]] = mapped_column(Document, doc="the row's cells as read, text repaired")
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    hometown: Mapped[str | None] = mapped_column(String(500))
    commune: Mapped[str | None] = mapped_column(String(200))
    district: Mapped[str | None] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(200), doc="as written (it may be an old name)")
    unit_text: Mapped[str | None] = mapped_column(String(500))
    unit_chain: Mapped[str | None] = mapped_column(
        String(200), doc="the designation decoded, one form however written (c3 d2 e7 f950)")
    death_date: Mapped[str | None] = mapped_column(String(10), doc="a partial ISO date")
    death_place: Mapped[str | None] = mapped_column(String(500))


class LinkCluster(Base):
    """Records found to be one person: list entries, person records, graves."""

    __tablename__ = "link_clusters"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    size: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class LinkMember(Base):
    """A record in a cluster; every record linked is in exactly one."""

    __tablename__ = "link_members"

    record: Mapped[str] = mapped_column(
        String(200), primary_key=True, doc="entry:SOURCE:ROW, person:ID or grave:ID")
    cluster_id: Mapped[str] = mapped_column(ForeignKey("link_clusters.id", ondelete="CASCADE"), index=True)


class LinkPair(Base):
    """Two records the model found may be one person: waiting for an officer (``review``)
    or decided (``same``, ``different``). A decision is never changed by a later run."""

    __tablename__ = "link_pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    left: Mapped[str] = mapped_column(String(200))
    right: Mapped[str] = mapped_column(String(200), index=True)
    probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    fields: Mapped[list[dict[str, Any]]] = mapped_column(
        Document, doc="per field: what each side says, how they compare, and its match weight")
    status: Mapped[str] = mapped_column(String(12), index=True, doc="review, same or different")
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    __table_args__ = (UniqueConstraint("left", "right", name="uq_link_pairs_records"),)


class Relative(Base):
    """A relative of a martyr registered for DNA sampling. ``contact`` is for officers
    only; an erased relative keeps its row (the audit names it) with every personal
    field emptied and ``erased_at`` set."""

    __tablename__ = "relatives"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relation: Mapped[str | None] = mapped_column(String(200))
    line: Mapped[str] = mapped_column(String(10), doc="maternal, paternal or other")
    living: Mapped[bool | None] = mapped_column(Boolean)
    contact: Mapped[str | None] = mapped_column(String(500))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[str | None] = mapped_column(String(10), doc="the day consent was given")
    consent_how: Mapped[str | None] = mapped_column(String(200), doc="signed form, recorded call…")
    created_by: Mapped[str] = mapped_column(String(100))
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Sample(Base):
    """A DNA sample: a reference from a relative, or remains from a grave or a recovery.
    What it is, once created, is covered by the first link of its custody chain."""

    __tablename__ = "samples"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    barcode: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(10), doc="reference or remains")
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"), index=True)
    relative_id: Mapped[str | None] = mapped_column(ForeignKey("relatives.id"), index=True)
    grave_id: Mapped[str | None] = mapped_column(ForeignKey("graves.id"), index=True)
    burial_id: Mapped[str | None] = mapped_column(
        String(64), doc="the initial burial the remains were recovered from, when not from a grave")
    collected_at: Mapped[str | None] = mapped_column(String(10))
    collected_by: Mapped[str | None] = mapped_column(String(200))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    genesis_hash: Mapped[str] = mapped_column(String(64), doc="the hash of what the sample is")


class CustodyEvent(Base):
    """One link of a sample's chain of custody, carrying the hash of the link before it
    (the first carries the sample's own hash)."""

    __tablename__ = "custody_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sample_id: Mapped[str] = mapped_column(ForeignKey("samples.id"))
    seq: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    by: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("sample_id", "seq", name="uq_custody_events_sample_seq"),)


class DnaMatch(Base):
    """A laboratory's comparison of a reference sample with a remains sample."""

    __tablename__ = "dna_matches"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    reference_sample: Mapped[str] = mapped_column(ForeignKey("samples.id"), index=True)
    remains_sample: Mapped[str] = mapped_column(ForeignKey("samples.id"), index=True)
    lr: Mapped[float | None] = mapped_column(Float, doc="the likelihood ratio")
    conclusion: Mapped[str] = mapped_column(String(12), doc="match, exclusion or inconclusive")
    note: Mapped[str | None] = mapped_column(Text)
    report_scan: Mapped[str | None] = mapped_column(
        String(64), doc="the archived scan of the laboratory's report")
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Identification(Base):
    """A grave named after a person, on a DNA match or on documents; undoing it keeps the
    row and puts the grave back as it was."""

    __tablename__ = "identifications"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    grave_id: Mapped[str] = mapped_column(ForeignKey("graves.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    matches: Mapped[list[str]] = mapped_column(Document)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(Document)
    note: Mapped[str | None] = mapped_column(Text)
    grave_before: Mapped[dict[str, Any]] = mapped_column(
        Document, doc="the grave's status, name and person before, for an undo")
    by: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    undone_by: Mapped[str | None] = mapped_column(String(100))
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    undo_reason: Mapped[str | None] = mapped_column(Text)


class SearchArea(Base):
    """A search area officers drew or adopted from leads, and how far its search has gone;
    every change is in the audit log."""

    __tablename__ = "search_areas"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"), index=True)
    place: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(10), doc="commune, district or province")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    radius_km: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), index=True, doc="open, searched or concluded")
    note: Mapped[str | None] = mapped_column(Text)
    status_date: Mapped[str | None] = mapped_column(String(10))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
