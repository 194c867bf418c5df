"""SIGKILL a writer at random moments: every acknowledged save survives, the vault stays healthy."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import PASSPHRASE

WRITER = r"""
import sys
from datetime import date, timedelta
from pathlib import Path
from therapynote.vault.vault import Vault

vault = Vault.unlock(Path(sys.argv[1]), bytearray(sys.argv[2].encode()))
repo = vault.repo
code = sys.argv[3]
repo.add_client("Crash Testwell", code=code)
print("ready", flush=True)
i = 0
while True:
    i += 1
    s = repo.add_session(code, date(2020, 1, 1) + timedelta(days=i),
                         sections={"subjective": f"entry {i} " + "words " * 50})
    if i % 3 == 0:
        repo.sign_session(s.id)
    if i % 5 == 0:
        repo.add_journal(code, kind="reflection", text_=f"journal {i}")
    print(f"ack {i} {s.id}", flush=True)
"""

KILLS = int(os.environ.get("THERAPYNOTE_CRASH_KILLS", "20"))


@pytest.mark.slow
def test_sigkill_during_commits_loses_nothing_acknowledged(vault, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from therapynote.store.maintenance import check_database

    rng = random.Random(20261126)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    total_acked = 0
    for run in range(KILLS):
        code = f"C-{run:04d}"
        proc = subprocess.Popen(
            [sys.executable, str(script), str(vault.directory), PASSPHRASE, code],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.4))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acked = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ack":
                acked[int(parts[1])] = int(parts[2])
        total_acked += len(acked)
        with vault.open() as v:
            report = check_database(v.db_path, v.holder)
            assert report.ok, report.problems
            assert v.repo.verify_audit_chain() == []
            for i, session_id in acked.items():
                s = v.repo.get_session(session_id)
                assert s.sections["subjective"].startswith(f"entry {i} ")
                if i % 3 == 0:
                    assert s.is_signed
    assert total_acked > KILLS  # the writer really was writing when it was killed
