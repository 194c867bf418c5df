"""Schema upgrades run at unlock, keep an encrypted safety copy, and refuse newer vaults."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from therapynote.errors import Refused, SchemaTooNew
from therapynote.store import migrate


def _set_revision(vault, revision: str, *, drop_index: bool = False) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v, v.engine.begin() as conn:
        if drop_index:
            conn.execute(text("DROP INDEX sessions_client_summary"))
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def test_older_vault_is_upgraded_with_a_safety_copy(vault) -> None:  # type: ignore[no-untyped-def]
    import sqlcipher3

    with vault.open() as v:
        v.repo.add_client("Yannick Testwell", code="C-0001")
    _set_revision(vault, "0002", drop_index=True)
    with pytest.raises(Refused, match="schema upgrade"):
        vault.open(writable=False)
    with vault.open() as v, v.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_schema"))}
        assert "sessions_client_summary" in names
        key = v.holder.key_pragma()
    copy = vault.directory / "notebook.db.pre-migration-0002"
    assert copy.exists() and copy.stat().st_mode & 0o777 == 0o600
    con = sqlcipher3.connect(str(copy))
    con.execute(key)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
    assert con.execute("SELECT code FROM clients").fetchall() == [("C-0001",)]
    con.close()


def test_newer_vault_is_refused(vault) -> None:  # type: ignore[no-untyped-def]
    _set_revision(vault, "9999")
    with pytest.raises(SchemaTooNew):
        vault.open()
