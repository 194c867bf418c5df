"""Where therapynote keeps things. Nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "therapynote"


def data_dir() -> Path:
    """The per-user data folder (vaults live below it)."""
    override = os.environ.get("THERAPYNOTE_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The per-user config folder (settings, user rule packs)."""
    override = os.environ.get("THERAPYNOTE_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_vault_dir() -> Path:
    """The vault used when no `--vault` is given: `THERAPYNOTE_VAULT` or the data dir's `vault`."""
    override = os.environ.get("THERAPYNOTE_VAULT")
    if override:
        return Path(override).expanduser()
    return data_dir() / "vault"


def demo_vault_dir() -> Path:
    """The demo vault's own place, kept apart from real records."""
    return data_dir() / "demo-vault"
