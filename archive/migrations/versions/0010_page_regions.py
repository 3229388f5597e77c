"""Pages keep the regions that are not print (stamps, signatures, handwriting) with their
boxes; pages read before have none.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("pages") as table:
        table.add_column(sa.Column("regions", _DOCUMENT, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("pages") as table:
        table.drop_column("regions")
