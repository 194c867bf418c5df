"""A backup opens with the reference `age` tool and the recipe in docs/backup.md."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import Env, create_backup

DOCS = Path(__file__).resolve().parents[2] / "docs" / "backup.md"


def _recipe(name: str) -> str:
    match = re.search(
        rf"<!-- recipe: {name} -->\s*```python\n(.*?)```", DOCS.read_text("utf-8"), re.S
    )
    assert match, f"docs/backup.md has no '{name}' recipe"
    return match.group(1)


@pytest.mark.skipif(
    shutil.which("age") is None,
    reason="the reference `age` CLI is not installed (Debian package `age`; CI installs it)",
)
def test_reference_age_cli_and_documented_recipe_open_a_backup(env: Env, tmp_path: Path) -> None:
    backup = create_backup(env)
    work = tmp_path / "recipe"
    work.mkdir(mode=0o700)
    (work / "tnbak-split.py").write_text(_recipe("split"))
    (work / "tnbak-open.py").write_text(_recipe("open"))
    age = subprocess.Popen(
        ["age", "-d", "-i", str(env.recovery_key), str(backup)], stdout=subprocess.PIPE
    )
    split = subprocess.run(
        [sys.executable, "tnbak-split.py", "snapshot.db"],
        stdin=age.stdout,
        cwd=work,
        capture_output=True,
        check=True,
    )
    assert age.stdout is not None
    age.stdout.close()
    assert age.wait() == 0
    header = json.loads(split.stdout)
    assert header["format"] == "therapynote-backup" and header["format_version"] == 1
    snapshot = work / "snapshot.db"
    assert snapshot.stat().st_size == header["snapshot_size"]
    assert snapshot.read_bytes()[:16].hex() == header["snapshot_salt"]
    opened = subprocess.run(
        [sys.executable, "tnbak-open.py", "snapshot.db"],
        input=header["snapshot_key"] + "\n",
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    counts = {}
    for line in opened.stdout.splitlines():
        name, _, n = line.rpartition(" ")
        counts[name.removeprefix("snapshot_key: ")] = int(n)
    for table, n in header["counts"].items():
        assert counts[table] == n, table
    assert counts["clients"] == 12


@pytest.mark.skipif(shutil.which("age") is None, reason="the reference `age` CLI is not installed")
def test_age_cli_detects_a_truncated_backup(env: Env, tmp_path: Path) -> None:
    backup = create_backup(env)
    cut = tmp_path / "cut.tnbak"
    cut.write_bytes(backup.read_bytes()[:-1000])
    done = subprocess.run(["age", "-d", "-i", str(env.recovery_key), str(cut)], capture_output=True)
    assert done.returncode != 0
