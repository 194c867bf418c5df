"""Create a backup: a consistent snapshot under a fresh key, sealed in one age stream."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from therapynote import __version__
from therapynote.backup.format import BackupHeader, PayloadReader
from therapynote.backup.keys import SETTING_RECIPIENTS, parse_recipient, recipient_lines
from therapynote.backup.progress import NullReporter, Reporter
from therapynote.backup.store import (
    Manifest,
    cleanup_stale,
    new_backup_path,
    new_temp_path,
    now_precise,
    partial_path,
    remove_temp,
    vault_id_for,
    write_manifest,
)
from therapynote.errors import InvalidInput, VaultDamaged
from therapynote.vault.files import fsync_dir, precreate_private
from therapynote.vault.keys import KEY_BYTES, SALT_BYTES, KeyHolder

if TYPE_CHECKING:
    from therapynote.backup.verify import VerifyReport
    from therapynote.vault.vault import Vault


@dataclass
class Created:
    path: Path
    manifest: Manifest
    report: VerifyReport | None = None


class _HashingWriter:
    def __init__(self, f: BinaryIO) -> None:
        self._f = f
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._f.write(data)
        self.hash.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self._f.flush()


def _file_sha256(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def _is_inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True


def ensure_backup_dir(directory: Path, vault_dir: Path) -> None:
    if _is_inside(directory, vault_dir):
        raise InvalidInput(
            "backups must not go inside the vault folder (they would be lost with it); "
            "choose another folder"
        )
    if not directory.exists():
        directory.mkdir(mode=0o700, parents=True)
    elif not directory.is_dir():
        raise InvalidInput(f"{directory} is not a folder")


def recipients_for(vault: Vault, extra: list[str]) -> list[str]:
    """The vault's backup and recovery recipients, configured extras, then `extra`."""
    repo = vault.repo
    base = [
        repo.get_setting("backup_recipient") or "",
        repo.get_setting("recovery_recipient") or "",
    ]
    if not all(base):
        raise VaultDamaged("the vault has no backup keys in its settings; it cannot be backed up")
    configured = recipient_lines(repo.get_setting(SETTING_RECIPIENTS) or "")
    out: list[str] = []
    for text in [*base, *configured, *extra]:
        text = text.strip()
        if text and text not in out:
            out.append(text)
    return out


def _snapshot_facts(con: Any) -> tuple[dict[str, int], str | None]:
    from therapynote.store.repository import RECORD_TABLES

    present = {r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    counts = {
        t: int(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
        for t in RECORD_TABLES
        if t in present
    }
    revision = None
    if "alembic_version" in present:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row else None
    return counts, revision


def create_backup(
    vault: Vault,
    out_dir: Path,
    extra_recipients: list[str] | None = None,
    *,
    reporter: Reporter | None = None,
) -> Created:
    """Snapshot the vault (it may be open and written to elsewhere) into a new backup file."""
    import pyrage

    from therapynote.store.engine import connect

    reporter = reporter or NullReporter()
    texts = recipients_for(vault, extra_recipients or [])
    recipients = [parse_recipient(t) for t in texts]
    recovery_recipient = texts[1]
    ensure_backup_dir(out_dir, vault.directory)
    cleanup_stale(out_dir)

    when = datetime.now(UTC)
    created = now_precise()
    final = new_backup_path(out_dir, when)
    part = partial_path(final)
    tmp = new_temp_path(out_dir)
    precreate_private(tmp)
    snap = KeyHolder(bytearray(secrets.token_bytes(KEY_BYTES)))
    snap_salt = secrets.token_bytes(SALT_BYTES)
    try:
        with vault.db_path.open("rb") as f:
            vault_salt = f.read(SALT_BYTES)
        reporter.start("snapshot", None)
        src = connect(vault.db_path, vault.holder.key_pragma())
        try:
            dst = connect(tmp, snap.key_pragma(salt=snap_salt), tune=False)
            try:
                src.backup(dst, pages=-1)  # one step: a consistent snapshot under writers
                dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
                counts, revision = _snapshot_facts(dst)
            finally:
                dst.close()
        finally:
            src.close()
        with tmp.open("rb") as f:
            if f.read(SALT_BYTES) != snap_salt:
                raise VaultDamaged("the snapshot did not take its salt; no backup was written")
        snap_size, snap_sha = _file_sha256(tmp)
        key = snap.copy_bytes()
        header = BackupHeader(
            created=created,
            app_version=__version__,
            schema_revision=revision,
            counts=counts,
            snapshot_key=key,
            snapshot_salt=snap_salt.hex(),
            snapshot_size=snap_size,
            snapshot_sha256=snap_sha,
            vault_id=vault_id_for(recovery_recipient),
            vault_salt=vault_salt.hex(),
        )
        head = header.encode()
        header.wipe()
        reporter.start(f"encrypting {final.name}", len(head) + snap_size)
        reporter.advance(len(head))
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as fo, tmp.open("rb") as fi:
                reader = PayloadReader(head, fi, reporter.advance)
                writer = _HashingWriter(fo)
                try:
                    pyrage.encrypt_io(reader, writer, recipients)
                finally:
                    reader.wipe()
                fo.flush()
                os.fsync(fo.fileno())
            os.replace(part, final)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        fsync_dir(out_dir)
    finally:
        reporter.done()
        snap.wipe()
        remove_temp(tmp)
    manifest = Manifest(
        file=final.name,
        created=created,
        size=writer.size,
        sha256=writer.hash.hexdigest(),
        counts=counts,
        schema_revision=revision,
        app_version=__version__,
        vault_id=vault_id_for(recovery_recipient),
        recipients=len(recipients),
    )
    write_manifest(final, manifest)
    return Created(path=final, manifest=manifest)


def backup_identities(vault: Vault) -> list[Any]:
    """The vault's backup identity (from its settings, or from backup-identity.age)."""
    import pyrage

    from therapynote.vault import sidefiles

    secret = vault.repo.get_setting("secret.backup_identity") or sidefiles.read_backup_identity(
        vault.directory, vault.holder
    )
    if not secret:
        raise VaultDamaged(
            "the vault holds no backup identity; use --identity with the recovery key file"
        )
    return [pyrage.x25519.Identity.from_str(secret)]


def create_and_verify(
    vault: Vault,
    out_dir: Path,
    extra_recipients: list[str] | None = None,
    *,
    reporter: Reporter | None = None,
) -> Created:
    """Create a backup, then verify it at once with the vault's backup identity."""
    from therapynote.backup.verify import verify_backup

    created = create_backup(vault, out_dir, extra_recipients, reporter=reporter)
    created.report = verify_backup(created.path, backup_identities(vault), reporter=reporter)
    from therapynote.backup.store import read_manifest

    created.manifest = read_manifest(created.path) or created.manifest
    return created
