"""Search areas officers draw or adopt from leads, with how far their search has gone; the
indexes leads read graves, first burials and cemeteries by (their latitude, and a burial's
given name folded).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from decoder.plots import given_key

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)
_UNNAMED = sa.text("status IN ('unidentified', 'partial')")


def upgrade() -> None:
    op.create_table(
        "search_areas",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("radius_km", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status_date", sa.String(length=10), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", _INSTANT, nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_search_areas_person_id_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_areas")),
    )
    op.create_index(op.f("ix_search_areas_person_id"), "search_areas", ["person_id"])
    op.create_index(op.f("ix_search_areas_status"), "search_areas", ["status"])
    # Unnamed graves by their remains' point: a person's candidates are found, and sorted by
    # distance, in the index alone (its id carried along on PostgreSQL).
    op.create_index("ix_graves_unnamed_point", "graves", ["remains_lat", "remains_lon"],
                    postgresql_include=["id"], postgresql_where=_UNNAMED, sqlite_where=_UNNAMED)
    op.create_index("ix_cemeteries_lat", "cemeteries", ["lat"])
    op.create_index("ix_burials_lat", "burials", ["lat"])
    with op.batch_alter_table("burials") as table:
        table.add_column(sa.Column("given_key", sa.String(length=60), nullable=True))
    _given_keys()
    op.create_index("ix_burials_given_key_death_date", "burials", ["given_key", "death_date"])


def _given_keys() -> None:
    """The given names of the burials stored already, folded (what leads look them up by)."""
    burials = sa.table("burials", sa.column("id", sa.String()), sa.column("name", sa.String()),
                       sa.column("given_key", sa.String()))
    connection = op.get_bind()
    named = sa.select(burials.c.id, burials.c.name).where(burials.c.name.is_not(None))
    for burial_id, name in connection.execute(named).all():
        connection.execute(burials.update().where(burials.c.id == burial_id)
                           .values(given_key=given_key(name)))


def downgrade() -> None:
    for index, table_name in (("ix_graves_unnamed_point", "graves"), ("ix_cemeteries_lat", "cemeteries"),
                              ("ix_burials_lat", "burials"), ("ix_burials_given_key_death_date", "burials")):
        op.drop_index(index, table_name=table_name)
    with op.batch_alter_table("burials") as batch:
        batch.drop_column("given_key")
    op.drop_table("search_areas")
