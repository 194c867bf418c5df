"""Where a vault's backups are, and whether the newest verified one is recent enough."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from therapynote.backup.keys import DEFAULT_WARN_DAYS, SETTING_DIR, SETTING_WARN_DAYS
from therapynote.backup.store import BackupEntry, default_backup_dir, list_backups, vault_id_for

if TYPE_CHECKING:
    from therapynote.vault.vault import Vault


def configured_dir(vault: Vault) -> Path:
    """The `backup_dir` setting, else `backups/` beside the vault folder."""
    value = vault.repo.get_setting(SETTING_DIR)
    return Path(value).expanduser() if value else default_backup_dir(vault.directory)


def vault_id(vault: Vault) -> str | None:
    recipient = vault.repo.get_setting("recovery_recipient")
    return vault_id_for(recipient) if recipient else None


def warn_days(vault: Vault) -> int:
    value = vault.repo.get_setting(SETTING_WARN_DAYS)
    try:
        return int(value) if value else DEFAULT_WARN_DAYS
    except ValueError:
        return DEFAULT_WARN_DAYS


def newest_verified(entries: list[BackupEntry]) -> BackupEntry | None:
    verified = [e for e in entries if e.verified_ok]
    return verified[-1] if verified else None


def backup_age_note(vault: Vault, now: datetime | None = None) -> str | None:
    """A note for `therapynote check` when the newest verified backup is too old (or absent)."""
    directory = configured_dir(vault)
    days = warn_days(vault)
    newest = newest_verified(list_backups(directory, vault_id(vault)))
    if newest is None:
        return f"no verified backup in {directory}; make one with `therapynote backup create`"
    age = (now or datetime.now(UTC)) - newest.created
    if age > timedelta(days=days):
        return (
            f"the newest verified backup is {age.days} days old (limit {days}); "
            "make one with `therapynote backup create`"
        )
    return None
