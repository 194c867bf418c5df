"""Drafts: autosaved, unsaved editor content, kept inside the encrypted vault.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE drafts (
            key TEXT PRIMARY KEY,
            client_code TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )


def downgrade() -> None:
    op.execute("DROP TABLE drafts")
