"""prune keeps the right backups (never the newest verified); check notes old backups."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .helpers import Env, create_backup

NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def _fake(folder: Path, when: datetime, *, verified: bool = False, vault_id: str = "") -> Path:
    from therapynote.backup.store import Manifest, write_manifest

    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"therapynote-{when:%Y%m%dT%H%M%SZ}.tnbak"
    path.write_bytes(b"age-encryption.org/v1\n" + b"x" * 10)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    write_manifest(
        path,
        Manifest(
            file=path.name,
            created=stamp,
            size=32,
            sha256="0" * 64,
            vault_id=vault_id,
            verified_at=stamp if verified else None,
            last_verify="ok" if verified else None,
        ),
    )
    return path


def test_plan_keeps_daily_weekly_monthly_and_newest_verified(tmp_path: Path) -> None:
    from therapynote.backup.prune import plan_prune
    from therapynote.backup.store import list_backups

    folder = tmp_path / "b"
    for day in range(90):
        for hour in (9, 18):
            _fake(folder, NOW - timedelta(days=day, hours=hour))
    old_verified = _fake(folder, NOW - timedelta(days=200), verified=True)
    plan = plan_prune(list_backups(folder), daily=7, weekly=4, monthly=3)
    kept = {e.path.name: why for e, why in plan.keep}
    assert old_verified.name in kept and "newest verified" in kept[old_verified.name]
    daily = [n for n, why in kept.items() if any(w.startswith("daily") for w in why)]
    assert len(daily) == 7
    monthly = [n for n, why in kept.items() if any(w.startswith("monthly") for w in why)]
    assert len(monthly) == 3
    newest = max(list_backups(folder), key=lambda e: e.created)
    assert newest.path.name in kept
    assert len(plan.keep) + len(plan.remove) == 181
    assert len(plan.keep) <= 7 + 4 + 3 + 1


def test_prune_cli_dry_run_then_real(env: Env) -> None:
    folder = env.root / "b"
    paths = [_fake(folder, NOW - timedelta(days=d)) for d in range(10)]
    verified = _fake(folder, NOW - timedelta(days=40), verified=True)
    foreign = _fake(folder, NOW - timedelta(days=50), vault_id="someoneelse00000")
    bare = folder / "therapynote-20200101T000000Z.tnbak"
    bare.write_bytes(b"x")
    dry = env.run("backup", "prune", "--keep-daily", "3", "--dry-run", "--dir", str(folder))
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.count("would remove ") == 7
    assert all(p.exists() for p in paths)
    real = env.run("backup", "prune", "--keep-daily", "3", "--dir", str(folder), "--json")
    assert real.exit_code == 0, real.output
    removed = {Path(p).name for p in json.loads(real.stdout)["removed"]}
    assert removed == {p.name for p in paths[3:]}
    assert all(p.exists() for p in paths[:3])
    assert verified.exists() and bare.exists() and foreign.exists()
    assert not any(Path(str(p) + ".json").exists() for p in paths[3:])


def test_prune_needs_a_keep_rule(env: Env) -> None:
    folder = env.root / "b"
    path = _fake(folder, NOW)
    result = env.run("backup", "prune", "--dir", str(folder))
    assert result.exit_code == 9
    assert path.exists()


def test_prune_never_removes_the_newest_verified_backup(env: Env) -> None:
    backup = create_backup(env)
    result = env.run("backup", "prune", "--keep-monthly", "1", "--dir", str(env.backups))
    assert result.exit_code == 0
    for day in range(1, 4):
        _fake(env.backups, datetime.now(UTC) + timedelta(days=day))  # newer, never verified
    result = env.run("backup", "prune", "--keep-daily", "1", "--passphrase-file", str(env.pw_file))
    assert result.exit_code == 0, result.output
    assert backup.exists()
    assert "newest verified" in result.stdout


def _set_created(backup: Path, when: datetime) -> None:
    manifest = backup.with_name(backup.name + ".json")
    doc = json.loads(manifest.read_text())
    doc["created"] = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    manifest.write_text(json.dumps(doc))


def test_check_notes_missing_or_old_backups_without_failing(env: Env) -> None:
    none = env.run("check", "--passphrase-file", str(env.pw_file))
    assert none.exit_code == 0, none.output
    assert "note: no verified backup" in none.stdout
    backup = create_backup(env)
    fresh = env.run("check", "--passphrase-file", str(env.pw_file))
    assert fresh.exit_code == 0 and "backup" not in fresh.stdout
    _set_created(backup, datetime.now(UTC) - timedelta(days=10))
    old = env.run("check", "--passphrase-file", str(env.pw_file), "--json")
    assert old.exit_code == 0, old.output
    notes = json.loads(old.stdout)["notes"]
    assert any("newest verified backup is 10 days old (limit 7)" in n for n in notes)
    cfg = env.run("backup", "config", "--warn-days", "30", "--passphrase-file", str(env.pw_file))
    assert cfg.exit_code == 0, cfg.output
    relaxed = env.run("check", "--passphrase-file", str(env.pw_file))
    assert relaxed.exit_code == 0 and "backup" not in relaxed.stdout
