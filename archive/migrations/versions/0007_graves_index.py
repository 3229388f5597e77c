"""Graves lose the index on their cemetery alone: the position's unique index and the
index by cemetery and status both begin with it, and every grave imported paid for a
third copy.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_graves_cemetery_id"), table_name="graves")


def downgrade() -> None:
    op.create_index(op.f("ix_graves_cemetery_id"), "graves", ["cemetery_id"])
