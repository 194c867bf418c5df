"""Whole-vault checks: page HMACs, b-tree integrity, FTS indexes, the audit chain."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from therapynote.store import audit
from therapynote.store.engine import connect, sqlcipher
from therapynote.store.repository import FTS_TABLES

if TYPE_CHECKING:
    from therapynote.vault.keys import KeyHolder


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    steps: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(path: Path, holder: KeyHolder) -> CheckReport:
    """Run every database-level check on a vault database file."""
    report = CheckReport()
    mod = sqlcipher()
    con: Any = connect(path, holder.key_pragma())
    try:
        busy, _log, _done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            report.notes.append("the vault is in use; the page check may report pages in flux")
        try:
            pages = [str(r[0]) for r in con.execute("PRAGMA cipher_integrity_check").fetchall()]
        except mod.DatabaseError:
            pages = ["the page check could not read the file"]
        report.steps["page HMACs"] = "ok" if not pages else f"{len(pages)} problem(s)"
        report.problems.extend(pages[:20])
        try:
            rows = [str(r[0]) for r in con.execute("PRAGMA integrity_check").fetchall()]
        except mod.DatabaseError:
            rows = ["the database structure could not be read"]
        report.steps["integrity"] = "ok" if rows == ["ok"] else "damaged"
        if rows != ["ok"]:
            report.problems.extend(rows[:20])
        fts_ok = True
        for table in FTS_TABLES:
            try:
                con.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
            except mod.DatabaseError:
                fts_ok = False
                report.problems.append(f"the search index {table} is out of step")
        report.steps["search index"] = "ok" if fts_ok else "damaged"
    finally:
        con.close()
    return report


def check_audit(engine: Any, report: CheckReport) -> None:
    with engine.connect() as conn:
        problems = audit.verify_chain(conn)
    report.steps["audit chain"] = "ok" if not problems else "broken"
    report.problems.extend(problems[:20])
