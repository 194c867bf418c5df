"""Which backups to keep: the newest per day, ISO week and month, and the newest verified."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from therapynote.backup.store import BackupEntry, manifest_path
from therapynote.errors import InvalidInput


@dataclass
class PrunePlan:
    keep: list[tuple[BackupEntry, list[str]]] = field(default_factory=list)
    remove: list[BackupEntry] = field(default_factory=list)


def _day(t: datetime) -> str:
    return t.strftime("%Y-%m-%d")


def _week(t: datetime) -> str:
    year, week, _ = t.isocalendar()
    return f"{year}-W{week:02d}"


def _month(t: datetime) -> str:
    return t.strftime("%Y-%m")


def plan_prune(entries: list[BackupEntry], *, daily: int, weekly: int, monthly: int) -> PrunePlan:
    """Decide what to keep. Backups without a manifest are never removed (nothing says
    when they were made or whose they are); the newest verified backup is always kept."""
    if min(daily, weekly, monthly) < 0:
        raise InvalidInput("--keep-* values cannot be negative")
    if daily + weekly + monthly == 0:
        raise InvalidInput(
            "give at least one of --keep-daily, --keep-weekly, --keep-monthly; nothing was removed"
        )
    newest_first = sorted(entries, key=lambda e: (e.created, e.path.name), reverse=True)
    reasons: dict[str, list[str]] = {e.path.name: [] for e in newest_first}
    rules: tuple[tuple[int, Callable[[datetime], str], str], ...] = (
        (daily, _day, "daily"),
        (weekly, _week, "weekly"),
        (monthly, _month, "monthly"),
    )
    dated = [e for e in newest_first if e.manifest is not None]
    for count, bucket, label in rules:
        seen: set[str] = set()
        for e in dated:
            if len(seen) >= count:
                break
            b = bucket(e.created)
            if b in seen:
                continue
            seen.add(b)
            reasons[e.path.name].append(f"{label} {b}")
    for e in newest_first:
        if e.verified_ok:
            reasons[e.path.name].append("newest verified")
            break
    for e in newest_first:
        if e.manifest is None:
            reasons[e.path.name].append("no manifest")
    plan = PrunePlan()
    for e in newest_first:
        if reasons[e.path.name]:
            plan.keep.append((e, reasons[e.path.name]))
        else:
            plan.remove.append(e)
    return plan


def remove_backup(entry: BackupEntry) -> None:
    entry.path.unlink(missing_ok=True)
    manifest_path(entry.path).unlink(missing_ok=True)
