"""Backup and verify throughput on a ~150 MB vault, next to the reference `age` tool.

Usage (from the repository root):

    PYTHONPATH=src python benchmarks/bench_backup.py [--workdir DIR] [--clients N] [--repeat N]

The first run builds a demo vault of fictional clients (about 0.13 MB each, so the default
1150 clients give ~150 MB; this takes about a minute) and later runs reuse it. Each
repetition times, on the same vault file and in the same run:

- `backup create` (snapshot + one age stream, without the verify that the CLI adds),
- `backup verify` (streaming decrypt + page HMACs + integrity + FTS + audit chain + counts),
- `backup restore` (verify + re-key under a new passphrase + side files),
- `age -r` encrypting the vault file, and `age -d` decrypting that output to /dev/null.

Throughput is the vault database size divided by the time. Medians are printed with the
ratios against `age`. Not run by the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSPHRASE = "benchmark passphrase"
NEW_PASSPHRASE = "benchmark passphrase two"


def build_or_reuse(directory: Path, clients: int) -> None:
    from therapynote import demo
    from therapynote.vault.vault import Vault

    if Vault.exists(directory):
        print(f"reusing {directory}")
        return
    print(f"building a demo vault of {clients} fictional clients in {directory} ...", flush=True)
    t0 = time.perf_counter()
    created = Vault.create(directory, bytearray(PASSPHRASE.encode()))
    with created.vault as v:
        demo.generate(v.repo, size=clients, seed=11)
    print(f"built in {time.perf_counter() - t0:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tn-bench")
    parser.add_argument("--clients", type=int, default=1150)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from therapynote.backup.create import backup_identities, create_backup
    from therapynote.backup.restore import restore_backup
    from therapynote.backup.verify import verify_backup
    from therapynote.vault.vault import Vault

    work: Path = args.workdir
    work.mkdir(mode=0o700, parents=True, exist_ok=True)
    vault_dir = work / "vault"
    build_or_reuse(vault_dir, args.clients)
    db = vault_dir / "notebook.db"
    mb = db.stat().st_size / 1e6
    age = shutil.which("age")

    v = Vault.unlock(vault_dir, bytearray(PASSPHRASE.encode()), writable=False)
    try:
        identities = backup_identities(v)
        recipient = v.repo.get_setting("backup_recipient") or ""
        secret = v.repo.get_setting("secret.backup_identity") or ""
        counts = v.repo.counts()
    finally:
        v.close()
    print(
        f"vault: {mb:.1f} MB, {counts['clients']} clients, {counts['sessions']} sessions, "
        f"{counts['journal_entries']} journal entries"
    )
    key_file = work / "bench-identity.txt"
    key_file.unlink(missing_ok=True)
    key_file.touch(mode=0o600)
    key_file.write_text(secret + "\n")

    results: dict[str, list[float]] = {k: [] for k in ("backup", "verify", "restore")}
    if age:
        results["age encrypt"] = []
        results["age decrypt"] = []
    for i in range(args.repeat):
        out = work / "backups"
        shutil.rmtree(out, ignore_errors=True)
        v = Vault.unlock(vault_dir, bytearray(PASSPHRASE.encode()), writable=False)
        try:
            t0 = time.perf_counter()
            backup = create_backup(v, out).path
            results["backup"].append(time.perf_counter() - t0)
        finally:
            v.close()
        t0 = time.perf_counter()
        verify_backup(backup, identities)
        results["verify"].append(time.perf_counter() - t0)
        target = work / "restored"
        shutil.rmtree(target, ignore_errors=True)
        t0 = time.perf_counter()
        restore_backup(backup, identities, target, bytearray(NEW_PASSPHRASE.encode()))
        results["restore"].append(time.perf_counter() - t0)
        if age:
            enc = work / "age-out.age"
            enc.unlink(missing_ok=True)
            t0 = time.perf_counter()
            subprocess.run([age, "-r", recipient, "-o", str(enc), str(db)], check=True)
            results["age encrypt"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run(
                [age, "-d", "-i", str(key_file), "-o", "/dev/null", str(enc)], check=True
            )
            results["age decrypt"].append(time.perf_counter() - t0)
            enc.unlink()
        done = ", ".join(f"{k} {t[-1]:.2f} s" for k, t in results.items())
        print(f"run {i + 1}/{args.repeat}: {done}", flush=True)
    shutil.rmtree(work / "restored", ignore_errors=True)
    key_file.unlink(missing_ok=True)

    med = {k: statistics.median(t) for k, t in results.items()}
    print()
    print(f"{'operation':<14}{'median s':>10}{'MB/s':>10}")
    for k, t in med.items():
        print(f"{k:<14}{t:>10.2f}{mb / t:>10.1f}")
    if age:
        print()
        print(f"backup / age encrypt: {med['backup'] / med['age encrypt']:.2f}x the time")
        print(f"verify / age decrypt: {med['verify'] / med['age decrypt']:.2f}x the time")
    else:
        print("\n`age` is not installed: no reference figures (apt-get install age)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
