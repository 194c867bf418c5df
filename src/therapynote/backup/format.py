"""The backup payload: what sits inside the age stream.

Layout (all of it age-encrypted; nothing of it is ever written to disk in the clear)::

    b"therapynote-backup\\n"      19 bytes, the magic line
    N                             4 bytes, big-endian unsigned: length of the header
    header                        N bytes, UTF-8 JSON object (see `BackupHeader`)
    snapshot                      the rest: a SQLCipher 4 database keyed with the raw
                                  `snapshot_key` from the header

The snapshot is ciphertext in its own right, so partial output of a failed decryption leaks
no record text; the header (which holds the snapshot key) is only ever parsed in memory.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from therapynote.errors import NotABackup

MAGIC = b"therapynote-backup\n"
FORMAT_NAME = "therapynote-backup"
FORMAT_VERSION = 1
MAX_HEADER_BYTES = 64 * 1024
AGE_MAGIC = b"age-encryption.org/v1\n"
SUFFIX = ".tnbak"

ProgressFn = Callable[[int], None]


@dataclass
class BackupHeader:
    """The header inside the age stream. `snapshot_key` is secret: keep it in memory only."""

    created: str
    app_version: str
    schema_revision: str | None
    counts: dict[str, int]
    snapshot_key: bytearray = field(repr=False)
    snapshot_salt: str
    snapshot_size: int
    snapshot_sha256: str
    vault_id: str
    vault_salt: str
    page_size: int = 4096
    format: str = FORMAT_NAME
    format_version: int = FORMAT_VERSION

    def encode(self) -> bytearray:
        """Magic line, length and JSON header: the bytes that precede the snapshot."""
        doc: dict[str, Any] = {
            "format": self.format,
            "format_version": self.format_version,
            "created": self.created,
            "app_version": self.app_version,
            "schema_revision": self.schema_revision,
            "counts": self.counts,
            "snapshot_key": self.snapshot_key.hex(),
            "snapshot_salt": self.snapshot_salt,
            "snapshot_size": self.snapshot_size,
            "snapshot_sha256": self.snapshot_sha256,
            "page_size": self.page_size,
            "cipher": "SQLCipher 4 defaults; PRAGMA key = \"x'<snapshot_key>'\"",
            "vault_id": self.vault_id,
            "vault_salt": self.vault_salt,
        }
        body = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")
        out = bytearray(MAGIC)
        out += struct.pack(">I", len(body))
        out += body
        return out

    @classmethod
    def decode(cls, body: bytes | bytearray) -> BackupHeader:
        try:
            doc = json.loads(bytes(body).decode("utf-8"))
            if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
                raise ValueError("format")
            version = int(doc["format_version"])
            if version > FORMAT_VERSION:
                raise NotABackup(
                    f"this backup uses format {version}, newer than this therapynote "
                    f"understands ({FORMAT_VERSION}); upgrade therapynote to read it"
                )
            key = bytearray(bytes.fromhex(str(doc["snapshot_key"])))
            if len(key) != 32:
                raise ValueError("key")
            return cls(
                created=str(doc["created"]),
                app_version=str(doc.get("app_version", "")),
                schema_revision=doc.get("schema_revision"),
                counts={str(k): int(v) for k, v in dict(doc["counts"]).items()},
                snapshot_key=key,
                snapshot_salt=str(doc["snapshot_salt"]),
                snapshot_size=int(doc["snapshot_size"]),
                snapshot_sha256=str(doc["snapshot_sha256"]),
                vault_id=str(doc.get("vault_id", "")),
                vault_salt=str(doc.get("vault_salt", "")),
                page_size=int(doc.get("page_size", 4096)),
                format_version=version,
            )
        except NotABackup:
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise NotABackup(
                "the file decrypts but its header is not a therapynote backup header"
            ) from None

    def public(self) -> dict[str, Any]:
        """The header without its secret, for reports."""
        return {
            "format_version": self.format_version,
            "created": self.created,
            "app_version": self.app_version,
            "schema_revision": self.schema_revision,
            "counts": dict(self.counts),
            "snapshot_size": self.snapshot_size,
        }

    def wipe(self) -> None:
        for i in range(len(self.snapshot_key)):
            self.snapshot_key[i] = 0


class PayloadReader:
    """A reader for `pyrage.encrypt_io`: the header bytes, then the snapshot file."""

    def __init__(self, head: bytearray, snapshot: BinaryIO, progress: ProgressFn | None) -> None:
        self._head = head
        self._pos = 0
        self._snapshot = snapshot
        self._progress = progress

    def read(self, n: int = -1) -> bytes:
        if self._pos < len(self._head):
            end = len(self._head) if n is None or n < 0 else min(len(self._head), self._pos + n)
            out = bytes(self._head[self._pos : end])
            self._pos = end
            return out
        data = self._snapshot.read(n if n is not None and n >= 0 else -1)
        if self._progress is not None and data:
            self._progress(len(data))
        return data

    def wipe(self) -> None:
        for i in range(len(self._head)):
            self._head[i] = 0


class PayloadWriter:
    """A writer for `pyrage.decrypt_io`: parses the header in memory, streams the rest to `sink`.

    Raises NotABackup from `write` as soon as the bytes cannot be a therapynote payload.
    """

    def __init__(self, sink: BinaryIO) -> None:
        self._sink = sink
        self._buf = bytearray()
        self.header: BackupHeader | None = None
        self.snapshot_bytes = 0
        self._hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        n = len(data)
        if self.header is None:
            self._buf += data
            k = min(len(self._buf), len(MAGIC))
            if bytes(self._buf[:k]) != MAGIC[:k]:
                self._clear()
                raise NotABackup(
                    "the file is an age file but not a therapynote backup "
                    "(its content does not start with the backup magic line)"
                )
            if len(self._buf) < len(MAGIC) + 4:
                return n
            (length,) = struct.unpack(">I", bytes(self._buf[len(MAGIC) : len(MAGIC) + 4]))
            if length > MAX_HEADER_BYTES:
                self._clear()
                raise NotABackup("the backup header is implausibly large; not a therapynote backup")
            start = len(MAGIC) + 4
            if len(self._buf) < start + length:
                return n
            try:
                self.header = BackupHeader.decode(self._buf[start : start + length])
            finally:
                rest = bytes(self._buf[start + length :])
                self._clear()
            data = rest
        if data:
            self._sink.write(data)
            self._hash.update(data)
            self.snapshot_bytes += len(data)
        return n

    def flush(self) -> None:
        self._sink.flush()

    @property
    def snapshot_sha256(self) -> str:
        return self._hash.hexdigest()

    def _clear(self) -> None:
        for i in range(len(self._buf)):
            self._buf[i] = 0
        self._buf = bytearray()


class HashingReader:
    """A reader for `pyrage.decrypt_io` that hashes (and counts) what it hands over."""

    def __init__(self, f: BinaryIO, progress: ProgressFn | None = None) -> None:
        self._f = f
        self._progress = progress
        self.hash = hashlib.sha256()
        self.count = 0

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(n if n is not None and n >= 0 else -1)
        if data:
            self.hash.update(data)
            self.count += len(data)
            if self._progress is not None:
                self._progress(len(data))
        return data

    def finish(self) -> str:
        """Hash whatever the decryptor did not read (after a failure) and return the digest."""
        while True:
            data = self._f.read(1 << 20)
            if not data:
                break
            self.hash.update(data)
            self.count += len(data)
        return self.hash.hexdigest()
