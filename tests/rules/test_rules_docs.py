"""docs/rules.md must match the packs (regenerate with scripts/gen_rules_doc.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rules_helpers import BUILTIN

from therapynote.rules.docgen import render_rules_doc

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "rules.md"


def test_rules_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render_rules_doc(), (
        "docs/rules.md is stale: run `PYTHONPATH=src python scripts/gen_rules_doc.py`"
    )


def test_rules_doc_lists_every_rule_with_citation_confidence_and_date() -> None:
    text = render_rules_doc()
    assert "This is a reminder, not legal advice" in text
    assert "## Date conventions" in text
    assert "2026-03-02" in text and "2024-02-29 + 2 years = 2026-03-01" in text
    for pack in BUILTIN.values():
        for rule in pack.rules:
            start = text.index(f"#### `{rule.id}`")
            section = text[start : text.find("####", start + 4)]
            assert rule.citation in section
            assert f"Confidence: **{rule.confidence}**" in section
            assert f"checked on {rule.checked_on.isoformat()}" in section
            if rule.needs_verification:
                assert "verify with your board" in section


def test_generator_check_mode(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "gen_rules_doc.py"
    env_path = str(ROOT / "src")
    stale = tmp_path / "rules.md"
    stale.write_text("old\n", encoding="utf-8")
    env = {"PYTHONPATH": env_path, "PATH": ""}
    run = [sys.executable, str(script), "--output", str(stale)]
    assert subprocess.run([*run, "--check"], env=env, capture_output=True).returncode == 1
    assert subprocess.run(run, env=env, capture_output=True).returncode == 0
    assert subprocess.run([*run, "--check"], env=env, capture_output=True).returncode == 0
    assert stale.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")
