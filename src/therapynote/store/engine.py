"""SQLCipher connections: the only place that keys, tunes and classifies a database file.

Every connection is keyed with a raw key (`PRAGMA key = "x'…'"`), checked with a first read,
and tuned: WAL, synchronous=FULL, temp_store=MEMORY (asserted), foreign keys, busy timeout.
SQLCipher's own log is silenced process-wide so it never scribbles on a terminal.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from therapynote.errors import PlaintextDatabase, VaultDamaged, VaultMissing, WrongPassphrase

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from therapynote.vault.keys import KeyHolder

SQLITE_MAGIC = b"SQLite format 3\x00"
PAGE_SIZE = 4096
_SQLITE_NOTADB = 26

_log_silenced = False
_log_lock = threading.Lock()


def sqlcipher() -> Any:
    """Import sqlcipher3 once, silencing SQLCipher's stderr log for the whole process."""
    global _log_silenced
    import sqlcipher3

    if not _log_silenced:
        with _log_lock:
            if not _log_silenced:
                con = sqlcipher3.connect(":memory:")
                con.execute("PRAGMA cipher_log_level = NONE")
                con.close()
                _log_silenced = True
    return sqlcipher3


def classify_file(path: Path) -> bytes:
    """Check a vault database file before keying it; return its 16-byte salt.

    Raises VaultMissing, VaultDamaged (empty, truncated) or PlaintextDatabase.
    """
    if not path.exists():
        raise VaultMissing(f"no vault database at {path}; create one with `therapynote init`")
    size = path.stat().st_size
    if size == 0:
        raise VaultDamaged(
            f"{path.name} is empty (0 bytes); restore it from a backup "
            "(it is left untouched so nothing is overwritten)"
        )
    with path.open("rb") as f:
        head = f.read(16)
    if head == SQLITE_MAGIC:
        raise PlaintextDatabase(
            f"{path.name} is an unencrypted SQLite file, not a therapynote vault; "
            "move it away and restore the vault from a backup"
        )
    if size < PAGE_SIZE or size % PAGE_SIZE:
        raise VaultDamaged(
            f"{path.name} is {size} bytes, not whole {PAGE_SIZE}-byte pages (truncated?); "
            "restore it from a backup"
        )
    return head


def connect(path: Path, key_pragma: str, *, tune: bool = True) -> Any:
    """Open a keyed connection and prove the key with a first read.

    Raises WrongPassphrase (SQLITE_NOTADB on page 1) or VaultDamaged (anything else).
    """
    mod = sqlcipher()
    con = mod.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        con.execute(key_pragma)
        con.execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except mod.DatabaseError as exc:
        con.close()
        if getattr(exc, "sqlite_errorcode", None) == _SQLITE_NOTADB:
            raise WrongPassphrase(
                "wrong passphrase (or page 1 of the vault is damaged: if you are sure of the "
                "passphrase, run `therapynote recover` or restore a backup)"
            ) from None
        raise VaultDamaged("the vault database is damaged; restore it from a backup") from None
    if tune:
        tune_connection(con)
    return con


def tune_connection(con: Any) -> None:
    """Apply and assert the connection settings every vault connection must have."""
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    con.execute("PRAGMA temp_store = MEMORY")
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("PRAGMA busy_timeout = 5000")
    if con.execute("PRAGMA temp_store").fetchone()[0] != 2:
        raise VaultDamaged("could not force in-memory temp storage; refusing to open")


def make_engine(path: Path, holder: KeyHolder) -> Engine:
    """A SQLAlchemy engine whose connections are keyed from `holder` (and fail once it is wiped)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import QueuePool

    mod = sqlcipher()

    def creator() -> Any:
        return connect(path, holder.key_pragma())

    engine = create_engine(
        "sqlite://",
        creator=creator,
        module=mod,  # without it SQLAlchemy wraps errors as stdlib sqlite3's
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
    )

    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    event.listen(engine, "begin", _begin)
    return engine


def rekey(path: Path, old: KeyHolder, new: KeyHolder, new_salt: bytes) -> None:
    """Change the database key and salt atomically (checkpoint before and after)."""
    con = connect(path, old.key_pragma())
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute(new.key_pragma(salt=new_salt, verb="rekey"))
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    con = connect(path, new.key_pragma())
    try:
        problems = con.execute("PRAGMA cipher_integrity_check").fetchall()
    finally:
        con.close()
    if problems:
        raise VaultDamaged("the vault failed its page check after the passphrase change")


def page_check(path: Path, holder: KeyHolder) -> list[str]:
    """Every page's HMAC (SQLCipher's `cipher_integrity_check`); assumes an empty WAL."""
    con = connect(path, holder.key_pragma(), tune=False)
    try:
        return [str(r[0]) for r in con.execute("PRAGMA cipher_integrity_check").fetchall()]
    except sqlcipher().DatabaseError:
        return ["the page check could not read the file"]
    finally:
        con.close()
