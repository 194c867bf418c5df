"""User settings: a small TOML file in the config folder. Never holds secrets or records.

```toml
idle_lock_seconds = 300
theme = "textual-dark"
privacy_default = false
backup_reminder = true

[keymap]            # binding id -> keys, e.g. lock = "ctrl+k"
lock = "ctrl+l"
```
The practice profile (which rule packs apply) lives in the vault, not here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from therapynote import paths

CONFIG_NAME = "config.toml"
DEFAULT_IDLE_LOCK_SECONDS = 300
MIN_IDLE_LOCK_SECONDS = 1
IDLE_ENV = "THERAPYNOTE_IDLE_LOCK_SECONDS"


@dataclass
class Settings:
    """What the app reads at start; `load_settings` fills it, `save_settings` writes it."""

    idle_lock_seconds: int = DEFAULT_IDLE_LOCK_SECONDS
    """Lock the vault after this many seconds without a key press or click."""
    theme: str = "textual-dark"
    """Textual theme name."""
    privacy_default: bool = False
    """Start in privacy mode (client codes instead of names)."""
    backup_reminder: bool = True
    """Warn in the header when the newest verified backup is older than the vault's limit."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> key string, passed to `App.set_keymap`."""
    problems: list[str] = field(default_factory=list)
    """Non-fatal problems found while reading the file (shown once in the app)."""


def config_file() -> Path:
    """Where the settings live: `$THERAPYNOTE_CONFIG_FILE` or the config folder's file."""
    override = os.environ.get("THERAPYNOTE_CONFIG_FILE")
    if override:
        return Path(override).expanduser()
    return paths.config_dir() / CONFIG_NAME


def idle_seconds_from_env() -> int | None:
    raw = os.environ.get(IDLE_ENV, "").strip()
    if not raw:
        return None
    try:
        return max(MIN_IDLE_LOCK_SECONDS, int(float(raw)))
    except ValueError:
        return None


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file gives defaults, a bad one defaults plus a problem note."""
    import tomllib

    path = path or config_file()
    settings = Settings()
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            settings.problems.append(f"{path}: could not be read ({type(exc).__name__})")
            data = {}
        idle = data.get("idle_lock_seconds")
        if isinstance(idle, int) and not isinstance(idle, bool) and idle >= MIN_IDLE_LOCK_SECONDS:
            settings.idle_lock_seconds = idle
        elif idle is not None:
            settings.problems.append(f"{path}: idle_lock_seconds must be a whole number >= 1")
        theme = data.get("theme")
        if isinstance(theme, str) and theme:
            settings.theme = theme
        privacy = data.get("privacy_default")
        if isinstance(privacy, bool):
            settings.privacy_default = privacy
        reminder = data.get("backup_reminder")
        if isinstance(reminder, bool):
            settings.backup_reminder = reminder
        keymap = data.get("keymap", {})
        if isinstance(keymap, dict):
            settings.keymap = {str(k): str(v) for k, v in keymap.items() if isinstance(v, str)}
        else:
            settings.problems.append(f'{path}: [keymap] must be a table of id = "keys"')
    env_idle = idle_seconds_from_env()
    if env_idle is not None:
        settings.idle_lock_seconds = env_idle
    return settings


def _toml_str(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def dump_settings(settings: Settings) -> str:
    lines = [
        "# therapynote settings (no secrets, no records)",
        f"idle_lock_seconds = {int(settings.idle_lock_seconds)}",
        f"theme = {_toml_str(settings.theme)}",
        f"privacy_default = {'true' if settings.privacy_default else 'false'}",
        f"backup_reminder = {'true' if settings.backup_reminder else 'false'}",
        "",
        "[keymap]",
    ]
    for key, keys in sorted(settings.keymap.items()):
        lines.append(f"{_toml_str(key)} = {_toml_str(keys)}")
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings file (creates the config folder, mode 700)."""
    path = path or config_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(dump_settings(settings), encoding="utf-8")
    tmp.replace(path)
    return path
