"""List entries lose the index on their folded name: no query reads entries by it (the
linkage reads every entry, a page reads one by its list and row), while every entry
imported paid for a random insertion into it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index(op.f("ix_list_entries_name_key"), table_name="list_entries")


def downgrade() -> None:
    op.create_index(op.f("ix_list_entries_name_key"), "list_entries", ["name_key"])
