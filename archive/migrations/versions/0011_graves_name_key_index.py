"""Graves lose the index on their folded name: the one query that reads it looks for a part
of the name within one cemetery (``LIKE '%…%'``, which no B-tree serves; the cemetery's
index does), while every grave imported paid for a random insertion into it (about a
tenth of PostgreSQL's work per grave).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_graves_name_key"), table_name="graves")


def downgrade() -> None:
    op.create_index(op.f("ix_graves_name_key"), "graves", ["name_key"])
