"""Damaged, truncated, wrongly keyed, foreign and missing backups: each fails alone, cleanly."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import Env, all_files, create_backup, snapshot_files


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 70_000])


def _not_age(path: Path) -> None:
    path.write_bytes(os.urandom(4096))
    path.with_name(path.name + ".json").unlink()


def _plain_text(path: Path) -> None:
    path.write_text("just some notes, not a backup\n" * 50)
    path.with_name(path.name + ".json").unlink()


def _foreign_age(path: Path) -> None:
    """A genuine age file, to the vault's own backup and recovery keys, that is not a backup."""
    import tomllib

    import pyrage

    meta = tomllib.loads(path.parent.parent.joinpath("vault", "vault.toml").read_text())
    recipients = [
        pyrage.x25519.Recipient.from_str(meta[k])
        for k in ("backup_recipient", "recovery_recipient")
    ]
    path.write_bytes(pyrage.encrypt(b"hello, this is not a therapynote backup" * 100, recipients))
    path.with_name(path.name + ".json").unlink()


CASES: dict[str, tuple[Callable[[Path], None], int, str]] = {
    "flipped byte": (_flip, 20, "damaged"),
    "truncated": (_truncate, 21, "truncated"),
    "not age": (_not_age, 24, "not a therapynote backup"),
    "plain text": (_plain_text, 24, "not a therapynote backup"),
    "age, not a backup": (_foreign_age, 24, "not a therapynote backup"),
}


def _state(env: Env) -> tuple[dict[str, bytes], set[str]]:
    return snapshot_files(env.vault), all_files(env.root)


def _assert_clean(env: Env, before: tuple[dict[str, bytes], set[str]], result_stderr: str) -> None:
    vault_before, files_before = before
    assert snapshot_files(env.vault) == vault_before  # no change to the vault, byte for byte
    new = all_files(env.root) - files_before
    assert new == set(), f"left behind: {new}"
    assert not any(".therapynote-tmp-" in f or f.endswith(".partial") for f in all_files(env.root))
    lines = [line for line in result_stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("therapynote: "), result_stderr


@pytest.mark.parametrize("case", sorted(CASES))
def test_verify_fails_with_its_own_code(env: Env, case: str) -> None:
    spoil, code, words = CASES[case]
    backup = create_backup(env)
    spoil(backup)
    before = _state(env)
    result = env.run("backup", "verify", str(backup), "--identity", str(env.recovery_key))
    assert result.exit_code == code, result.output
    assert words in result.stderr
    _assert_clean(env, before, result.stderr)
    with_vault = env.run("backup", "verify", str(backup), "--passphrase-file", str(env.pw_file))
    assert with_vault.exit_code == code, with_vault.output


@pytest.mark.parametrize("case", sorted(CASES))
def test_restore_fails_with_its_own_code_and_changes_nothing(env: Env, case: str) -> None:
    spoil, code, words = CASES[case]
    backup = create_backup(env)
    spoil(backup)
    target = env.root / "restored"
    before = _state(env)
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
    assert result.exit_code == code, result.output
    assert words in result.stderr
    assert not target.exists()
    _assert_clean(env, before, result.stderr)
    replace = env.run(
        "backup",
        "restore",
        str(backup),
        "--replace",
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--passphrase-file",
        str(env.pw_file),
    )
    assert replace.exit_code == code, replace.output
    _assert_clean(env, before, replace.stderr)


def test_wrong_identity_fails_with_its_own_code(env: Env, tmp_path: Path) -> None:
    import pyrage

    backup = create_backup(env)
    stranger = tmp_path / "stranger-key.txt"
    stranger.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    before = _state(env)
    result = env.run("backup", "verify", str(backup), "--identity", str(stranger))
    assert result.exit_code == 22, result.output
    assert "none of the given keys opens" in result.stderr
    _assert_clean(env, before, result.stderr)
    target = env.root / "restored"
    result = env.run(
        "backup",
        "restore",
        str(backup),
        "--to",
        str(target),
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--recovery-key",
        str(stranger),
    )
    assert result.exit_code == 22, result.output
    assert not target.exists()
    _assert_clean(env, before, result.stderr)
    result = env.run(
        "backup",
        "restore",
        str(backup),
        "--replace",
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--recovery-key",
        str(stranger),
    )
    assert result.exit_code == 22, result.output
    _assert_clean(env, before, result.stderr)


def test_missing_backup_fails_with_its_own_code(env: Env) -> None:
    before = _state(env)
    missing = env.backups / "therapynote-20200101T000000Z.tnbak"
    result = env.run("backup", "verify", str(missing), "--identity", str(env.recovery_key))
    assert result.exit_code == 23, result.output
    _assert_clean(env, before, result.stderr)
    result = env.run(
        "backup",
        "restore",
        str(missing),
        "--to",
        str(env.root / "r"),
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--recovery-key",
        str(env.recovery_key),
    )
    assert result.exit_code == 23, result.output
    latest = env.run("backup", "verify", "--latest", "--identity", str(env.recovery_key))
    assert latest.exit_code == 23, latest.output


def test_verify_all_reports_every_file_and_fails(env: Env) -> None:
    good = create_backup(env)
    bad = create_backup(env)
    _flip(bad)
    result = env.run("backup", "verify", "--all", "--identity", str(env.recovery_key))
    assert result.exit_code == 20
    assert f"OK     {good.name}" in result.stdout
    assert f"FAILED {bad.name}" in result.stdout


def test_restore_refuses_an_existing_vault_without_replace(env: Env) -> None:
    backup = create_backup(env)
    before = _state(env)
    result = env.run(
        "backup",
        "restore",
        str(backup),
        "--to",
        str(env.vault),
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--recovery-key",
        str(env.recovery_key),
    )
    assert result.exit_code == 11, result.output
    _assert_clean(env, before, result.stderr)


def test_stale_temp_files_of_dead_processes_are_removed(env: Env) -> None:
    backup = create_backup(env)
    dead = 2**22 + 12345  # above the default pid_max: no such process
    stale = [
        env.backups / f".therapynote-tmp-{dead}-abcdef.db",
        env.backups / f".therapynote-tmp-{dead}-abcdef.db-wal",
        env.backups / f"{backup.name}.{dead}.partial",
    ]
    for p in stale:
        p.write_bytes(b"x")
    live = env.backups / f".therapynote-tmp-{os.getpid()}-123456.db"
    live.write_bytes(b"x")
    result = env.run("backup", "verify", str(backup), "--identity", str(env.recovery_key))
    assert result.exit_code == 0, result.output
    assert not any(p.exists() for p in stale)
    assert live.exists()
