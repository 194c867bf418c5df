"""The backup folder: file names, manifests, listing and temporary files.

A backup `therapynote-<UTC time>.tnbak` has a manifest `therapynote-<UTC time>.tnbak.json`
beside it. The manifest holds no secret: the checksum, size, counts per table, the schema
revision, when it was made and when it was last verified.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from therapynote.backup.format import SUFFIX
from therapynote.vault.files import write_private_atomic

MANIFEST_SUFFIX = SUFFIX + ".json"
TEMP_PREFIX = ".therapynote-tmp-"
_TEMP_RE = re.compile(r"^\.therapynote-tmp-(\d+)-[0-9a-f]+\.db(-wal|-shm|-journal)?$")
_PARTIAL_RE = re.compile(r"^therapynote-.*\.tnbak\.(\d+)\.partial$")
SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")


def now_precise() -> str:
    """UTC time with microseconds (orders backups made within the same second)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_created(value: str) -> datetime:
    for fmt in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return datetime.fromtimestamp(0, UTC)


def vault_id_for(recovery_recipient: str) -> str:
    """A public, stable tag of a vault (it survives passphrase changes and restores)."""
    digest = hashlib.sha256(b"therapynote vault id v1\0" + recovery_recipient.encode("ascii"))
    return digest.hexdigest()[:16]


def default_backup_dir(vault_dir: Path) -> Path:
    """`backups/` beside the vault folder (never inside it)."""
    return vault_dir.expanduser().absolute().parent / "backups"


# ---------------------------------------------------------------------- manifests
@dataclass
class Manifest:
    file: str
    created: str
    size: int
    sha256: str
    counts: dict[str, int] = field(default_factory=dict)
    schema_revision: str | None = None
    app_version: str = ""
    format_version: int = 1
    vault_id: str = ""
    recipients: int = 0
    verified_at: str | None = None
    last_verify: str | None = None  # "ok" or the error title of the last verify

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".json")


def write_manifest(backup: Path, manifest: Manifest) -> None:
    data = json.dumps(manifest.to_json(), indent=2, sort_keys=True) + "\n"
    write_private_atomic(manifest_path(backup), data.encode("utf-8"))


def read_manifest(backup: Path) -> Manifest | None:
    path = manifest_path(backup)
    try:
        doc = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(doc, dict):
        return None
    known = {k: v for k, v in doc.items() if k in Manifest.__dataclass_fields__}
    try:
        return Manifest(**known)
    except TypeError:
        return None


def mark_verified(backup: Path, result: str) -> None:
    """Record the outcome of a verify in the manifest (best effort: the folder may be read-only)."""
    manifest = read_manifest(backup)
    if manifest is None:
        return
    manifest.last_verify = result
    if result == "ok":
        manifest.verified_at = now_precise()
    try:
        write_manifest(backup, manifest)
    except OSError:
        pass


# ---------------------------------------------------------------------- listing
@dataclass
class BackupEntry:
    path: Path
    manifest: Manifest | None

    @property
    def created(self) -> datetime:
        if self.manifest is not None:
            return parse_created(self.manifest.created)
        return datetime.fromtimestamp(self.path.stat().st_mtime, UTC)

    @property
    def verified(self) -> bool:
        return self.manifest is not None and self.manifest.verified_at is not None

    @property
    def verified_ok(self) -> bool:
        return self.verified and (self.manifest is not None and self.manifest.last_verify == "ok")


def list_backups(directory: Path, vault_id: str | None = None) -> list[BackupEntry]:
    """Backups in `directory`, oldest first; only those of `vault_id` when it is given
    (backups without a manifest are always listed: nothing says whose they are)."""
    if not directory.is_dir():
        return []
    out: list[BackupEntry] = []
    for path in directory.iterdir():
        if not path.name.endswith(SUFFIX) or not path.is_file():
            continue
        manifest = read_manifest(path)
        if (
            vault_id
            and manifest is not None
            and manifest.vault_id
            and manifest.vault_id != vault_id
        ):
            continue
        out.append(BackupEntry(path, manifest))
    out.sort(key=lambda e: (e.created, e.path.name))
    return out


def new_backup_path(directory: Path, when: datetime) -> Path:
    stem = "therapynote-" + when.strftime("%Y%m%dT%H%M%SZ")
    candidate = directory / f"{stem}{SUFFIX}"
    n = 1
    while candidate.exists() or manifest_path(candidate).exists():
        n += 1
        candidate = directory / f"{stem}-{n}{SUFFIX}"
    return candidate


def partial_path(final: Path) -> Path:
    return final.with_name(f"{final.name}.{os.getpid()}.partial")


# ---------------------------------------------------------------------- temporary files
def new_temp_path(directory: Path) -> Path:
    """A fresh temp name in `directory` (tagged with our pid so others can tell it is live)."""
    return directory / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}.db"


def remove_temp(path: Path) -> None:
    """Delete a temp database and any -wal/-shm/-journal SQLite put beside it."""
    for suffix in ("", *SIDECAR_SUFFIXES):
        try:
            Path(str(path) + suffix).unlink()
        except FileNotFoundError:
            pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def cleanup_stale(directory: Path) -> list[Path]:
    """Remove temp and partial files left by a killed therapynote (their process is gone)."""
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for path in directory.iterdir():
        m = _TEMP_RE.match(path.name) or _PARTIAL_RE.match(path.name)
        if m is None or _alive(int(m.group(1))):
            continue
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed
