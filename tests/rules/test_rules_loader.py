"""Pack validation: errors name file, line and field; other packs still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from therapynote.rules import (
    PackError,
    all_packs,
    check_pack_file,
    load_builtin_packs,
    load_pack_file,
    load_user_packs,
)

GOOD = """\
[pack]
id = "clinic"
title = "Our clinic policy"
kind = "guideline"
description = "House rules."

[[rules]]
id = "clinic:1"
title = "No social-media contact with former clients"
topic = "multiple-relationship"
kind = "period"
anchor = "last-professional-contact"
period = "3y"
after = "Discuss in supervision first."
citation = "Clinic handbook, section 1"
url = ""
confidence = "high"
checked_on = 2026-11-26
summary = "Three years without personal online contact after the last professional contact."
"""

MISSING_CITATION = """\
[pack]
id = "broken"
title = "Broken"
kind = "guideline"
description = "Has a bad rule."

[[rules]]
id = "broken:1"
title = "Fine"
topic = "termination"
kind = "caveat"
citation = "x"
url = ""
confidence = "high"
checked_on = 2026-11-26
summary = "ok"

[[rules]]
id = "broken:2"
title = "No citation"
topic = "termination"
kind = "caveat"
url = ""
confidence = "high"
checked_on = 2026-11-26
summary = "missing its citation"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_file_reports_file_line_field_and_others_load(tmp_path: Path) -> None:
    write(tmp_path, "a-good.toml", GOOD)
    bad = write(tmp_path, "b-broken.toml", MISSING_CITATION)
    packs, errors = load_user_packs(tmp_path)
    assert list(packs) == ["clinic"]
    assert len(errors) == 1
    err = errors[0]
    assert err.path == str(bad)
    assert err.line == 18  # the second [[rules]] header
    assert err.field == "citation"
    assert str(err) == f"{bad}:18: field citation: is required"
    assert "\n" not in str(err)


@pytest.mark.parametrize(
    ("old", "new", "field", "line"),
    [
        ('kind = "period"', 'kind = "sometimes"', "kind", 11),
        ('period = "3y"', 'period = "three years"', "period", 13),
        ('confidence = "high"', 'confidence = "certain"', "confidence", 17),
        ("checked_on = 2026-11-26", 'checked_on = "yesterday"', "checked_on", 18),
        ('anchor = "last-professional-contact"', 'anchor = "whenever"', "anchor", 12),
        ('id = "clinic:1"', 'id = "other:1"', "id", 8),
        ('url = ""', 'url = "ftp://x"', "url", 16),
        ('summary = "Three', 'sumary = "Three', "sumary", 19),
        ('after = "Discuss in supervision first."', "", "after", 7),
        ('kind = "guideline"', 'kind = "rumour"', "pack.kind", 4),
    ],
)
def test_field_errors(tmp_path: Path, old: str, new: str, field: str, line: int) -> None:
    assert old in GOOD
    path = write(tmp_path, "p.toml", GOOD.replace(old, new, 1))
    errors = check_pack_file(path)
    assert errors, "expected an error"
    match = [e for e in errors if e.field == field]
    assert match, [str(e) for e in errors]
    assert match[0].line == line
    assert str(match[0]).startswith(f"{path}:{line}: field {field}: ")
    with pytest.raises(PackError):
        load_pack_file(path)


def test_toml_syntax_error_has_line(tmp_path: Path) -> None:
    path = write(tmp_path, "p.toml", GOOD.replace('title = "Our clinic policy"', "title = "))
    errors = check_pack_file(path)
    assert len(errors) == 1
    assert errors[0].line == 3
    assert str(errors[0]).startswith(f"{path}:3: ")


def test_duplicate_rule_id(tmp_path: Path) -> None:
    text = GOOD + GOOD[GOOD.index("[[rules]]") :]
    errors = check_pack_file(write(tmp_path, "p.toml", text))
    assert [(e.field, e.line) for e in errors] == [("id", 21)]


def test_period_rule_cannot_be_current_only_and_retention_params_checked(tmp_path: Path) -> None:
    text = GOOD.replace('kind = "period"', 'kind = "period"\napplies_to = "current"')
    assert [e.field for e in check_pack_file(write(tmp_path, "a.toml", text))] == ["applies_to"]
    text = GOOD.replace('period = "3y"', 'period = "3y"\nminor_period = "3y"')
    assert "minor_period" in [e.field for e in check_pack_file(write(tmp_path, "b.toml", text))]


def test_missing_folder_is_not_an_error(tmp_path: Path) -> None:
    assert load_user_packs(tmp_path / "nope") == ({}, [])


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bin.toml"
    path.write_bytes(b"\xff\xfe\x00bad")
    packs, errors = load_user_packs(tmp_path)
    assert packs == {} and len(errors) == 1 and errors[0].path == str(path)


def test_good_pack_loads(tmp_path: Path) -> None:
    pack = load_pack_file(write(tmp_path, "p.toml", GOOD))
    assert pack.id == "clinic"
    rule = pack.rule("clinic:1")
    assert str(rule.period) == "3y"
    assert rule.applies_to == "former"  # default for period rules
    assert not rule.needs_verification


def test_user_pack_replaces_builtin_and_adds_new(tmp_path: Path) -> None:
    write(tmp_path, "mine.toml", GOOD)
    apa = GOOD.replace('id = "clinic"', 'id = "apa"').replace("clinic:1", "apa:house")
    write(tmp_path, "apa.toml", apa)
    packs, errors = all_packs(tmp_path)
    assert errors == []
    assert "clinic" in packs
    assert [r.id for r in packs["apa"].rules] == ["apa:house"]
    assert "us-ca" in packs
    assert all_packs(None)[0].keys() == load_builtin_packs().keys()


def test_two_user_files_with_same_id(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", GOOD)
    second = write(tmp_path, "b.toml", GOOD)
    packs, errors = load_user_packs(tmp_path)
    assert list(packs) == ["clinic"]
    assert len(errors) == 1 and errors[0].path == str(second) and errors[0].line == 2
