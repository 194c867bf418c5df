"""Create, verify, restore and list through the CLI on a demo vault."""

from __future__ import annotations

import json
from pathlib import Path

from .helpers import (
    NEW_PASSPHRASE,
    PASSPHRASE,
    Env,
    create_backup,
    dump_vault,
    mode,
)


def test_create_writes_private_files_beside_the_vault(env: Env) -> None:
    result = env.run("backup", "create", "--passphrase-file", str(env.pw_file), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    path = Path(data["path"])
    assert set(data) >= {"path", "sha256"}
    assert path.parent == env.backups  # a sibling of the vault folder, not inside it
    assert mode(env.backups) == 0o700
    assert mode(path) == 0o600
    manifest = json.loads(path.with_name(path.name + ".json").read_text())
    assert manifest["sha256"] == data["sha256"]
    assert manifest["verified_at"] is not None and manifest["last_verify"] == "ok"
    assert manifest["counts"]["sessions"] > 0
    assert sorted(p.name for p in env.backups.iterdir()) == [path.name, path.name + ".json"]
    assert path.read_bytes().startswith(b"age-encryption.org/v1\n")


def test_round_trip_gives_identical_rows_and_a_vault_that_passes_check(env: Env) -> None:
    before = dump_vault(env.vault, PASSPHRASE)
    backup = create_backup(env)
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
    after = dump_vault(target, NEW_PASSPHRASE)
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert mode(target) == 0o700
    assert all(mode(p) == 0o600 for p in target.iterdir())
    names = {p.name for p in target.iterdir()}
    assert {"notebook.db", "recovery.age", "backup-identity.age", "vault.toml"} <= names
    check = env.run("check", "--passphrase-file", str(env.new_pw_file), vault=target)
    assert check.exit_code == 0, check.output
    assert "vault OK" in check.stdout
    # The restored vault opens the same backups with its new passphrase.
    again = env.run(
        "backup", "verify", str(backup), "--passphrase-file", str(env.new_pw_file), vault=target
    )
    assert again.exit_code == 0, again.output


def test_verify_with_recovery_key_needs_no_vault(env: Env) -> None:
    backup = create_backup(env)
    result = env.run(
        "backup",
        "verify",
        str(backup),
        "--identity",
        str(env.recovery_key),
        "--json",
        vault=env.root / "nowhere",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert data["steps"]["page HMACs"] == "ok"
    assert data["steps"]["audit chain"] == "ok"
    assert data["steps"]["counts"] == "ok"


def test_verify_latest_and_all_and_list(env: Env) -> None:
    first = create_backup(env)
    second = create_backup(env)
    assert first != second
    latest = env.run("backup", "verify", "--latest", "--passphrase-file", str(env.pw_file))
    assert latest.exit_code == 0, latest.output
    assert second.name in latest.stdout and first.name not in latest.stdout
    every = env.run("backup", "verify", "--all", "--identity", str(env.recovery_key))
    assert every.exit_code == 0, every.output
    assert first.name in every.stdout and second.name in every.stdout
    listed = env.run("backup", "list", "--dir", str(env.backups), "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [Path(r["path"]).name for r in rows] == [first.name, second.name]
    assert all(r["verified_at"] and r["counts"]["clients"] == 12 for r in rows)
    human = env.run("backup", "list", "--passphrase-file", str(env.pw_file))
    assert human.exit_code == 0 and "12 clients" in human.stdout


def test_extra_recipient_can_open_the_backup(env: Env, tmp_path: Path) -> None:
    import pyrage

    other = pyrage.x25519.Identity.generate()
    recipients = tmp_path / "recipients.txt"
    recipients.write_text(f"# a second office key\n{other.to_public()}\n")
    backup = create_backup(env, "--recipients-file", str(recipients))
    key_file = tmp_path / "other-key.txt"
    key_file.write_text(f"{other}\n")
    result = env.run("backup", "verify", str(backup), "--identity", str(key_file))
    assert result.exit_code == 0, result.output


def test_bad_recipient_is_refused_before_anything_is_written(env: Env) -> None:
    result = env.run(
        "backup", "create", "--recipient", "age1notakey", "--passphrase-file", str(env.pw_file)
    )
    assert result.exit_code == 9
    assert not env.backups.exists()


def test_backup_folder_inside_the_vault_is_refused(env: Env) -> None:
    result = env.run(
        "backup", "create", "--to", str(env.vault / "b"), "--passphrase-file", str(env.pw_file)
    )
    assert result.exit_code == 9
    assert not (env.vault / "b").exists()


def test_config_sets_folder_used_by_create_and_list(env: Env) -> None:
    folder = env.root / "usb" / "tn"
    result = env.run(
        "backup",
        "config",
        "--set-dir",
        str(folder),
        "--warn-days",
        "3",
        "--passphrase-file",
        str(env.pw_file),
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["warn_days"] == 3
    backup = create_backup(env)
    assert backup.parent == folder
    listed = env.run("backup", "list", "--passphrase-file", str(env.pw_file), "--json")
    assert [Path(r["path"]) for r in json.loads(listed.stdout)] == [backup]
