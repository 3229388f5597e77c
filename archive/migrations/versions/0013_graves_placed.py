"""Unnamed graves get the point their remains came from (``placed_lat``, ``placed_lon``):
the one given, else the gazetteer's for the place written; leads find candidate graves
by it in one index (which replaces the index of the given points alone), so a grave known
only by a written place is found by position, not only through its cemetery; the graves
with no point at all are found through their cemetery from an index of them alone.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from archive.grave_places import place_graves

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_UNNAMED = sa.text("status IN ('unidentified', 'partial')")
_UNPLACED = sa.text("status IN ('unidentified', 'partial') AND placed_lat IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("graves") as table:
        table.add_column(sa.Column("placed_lat", sa.Float(), nullable=True))
        table.add_column(sa.Column("placed_lon", sa.Float(), nullable=True))
    place_graves(Session(bind=op.get_bind()))
    op.drop_index("ix_graves_unnamed_point", table_name="graves")
    op.create_index("ix_graves_unnamed_placed", "graves", ["placed_lat", "placed_lon"],
                    postgresql_include=["id"], postgresql_where=_UNNAMED, sqlite_where=_UNNAMED)
    op.create_index("ix_graves_unplaced_cemetery", "graves", ["cemetery_id"],
                    postgresql_include=["id"], postgresql_where=_UNPLACED, sqlite_where=_UNPLACED)


def downgrade() -> None:
    op.drop_index("ix_graves_unplaced_cemetery", table_name="graves")
    op.drop_index("ix_graves_unnamed_placed", table_name="graves")
    op.create_index("ix_graves_unnamed_point", "graves", ["remains_lat", "remains_lon"],
                    postgresql_include=["id"], postgresql_where=_UNNAMED, sqlite_where=_UNNAMED)
    with op.batch_alter_table("graves") as table:
        table.drop_column("placed_lon")
        table.drop_column("placed_lat")
