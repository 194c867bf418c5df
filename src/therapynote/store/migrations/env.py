"""Alembic environment: migrations run in-process on the vault's own keyed connection."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - therapynote always passes its connection
    raise RuntimeError("therapynote migrations run only from within therapynote")

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
