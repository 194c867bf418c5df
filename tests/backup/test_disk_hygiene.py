"""No plaintext record text or backup key on disk; every file created is private."""

from __future__ import annotations

from pathlib import Path

from .helpers import NEW_PASSPHRASE, PASSPHRASE, Env, create_backup, dump_vault, mode

MARKER = "ZQXMARKER-7f3a91-synthetic"


def _add_marker(env: Env) -> None:
    from therapynote.domain.models import JOURNAL_KINDS
    from therapynote.vault.vault import Vault

    with Vault.unlock(env.vault, bytearray(PASSPHRASE.encode())) as v:
        client = v.repo.add_client(f"Ilse {MARKER}")
        v.repo.add_journal(client.code, kind=JOURNAL_KINDS[0], text_=f"note text {MARKER}")


def _header_key(backup: Path, identity_file: Path) -> bytes:
    import json
    import struct

    import pyrage

    from therapynote.backup.keys import read_identity_file

    payload = pyrage.decrypt(backup.read_bytes(), read_identity_file(identity_file))
    (n,) = struct.unpack(">I", payload[19:23])
    return bytes.fromhex(json.loads(payload[23 : 23 + n])["snapshot_key"])


def test_no_plaintext_marker_or_snapshot_key_in_any_file(env: Env, tmp_path: Path) -> None:
    _add_marker(env)
    assert MARKER in repr(dump_vault(env.vault, PASSPHRASE)["clients"])
    backup = create_backup(env)
    assert (
        env.run("backup", "verify", str(backup), "--passphrase-file", str(env.pw_file)).exit_code
        == 0
    )
    target = env.root / "restored"
    result = env.run(
        "backup",
        "restore",
        str(backup),
        "--to",
        str(target),
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--passphrase-file",
        str(env.pw_file),
    )
    assert result.exit_code == 0, result.output
    result = env.run(
        "backup",
        "restore",
        str(backup),
        "--replace",
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--recovery-key",
        str(env.recovery_key),
    )
    assert result.exit_code == 0, result.output
    assert MARKER in repr(dump_vault(target, NEW_PASSPHRASE)["clients"])

    key = _header_key(backup, env.recovery_key)
    needles = [
        MARKER.encode("utf-8"),
        MARKER.encode("utf-16-le"),
        key,
        key.hex().encode("ascii"),
        key.hex().upper().encode("ascii"),
    ]
    scanned = 0
    for path in tmp_path.rglob("*"):  # vaults, backups, restored vault, TMPDIR
        if path.is_file():
            data = path.read_bytes()
            scanned += 1
            for needle in needles:
                assert needle not in data, f"{needle[:12]!r}… found in {path}"
    assert scanned > 10


def test_every_file_created_is_private(env: Env) -> None:
    backup = create_backup(env)
    target = env.root / "nested" / "restored"
    result = env.run(
        "backup",
        "restore",
        str(backup),
        "--to",
        str(target),
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--recovery-key",
        str(env.recovery_key),
    )
    assert result.exit_code == 0, result.output
    result = env.run(
        "backup",
        "restore",
        str(backup),
        "--replace",
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--recovery-key",
        str(env.recovery_key),
    )
    assert result.exit_code == 0, result.output
    for folder in (env.backups, target, env.vault):
        assert mode(folder) == 0o700, folder
        for path in folder.iterdir():
            assert mode(path) == 0o600, path
