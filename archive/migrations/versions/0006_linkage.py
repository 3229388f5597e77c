"""Source lists and their entries; linkage clusters, members and pairs under review.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_INSTANT = sa.DateTime(timezone=True)
_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "list_sources",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("imported_at", _INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_list_sources")),
    )
    op.create_table(
        "list_entries",
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("raw", _DOCUMENT, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("hometown", sa.String(length=500), nullable=True),
        sa.Column("commune", sa.String(length=200), nullable=True),
        sa.Column("district", sa.String(length=200), nullable=True),
        sa.Column("province", sa.String(length=200), nullable=True),
        sa.Column("unit_text", sa.String(length=500), nullable=True),
        sa.Column("unit_chain", sa.String(length=200), nullable=True),
        sa.Column("death_date", sa.String(length=10), nullable=True),
        sa.Column("death_place", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["source"], ["list_sources.name"],
                                name=op.f("fk_list_entries_source_list_sources"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source", "row", name=op.f("pk_list_entries")),
    )
    op.create_index(op.f("ix_list_entries_name_key"), "list_entries", ["name_key"])
    _links()


def _links() -> None:
    op.create_table(
        "link_clusters",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("updated_at", _INSTANT, nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_link_clusters_person_id_persons"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_clusters")),
    )
    op.create_index(op.f("ix_link_clusters_person_id"), "link_clusters", ["person_id"])
    op.create_table(
        "link_members",
        sa.Column("record", sa.String(length=200), nullable=False),
        sa.Column("cluster_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["link_clusters.id"],
                                name=op.f("fk_link_members_cluster_id_link_clusters"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record", name=op.f("pk_link_members")),
    )
    op.create_index(op.f("ix_link_members_cluster_id"), "link_members", ["cluster_id"])
    op.create_table(
        "link_pairs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("left", sa.String(length=200), nullable=False),
        sa.Column("right", sa.String(length=200), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("fields", _DOCUMENT, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", _INSTANT, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", _INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_pairs")),
        sa.UniqueConstraint("left", "right", name="uq_link_pairs_records"),
    )
    op.create_index(op.f("ix_link_pairs_right"), "link_pairs", ["right"])
    op.create_index(op.f("ix_link_pairs_status"), "link_pairs", ["status"])


def downgrade() -> None:
    for table in ("link_pairs", "link_members", "link_clusters", "list_entries", "list_sources"):
        op.drop_table(table)
