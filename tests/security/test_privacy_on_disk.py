"""No clinical text in plaintext on disk; file modes; no network; layers apart."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

MARKER = "ZQXMARKERQZ"


def _encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def _scan(folder: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles):
                found.append(str(path))
    return found


def test_marker_in_every_clinical_field_never_reaches_disk(
    vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    needles = _encodings(MARKER) + _encodings(MARKER.lower())
    m = MARKER
    with vault.open() as v:
        repo = v.repo
        repo.add_client(
            f"Name {m}",
            code="C-0001",
            preferred_name=f"Pref {m}",
            pronouns=f"pro {m}",
            email=f"{m}@example.invalid",
            phone=f"555 {m}",
            address=f"1 {m} Street",
            referral_source=f"ref {m}",
            tags=[f"tag{m}"],
        )
        s = repo.add_session(
            "C-0001",
            date(2024, 1, 8),
            template="soap",
            sections={k: f"{k} {m}" for k in ("subjective", "objective", "assessment", "plan")},
            risk_level="low",
            risk_text=f"risk {m}",
        )
        repo.edit_session(s.id, sections={"plan": f"edited plan {m}"})
        for tpl, keys in (
            ("dap", ("data", "assessment", "plan")),
            ("birp", ("behavior", "intervention", "response", "plan")),
            ("free", ("note",)),
        ):
            repo.add_session(
                "C-0001", date(2024, 1, 15), template=tpl, sections={k: f"{k} {m}" for k in keys}
            )
        repo.sign_session(s.id)
        repo.amend_session(s.id, f"addendum {m}")
        repo.add_journal(
            "C-0001",
            kind="countertransference",
            text_=f"journal {m}",
            themes=[f"theme{m}"],
            intensity=5,
            session_id=s.id,
        )
        repo.add_contact("C-0001", date(2024, 2, 1), "phone", f"contact {m}")
        repo.add_diagnosis("C-0001", "F41.1", description=f"dx {m}")
        repo.add_goal("C-0001", f"goal {m}")
        repo.update_client("C-0001", full_name=f"Renamed {m}")
        from therapynote.store.search import search

        assert search(v.engine, MARKER.lower())
        # While the vault is open (WAL and -shm present) nothing is readable either.
        assert _scan(vault.directory, needles) == []
        v.change_passphrase(bytearray(b"a second passphrase here"))
        repo = v.repo
        repo.end_episode("C-0001", date(2024, 3, 1), "planned", f"closing {m}")
        assert _scan(vault.directory, needles) == []
    assert _scan(vault.directory, needles) == []
    assert _scan(tmpdir, needles) == []


def test_cli_workload_leaves_no_plaintext_in_temp(vault, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {
        **os.environ,
        "TMPDIR": str(tmpdir),
        "THERAPYNOTE_VAULT": str(vault.directory),
        "THERAPYNOTE_PASSPHRASE_FILE": str(vault.passphrase_file),
    }
    cmds = [
        ["client", "add", "--name", f"Cli {MARKER}", "--code", "C-0005"],
        ["session", "add", "C-0005", "--date", "2024-01-01", "--plan", f"plan {MARKER}"],
        ["search", MARKER.lower()],
        ["check"],
    ]
    for cmd in cmds:
        r = subprocess.run(
            [sys.executable, "-m", "therapynote", *cmd], env=env, capture_output=True, text=True
        )
        assert r.returncode == 0, r.stderr
    needles = _encodings(MARKER) + _encodings(MARKER.lower())
    assert _scan(vault.directory, needles) == []
    assert _scan(tmpdir, needles) == []


def test_modes_folder_0700_files_0600(vault) -> None:  # type: ignore[no-untyped-def]
    old = os.umask(0o022)
    try:
        with vault.open() as v:
            v.repo.add_client("Soren Testwell")
            v.repo.add_session("C-0001", date(2024, 1, 1), sections={"plan": "p"})
            assert (vault.directory / "notebook.db-wal").exists()
            modes = {p.name: p.stat().st_mode & 0o777 for p in vault.directory.iterdir()}
            assert set(modes.values()) == {0o600}, modes
        assert vault.directory.stat().st_mode & 0o777 == 0o700
        for p in vault.directory.iterdir():
            assert p.stat().st_mode & 0o777 == 0o600, p.name
    finally:
        os.umask(old)


def test_new_vault_modes_under_permissive_umask(tmp_path: Path) -> None:
    from therapynote.vault.vault import Vault

    old = os.umask(0o000)
    try:
        created = Vault.create(tmp_path / "v", bytearray(b"a good passphrase"))
        created.vault.close()
    finally:
        os.umask(old)
    assert (tmp_path / "v").stat().st_mode & 0o777 == 0o700
    for p in (tmp_path / "v").iterdir():
        assert p.stat().st_mode & 0o777 == 0o600, p.name


def test_no_network_modules_in_source() -> None:
    import therapynote

    root = Path(therapynote.__file__).parent
    banned = (
        "import socket",
        "from socket",
        "import requests",
        "import httpx",
        "urllib.request",
        "http.client",
        "import aiohttp",
    )
    for path in root.rglob("*.py"):
        text = path.read_text("utf-8")
        for word in banned:
            assert word not in text, f"{path.name} uses {word}"


def test_layers_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import therapynote.domain.models, therapynote.domain.templates\n"
        "import therapynote.store.repository, therapynote.store.search, therapynote.store.engine\n"
        "import therapynote.store.maintenance, therapynote.store.migrate\n"
        "import therapynote.vault.vault, therapynote.rules, therapynote.rules_bridge\n"
        "import therapynote.backup.create, therapynote.backup.verify, therapynote.backup.restore\n"
        "import therapynote.backup.prune, therapynote.backup.status, therapynote.demo\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "print(','.join(bad))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == ""


def test_cli_import_is_light() -> None:
    code = (
        "import sys\n"
        "import therapynote.cli\n"
        "heavy = ('textual', 'sqlalchemy', 'sqlcipher3', 'alembic', 'pyrage', 'cryptography')\n"
        "print(','.join(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == ""
