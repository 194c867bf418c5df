"""Cross-record commands: search."""

from __future__ import annotations

from typing import Annotated

import typer

from therapynote.cli.common import (
    JsonOpt,
    PassphraseFileOpt,
    VaultOpt,
    console,
    open_vault,
    print_json,
)


def search(
    query: Annotated[str, typer.Argument(help="Words to find (FTS5 syntax allowed).")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="Most hits.")] = 20,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="Only: client, session, addendum, journal (repeatable)."),
    ] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Search clients, notes, addenda and the journal; best matches first."""
    from therapynote.store.search import KINDS
    from therapynote.store.search import search as run_search

    with open_vault(vault, passphrase_file, writable=False) as v:
        hits = run_search(v.engine, query, limit=limit, kinds=tuple(kind) if kind else KINDS)
    if json:
        print_json(
            [
                {
                    "kind": h.kind,
                    "client": h.client,
                    "id": h.id,
                    "date": h.day.isoformat() if h.day else None,
                    "snippet": h.snippet,
                    "rank": h.rank,
                }
                for h in hits
            ]
        )
        return
    out = console()
    if not hits:
        out.print("no matches")
    for h in hits:
        where = f"{h.kind} {h.id}" if h.kind != "client" else "client"
        out.print(f"{h.client}  {where:<14} {h.day or '':<10}  {h.snippet}")


def register(app: typer.Typer) -> None:
    app.command()(search)
