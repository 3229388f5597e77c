"""The unit registry: units, aliases, parents, codes, events and the revision counter.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _bounded() -> list[SchemaItem]:
    return [sa.Column("date_from", sa.String(10), nullable=True),
            sa.Column("date_to", sa.String(10), nullable=True)]


def _child(name: str, *columns: SchemaItem) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("unit_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], ondelete="CASCADE",
                                name=f"fk_{name}_unit_id_units"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_unit_id", name, ["unit_id"])


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("number", sa.String(16), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("branch", sa.String(32), nullable=True),
        sa.Column("founded", sa.String(10), nullable=True),
        sa.Column("dissolved", sa.String(10), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_units"),
    )
    op.create_index("ix_units_level_number", "units", ["level", "number"])
    _child("unit_aliases", sa.Column("alias", sa.String(300), nullable=False))
    _child(
        "unit_parents",
        sa.Column("parent_id", sa.String(64), nullable=False),
        *_bounded(),
        sa.ForeignKeyConstraint(["parent_id"], ["units.id"], name="fk_unit_parents_parent_id_units"),
    )
    op.create_index("ix_unit_parents_parent_id", "unit_parents", ["parent_id"])
    _child(
        "unit_codes",
        sa.Column("code", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        *_bounded(),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_unit_codes_code", "unit_codes", ["code"])
    _child(
        "unit_events",
        *_bounded(),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("place", sa.String(300), nullable=True),
        sa.Column("province", sa.String(300), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
    )
    op.create_table(
        "registry_meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_meta"),
    )


def downgrade() -> None:
    for table in ("registry_meta", "unit_events", "unit_codes", "unit_parents", "unit_aliases",
                  "units"):
        op.drop_table(table)
