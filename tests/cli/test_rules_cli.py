"""`therapynote rules` and `profile` on real vaults."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path


def _terminated_client(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        v.repo.add_client("Rosalind Testwell", code="C-0001")
        v.repo.add_session("C-0001", date(2023, 9, 1), sections={"plan": "p"})
        v.repo.end_episode("C-0001", date(2024, 3, 1), "planned")


def test_rules_contract(cli, vault) -> None:  # type: ignore[no-untyped-def]
    _terminated_client(vault)
    r = cli("rules", "C-0001", "--on", "2026-03-01", "--pack", "apa", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["client"] == "C-0001" and data["on"] == "2026-03-01"
    assert data["time_since_termination"] == {"years": 2, "months": 0, "days": 0, "total_days": 730}
    apa = next(s for s in data["statuses"] if s["rule"] == "apa:10.08(a)")
    assert apa["pack"] == "apa" and apa["state"] == "in-force"
    assert apa["through"] == "2026-03-01" and apa["from"] is None
    assert apa["citation"] and apa["confidence"] in {"high", "medium", "low"}
    later = json.loads(
        cli("rules", "C-0001", "--on", "2026-03-02", "--pack", "apa", "--json").stdout
    )
    apa = next(s for s in later["statuses"] if s["rule"] == "apa:10.08(a)")
    assert apa["state"] == "after-period" and apa["from"] == "2026-03-02"


def test_profile_drives_rules(cli, vault) -> None:  # type: ignore[no-untyped-def]
    _terminated_client(vault)
    assert json.loads(cli("profile", "show", "--json").stdout)["packs"] == ["apa"]
    r = cli("profile", "set", "--pack", "apa", "--pack", "us-ca")
    assert r.exit_code == 0, r.output
    assert json.loads(cli("profile", "show", "--json").stdout)["packs"] == ["apa", "us-ca"]
    data = json.loads(cli("rules", "C-0001", "--on", "2025-01-01", "--json").stdout)
    assert {s["pack"] for s in data["statuses"]} == {"apa", "us-ca"}
    text = cli("rules", "C-0001", "--on", "2025-01-01").stdout
    assert "not legal advice" in text
    bad = cli("profile", "set", "--pack", "nowhere")
    assert bad.exit_code == 9 and "unknown rule pack" in bad.stderr


def test_rules_list_show_check(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    packs = json.loads(cli("rules", "list", "--json").stdout)
    ids = {p["pack"] for p in packs}
    assert {"apa", "aca", "nasw", "aamft", "us-ca", "us-fl"} <= ids
    shown = json.loads(cli("rules", "show", "aamft:1.5", "--json").stdout)
    assert shown["kind"] == "never"
    assert cli("rules", "show", "apa:99").exit_code == 8
    broken = tmp_path / "mine.toml"
    broken.write_text(
        '[pack]\nid = "mine"\ntitle = "Mine"\nkind = "profession"\n'
        'description = "x"\n\n[[rules]]\nid = "mine:1"\nkind = "sometimes"\n'
    )
    r = cli("rules", "check", str(broken))
    assert r.exit_code == 9
    assert "mine.toml:" in r.stderr


def test_rules_on_demo_practice(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from therapynote.cli import app

    target = tmp_path / "demo"
    assert (
        runner.invoke(app, ["demo", "--vault", str(target), "--no-open", "--size", "12"]).exit_code
        == 0
    )
    env = {"THERAPYNOTE_VAULT": str(target), "THERAPYNOTE_PASSPHRASE": "demo"}
    states = {}
    for code in ("C-0001", "C-0003", "C-0004", "C-0005", "C-0006", "C-0007"):
        r = runner.invoke(app, ["rules", code, "--pack", "apa", "--pack", "aca", "--json"], env=env)
        assert r.exit_code == 0, r.output
        data = json.loads(r.stdout)
        states[code] = {s["rule"]: s["state"] for s in data["statuses"]}
    assert states["C-0001"]["apa:10.05"] == "current-client"
    assert states["C-0003"]["apa:10.08(a)"] == "in-force"  # ended 23 months ago
    assert states["C-0004"]["apa:10.08(a)"] == "after-period"  # 3 years ago
    assert states["C-0004"]["aca:A.5.c"] == "in-force"
    assert states["C-0005"]["aca:A.5.c"] == "after-period"  # 6 years ago
    assert states["C-0006"]["apa:10.08(a)"] == "no-termination"  # dropped out
    assert states["C-0007"]["apa:10.05"] == "current-client"  # returned


def test_user_packs_load_and_invalid_ones_are_named(cli, vault, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    folder = Path(os.environ["THERAPYNOTE_CONFIG_DIR"]) / "rules"
    folder.mkdir(parents=True)
    good = (
        '[pack]\nid = "clinic"\ntitle = "Our clinic policy"\nkind = "guideline"\n'
        'description = "Local policy"\n\n[[rules]]\nid = "clinic:1"\ntitle = "No contact"\n'
        'topic = "former-client-sexual"\nkind = "period"\nanchor = "termination"\nperiod = "3y"\n'
        'after = "Discuss with the clinical director."\nsummary = "Three years after ending."\n'
        'citation = "Clinic handbook 4.2"\nurl = ""\nconfidence = "high"\n'
        'checked_on = "2026-11-01"\n'
    )
    (folder / "clinic.toml").write_text(good)
    (folder / "broken.toml").write_text('[pack]\nid = "broken"\n\n[[rules]]\nid = 7\n')
    _terminated_client(vault)
    r = cli("rules", "C-0001", "--on", "2025-01-01", "--pack", "clinic", "--pack", "apa", "--json")
    assert r.exit_code == 0, r.output
    assert "broken.toml:" in r.stderr and "skipped" in r.stderr
    data = json.loads(r.stdout)
    clinic = next(s for s in data["statuses"] if s["rule"] == "clinic:1")
    assert clinic["state"] == "in-force" and clinic["through"] == "2027-03-01"
