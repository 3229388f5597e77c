"""Relatives registered for DNA sampling, samples with their hash-linked custody chain,
the laboratory's comparisons, and the identifications that name graves.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# A chain of custody refuses updates and deletes, as the audit log does; its hashes catch
# whoever goes round that.
_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER custody_events_no_{verb} BEFORE {verb.upper()} ON custody_events
        BEGIN SELECT RAISE(ABORT, 'a chain of custody is append-only'); END"""
    for verb in ("update", "delete")
]
_POSTGRES_TRIGGERS = [
    """CREATE FUNCTION custody_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'a chain of custody is append-only'; END $$""",
    """CREATE TRIGGER custody_events_append_only BEFORE UPDATE OR DELETE ON custody_events
       FOR EACH STATEMENT EXECUTE FUNCTION custody_events_append_only()""",
]
_INSTANT = sa.DateTime(timezone=True)
_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "relatives",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("relation", sa.String(length=200), nullable=True),
        sa.Column("line", sa.String(length=10), nullable=False),
        sa.Column("living", sa.Boolean(), nullable=True),
        sa.Column("contact", sa.String(length=500), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("consent_at", sa.String(length=10), nullable=True),
        sa.Column("consent_how", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("erased_at", _INSTANT, nullable=True),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.Column("updated_at", _INSTANT, nullable=False),
        _fk("relatives", "person_id", "persons"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relatives")),
    )
    op.create_index(op.f("ix_relatives_person_id"), "relatives", ["person_id"])
    op.create_table(
        "samples",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("barcode", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=True),
        sa.Column("relative_id", sa.String(length=40), nullable=True),
        sa.Column("grave_id", sa.String(length=64), nullable=True),
        sa.Column("burial_id", sa.String(length=64), nullable=True),
        sa.Column("collected_at", sa.String(length=10), nullable=True),
        sa.Column("collected_by", sa.String(length=200), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", _INSTANT, nullable=False),
        sa.Column("genesis_hash", sa.String(length=64), nullable=False),
        _fk("samples", "grave_id", "graves"),
        _fk("samples", "person_id", "persons"),
        _fk("samples", "relative_id", "relatives"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_samples")),
        sa.UniqueConstraint("barcode", name=op.f("uq_samples_barcode")),
    )
    for column in ("grave_id", "person_id", "relative_id"):
        op.create_index(op.f(f"ix_samples_{column}"), "samples", [column])
    op.create_table(
        "custody_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sample_id", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=12), nullable=False),
        sa.Column("at", _INSTANT, nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", _INSTANT, nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        _fk("custody_events", "sample_id", "samples"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_events")),
        sa.UniqueConstraint("sample_id", "seq", name="uq_custody_events_sample_seq"),
    )
    dialect = op.get_bind().dialect.name
    for statement in _POSTGRES_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)
    _matches_and_identifications()


def _matches_and_identifications() -> None:
    op.create_table(
        "dna_matches",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("reference_sample", sa.String(length=40), nullable=False),
        sa.Column("remains_sample", sa.String(length=40), nullable=False),
        sa.Column("lr", sa.Float(), nullable=True),
        sa.Column("conclusion", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("report_scan", sa.String(length=64), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", _INSTANT, nullable=False),
        sa.ForeignKeyConstraint(["reference_sample"], ["samples.id"],
                                name=op.f("fk_dna_matches_reference_sample_samples")),
        sa.ForeignKeyConstraint(["remains_sample"], ["samples.id"],
                                name=op.f("fk_dna_matches_remains_sample_samples")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dna_matches")),
    )
    op.create_index(op.f("ix_dna_matches_reference_sample"), "dna_matches", ["reference_sample"])
    op.create_index(op.f("ix_dna_matches_remains_sample"), "dna_matches", ["remains_sample"])
    op.create_table(
        "identifications",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("grave_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("matches", _DOCUMENT, nullable=False),
        sa.Column("documents", _DOCUMENT, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("grave_before", _DOCUMENT, nullable=False),
        sa.Column("by", sa.String(length=100), nullable=False),
        sa.Column("at", _INSTANT, nullable=False),
        sa.Column("undone_by", sa.String(length=100), nullable=True),
        sa.Column("undone_at", _INSTANT, nullable=True),
        sa.Column("undo_reason", sa.Text(), nullable=True),
        _fk("identifications", "grave_id", "graves"),
        _fk("identifications", "person_id", "persons"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identifications")),
    )
    op.create_index(op.f("ix_identifications_grave_id"), "identifications", ["grave_id"])
    op.create_index(op.f("ix_identifications_person_id"), "identifications", ["person_id"])


def downgrade() -> None:
    for table in ("identifications", "dna_matches", "custody_events", "samples", "relatives"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS custody_events_append_only()")
