"""A backup taken under a busy writer is consistent; a stale WAL never leaks into a restore."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .helpers import NEW_PASSPHRASE, PASSPHRASE, Env, create_backup, dump_vault, vault_key_pragma

WRITER = """
import sys, time
from pathlib import Path
from therapynote.domain.models import JOURNAL_KINDS
from therapynote.vault.vault import Vault

v = Vault.unlock(Path(sys.argv[1]), bytearray(sys.argv[2].encode()), writable=True)
code = v.repo.list_clients()[0].code
i = 0
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    v.repo.add_journal(code, kind=JOURNAL_KINDS[0], text_=f"loop entry {i:06d} " + "w" * 800)
    i += 1
    if i % 10 == 0:
        print(i, flush=True)
"""


def test_backup_while_another_process_writes_restores_consistently(env: Env) -> None:
    src = str(Path(__file__).resolve().parents[2] / "src")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(env.vault), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": src},
    )
    try:
        assert proc.stdout is not None
        assert int(proc.stdout.readline()) >= 10  # the writer is running and holds the lock
        backups = [create_backup(env) for _ in range(2)]
        written = int(proc.stdout.readline())
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert written > 10
    for n, backup in enumerate(backups):
        target = env.root / f"restored-{n}"
        result = env.run(
            "backup",
            "restore",
            str(backup),
            "--to",
            str(target),
            "--new-passphrase-file",
            str(env.new_pw_file),
            "--recovery-key",
            str(env.recovery_key),
            "--json",
        )
        assert result.exit_code == 0, result.output
        header_counts = json.loads(result.stdout)["counts"]
        check = env.run("check", "--passphrase-file", str(env.new_pw_file), vault=target)
        assert check.exit_code == 0, check.output
        rows = dump_vault(target, NEW_PASSPHRASE)
        assert {t: len(rows[t]) for t in header_counts} == header_counts
        loop = sorted(r[0] for r in _journal_texts(target) if r[0].startswith("loop entry "))
        # Committed transactions only, in order: entries 0..k-1 with no gap.
        assert [int(t.split()[2]) for t in loop] == list(range(len(loop)))


def _journal_texts(vault: Path) -> list[tuple[str]]:
    from therapynote.store.engine import connect

    con = connect(vault / "notebook.db", vault_key_pragma(vault, NEW_PASSPHRASE), tune=False)
    try:
        return [(str(r[0]),) for r in con.execute("SELECT text FROM journal_entries")]
    finally:
        con.close()


def _crash_copy_with_stale_wal(env: Env) -> Path:
    """Write rows that stay in the WAL and copy the vault folder while it is open."""
    from therapynote.store.engine import connect

    con = connect(env.vault / "notebook.db", vault_key_pragma(env.vault, PASSPHRASE))
    try:
        con.execute("PRAGMA wal_autocheckpoint = 0")
        con.execute("BEGIN")
        for i in range(3000):
            con.execute("INSERT INTO settings(key, value) VALUES (?, ?)", (f"stale-{i}", "x" * 50))
        con.execute("COMMIT")
        wal = Path(str(env.vault / "notebook.db") + "-wal")
        assert wal.stat().st_size > 100_000
        crashed = env.root / "crashed"
        shutil.copytree(env.vault, crashed)
    finally:
        con.close()
    return crashed


def test_restore_over_a_stale_wal_yields_exactly_the_backup(env: Env) -> None:
    expected = dump_vault(env.vault, PASSPHRASE)
    backup = create_backup(env)
    crashed = _crash_copy_with_stale_wal(env)
    assert Path(str(crashed / "notebook.db") + "-wal").exists()
    result = env.run(
        "backup",
        "restore",
        str(backup),
        "--replace",
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--recovery-key",
        str(env.recovery_key),
        vault=crashed,
    )
    assert result.exit_code == 0, result.output
    assert dump_vault(crashed, NEW_PASSPHRASE) == expected
    aside = sorted(p.name for p in crashed.iterdir() if ".pre-restore-" in p.name)
    assert any(n.endswith("-wal") for n in aside)  # the stale WAL was kept, not replayed
    check = env.run("check", "--passphrase-file", str(env.new_pw_file), vault=crashed)
    assert check.exit_code == 0, check.output


def test_restore_into_a_folder_holding_only_a_stale_wal(env: Env) -> None:
    expected = dump_vault(env.vault, PASSPHRASE)
    backup = create_backup(env)
    crashed = _crash_copy_with_stale_wal(env)
    target = env.root / "fresh"
    target.mkdir(mode=0o700)
    for suffix in ("-wal", "-shm"):
        shutil.copy2(Path(str(crashed / "notebook.db") + suffix), target / f"notebook.db{suffix}")
    result = env.run(
        "backup",
        "restore",
        str(backup),
        "--to",
        str(target),
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--recovery-key",
        str(env.recovery_key),
    )
    assert result.exit_code == 0, result.output
    assert dump_vault(target, NEW_PASSPHRASE) == expected
