"""Store benchmarks against a plain-SQLite baseline measured in the same run.

    python benchmarks/bench_store.py                # ~300 clients (quick)
    python benchmarks/bench_store.py --clients 3000 # the "30-year practice" (~100k sessions)

Everything is synthetic (the demo generator). Reports medians and ratios; no pass/fail.
The baseline is stdlib `sqlite3` (unencrypted) with the same schema, data and queries.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from therapynote import demo
from therapynote.store.repository import RECORD_TABLES
from therapynote.vault.vault import Vault

PASS = bytearray(b"benchmark passphrase")
SEARCH_TERMS = ("breathing", "grief OR panic", '"sleep diary"', "restless*")


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def build(directory: Path, clients: int) -> float:
    t = time.perf_counter()
    created = Vault.create(directory, bytearray(PASS))
    with created.vault as v:
        demo.generate(v.repo, size=clients, seed=11, today=date(2026, 11, 26))
    return time.perf_counter() - t


def plain_copy(v: Vault, target: Path) -> sqlite3.Connection:
    """The same schema and rows in an unencrypted stdlib database (synthetic data only)."""
    import importlib

    mig = importlib.import_module("therapynote.store.migrations.versions.0001_initial")
    con = sqlite3.connect(target, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    for stmt in mig.STATEMENTS:
        con.execute(stmt)
    con.execute("BEGIN")
    with v.engine.connect() as c:
        for table in RECORD_TABLES:
            rows = c.execute(text(f"SELECT * FROM {table}")).all()
            if rows:
                marks = ",".join("?" * len(rows[0]))
                con.executemany(f"INSERT INTO {table} VALUES ({marks})", [tuple(r) for r in rows])
    con.execute("COMMIT")
    return con


RSS_PROBE = """
import sys
from pathlib import Path
from therapynote.store.search import search
from therapynote.vault.vault import Vault
v = Vault.unlock(Path(sys.argv[1]), bytearray(b"benchmark passphrase"), writable=False)
v.repo.list_clients()
v.repo.list_sessions("C-BIG500")
v.repo.client_facts("C-BIG500")
search(v.engine, "breathing")
v.close()
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(int(peak.split()[1]) / 1024)
"""

SEARCH_SQL = """
WITH top AS (SELECT rowid AS id, rank FROM sessions_fts WHERE sessions_fts MATCH ?
             ORDER BY rank LIMIT 20)
SELECT s.id, snippet(sessions_fts, -1, '«', '»', '…', 12), top.rank
FROM top JOIN sessions_fts ON sessions_fts.rowid = top.id AND sessions_fts MATCH ?
JOIN sessions s ON s.id = top.id ORDER BY top.rank"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=300)
    ap.add_argument("--dir", type=Path, default=None, help="reuse/keep the vault here")
    args = ap.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="tn-bench-"))
    vault_dir = base / f"vault-{args.clients}"
    if not Vault.exists(vault_dir):
        print(f"building {args.clients} clients ...", flush=True)
        print(f"  built in {build(vault_dir, args.clients):.1f} s")
    rows: list[tuple[str, str, str, str]] = []

    t = time.perf_counter()
    v = Vault.unlock(vault_dir, bytearray(PASS))
    unlock_ms = (time.perf_counter() - t) * 1000
    counts = v.repo.counts()
    size_mb = (vault_dir / "notebook.db").stat().st_size / 1e6
    print(
        f"vault: {counts['clients']} clients, {counts['sessions']} sessions, "
        f"{counts['journal_entries']} journal entries, {size_mb:.0f} MB"
    )
    plain_path = base / f"plain-{args.clients}.db"
    plain_path.unlink(missing_ok=True)
    plain = plain_copy(v, plain_path)
    t = time.perf_counter()
    sqlite3.connect(plain_path).execute("SELECT count(*) FROM sqlite_schema").fetchone()
    plain_open_ms = (time.perf_counter() - t) * 1000
    rows.append(
        (
            "unlock (KDF + page check + schema)",
            f"{unlock_ms:.0f} ms",
            f"{plain_open_ms:.1f} ms",
            "target ≤ 1000 ms incl. first paint",
        )
    )

    raw = v.engine.raw_connection()
    try:
        for term in SEARCH_TERMS:
            ours = median_ms(lambda t=term: raw.cursor().execute(SEARCH_SQL, (t, t)).fetchall(), 7)
            theirs = median_ms(lambda t=term: plain.execute(SEARCH_SQL, (t, t)).fetchall(), 7)
            rows.append(
                (
                    f"search top 20 + snippets {term!r}",
                    f"{ours:.1f} ms",
                    f"{theirs:.1f} ms",
                    f"ratio {ours / theirs:.2f} (target ≤ 1.2)",
                )
            )
    finally:
        raw.close()

    listed = median_ms(lambda: v.repo.list_clients(include_archived=True), 5)
    plain_listed = median_ms(
        lambda: plain.execute(
            "SELECT c.code, count(s.id), max(s.session_date) FROM clients c LEFT JOIN sessions s "
            "ON s.client_id = c.id GROUP BY c.id"
        ).fetchall(),
        5,
    )
    rows.append(
        (
            f"client list ({counts['clients']} clients, status, last session)",
            f"{listed:.1f} ms",
            f"{plain_listed:.1f} ms",
            "loaded in a worker by the app",
        )
    )

    if "C-BIG500" not in {c.code for c in v.repo.list_clients()}:
        with v.repo.transaction() as conn:
            v.repo.add_client("Bigfile Testwell", code="C-BIG500", conn=conn)
            for i in range(500):
                v.repo.add_session(
                    "C-BIG500",
                    date(2000, 1, 3) + timedelta(days=7 * i),
                    sections={"subjective": "words " * 150},
                    conn=conn,
                )
    opened = median_ms(
        lambda: (
            v.repo.get_client("C-BIG500"),
            v.repo.list_episodes("C-BIG500"),
            v.repo.list_sessions("C-BIG500"),
            v.repo.list_journal("C-BIG500"),
            v.repo.client_facts("C-BIG500"),
        ),
        7,
    )
    busiest = plain.execute(
        "SELECT c.code, count(*) n FROM sessions s JOIN clients c "
        "ON c.id = s.client_id GROUP BY c.code ORDER BY n DESC LIMIT 1"
    ).fetchone()
    plain_open = median_ms(
        lambda: plain.execute(
            "SELECT * FROM sessions WHERE client_id = (SELECT id FROM clients WHERE code = ?) "
            "ORDER BY session_date",
            (busiest[0],),
        ).fetchall(),
        7,
    )
    rows.append(
        (
            "open a client with 500 sessions (+ rule facts)",
            f"{opened:.1f} ms",
            f"{plain_open:.1f} ms",
            "target ≤ 100 ms; baseline: one plain query",
        )
    )

    bench_code = f"C-SAVE{int(time.time())}"
    v.repo.add_client("Bench Testwell", code=bench_code)
    day = [date(2000, 1, 1)]

    def save() -> None:
        day[0] += timedelta(days=1)
        v.repo.add_session(bench_code, day[0], sections={"subjective": "words " * 150})

    saved = median_ms(save, 100)
    pday = [0]

    def plain_save() -> None:
        pday[0] += 1
        plain.execute("BEGIN")
        plain.execute(
            "INSERT INTO sessions (client_id, episode_id, session_date, template, "
            "sections, note_text, created_at, updated_at) VALUES (1, 1, ?, 'soap', "
            "'{}', ?, 'x', 'x')",
            (str(pday[0]), "words " * 150),
        )
        plain.execute("COMMIT")

    plain_saved = median_ms(plain_save, 100)
    rows.append(
        (
            "save a note (commit + FTS + audit)",
            f"{saved:.2f} ms",
            f"{plain_saved:.2f} ms",
            f"ratio {saved / plain_saved:.1f}; target ≤ 10 ms median",
        )
    )
    v.close()
    plain.close()
    rss_mb = float(
        subprocess.run(
            [sys.executable, "-c", RSS_PROBE, str(vault_dir)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    bare_mb = float(
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sqlite3; sqlite3.connect(':memory:'); "
                "peak = next(x for x in open('/proc/self/status') if x.startswith('VmHWM:')); "
                "print(int(peak.split()[1]) / 1024)",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    rows.append(
        (
            "peak memory: unlock, list, open, search",
            f"{rss_mb:.0f} MB",
            f"{bare_mb:.0f} MB",
            "target ≤ 250 MB; baseline: bare Python",
        )
    )

    bare = "import typer\napp = typer.Typer()\n@app.command()\ndef x() -> None: ...\napp()\n"
    ours_help = median_ms(
        lambda: subprocess.run(
            [sys.executable, "-m", "therapynote", "--help"], capture_output=True, check=True
        ),
        7,
    )
    bare_help = median_ms(
        lambda: subprocess.run(
            [sys.executable, "-c", bare, "--help"], capture_output=True, check=True
        ),
        7,
    )
    rows.append(
        (
            "`therapynote --help`",
            f"{ours_help:.0f} ms",
            f"{bare_help:.0f} ms",
            f"ratio {ours_help / bare_help:.2f} vs bare Typer app (target ≤ 1.5)",
        )
    )

    width = max(len(r[0]) for r in rows)
    print(f"\n{'what':<{width}}  {'therapynote':>12}  {'baseline':>10}  note")
    for what, ours_s, base_s, note in rows:
        print(f"{what:<{width}}  {ours_s:>12}  {base_s:>10}  {note}")


if __name__ == "__main__":
    main()
