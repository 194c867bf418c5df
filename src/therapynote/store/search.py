"""Full-text search over clients, session notes, addenda and the journal (FTS5).

Queries use `ORDER BY rank LIMIT n` so snippets are built only for the rows returned: under
SQLCipher the textbook `ORDER BY bm25()` + snippet shape decrypts every matching document.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from therapynote.errors import InvalidInput
from therapynote.store.repository import SearchHit

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

SNIPPET_OPEN = "«"
SNIPPET_CLOSE = "»"
KINDS = ("client", "session", "addendum", "journal")

_QUERIES: dict[str, str] = {
    "session": """
        WITH top AS (SELECT rowid AS id, rank FROM sessions_fts WHERE sessions_fts MATCH :q
                     ORDER BY rank LIMIT :n)
        SELECT s.id AS id, c.code AS client, s.session_date AS day,
               snippet(sessions_fts, -1, :o, :c, '…', 12) AS snippet, top.rank AS rank,
               s.archived_at AS archived
        FROM top JOIN sessions_fts ON sessions_fts.rowid = top.id AND sessions_fts MATCH :q
        JOIN sessions s ON s.id = top.id JOIN clients c ON c.id = s.client_id
        ORDER BY top.rank""",
    "addendum": """
        WITH top AS (SELECT rowid AS id, rank FROM addenda_fts WHERE addenda_fts MATCH :q
                     ORDER BY rank LIMIT :n)
        SELECT a.session_id AS id, c.code AS client, a.written_on AS day,
               snippet(addenda_fts, 0, :o, :c, '…', 12) AS snippet, top.rank AS rank,
               NULL AS archived
        FROM top JOIN addenda_fts ON addenda_fts.rowid = top.id AND addenda_fts MATCH :q
        JOIN addenda a ON a.id = top.id JOIN sessions s ON s.id = a.session_id
        JOIN clients c ON c.id = s.client_id
        ORDER BY top.rank""",
    "journal": """
        WITH top AS (SELECT rowid AS id, rank FROM journal_fts WHERE journal_fts MATCH :q
                     ORDER BY rank LIMIT :n)
        SELECT j.id AS id, c.code AS client, j.written_on AS day,
               snippet(journal_fts, -1, :o, :c, '…', 12) AS snippet, top.rank AS rank,
               j.archived_at AS archived
        FROM top JOIN journal_fts ON journal_fts.rowid = top.id AND journal_fts MATCH :q
        JOIN journal_entries j ON j.id = top.id JOIN clients c ON c.id = j.client_id
        ORDER BY top.rank""",
    "client": """
        WITH top AS (SELECT rowid AS id, rank FROM clients_fts WHERE clients_fts MATCH :q
                     ORDER BY rank LIMIT :n)
        SELECT c.id AS id, c.code AS client, NULL AS day,
               snippet(clients_fts, -1, :o, :c, '…', 8) AS snippet, top.rank AS rank,
               c.archived_at AS archived
        FROM top JOIN clients_fts ON clients_fts.rowid = top.id AND clients_fts MATCH :q
        JOIN clients c ON c.id = top.id
        ORDER BY top.rank""",
}

_TOKEN = re.compile(r"\S+")


def literal_query(query: str) -> str:
    """Turn free text into an FTS5 query that matches every word (prefix with a trailing *)."""
    parts: list[str] = []
    for token in _TOKEN.findall(query):
        prefix = token.endswith("*") and len(token) > 1
        word = token[:-1] if prefix else token
        if not any(ch.isalnum() for ch in word):
            continue
        word = word.replace('"', '""')
        parts.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(parts)


def _run(conn: Connection, kind: str, fts_query: str, limit: int) -> list[SearchHit]:
    from sqlalchemy import text

    rows = conn.execute(
        text(_QUERIES[kind]),
        {"q": fts_query, "n": limit, "o": SNIPPET_OPEN, "c": SNIPPET_CLOSE},
    ).mappings()
    return [
        SearchHit(
            kind=kind,
            client=r["client"],
            id=int(r["id"]),
            day=date.fromisoformat(r["day"]) if r["day"] else None,
            snippet=str(r["snippet"]).replace("\n", " "),
            rank=float(r["rank"]),
        )
        for r in rows
        if not r["archived"] or kind == "client"
    ]


def search(
    engine: Engine, query: str, *, limit: int = 20, kinds: tuple[str, ...] = KINDS
) -> list[SearchHit]:
    """Search every kind of record; the best `limit` hits, best first.

    The query may use FTS5 syntax (`grief OR loss`, `"exact phrase"`, `anx*`); text that is
    not valid FTS5 syntax is searched word by word instead.
    """
    from sqlalchemy import exc

    if not query.strip():
        raise InvalidInput("give something to search for")
    for kind in kinds:
        if kind not in KINDS:
            raise InvalidInput(f"unknown search kind {kind!r}; use: {', '.join(KINDS)}")
    hits: list[SearchHit] = []
    with engine.connect() as conn:
        for kind in kinds:
            try:
                found = _run(conn, kind, query, limit)
            except exc.OperationalError:
                conn.rollback()
                literal = literal_query(query)
                if not literal:
                    continue
                try:
                    found = _run(conn, kind, literal, limit)
                except exc.OperationalError:
                    conn.rollback()
                    raise InvalidInput("the search text could not be understood") from None
            hits.extend(found)
    hits.sort(key=lambda h: h.rank)
    return hits[:limit]
