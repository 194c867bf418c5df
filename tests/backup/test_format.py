"""The payload framing, independent of files and keys."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from therapynote.backup.format import MAGIC, BackupHeader, PayloadReader, PayloadWriter
from therapynote.errors import NotABackup


def _header(snapshot: bytes) -> BackupHeader:
    import hashlib

    return BackupHeader(
        created="2026-01-02T03:04:05.000000Z",
        app_version="0.1.0",
        schema_revision="0001",
        counts={"clients": 3},
        snapshot_key=bytearray(range(32)),
        snapshot_salt="00" * 16,
        snapshot_size=len(snapshot),
        snapshot_sha256=hashlib.sha256(snapshot).hexdigest(),
        vault_id="abc",
        vault_salt="11" * 16,
    )


@given(snapshot=st.binary(max_size=3000), cuts=st.lists(st.integers(1, 97), max_size=60))
def test_payload_round_trips_whatever_the_chunking(snapshot: bytes, cuts: list[int]) -> None:
    head = _header(snapshot).encode()
    reader = PayloadReader(bytearray(head), io.BytesIO(snapshot), None)
    stream = b""
    while chunk := reader.read(64):
        stream += chunk
    assert stream.startswith(MAGIC)
    sink = io.BytesIO()
    writer = PayloadWriter(sink)
    pos = 0
    for cut in [*cuts, len(stream)]:
        writer.write(stream[pos : pos + cut])
        pos += cut
        if pos >= len(stream):
            break
    if pos < len(stream):
        writer.write(stream[pos:])
    assert writer.header is not None
    assert writer.header.snapshot_key == bytearray(range(32))
    assert writer.header.counts == {"clients": 3}
    assert sink.getvalue() == snapshot
    assert writer.snapshot_sha256 == writer.header.snapshot_sha256


def test_reader_wipes_the_header() -> None:
    head = _header(b"").encode()
    reader = PayloadReader(head, io.BytesIO(b""), None)
    reader.wipe()
    assert set(head) == {0}


@pytest.mark.parametrize(
    "payload",
    [b"SQLite format 3\x00" + b"\x00" * 64, b"therapynote-backup\n\xff\xff\xff\xff", b"x"],
)
def test_foreign_payloads_are_not_backups(payload: bytes) -> None:
    writer = PayloadWriter(io.BytesIO())
    with pytest.raises(NotABackup):
        writer.write(payload)
        raise NotABackup("too short")


def test_newer_format_is_refused_with_a_clear_message() -> None:
    import json
    import struct

    body = json.dumps({"format": "therapynote-backup", "format_version": 99}).encode()
    writer = PayloadWriter(io.BytesIO())
    with pytest.raises(NotABackup, match="newer"):
        writer.write(MAGIC + struct.pack(">I", len(body)) + body)
