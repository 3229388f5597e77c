"""Alembic environment: the connection comes from the caller, the metadata from archive."""

from __future__ import annotations

from alembic import context

from archive.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through archive.migrate.upgrade_database().")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
