"""Restore a backup into a new vault folder, or in place of the current vault.

Order matters (see the field notes on a stale WAL): verify into a staged file next to the
target, re-key it under the new passphrase, move aside the current database together with its
-wal/-shm/-journal (never deleting them), and only then put the staged file in place.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from therapynote.backup.progress import Reporter
from therapynote.backup.store import SIDECAR_SUFFIXES, remove_temp
from therapynote.errors import Refused, SchemaTooNew, VaultDamaged, VaultExists
from therapynote.vault import sidefiles
from therapynote.vault.files import ensure_private_dir, fsync_dir
from therapynote.vault.keys import SALT_BYTES, KeyHolder, derive_key
from therapynote.vault.lockfile import WriterLock


@dataclass
class Restored:
    directory: Path
    backup: Path
    moved_aside: list[Path] = field(default_factory=list)
    header: dict[str, Any] = field(default_factory=dict)


def _aside_name(db: Path, stamp: str) -> Path:
    base = db.with_name(f"{db.name}.pre-restore-{stamp}")
    n = 1
    candidate = base
    while any(Path(str(candidate) + s).exists() for s in ("", *SIDECAR_SUFFIXES)):
        n += 1
        candidate = db.with_name(f"{base.name}-{n}")
    return candidate


def move_aside(db: Path) -> list[Path]:
    """Move the database and its -wal/-shm/-journal to a dated safety name (never deleted)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = _aside_name(db, stamp)
    moved: list[Path] = []
    # The sidecars first: a stale WAL next to the restored file would be replayed onto it.
    for suffix in (*SIDECAR_SUFFIXES, ""):
        src = Path(str(db) + suffix)
        if src.exists():
            dst = Path(str(aside) + suffix)
            os.replace(src, dst)
            moved.append(dst)
    if moved:
        fsync_dir(db.parent)
    return moved


def _check_revision(revision: str | None) -> None:
    from therapynote.store.migrate import known_revisions

    if revision is not None and revision not in known_revisions():
        raise SchemaTooNew(
            "this backup was written by a newer therapynote; upgrade therapynote to restore it"
        )


def restore_backup(
    backup: Path,
    identities: list[Any],
    target: Path,
    new_passphrase: bytearray,
    *,
    replace: bool = False,
    reporter: Reporter | None = None,
) -> Restored:
    """Restore `backup` into `target` under `new_passphrase`.

    Without `replace`, `target` must hold no vault database. With `replace`, the current
    database is moved aside first. Nothing in `target` changes unless the backup verifies.
    """
    from therapynote.backup.verify import stage_backup
    from therapynote.store.engine import connect, rekey
    from therapynote.vault.vault import Vault, check_new_passphrase

    check_new_passphrase(new_passphrase)
    db = target / sidefiles.DB_NAME
    if db.exists() and not replace:
        raise VaultExists(
            f"a vault already exists at {target}; restore into a new folder, or use --replace "
            "(the current vault is then kept aside, not deleted)"
        )
    if replace and not db.exists():
        raise Refused(f"there is no vault at {target} to replace; use --to NEW_FOLDER instead")
    created_dir = not target.exists()
    ensure_private_dir(target)
    lock = WriterLock(target / sidefiles.LOCK_NAME)
    lock_created = not lock.path.exists()
    lock.acquire()
    staged = None
    try:
        staged = stage_backup(backup, identities, target, reporter=reporter)
        _check_revision(staged.header.schema_revision)
        old = KeyHolder(bytearray(staged.header.snapshot_key))
        new_salt = secrets.token_bytes(SALT_BYTES)
        new = KeyHolder(derive_key(new_passphrase, new_salt))
        try:
            rekey(staged.path, old, new, new_salt)
            con = connect(staged.path, new.key_pragma(), tune=False)
            try:
                con.execute("PRAGMA journal_mode = DELETE")  # fold and drop the staged WAL
            finally:
                con.close()
        finally:
            old.wipe()
            new.wipe()
        for suffix in SIDECAR_SUFFIXES:
            if Path(str(staged.path) + suffix).exists():
                raise VaultDamaged("the restored database did not settle into one file")
        # No connection to the target is open here. Stale sidecars go first, then the file.
        moved = move_aside(db)
        if replace:
            # The old recovery file opens the old key only: keep it with the old database.
            old_recovery = target / sidefiles.RECOVERY_NAME
            if moved and old_recovery.exists():
                kept = moved[-1].with_name(
                    moved[-1].name.replace(sidefiles.DB_NAME, "recovery.age")
                )
                os.replace(old_recovery, kept)
                moved.append(kept)
        os.replace(staged.path, db)
        fsync_dir(target)
        result = Restored(
            directory=target, backup=backup, moved_aside=moved, header=staged.report.header
        )
    except BaseException:
        if staged is not None:
            remove_temp(staged.path)
        lock.release()
        if lock_created:
            lock.path.unlink(missing_ok=True)
        if created_dir:
            try:
                target.rmdir()
            except OSError:
                pass
        raise
    finally:
        if staged is not None:
            staged.header.wipe()
    # Write recovery.age, backup-identity.age and vault.toml for the new key, without adding
    # anything to the restored records, while we still hold the writer lock.
    try:
        try:
            vault = Vault.unlock(target, new_passphrase, writable=False)
        except Refused:  # an older schema: open it writable, which upgrades it
            lock.release()
            Vault.unlock(target, new_passphrase, writable=True).close()
            return result
        try:
            vault.refresh_side_files()
        finally:
            vault.close()
    finally:
        lock.release()
    return result
