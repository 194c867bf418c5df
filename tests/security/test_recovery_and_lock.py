"""The documented recovery recipe, and the single-writer lock."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PASSPHRASE


def test_recovery_recipe_with_only_sqlcipher3_and_cryptography(vault) -> None:  # type: ignore[no-untyped-def]
    """Follows docs/recovery.md literally."""
    with vault.open() as v:
        v.repo.add_client("Tamsin Testwell", code="C-0001")

    # --- the recipe ---
    import sqlcipher3
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    db = vault.directory / "notebook.db"
    salt = db.read_bytes()[:16]
    key = Argon2id(salt=salt, length=32, iterations=3, lanes=4, memory_cost=65536).derive(
        PASSPHRASE.encode("utf-8")
    )
    con = sqlcipher3.connect(str(db))
    con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    rows = con.execute("SELECT code, full_name FROM clients").fetchall()
    con.close()
    # --- end of the recipe ---
    assert rows == [("C-0001", "Tamsin Testwell")]


def test_recovery_file_opens_with_recovery_identity(vault) -> None:  # type: ignore[no-untyped-def]
    import pyrage
    import sqlcipher3

    identity_line = next(
        line
        for line in vault.recovery_key_file.read_text().splitlines()
        if line.startswith("AGE-SECRET-KEY-1")
    )
    identity = pyrage.x25519.Identity.from_str(identity_line)
    key_hex = pyrage.decrypt((vault.directory / "recovery.age").read_bytes(), [identity])
    con = sqlcipher3.connect(str(vault.directory / "notebook.db"))
    con.execute(f"PRAGMA key = \"x'{key_hex.decode().strip()}'\"")
    assert con.execute("SELECT count(*) FROM clients").fetchone() == (0,)
    con.close()


HOLDER = r"""
import sys, time
from pathlib import Path
from therapynote.vault.vault import Vault
v = Vault.unlock(Path(sys.argv[1]), bytearray(sys.argv[2].encode()))
print("holding", flush=True)
time.sleep(60)
"""


def test_second_writer_gets_vault_in_use(cli, vault, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    proc = subprocess.Popen(
        [sys.executable, str(script), str(vault.directory), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        r = cli("client", "add", "--name", "Ulla Testwell")
        assert r.exit_code == 7, r.output
        assert "open in another therapynote" in r.stderr
        assert str(proc.pid) in r.stderr
        # Reading is still possible while the app holds the vault.
        assert cli("client", "list").exit_code == 0
    finally:
        proc.kill()
        proc.wait()
    time.sleep(0.05)
    assert cli("client", "add", "--name", "Ulla Testwell").exit_code == 0


def test_locked_vault_refuses_every_query(vault) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from therapynote.errors import VaultLocked

    v = vault.open()
    repo = v.repo
    v.close()
    with pytest.raises(VaultLocked):
        repo.list_clients()
    with pytest.raises(VaultLocked):
        _ = v.engine
