"""A covering index for the client list (session counts and last attended session).

Without it, listing 3,000 clients looks up every session row (165,000 in the benchmark vault)
to read its attendance and archive flag; with it the list reads only the index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX sessions_client_summary "
        "ON sessions(client_id, archived_at, attendance, session_date)"
    )


def downgrade() -> None:
    raise NotImplementedError("therapynote never downgrades a vault")
