"""Backups survive passphrase changes; the recovery key alone brings a vault back."""

from __future__ import annotations

from .helpers import NEW_PASSPHRASE, PASSPHRASE, Env, create_backup, dump_vault


def test_every_older_backup_restores_after_passwd(env: Env) -> None:
    rows_one = dump_vault(env.vault, PASSPHRASE)
    first = create_backup(env)
    changed = env.root / "offline" / "changed.txt"
    changed.write_text("the second passphrase\n")
    result = env.run(
        "passwd", "--passphrase-file", str(env.pw_file), "--new-passphrase-file", str(changed)
    )
    assert result.exit_code == 0, result.output
    second = env.run("backup", "create", "--passphrase-file", str(changed))
    assert second.exit_code == 0, second.output
    # The pre-passwd backup opens with the current passphrase (via the backup identity) ...
    target = env.root / "restored-one"
    result = env.run(
        "backup",
        "restore",
        str(first),
        "--to",
        str(target),
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--passphrase-file",
        str(changed),
    )
    assert result.exit_code == 0, result.output
    assert dump_vault(target, NEW_PASSPHRASE) == rows_one
    # ... and with the recovery key.
    target2 = env.root / "restored-two"
    result = env.run(
        "backup",
        "restore",
        str(first),
        "--to",
        str(target2),
        "--new-passphrase-file",
        str(env.new_pw_file),
        "--recovery-key",
        str(env.recovery_key),
    )
    assert result.exit_code == 0, result.output
    assert dump_vault(target2, NEW_PASSPHRASE) == rows_one


def test_forgotten_passphrase_restore_with_recovery_key_only(env: Env) -> None:
    backup = create_backup(env)
    rows = dump_vault(env.vault, PASSPHRASE)
    # The passphrase is forgotten: restore in place with nothing but the recovery key.
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
    assert dump_vault(env.vault, NEW_PASSPHRASE) == rows
    old = env.run("check", "--passphrase-file", str(env.pw_file))
    assert old.exit_code == 4  # the forgotten passphrase no longer opens it
    check = env.run("check", "--passphrase-file", str(env.new_pw_file))
    assert check.exit_code == 0, check.output
    # The previous database is kept aside, not deleted.
    aside = [p.name for p in env.vault.iterdir() if ".pre-restore-" in p.name]
    assert any(n.startswith("notebook.db.pre-restore-") for n in aside)
    # The recovery key keeps working for the restored vault (recovery.age was rewritten).
    rec = env.run(
        "recover",
        "--recovery-key",
        str(env.recovery_key),
        "--new-passphrase-file",
        str(env.pw_file),
    )
    assert rec.exit_code == 0, rec.output
    assert dump_vault(env.vault, PASSPHRASE)["clients"] == rows["clients"]
