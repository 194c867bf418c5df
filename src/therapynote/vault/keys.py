"""Key derivation and the in-memory key holder.

The SQLCipher key is a raw 256-bit key: Argon2id(passphrase, salt) where the salt is the
database file's own first 16 bytes. Parameters are versioned as "KDF profiles" so they can be
raised later; unlock tries the newest profile first.
"""

from __future__ import annotations

from dataclasses import dataclass

from therapynote.errors import VaultLocked


@dataclass(frozen=True)
class KdfProfile:
    """Argon2id parameters (RFC 9106 names: t = iterations, m = memory in KiB, p = lanes)."""

    id: int
    iterations: int
    memory_kib: int
    lanes: int
    length: int = 32


#: Profile 1 is RFC 9106's second recommended option: t=3, m=64 MiB, p=4, 32-byte output.
KDF_PROFILES: dict[int, KdfProfile] = {
    1: KdfProfile(id=1, iterations=3, memory_kib=64 * 1024, lanes=4),
}
CURRENT_PROFILE = 1
SALT_BYTES = 16
KEY_BYTES = 32


def derive_key(passphrase: bytearray, salt: bytes, profile: int = CURRENT_PROFILE) -> bytearray:
    """Derive the raw vault key from a passphrase and the database file's salt."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    p = KDF_PROFILES[profile]
    kdf = Argon2id(
        salt=salt,
        length=p.length,
        iterations=p.iterations,
        lanes=p.lanes,
        memory_cost=p.memory_kib,
    )
    return bytearray(kdf.derive(bytes(passphrase)))


def wipe(buf: bytearray | None) -> None:
    """Overwrite a bytearray with zeros (best effort: Python may hold other copies)."""
    if buf is None:
        return
    for i in range(len(buf)):
        buf[i] = 0


class KeyHolder:
    """Holds the raw key in a bytearray until `wipe()`; after that every use raises VaultLocked."""

    __slots__ = ("_key",)

    def __init__(self, key: bytearray) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("a vault key is 32 bytes")
        self._key: bytearray | None = key

    def __repr__(self) -> str:
        return "KeyHolder(<locked>)" if self._key is None else "KeyHolder(<key>)"

    @property
    def is_locked(self) -> bool:
        return self._key is None

    def key_pragma(self, *, salt: bytes | None = None, verb: str = "key") -> str:
        """The `PRAGMA key = "x'…'"` statement (raw key, optionally with a salt to set)."""
        if self._key is None:
            raise VaultLocked("the vault is locked; unlock it again")
        extra = salt.hex() if salt is not None else ""
        return f"PRAGMA {verb} = \"x'{self._key.hex()}{extra}'\""

    def copy_bytes(self) -> bytearray:
        """A copy of the key (the caller wipes it)."""
        if self._key is None:
            raise VaultLocked("the vault is locked; unlock it again")
        return bytearray(self._key)

    def fingerprint(self) -> str:
        """A short one-way tag of the key, used to tell whether side files are current."""
        import hashlib

        if self._key is None:
            raise VaultLocked("the vault is locked; unlock it again")
        return hashlib.sha256(b"therapynote key fingerprint v1\0" + bytes(self._key)).hexdigest()[
            :32
        ]

    def wipe(self) -> None:
        wipe(self._key)
        self._key = None
