"""Verify a backup end to end (the `restic check --read-data` of therapynote).

Checksum against the manifest, a full streaming decryption (every age chunk authenticated,
truncation detected), the header parsed in memory, the snapshot extracted to a 0600 temp file
and opened with its own key, then page HMACs, b-tree integrity, search indexes, the audit
chain and the counts against the header. The temp file is removed whatever happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from therapynote.backup.format import AGE_MAGIC, BackupHeader, HashingReader, PayloadWriter
from therapynote.backup.progress import NullReporter, Reporter
from therapynote.backup.store import (
    Manifest,
    cleanup_stale,
    mark_verified,
    new_temp_path,
    read_manifest,
    remove_temp,
)
from therapynote.errors import (
    BackupDamaged,
    BackupMissing,
    BackupTruncated,
    BackupWrongKey,
    NotABackup,
    PlaintextDatabase,
    TherapyNoteError,
    VaultDamaged,
    VaultMissing,
    WrongPassphrase,
)
from therapynote.vault.files import precreate_private
from therapynote.vault.keys import KeyHolder


@dataclass
class VerifyReport:
    path: Path
    ok: bool
    header: dict[str, Any] = field(default_factory=dict)
    steps: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "ok": self.ok,
            "created": self.header.get("created"),
            "counts": self.header.get("counts"),
            "schema_revision": self.header.get("schema_revision"),
            "steps": self.steps,
            "problems": self.problems,
        }


@dataclass
class Staged:
    """A verified snapshot kept for a restore. The caller wipes `header` and removes `path`."""

    path: Path
    header: BackupHeader
    report: VerifyReport


def check_file(path: Path) -> Manifest | None:
    """Cheap checks before decrypting: present, as long as written, an age file."""
    if not path.is_file():
        raise BackupMissing(f"no backup file at {path}")
    manifest = read_manifest(path)
    size = path.stat().st_size
    if manifest is not None and size != manifest.size:
        if size < manifest.size:
            raise BackupTruncated(
                f"{path.name} is truncated ({size} of {manifest.size} bytes; an interrupted "
                "copy?); use another copy or another backup"
            )
        raise BackupDamaged(
            f"{path.name} is {size} bytes but was written as {manifest.size}; it is damaged"
        )
    with path.open("rb") as f:
        head = f.read(len(AGE_MAGIC))
    if head != AGE_MAGIC:
        if manifest is not None:
            raise BackupDamaged(f"{path.name} no longer starts like an age file; it is damaged")
        raise NotABackup(f"{path.name} is not a therapynote backup (not an age-encrypted file)")
    return manifest


def _checksum_problem(path: Path, manifest: Manifest | None, digest: str) -> BackupDamaged | None:
    if manifest is not None and digest != manifest.sha256:
        return BackupDamaged(
            f"{path.name} does not match the checksum in its manifest; it is damaged "
            "(use another copy or another backup)"
        )
    return None


def extract(
    path: Path,
    identities: list[Any],
    target: Path,
    manifest: Manifest | None,
    reporter: Reporter,
) -> BackupHeader:
    """Decrypt `path` into the (pre-created, 0600) `target`; return the header (in memory)."""
    import pyrage

    reporter.start(f"verifying {path.name}", path.stat().st_size)
    with path.open("rb") as fi, target.open("wb") as fo:
        reader = HashingReader(fi, reporter.advance)
        writer = PayloadWriter(fo)
        failure: TherapyNoteError | None = None
        try:
            pyrage.decrypt_io(reader, writer, identities)
        except NotABackup as exc:
            failure = exc
        except pyrage.DecryptError as exc:
            text = str(exc)
            if "No matching keys" in text:
                failure = BackupWrongKey(
                    f"none of the given keys opens {path.name} (use the vault's passphrase, "
                    "or --identity/--recovery-key with the recovery key file)"
                )
            elif "Header is invalid" in text or "fill whole buffer" in text:
                failure = NotABackup(f"{path.name} is not a readable age file")
            else:
                failure = BackupDamaged(f"{path.name} could not be decrypted ({text}); damaged")
        except OSError as exc:
            if "truncated" in str(exc):
                failure = BackupTruncated(f"{path.name} is truncated; use another backup")
            else:
                failure = BackupDamaged(
                    f"{path.name} failed authentication while decrypting; it is damaged "
                    "(use another copy or another backup)"
                )
        digest = reader.finish()
        checksum = _checksum_problem(path, manifest, digest)
        if checksum is not None:
            if writer.header is not None:
                writer.header.wipe()
            raise checksum
        if failure is not None:
            if writer.header is not None:
                writer.header.wipe()
            raise failure
        fo.flush()
    header = writer.header
    if header is None:
        raise NotABackup(f"{path.name} decrypts to something too short to be a backup")
    if writer.snapshot_bytes != header.snapshot_size or (
        writer.snapshot_sha256 != header.snapshot_sha256
    ):
        header.wipe()
        raise BackupDamaged(f"the snapshot inside {path.name} is not the one its header names")
    return header


def _counts(con: Any, tables: list[str]) -> dict[str, int]:
    return {t: int(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}


def check_snapshot(snapshot: Path, header: BackupHeader, report: VerifyReport) -> None:
    """Open the extracted snapshot with its key and run every check; fill `report`."""
    from therapynote.store.engine import classify_file, connect, make_engine
    from therapynote.store.maintenance import check_audit, check_database
    from therapynote.store.repository import RECORD_TABLES

    try:
        salt = classify_file(snapshot)
    except (VaultDamaged, PlaintextDatabase, VaultMissing):
        raise BackupDamaged("the snapshot inside the backup is not a whole database") from None
    if salt.hex() != header.snapshot_salt:
        raise BackupDamaged(
            "the snapshot inside the backup does not carry the salt its header names"
        )
    holder = KeyHolder(bytearray(header.snapshot_key))
    try:
        try:
            db_report = check_database(snapshot, holder)
        except (WrongPassphrase, VaultDamaged):
            raise BackupDamaged(
                "the snapshot inside the backup does not open with its own key; it is damaged"
            ) from None
        engine = make_engine(snapshot, holder)
        try:
            check_audit(engine, db_report)
        finally:
            engine.dispose()
        con = connect(snapshot, holder.key_pragma())
        try:
            tables = sorted(set(header.counts) | set(RECORD_TABLES))
            present = {
                r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")
            }
            counts = _counts(con, [t for t in tables if t in present])
            revision = None
            if "alembic_version" in present:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            con.close()
    finally:
        holder.wipe()
    report.steps.update(db_report.steps)
    report.problems.extend(db_report.problems)
    if counts != header.counts:
        differ = sorted(t for t in tables if counts.get(t) != header.counts.get(t))
        report.problems.append("counts differ from the header in: " + ", ".join(differ))
        report.steps["counts"] = "differ"
    else:
        report.steps["counts"] = "ok"
    if revision != header.schema_revision:
        report.problems.append("the schema revision differs from the header")
        report.steps["schema"] = "differs"
    else:
        report.steps["schema"] = str(revision)


def verify_backup(
    path: Path, identities: list[Any], *, reporter: Reporter | None = None
) -> VerifyReport:
    """Verify `path` completely; raise a Backup* error on any failure."""
    result = _verify(path, identities, work_dir=None, keep=False, reporter=reporter)
    assert isinstance(result, VerifyReport)
    return result


def stage_backup(
    path: Path, identities: list[Any], work_dir: Path, *, reporter: Reporter | None = None
) -> Staged:
    """Verify `path` and keep its snapshot (still under the snapshot key) in `work_dir`."""
    result = _verify(path, identities, work_dir=work_dir, keep=True, reporter=reporter)
    assert isinstance(result, Staged)
    return result


def _verify(
    path: Path,
    identities: list[Any],
    *,
    work_dir: Path | None,
    keep: bool,
    reporter: Reporter | None,
) -> Staged | VerifyReport:
    reporter = reporter or NullReporter()
    work = work_dir or path.parent
    cleanup_stale(work)
    report = VerifyReport(path=path, ok=False)
    try:
        manifest = check_file(path)
    except TherapyNoteError as exc:
        if not isinstance(exc, BackupMissing):
            mark_verified(path, exc.title)
        raise
    report.steps["checksum"] = "ok" if manifest is not None else "no manifest"
    tmp = new_temp_path(work)
    precreate_private(tmp)
    kept = False
    header: BackupHeader | None = None
    try:
        header = extract(path, identities, tmp, manifest, reporter)
        report.steps["decrypt"] = "ok"
        report.header = header.public()
        check_snapshot(tmp, header, report)
        if report.problems:
            raise BackupDamaged(
                f"{path.name} decrypts but its snapshot fails its checks "
                f"({len(report.problems)} problem(s): {report.problems[0]})"
            )
        report.ok = True
        mark_verified(path, "ok")
        if keep:
            kept = True
            return Staged(path=tmp, header=header, report=report)
        return report
    except TherapyNoteError as exc:
        if not isinstance(exc, BackupWrongKey):
            mark_verified(path, exc.title)
        raise
    finally:
        reporter.done()
        if not kept:
            if header is not None:
                header.wipe()
            remove_temp(tmp)
