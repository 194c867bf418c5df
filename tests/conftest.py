"""Shared fixtures: isolated folders, passphrase files, a prepared vault, a CLI runner.

Every name in these tests is synthetic.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real data/config folders or inherits a passphrase source."""
    for key in list(os.environ):
        if key.startswith("THERAPYNOTE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("THERAPYNOTE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("THERAPYNOTE_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(scope="session")
def _template_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One vault created per test session (the KDF is deliberately slow); tests get copies."""
    from therapynote.vault.vault import Vault

    base = tmp_path_factory.mktemp("template")
    created = Vault.create(base / "vault", bytearray(PASSPHRASE.encode()))
    created.vault.close()
    return base / "vault", created.recovery_identity


@dataclass
class VaultFixture:
    directory: Path
    passphrase_file: Path
    recovery_key_file: Path

    def open(self, writable: bool = True):  # type: ignore[no-untyped-def]
        from therapynote.vault.vault import Vault

        return Vault.unlock(self.directory, bytearray(PASSPHRASE.encode()), writable=writable)


@pytest.fixture
def pwfile(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n")
    return path


@pytest.fixture
def vault(tmp_path: Path, _template_vault: tuple[Path, str], pwfile: Path) -> VaultFixture:
    """A fresh, empty vault (a copy of the session's template) with its key files."""
    src, identity = _template_vault
    dst = tmp_path / "vault"
    shutil.copytree(src, dst)
    (dst / "lock").unlink(missing_ok=True)
    rk = tmp_path / "recovery-key.txt"
    rk.write_text(identity)
    rk.chmod(0o600)
    return VaultFixture(dst, pwfile, rk)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@dataclass
class Cli:
    runner: CliRunner
    vault: VaultFixture

    def __call__(self, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        from therapynote.cli import app

        env = {
            "THERAPYNOTE_VAULT": str(self.vault.directory),
            "THERAPYNOTE_PASSPHRASE_FILE": str(self.vault.passphrase_file),
        }
        return self.runner.invoke(app, list(args), env=env, input=input)


@pytest.fixture
def cli(runner: CliRunner, vault: VaultFixture) -> Cli:
    return Cli(runner, vault)


def snapshot_files(directory: Path) -> dict[str, str]:
    """sha256 of every file below a folder (to prove nothing changed)."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def demo_vault_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo practice (40 clients, ~1,800 sessions) built once per test session."""
    from datetime import date

    from therapynote import demo
    from therapynote.vault.vault import Vault

    base = tmp_path_factory.mktemp("demo")
    created = Vault.create(base / "vault", bytearray(PASSPHRASE.encode()))
    with created.vault as v:
        demo.generate(v.repo, size=40, seed=7, today=date(2026, 11, 26))
    return base / "vault"


@pytest.fixture
def demo_vault(tmp_path: Path, demo_vault_template: Path, pwfile: Path) -> Iterator[VaultFixture]:
    dst = tmp_path / "vault"
    shutil.copytree(demo_vault_template, dst)
    (dst / "lock").unlink(missing_ok=True)
    yield VaultFixture(dst, pwfile, tmp_path / "unused")
