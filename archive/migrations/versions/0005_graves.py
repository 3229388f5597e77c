"""Cemeteries, graves with their status history, and initial burials; persons get the
folded keys their names and hometowns are compared by.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from decoder.plots import name_key, place_key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)
_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _stamps() -> list[sa.Column[Any]]:
    return [sa.Column("created_at", _INSTANT, nullable=False),
            sa.Column("updated_at", _INSTANT, nullable=False)]


def upgrade() -> None:
    _persons()
    op.create_table(
        "cemeteries",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("commune", sa.String(length=200), nullable=True),
        sa.Column("district", sa.String(length=200), nullable=True),
        sa.Column("province", sa.String(length=200), nullable=True),
        sa.Column("province_key", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("contact", sa.String(length=500), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cemeteries")),
    )
    op.create_index(op.f("ix_cemeteries_name_key"), "cemeteries", ["name_key"])
    op.create_index(op.f("ix_cemeteries_province_key"), "cemeteries", ["province_key"])
    _graves()
    _burials()


def _persons() -> None:
    with op.batch_alter_table("persons") as table:
        table.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
        table.add_column(sa.Column("hometown_key", sa.String(length=500), nullable=True))
    persons = sa.table("persons", sa.column("id", sa.String()), sa.column("full_name", sa.String()),
                       sa.column("hometown", sa.String()), sa.column("name_key", sa.String()),
                       sa.column("hometown_key", sa.String()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(persons.c.id, persons.c.full_name, persons.c.hometown)).all()
    keys = [{"pid": row.id, "name_key": name_key(row.full_name),
             "hometown_key": place_key(row.hometown) if row.hometown else None} for row in rows]
    if keys:
        connection.execute(
            persons.update().where(persons.c.id == sa.bindparam("pid"))
            .values(name_key=sa.bindparam("name_key"), hometown_key=sa.bindparam("hometown_key")), keys)


def _graves() -> None:
    op.create_table(
        "graves",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("cemetery_id", sa.String(length=64), nullable=False),
        sa.Column("zone", sa.String(length=32), nullable=False),
        sa.Column("lot", sa.String(length=32), nullable=False),
        sa.Column("row", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("name_key", sa.String(length=200), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("hometown", sa.String(length=500), nullable=True),
        sa.Column("hometown_key", sa.String(length=500), nullable=True),
        sa.Column("unit_text", sa.String(length=500), nullable=True),
        sa.Column("death_date", sa.String(length=10), nullable=True),
        sa.Column("remains_place", sa.String(length=500), nullable=True),
        sa.Column("remains_lat", sa.Float(), nullable=True),
        sa.Column("remains_lon", sa.Float(), nullable=True),
        sa.Column("remains_date", sa.String(length=10), nullable=True),
        sa.Column("remains_burial", sa.String(length=64), nullable=True),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("sources", _DOCUMENT, nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["cemetery_id"], ["cemeteries.id"],
                                name=op.f("fk_graves_cemetery_id_cemeteries")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_graves_person_id_persons"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graves")),
        sa.UniqueConstraint("cemetery_id", "zone", "lot", "row", "number", name="uq_graves_position"),
    )
    op.create_index(op.f("ix_graves_cemetery_id"), "graves", ["cemetery_id"])
    op.create_index("ix_graves_cemetery_id_status", "graves", ["cemetery_id", "status"])
    op.create_index(op.f("ix_graves_name_key"), "graves", ["name_key"])
    op.create_index(op.f("ix_graves_person_id"), "graves", ["person_id"])
    op.create_table(
        "grave_status_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("grave_id", sa.String(length=64), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("at", _INSTANT, nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["grave_id"], ["graves.id"],
                                name=op.f("fk_grave_status_history_grave_id_graves"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grave_status_history")),
    )
    op.create_index(op.f("ix_grave_status_history_grave_id"), "grave_status_history", ["grave_id"])


def _burials() -> None:
    op.create_table(
        "burials",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("unit_text", sa.String(length=500), nullable=True),
        sa.Column("death_date", sa.String(length=10), nullable=True),
        sa.Column("burial_date", sa.String(length=10), nullable=True),
        sa.Column("place", sa.String(length=500), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("buried_by", sa.String(length=500), nullable=True),
        sa.Column("marker", sa.String(length=200), nullable=True),
        sa.Column("witnesses", _DOCUMENT, nullable=False),
        sa.Column("recovered_date", sa.String(length=10), nullable=True),
        sa.Column("recovered_grave", sa.String(length=64), nullable=True),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("sources", _DOCUMENT, nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_burials_person_id_persons"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_burials")),
    )
    op.create_index(op.f("ix_burials_person_id"), "burials", ["person_id"])
    op.create_index(op.f("ix_burials_recovered_grave"), "burials", ["recovered_grave"])


def downgrade() -> None:
    op.drop_table("burials")
    op.drop_table("grave_status_history")
    op.drop_table("graves")
    op.drop_table("cemeteries")
    with op.batch_alter_table("persons") as table:
        table.drop_column("hometown_key")
        table.drop_column("name_key")
