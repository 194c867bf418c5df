"""The command contract: the exact forms scripts and automated checks rely on."""

from __future__ import annotations

import json
from pathlib import Path

from therapynote.cli import app


def test_init_writes_recovery_key_file(runner, tmp_path: Path, pwfile: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "new-vault"
    out = tmp_path / "rk.txt"
    result = runner.invoke(
        app,
        ["init", "--recovery-key-out", str(out)],
        env={"THERAPYNOTE_VAULT": str(target), "THERAPYNOTE_PASSPHRASE_FILE": str(pwfile)},
    )
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "AGE-SECRET-KEY-1" in text and "# public key: age1" in text
    assert out.stat().st_mode & 0o777 == 0o600
    assert "AGE-SECRET-KEY" not in result.output
    again = runner.invoke(
        app,
        ["init"],
        env={"THERAPYNOTE_VAULT": str(target), "THERAPYNOTE_PASSPHRASE_FILE": str(pwfile)},
    )
    assert again.exit_code == 11
    assert "already exists" in again.stderr


def test_init_shows_recovery_key_once(runner, tmp_path: Path, pwfile: Path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        app, ["init", "--vault", str(tmp_path / "v"), "--passphrase-file", str(pwfile)]
    )
    assert result.exit_code == 0, result.output
    assert "RECOVERY KEY" in result.stdout and "AGE-SECRET-KEY-1" in result.stdout


def test_init_refuses_weak_passphrase(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    weak = tmp_path / "weak"
    weak.write_text("short\n")
    result = runner.invoke(
        app, ["init", "--vault", str(tmp_path / "v"), "--passphrase-file", str(weak)]
    )
    assert result.exit_code == 9
    assert not (tmp_path / "v").exists()


def test_full_contract(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "client",
        "add",
        "--name",
        "Ada Example",
        "--code",
        "C-0001",
        "--dob",
        "1990-01-31",
        "--json",
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["code"] == "C-0001"
    r = cli("client", "add", "--name", "Bram Example", "--json")
    assert json.loads(r.stdout)["code"] == "C-0002"
    listing = json.loads(cli("client", "list", "--json").stdout)
    assert [c["code"] for c in listing] == ["C-0001", "C-0002"]
    assert {"code", "name", "status"} <= set(listing[0])

    r = cli(
        "session",
        "add",
        "C-0001",
        "--date",
        "2024-02-01",
        "--template",
        "soap",
        "--subjective",
        "S text",
        "--objective",
        "O text",
        "--assessment",
        "A text",
        "--plan",
        "P text",
        "--json",
    )
    assert r.exit_code == 0, r.output
    sid = json.loads(r.stdout)["id"]
    note = tmp_path / "note.md"
    note.write_text("A free note written in an editor.\n")
    r = cli(
        "session",
        "add",
        "C-0001",
        "--date",
        "2024-02-08",
        "--template",
        "free",
        "--note-file",
        str(note),
        "--json",
    )
    assert r.exit_code == 0, r.output
    free = json.loads(r.stdout)
    assert free["sections"] == {"note": "A free note written in an editor."}

    assert cli("session", "edit", str(sid), "--plan", "P changed").exit_code == 0
    assert cli("session", "sign", str(sid)).exit_code == 0
    r = cli("session", "edit", str(sid), "--plan", "again")
    assert r.exit_code == 10 and "signed" in r.stderr
    assert cli("session", "amend", str(sid), "--text", "Addendum text").exit_code == 0
    shown = cli("session", "show", str(sid))
    assert shown.exit_code == 0
    assert "P changed" in shown.stdout and "Addendum text" in shown.stdout
    sessions = json.loads(cli("session", "list", "C-0001", "--json").stdout)
    assert [s["status"] for s in sessions] == ["signed", "draft"]

    assert (
        cli("episode", "end", "C-0001", "--date", "2024-03-01", "--type", "planned").exit_code == 0
    )
    assert cli("contact", "add", "C-0001", "--date", "2024-06-10", "--kind", "phone").exit_code == 0
    assert cli("episode", "start", "C-0001", "--date", "2025-01-10").exit_code == 0
    r = cli(
        "journal",
        "add",
        "C-0001",
        "--kind",
        "countertransference",
        "--intensity",
        "7",
        "--theme",
        "erotic",
        "--text",
        "Journal text",
        "--session",
        str(sid),
    )
    assert r.exit_code == 0, r.output
    entries = json.loads(cli("journal", "list", "C-0001", "--json").stdout)
    assert entries[0]["themes"] == ["erotic"] and entries[0]["intensity"] == 7

    hits = json.loads(cli("search", "addendum", "--json").stdout)
    assert hits and {"kind", "client", "id", "snippet"} <= set(hits[0])
    assert hits[0]["kind"] == "addendum" and hits[0]["client"] == "C-0001"
    r = cli("check")
    assert r.exit_code == 0, r.output
    assert "vault OK" in r.stdout


def test_passwd_and_recover(cli, vault, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    new = tmp_path / "new.txt"
    new.write_text("a brand new passphrase\n")
    r = cli("passwd", "--new-passphrase-file", str(new))
    assert r.exit_code == 0, r.output
    assert cli("client", "list").exit_code == 4  # the old passphrase no longer opens it
    vault.passphrase_file.write_text("a brand new passphrase\n")
    assert cli("client", "list").exit_code == 0
    # The clinician forgets the passphrase: the recovery key sets another one.
    third = tmp_path / "third.txt"
    third.write_text("the third passphrase here\n")
    r = cli(
        "recover",
        "--recovery-key",
        str(vault.recovery_key_file),
        "--new-passphrase-file",
        str(third),
    )
    assert r.exit_code == 0, r.output
    vault.passphrase_file.write_text("the third passphrase here\n")
    assert cli("client", "list").exit_code == 0
    # recovery.age was rewritten: the recovery key still works after the change.
    fourth = tmp_path / "fourth.txt"
    fourth.write_text("and a fourth passphrase\n")
    r = cli(
        "recover",
        "--recovery-key",
        str(vault.recovery_key_file),
        "--new-passphrase-file",
        str(fourth),
    )
    assert r.exit_code == 0, r.output


def test_recover_with_wrong_key_changes_nothing(cli, vault, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pyrage
    from tests.conftest import snapshot_files

    other = tmp_path / "other.txt"
    other.write_text(str(pyrage.x25519.Identity.generate()) + "\n")
    new = tmp_path / "new.txt"
    new.write_text("a brand new passphrase\n")
    before = snapshot_files(vault.directory)
    r = cli("recover", "--recovery-key", str(other), "--new-passphrase-file", str(new))
    assert r.exit_code == 16
    assert "does not open" in r.stderr
    not_a_key = tmp_path / "nokey.txt"
    not_a_key.write_text("hello\n")
    r = cli("recover", "--recovery-key", str(not_a_key), "--new-passphrase-file", str(new))
    assert r.exit_code == 16
    assert snapshot_files(vault.directory) == before


def test_demo_builds_realistic_practice(runner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--vault", str(target), "--no-open", "--size", "20"])
    assert result.exit_code == 0, result.output
    env = {"THERAPYNOTE_VAULT": str(target), "THERAPYNOTE_PASSPHRASE": "demo"}
    clients = json.loads(runner.invoke(app, ["client", "list", "--json"], env=env).stdout)
    statuses = {c["status"] for c in clients}
    assert {"active", "ended"} <= statuses
    assert len(clients) == 20
    again = runner.invoke(app, ["demo", "--vault", str(target), "--no-open"])
    assert again.exit_code == 0 and "Built" not in again.stdout  # reused, not rebuilt
    import therapynote.tui.app

    opened: list[tuple[Path, bool]] = []
    monkeypatch.setattr(
        therapynote.tui.app,
        "run_app",
        lambda directory, demo=False: opened.append((directory, demo)),
    )
    assert runner.invoke(app, ["demo", "--vault", str(target)]).exit_code == 0
    assert opened == [(target, True)]
    assert runner.invoke(app, ["--vault", str(target)]).exit_code == 0
    assert opened[-1] == (target, False)


def test_help_is_complete() -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for word in (
        "init",
        "passwd",
        "recover",
        "check",
        "demo",
        "search",
        "client",
        "session",
        "journal",
        "episode",
        "contact",
        "Exit codes",
        "4 wrong passphrase",
    ):
        assert word in result.stdout


def test_diagnosis_goal_and_supervision(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "--name", "Vesna Testwell")
    r = cli("diagnosis", "add", "C-0001", "--code", "F41.1", "--description", "GAD")
    assert r.exit_code == 0, r.output
    assert json.loads(cli("diagnosis", "list", "C-0001", "--json").stdout)[0]["code"] == "F41.1"
    assert cli("diagnosis", "add", "C-0001", "--code", "X", "--system", "ICD-9").exit_code == 9
    assert (
        cli("goal", "add", "C-0001", "--text", "Sleep through", "--review", "2027-01-01").exit_code
        == 0
    )
    assert json.loads(cli("goal", "list", "C-0001", "--json").stdout)[0]["review_on"] == (
        "2027-01-01"
    )
    j = json.loads(
        cli(
            "journal",
            "add",
            "C-0001",
            "--kind",
            "reflection",
            "--text",
            "x",
            "--supervision",
            "--json",
        ).stdout
    )
    assert j["bring_to_supervision"] is True
    r = cli("journal", "supervision", str(j["id"]), "--discussed-on", "2026-11-20", "--json")
    data = json.loads(r.stdout)
    assert data["discussed_in_supervision_on"] == "2026-11-20"
    assert data["bring_to_supervision"] is False
    shown = json.loads(cli("client", "show", "C-0001", "--json").stdout)
    assert shown["diagnoses"][0]["code"] == "F41.1"


def test_init_refuses_non_empty_folder(runner, tmp_path: Path, pwfile: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("x")
    folder.chmod(0o755)
    r = runner.invoke(app, ["init", "--vault", str(folder), "--passphrase-file", str(pwfile)])
    assert r.exit_code == 9 and "not empty" in r.stderr
    assert folder.stat().st_mode & 0o777 == 0o755
    assert sorted(p.name for p in folder.iterdir()) == ["letter.txt"]


def test_journal_edit(cli) -> None:  # type: ignore[no-untyped-def]
    cli("client", "add", "--name", "Xanthe Testwell")
    j = json.loads(
        cli("journal", "add", "C-0001", "--kind", "reflection", "--text", "draft", "--json").stdout
    )
    r = cli(
        "journal",
        "edit",
        str(j["id"]),
        "--text",
        "revised",
        "--intensity",
        "6",
        "--theme",
        "boredom",
        "--json",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["text"], data["intensity"], data["themes"]) == ("revised", 6, ["boredom"])
    assert cli("journal", "edit", str(j["id"])).exit_code == 9
    assert cli("journal", "edit", "999", "--text", "x").exit_code == 8
