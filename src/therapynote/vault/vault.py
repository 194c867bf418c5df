"""Create, unlock, lock, re-key and recover a vault."""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from therapynote.domain.dates import iso_ts, now_utc
from therapynote.errors import (
    InvalidInput,
    RecoveryFailed,
    Refused,
    VaultDamaged,
    VaultExists,
    VaultLocked,
    VaultMissing,
    WrongPassphrase,
)
from therapynote.vault import sidefiles
from therapynote.vault.files import ensure_private_dir, precreate_private
from therapynote.vault.keys import (
    CURRENT_PROFILE,
    KDF_PROFILES,
    SALT_BYTES,
    KeyHolder,
    derive_key,
    wipe,
)
from therapynote.vault.lockfile import WriterLock

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from therapynote.store.maintenance import CheckReport
    from therapynote.store.repository import Repository

#: Vaults up to this size get a full page-HMAC check at every unlock (it costs ~3 ms per MB).
UNLOCK_PAGE_CHECK_LIMIT = 32 * 1024 * 1024
MIN_PASSPHRASE_CHARS = 8


@dataclass(frozen=True)
class NewVault:
    """What `Vault.create` hands back: the open vault and the recovery key, shown once."""

    vault: Vault
    recovery_identity: str
    recovery_recipient: str


def check_new_passphrase(passphrase: bytearray) -> None:
    if len(passphrase.decode("utf-8", "replace")) < MIN_PASSPHRASE_CHARS:
        raise InvalidInput(
            f"a vault passphrase needs at least {MIN_PASSPHRASE_CHARS} characters; "
            "a few unrelated words make a good one"
        )


def recovery_identity_text(identity: str, recipient: str) -> str:
    return (
        f"# therapynote recovery key, created {iso_ts(now_utc())}\n"
        "# Keep this file offline (printed, or on a USB stick in a safe place).\n"
        "# With it you can open the vault and its backups if the passphrase is forgotten.\n"
        f"# public key: {recipient}\n"
        f"{identity}\n"
    )


class Vault:
    """An unlocked vault. Use `Vault.create` or `Vault.unlock`; call `close()` when done."""

    def __init__(
        self, directory: Path, holder: KeyHolder, lock: WriterLock | None, *, writable: bool
    ) -> None:
        self.directory = directory
        self._holder = holder
        self._lock = lock
        self.writable = writable
        self._engine: Engine | None = None
        self._repo: Repository | None = None

    # ------------------------------------------------------------------ paths
    @property
    def db_path(self) -> Path:
        return self.directory / sidefiles.DB_NAME

    @staticmethod
    def exists(directory: Path) -> bool:
        return (directory / sidefiles.DB_NAME).exists()

    # ------------------------------------------------------------------ engine
    @property
    def engine(self) -> Engine:
        if self._holder.is_locked:
            raise VaultLocked("the vault is locked; unlock it again")
        if self._engine is None:
            from therapynote.store.engine import make_engine

            self._engine = make_engine(self.db_path, self._holder)
        return self._engine

    @property
    def repo(self) -> Repository:
        if self._repo is None or self._holder.is_locked:
            from therapynote.store.repository import Repository

            self._repo = Repository(self.engine)
        return self._repo

    @property
    def holder(self) -> KeyHolder:
        return self._holder

    def _require_writable(self) -> None:
        if not self.writable:
            raise Refused("this vault was opened read-only")

    # ------------------------------------------------------------------ create
    @classmethod
    def create(
        cls, directory: Path, passphrase: bytearray, *, check_strength: bool = True
    ) -> NewVault:
        """Create a new vault folder; returns it unlocked with its one-time recovery key."""
        import pyrage

        if check_strength:
            check_new_passphrase(passphrase)
        db = directory / sidefiles.DB_NAME
        if db.exists():
            raise VaultExists(f"a vault already exists at {directory}; nothing was changed")
        if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
            raise InvalidInput(
                f"{directory} exists and is not empty; a vault needs a new or empty folder"
            )
        created_dir = not directory.exists()
        ensure_private_dir(directory)
        lock = WriterLock(directory / sidefiles.LOCK_NAME)
        lock.acquire()
        created: list[Path] = []
        try:
            precreate_private(db)
            created.append(db)
            salt = secrets.token_bytes(SALT_BYTES)
            holder = KeyHolder(derive_key(passphrase, salt))
            from therapynote.store.engine import connect

            con = connect(db, holder.key_pragma(salt=salt))
            con.execute("PRAGMA user_version = 0")
            con.close()
            with db.open("rb") as f:
                if f.read(SALT_BYTES) != salt:
                    raise VaultDamaged("the new vault did not take its salt; nothing was kept")
            vault = cls(directory, holder, lock, writable=True)
            from therapynote.store import migrate

            migrate.upgrade(vault.engine)
            recovery = pyrage.x25519.Identity.generate()
            backup = pyrage.x25519.Identity.generate()
            recovery_recipient = str(recovery.to_public())
            backup_recipient = str(backup.to_public())
            repo = vault.repo
            with repo.transaction() as conn:
                repo.set_setting("recovery_recipient", recovery_recipient, conn)
                repo.set_setting("backup_recipient", backup_recipient, conn)
                repo.set_setting("secret.backup_identity", str(backup), conn)
                repo.set_setting("created", iso_ts(now_utc()), conn)
            repo.record_event("init", "vault")
            for name in (
                sidefiles.RECOVERY_NAME,
                sidefiles.BACKUP_IDENTITY_NAME,
                sidefiles.META_NAME,
            ):
                created.append(directory / name)
            vault._write_side_files(recovery_recipient, backup_recipient, str(backup))
            return NewVault(
                vault=vault,
                recovery_identity=recovery_identity_text(str(recovery), recovery_recipient),
                recovery_recipient=recovery_recipient,
            )
        except BaseException:
            for path in created:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
            lock.release()
            if created_dir:
                shutil.rmtree(directory, ignore_errors=True)
            raise

    def _write_side_files(
        self, recovery_recipient: str, backup_recipient: str, backup_secret: str
    ) -> None:
        sidefiles.write_recovery(self.directory, self._holder, recovery_recipient)
        sidefiles.write_backup_identity(
            self.directory, self._holder, backup_secret, backup_recipient
        )
        with self.db_path.open("rb") as f:
            salt = f.read(SALT_BYTES)
        fp = self._holder.fingerprint()
        meta = sidefiles.read_meta(self.directory) or sidefiles.VaultMeta(created=iso_ts(now_utc()))
        meta.kdf_profile = CURRENT_PROFILE
        meta.db_salt = salt.hex()
        meta.recovery_recipient = recovery_recipient
        meta.backup_recipient = backup_recipient
        meta.recovery_written_for = fp
        meta.backup_identity_written_for = fp
        sidefiles.write_meta(self.directory, meta)

    # ------------------------------------------------------------------ unlock
    @classmethod
    def unlock(
        cls,
        directory: Path,
        passphrase: bytearray,
        *,
        writable: bool = True,
        audit_unlock: bool = False,
    ) -> Vault:
        """Open a vault with its passphrase (newest KDF profile first).

        `audit_unlock` records the unlock in the audit log (the app does; one-shot commands
        do not, so a command refused for bad input leaves the vault byte-for-byte unchanged).
        """
        from therapynote.store.engine import classify_file, connect

        db = cls._db_or_missing(directory)
        lock = cls._take_lock(directory, writable)
        try:
            salt = classify_file(db)
            for profile in sorted(KDF_PROFILES, reverse=True):
                holder = KeyHolder(derive_key(passphrase, salt, profile))
                try:
                    connect(db, holder.key_pragma(), tune=False).close()
                except WrongPassphrase:
                    holder.wipe()
                    continue
                return cls._opened(directory, holder, lock, writable, audit_unlock)
            raise WrongPassphrase(
                "wrong passphrase (if you have forgotten it, use `therapynote recover` "
                "with your recovery key)"
            )
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def unlock_with_key(cls, directory: Path, key: bytearray, *, writable: bool = True) -> Vault:
        """Open a vault with its raw key (from `recovery.age`)."""
        from therapynote.store.engine import classify_file, connect

        db = cls._db_or_missing(directory)
        lock = cls._take_lock(directory, writable)
        try:
            classify_file(db)
            holder = KeyHolder(key)
            connect(db, holder.key_pragma(), tune=False).close()
            return cls._opened(directory, holder, lock, writable)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @staticmethod
    def _db_or_missing(directory: Path) -> Path:
        db = directory / sidefiles.DB_NAME
        if not db.exists():
            raise VaultMissing(
                f"no vault at {directory}; create one with `therapynote init` "
                "(or pass --vault / set THERAPYNOTE_VAULT)"
            )
        return db

    @staticmethod
    def _take_lock(directory: Path, writable: bool) -> WriterLock | None:
        if not writable:
            return None
        lock = WriterLock(directory / sidefiles.LOCK_NAME)
        lock.acquire()
        return lock

    @classmethod
    def _opened(
        cls,
        directory: Path,
        holder: KeyHolder,
        lock: WriterLock | None,
        writable: bool,
        audit_unlock: bool = False,
    ) -> Vault:
        from therapynote.store import migrate
        from therapynote.store.engine import page_check

        db = directory / sidefiles.DB_NAME
        wal = Path(str(db) + "-wal")
        if db.stat().st_size <= UNLOCK_PAGE_CHECK_LIMIT and (
            not wal.exists() or wal.stat().st_size == 0
        ):
            problems = page_check(db, holder)
            if problems:
                holder.wipe()
                raise VaultDamaged(
                    f"the vault failed its page check ({len(problems)} damaged page(s)); "
                    "restore it from a backup (run `therapynote check` for details)"
                )
        vault = cls(directory, holder, lock, writable=writable)
        try:
            current, head = migrate.pending(vault.engine)
            if current != head:
                if not writable:
                    raise Refused(
                        "this vault needs a schema upgrade; open it with a command that writes "
                        "(or the app) first"
                    )
                vault._safety_copy_before_migration(current)
                migrate.upgrade(vault.engine)
            if writable:
                vault.refresh_side_files()
                if audit_unlock:
                    vault.repo.record_event("unlock", "vault")
        except BaseException:
            vault.close()
            raise
        return vault

    def _safety_copy_before_migration(self, current: str | None) -> None:
        """Keep an encrypted copy of the database (same key) before changing its schema."""
        from therapynote.store.engine import connect

        if current is None:
            return
        target = self.directory / f"{sidefiles.DB_NAME}.pre-migration-{current}"
        if target.exists():
            return
        precreate_private(target)
        with self.db_path.open("rb") as f:
            salt = f.read(SALT_BYTES)
        src = connect(self.db_path, self._holder.key_pragma())
        dst = connect(target, self._holder.key_pragma(salt=salt), tune=False)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()

    def refresh_side_files(self) -> None:
        """Rewrite side files that are missing or were written for another key."""
        repo = self.repo
        recovery_recipient = repo.get_setting("recovery_recipient") or ""
        backup_recipient = repo.get_setting("backup_recipient") or ""
        backup_secret = repo.get_setting("secret.backup_identity") or ""
        meta = sidefiles.read_meta(self.directory)
        fp = self._holder.fingerprint()
        with self.db_path.open("rb") as f:
            salt_hex = f.read(SALT_BYTES).hex()
        stale = (
            meta is None
            or meta.recovery_written_for != fp
            or meta.backup_identity_written_for != fp
            or meta.db_salt != salt_hex
            or not (self.directory / sidefiles.RECOVERY_NAME).exists()
            or not (self.directory / sidefiles.BACKUP_IDENTITY_NAME).exists()
        )
        if stale and recovery_recipient and backup_recipient and backup_secret:
            self._write_side_files(recovery_recipient, backup_recipient, backup_secret)

    # ------------------------------------------------------------------ passphrase
    def change_passphrase(self, new_passphrase: bytearray) -> None:
        """Re-key the database under a new passphrase and a new salt; rewrite side files."""
        from therapynote.store.engine import rekey

        self._require_writable()
        check_new_passphrase(new_passphrase)
        new_salt = secrets.token_bytes(SALT_BYTES)
        new_holder = KeyHolder(derive_key(new_passphrase, new_salt))
        self._dispose_engine()
        rekey(self.db_path, self._holder, new_holder, new_salt)
        self._holder.wipe()
        self._holder = new_holder
        self.refresh_side_files()

    @classmethod
    def recover(cls, directory: Path, identity_text: str, new_passphrase: bytearray) -> Vault:
        """Open the vault with the recovery key and set a new passphrase."""
        check_new_passphrase(new_passphrase)
        cls._db_or_missing(directory)
        key = sidefiles.read_recovery_key(directory, identity_text)
        try:
            vault = cls.unlock_with_key(directory, key, writable=True)
        except WrongPassphrase:
            wipe(key)
            raise RecoveryFailed(
                "the recovery file no longer matches the vault; restore from a backup with "
                "the recovery key"
            ) from None
        try:
            vault.change_passphrase(new_passphrase)
            vault.repo.record_event("recover", "vault")
        except BaseException:
            vault.close()
            raise
        return vault

    # ------------------------------------------------------------------ check
    def check(self) -> CheckReport:
        from therapynote.store import migrate
        from therapynote.store.maintenance import check_audit, check_database

        self._dispose_engine()
        report = check_database(self.db_path, self._holder)
        check_audit(self.engine, report)
        current, head = migrate.pending(self.engine)
        report.steps["schema"] = "current" if current == head else f"{current} (head {head})"
        if current != head:
            report.problems.append("the schema is not current")
        report.steps["files"] = "ok"
        for note in self._file_notes():
            report.notes.append(note)
            report.steps["files"] = "see notes"
        return report

    def _file_notes(self) -> list[str]:
        notes: list[str] = []
        mode = self.directory.stat().st_mode & 0o777
        if mode != 0o700:
            notes.append(f"the vault folder has mode {mode:o}; it should be 700")
        for path in sorted(self.directory.iterdir()):
            if path.is_file() and (path.stat().st_mode & 0o777) != 0o600:
                notes.append(f"{path.name} has mode {path.stat().st_mode & 0o777:o}; should be 600")
        if not (self.directory / sidefiles.RECOVERY_NAME).exists():
            notes.append(f"{sidefiles.RECOVERY_NAME} is missing (rewritten at the next unlock)")
        return notes

    # ------------------------------------------------------------------ lock / close
    def _dispose_engine(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self._engine = None
        self._repo = None

    def close(self) -> None:
        """Lock: dispose every connection, wipe the key, release the writer lock."""
        self._dispose_engine()
        self._holder.wipe()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
