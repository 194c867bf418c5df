"""Schema migrations (Alembic), run in-process after unlock."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from therapynote.errors import SchemaTooNew

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def pending(engine: Engine) -> tuple[str | None, str]:
    """(current, head) revisions; raises SchemaTooNew for a vault from a newer release."""
    with engine.connect() as conn:
        current = current_revision(conn)
    head = head_revision()
    if current is not None and current not in known_revisions():
        raise SchemaTooNew(
            "this vault was written by a newer therapynote; upgrade therapynote to open it"
        )
    return current, head


def upgrade(engine: Engine) -> None:
    """Bring the schema to head in one transaction."""
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
