"""age recipients (who can open a backup) and identities (what opens one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from therapynote.errors import InvalidInput

#: Settings keys this feature reads.
SETTING_DIR = "backup_dir"
SETTING_RECIPIENTS = "backup_recipients"  # extra recipients, one per line
SETTING_WARN_DAYS = "backup_warn_days"
DEFAULT_WARN_DAYS = 7


def parse_recipient(text: str) -> Any:
    """An age recipient: `age1…` (X25519) or an `ssh-ed25519`/`ssh-rsa` public key."""
    import pyrage

    text = text.strip()
    try:
        if text.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(text)
        if text.startswith("ssh-"):
            return pyrage.ssh.Recipient.from_str(text)
    except Exception:
        pass
    raise InvalidInput(
        "not an age recipient (expected a public key starting age1… or ssh-): "
        + (text[:16] + "…" if len(text) > 16 else text)
    )


def recipient_lines(text: str) -> list[str]:
    """Recipients in the age recipients-file format: one per line, `#` comments."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def read_recipients_file(path: Path) -> list[str]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(f"cannot read the recipients file {path}") from None
    lines = recipient_lines(text)
    if not lines:
        raise InvalidInput(f"the recipients file {path} names no recipient")
    return lines


def parse_identities(text: str) -> list[Any]:
    """Every `AGE-SECRET-KEY-1…` identity in an age identity file."""
    import pyrage

    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("AGE-SECRET-KEY-1"):
            try:
                out.append(pyrage.x25519.Identity.from_str(line))
            except Exception:
                raise InvalidInput("the identity file holds a malformed age secret key") from None
    if not out:
        raise InvalidInput(
            "that file holds no age identity (a line starting AGE-SECRET-KEY-1); "
            "use the recovery key file or another age identity file"
        )
    return out


def read_identity_file(path: Path) -> list[Any]:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(f"cannot read the identity file {path}") from None
    return parse_identities(text)


def public_of(identity: Any) -> str:
    return str(identity.to_public())
