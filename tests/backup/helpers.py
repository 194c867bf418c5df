"""Helpers shared by the backup tests."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

PASSPHRASE = "correct horse battery staple"
NEW_PASSPHRASE = "a brand new passphrase"


@dataclass
class Env:
    root: Path
    vault: Path
    pw_file: Path
    new_pw_file: Path
    recovery_key: Path
    backups: Path

    def run(self, *args: str, vault: Path | None = None) -> Any:
        from therapynote.cli import app

        runner = CliRunner()
        return runner.invoke(app, ["--vault", str(vault or self.vault), *args])


def create_backup(env: Env, *extra: str) -> Path:
    import json

    result = env.run("backup", "create", "--passphrase-file", str(env.pw_file), "--json", *extra)
    assert result.exit_code == 0, result.output
    return Path(json.loads(result.stdout)["path"])


def dump_tables(db: Path, key_pragma: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (FTS shadow tables included), sorted."""
    from therapynote.store.engine import connect

    con = connect(db, key_pragma, tune=False)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
            )
        ]
        out = {}
        for name in names:
            rows = con.execute(f'SELECT * FROM "{name}"').fetchall()
            out[name] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def vault_key_pragma(vault: Path, passphrase: str) -> str:
    from therapynote.vault.keys import KeyHolder, derive_key

    salt = (vault / "notebook.db").read_bytes()[:16]
    return KeyHolder(derive_key(bytearray(passphrase.encode()), salt)).key_pragma()


def dump_vault(vault: Path, passphrase: str) -> dict[str, list[tuple[Any, ...]]]:
    return dump_tables(vault / "notebook.db", vault_key_pragma(vault, passphrase))


def snapshot_files(directory: Path) -> dict[str, bytes]:
    """Every file below `directory` with its bytes."""
    if not directory.exists():
        return {}
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def all_files(directory: Path) -> set[str]:
    return {str(p) for p in directory.rglob("*") if p.is_file()}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)
