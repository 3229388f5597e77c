"""SQLAlchemy models of the system of record (the registry, for now).

Partial dates are stored as the text the registry uses (``1968``, ``1968-03``,
``1968-03-14``); the decoder turns them into spans.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text
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
