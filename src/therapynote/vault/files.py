"""Private files: created 0600 in 0700 folders, written atomically and fsynced."""

from __future__ import annotations

import os
from pathlib import Path


def ensure_private_dir(path: Path) -> None:
    """Create a folder (and parents) with mode 0700; tighten an existing one."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if (path.stat().st_mode & 0o777) != 0o700:
        path.chmod(0o700)


def precreate_private(path: Path) -> None:
    """Create an empty 0600 file that must not exist yet (SQLite then keeps its mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` durable."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def write_private_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a 0600 `.partial` file, fsync, rename, fsync the folder."""
    partial = path.with_name(path.name + ".partial")
    if partial.exists():
        partial.unlink()
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    fsync_dir(path.parent)


def write_new_private(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, mode 0600 (used for a recovery key the user names)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
