"""Side files of a vault: `vault.toml`, `recovery.age`, `backup-identity.age`.

- `vault.toml` holds only public facts (format, KDF profile, salt, public keys, and which key
  the other side files were last written for).
- `recovery.age` is the raw vault key (64 hex digits and a newline), age-encrypted to the
  offline recovery key. `age -d -i recovery-key.txt recovery.age` prints it.
- `backup-identity.age` is the backup identity's secret, sealed with ChaCha20-Poly1305 under a
  key derived (HKDF-SHA256) from the vault key, itself derived from the passphrase.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

from therapynote.errors import RecoveryFailed, VaultDamaged
from therapynote.vault.files import write_private_atomic
from therapynote.vault.keys import KeyHolder

DB_NAME = "notebook.db"
META_NAME = "vault.toml"
RECOVERY_NAME = "recovery.age"
BACKUP_IDENTITY_NAME = "backup-identity.age"
LOCK_NAME = "lock"
FORMAT_VERSION = 1
WRAP_FORMAT = "therapynote-wrapped-identity/1"


@dataclass
class VaultMeta:
    format_version: int = FORMAT_VERSION
    kdf_profile: int = 1
    kdf: str = "argon2id t=3 m=65536KiB p=4 len=32, salt = first 16 bytes of notebook.db"
    db_salt: str = ""
    recovery_recipient: str = ""
    backup_recipient: str = ""
    recovery_written_for: str = ""
    backup_identity_written_for: str = ""
    created: str = ""


def _toml_value(value: object) -> str:
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def write_meta(directory: Path, meta: VaultMeta) -> None:
    lines = [
        "# therapynote vault metadata: public facts only, no secrets.",
        "# If this file is lost, therapynote rebuilds it at the next unlock.",
    ]
    lines += [f"{k} = {_toml_value(v)}" for k, v in asdict(meta).items()]
    write_private_atomic(directory / META_NAME, ("\n".join(lines) + "\n").encode("utf-8"))


def read_meta(directory: Path) -> VaultMeta | None:
    path = directory / META_NAME
    if not path.exists():
        return None
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None  # rebuilt at the next writable unlock
    known = {k: v for k, v in data.items() if k in VaultMeta.__dataclass_fields__}
    try:
        return VaultMeta(**known)
    except TypeError:
        return None


def recovery_payload(holder: KeyHolder) -> bytes:
    key = holder.copy_bytes()
    try:
        return (key.hex() + "\n").encode("ascii")
    finally:
        for i in range(len(key)):
            key[i] = 0


def write_recovery(directory: Path, holder: KeyHolder, recipient: str) -> None:
    import pyrage

    rec = pyrage.x25519.Recipient.from_str(recipient)
    data = pyrage.encrypt(recovery_payload(holder), [rec])
    write_private_atomic(directory / RECOVERY_NAME, data)


def parse_identity_file(text: str) -> str:
    """The `AGE-SECRET-KEY-1…` line of an age identity file."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-1"):
            return line
    raise RecoveryFailed("that file holds no age identity (a line starting AGE-SECRET-KEY-1)")


def read_recovery_key(directory: Path, identity_text: str) -> bytearray:
    """Decrypt `recovery.age` with the recovery identity; return the raw vault key."""
    import pyrage

    path = directory / RECOVERY_NAME
    if not path.exists():
        raise RecoveryFailed(
            f"the vault has no {RECOVERY_NAME}; restore the vault from a backup with the "
            "recovery key instead"
        )
    try:
        identity = pyrage.x25519.Identity.from_str(parse_identity_file(identity_text))
    except RecoveryFailed:
        raise
    except Exception:
        raise RecoveryFailed("the recovery key file is not a valid age identity") from None
    try:
        plain = pyrage.decrypt(path.read_bytes(), [identity])
    except Exception:
        raise RecoveryFailed("this recovery key does not open this vault's recovery file") from None
    text = plain.decode("ascii", "replace").strip()
    if len(text) != 64 or any(ch not in "0123456789abcdef" for ch in text):
        raise VaultDamaged(f"{RECOVERY_NAME} is damaged")
    return bytearray(bytes.fromhex(text))


def _wrap_key(holder: KeyHolder) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = holder.copy_bytes()
    try:
        return HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=None,
            info=b"therapynote backup-identity wrap v1",
        ).derive(bytes(key))
    finally:
        for i in range(len(key)):
            key[i] = 0


def write_backup_identity(directory: Path, holder: KeyHolder, secret: str, recipient: str) -> None:
    import os

    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    nonce = os.urandom(12)
    aad = f"{WRAP_FORMAT}\n{recipient}".encode("ascii")
    sealed = ChaCha20Poly1305(_wrap_key(holder)).encrypt(nonce, secret.encode("ascii"), aad)
    doc = {
        "format": WRAP_FORMAT,
        "recipient": recipient,
        "nonce": nonce.hex(),
        "ciphertext": sealed.hex(),
    }
    write_private_atomic(
        directory / BACKUP_IDENTITY_NAME, (json.dumps(doc, indent=2) + "\n").encode("ascii")
    )


def read_backup_identity(directory: Path, holder: KeyHolder) -> str | None:
    """The backup identity's secret, or None if the file is missing or sealed under another key."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    path = directory / BACKUP_IDENTITY_NAME
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text("ascii"))
        aad = f"{WRAP_FORMAT}\n{doc['recipient']}".encode("ascii")
        plain = ChaCha20Poly1305(_wrap_key(holder)).decrypt(
            bytes.fromhex(doc["nonce"]), bytes.fromhex(doc["ciphertext"]), aad
        )
    except (ValueError, KeyError, InvalidTag, UnicodeDecodeError):
        return None
    return plain.decode("ascii")
