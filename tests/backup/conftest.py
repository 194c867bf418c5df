"""Fixtures for backup tests: real SQLCipher vaults in tmp_path, run through the CLI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import NEW_PASSPHRASE, PASSPHRASE, Env


def _build_template(root: Path) -> None:
    from therapynote import demo
    from therapynote.vault.vault import Vault

    created = Vault.create(root / "vault", bytearray(PASSPHRASE.encode()))
    with created.vault as v:
        demo.generate(v.repo, size=12, seed=1)
    offline = root / "offline"
    offline.mkdir(mode=0o700)
    (offline / "recovery-key.txt").write_text(created.recovery_identity)
    (offline / "passphrase.txt").write_text(PASSPHRASE + "\n")
    (offline / "new-passphrase.txt").write_text(NEW_PASSPHRASE + "\n")


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    _build_template(root)
    return root


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("THERAPYNOTE_"):
            monkeypatch.delenv(name)
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    monkeypatch.setenv("THERAPYNOTE_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def env(_template: Path, tmp_path: Path) -> Iterator[Env]:
    root = tmp_path / "practice"
    shutil.copytree(_template, root)
    yield Env(
        root=root,
        vault=root / "vault",
        pw_file=root / "offline" / "passphrase.txt",
        new_pw_file=root / "offline" / "new-passphrase.txt",
        recovery_key=root / "offline" / "recovery-key.txt",
        backups=root / "backups",
    )
