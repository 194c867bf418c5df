"""Bad input gets one clear line, its own exit code, no traceback, and changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tests.conftest import snapshot_files


def _assert_clean_failure(result, code: int, words: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert words in lines[0]
    assert "Traceback" not in result.output


@pytest.fixture
def populated(cli, vault):  # type: ignore[no-untyped-def]
    from datetime import date

    with vault.open() as v:
        v.repo.add_client("Quilla Testwell", code="C-0001")
        for day in range(1, 29):
            v.repo.add_session("C-0001", date(2024, 2, day), sections={"plan": "words " * 80})
    return cli


def test_wrong_passphrase(populated, vault) -> None:  # type: ignore[no-untyped-def]
    before = snapshot_files(vault.directory)
    vault.passphrase_file.write_text("not the passphrase\n")
    _assert_clean_failure(populated("client", "list"), 4, "wrong passphrase")
    assert snapshot_files(vault.directory) == before


def test_empty_file(populated, vault) -> None:  # type: ignore[no-untyped-def]
    (vault.directory / "notebook.db").write_bytes(b"")
    before = snapshot_files(vault.directory)
    _assert_clean_failure(populated("client", "list"), 5, "empty")
    assert snapshot_files(vault.directory) == before


def test_plaintext_sqlite(populated, vault) -> None:  # type: ignore[no-untyped-def]
    db = vault.directory / "notebook.db"
    db.unlink()
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    before = snapshot_files(vault.directory)
    _assert_clean_failure(populated("client", "list"), 6, "unencrypted")
    assert snapshot_files(vault.directory) == before


def test_truncated_vault(populated, vault) -> None:  # type: ignore[no-untyped-def]
    db = vault.directory / "notebook.db"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2 + 100])
    before = snapshot_files(vault.directory)
    _assert_clean_failure(populated("client", "list"), 5, "truncated")
    assert snapshot_files(vault.directory) == before


@pytest.mark.parametrize("where", [0.5, 0.9])
def test_flipped_byte(populated, vault, where: float) -> None:  # type: ignore[no-untyped-def]
    db = vault.directory / "notebook.db"
    data = bytearray(db.read_bytes())
    pos = int(len(data) * where)
    data[pos] ^= 0x01
    db.write_bytes(bytes(data))
    before = snapshot_files(vault.directory)
    _assert_clean_failure(populated("client", "list"), 5, "damaged")
    assert snapshot_files(vault.directory) == before


def test_flipped_byte_in_page_one_is_reported(populated, vault) -> None:  # type: ignore[no-untyped-def]
    db = vault.directory / "notebook.db"
    data = bytearray(db.read_bytes())
    data[100] ^= 0x01
    db.write_bytes(bytes(data))
    before = snapshot_files(vault.directory)
    result = populated("client", "list")
    # Page 1 damage is indistinguishable from a wrong key; the message says both.
    _assert_clean_failure(result, 4, "wrong passphrase")
    assert snapshot_files(vault.directory) == before


def test_missing_vault(runner, tmp_path: Path, pwfile: Path) -> None:  # type: ignore[no-untyped-def]
    from therapynote.cli import app

    result = runner.invoke(
        app,
        ["client", "list", "--vault", str(tmp_path / "nowhere"), "--passphrase-file", str(pwfile)],
    )
    _assert_clean_failure(result, 3, "no vault")
    assert not (tmp_path / "nowhere").exists()


def test_no_passphrase_source(runner, vault) -> None:  # type: ignore[no-untyped-def]
    from therapynote.cli import app

    result = runner.invoke(app, ["client", "list", "--vault", str(vault.directory)])
    _assert_clean_failure(result, 12, "no passphrase")


def test_passphrase_sources_in_order(runner, vault, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import PASSPHRASE

    from therapynote.cli import app

    base = ["client", "list", "--vault", str(vault.directory)]
    ok = runner.invoke(app, base, env={"THERAPYNOTE_PASSPHRASE": PASSPHRASE})
    assert ok.exit_code == 0, ok.output
    cmd = runner.invoke(
        app,
        base,
        env={
            "THERAPYNOTE_PASSPHRASE_COMMAND": f"echo '{PASSPHRASE}'",
            "THERAPYNOTE_PASSPHRASE": "wrong one",
        },
    )
    assert cmd.exit_code == 0, cmd.output
    bad = tmp_path / "bad"
    bad.write_text("wrong one\n")
    first = runner.invoke(
        app, [*base, "--passphrase-file", str(bad)], env={"THERAPYNOTE_PASSPHRASE": PASSPHRASE}
    )
    assert first.exit_code == 4
    failing = runner.invoke(app, base, env={"THERAPYNOTE_PASSPHRASE_COMMAND": "exit 3"})
    _assert_clean_failure(failing, 12, "PASSPHRASE_COMMAND failed")


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["client", "show", "C-9999"], 8, "no client"),
        (["session", "show", "999"], 8, "no session"),
        (["session", "add", "C-0001", "--date", "2024-13-01"], 9, "YYYY-MM-DD"),
        (
            ["session", "add", "C-0001", "--date", "2024-03-01", "--template", "xyz"],
            9,
            "unknown note template",
        ),
        (["session", "add", "C-0001", "--date", "2024-03-01", "--behavior", "b"], 9, "no section"),
        (
            [
                "journal",
                "add",
                "C-0001",
                "--kind",
                "reflection",
                "--intensity",
                "12",
                "--text",
                "x",
            ],
            9,
            "0 to 10",
        ),
        (
            ["episode", "end", "C-0001", "--date", "2024-03-01", "--type", "vanished"],
            9,
            "termination type",
        ),
        (
            ["session", "add", "C-0001", "--date", "2024-03-01", "--note-file", "/nonexistent"],
            9,
            "cannot read",
        ),
    ],
)
def test_bad_values(populated, vault, args, code, words) -> None:  # type: ignore[no-untyped-def]
    before = snapshot_files(vault.directory)
    _assert_clean_failure(populated(*args), code, words)
    assert snapshot_files(vault.directory) == before


def test_missing_argument_is_usage_error(populated) -> None:  # type: ignore[no-untyped-def]
    result = populated("session", "add", "C-0001")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
