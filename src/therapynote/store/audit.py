"""The hash-chained, append-only audit log. It records what happened, never clinical text."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from therapynote.domain.dates import iso_ts, now_utc

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

GENESIS = "0" * 64

#: Detail keys allowed in an event; anything else is dropped so no clinical text can slip in.
_ALLOWED_DETAIL = {"fields", "template", "kind", "count", "code", "session", "client", "reason"}


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: str
    action: str
    entity: str
    entity_id: str
    detail: str
    prev_hash: str
    hash: str


def event_hash(
    prev_hash: str, at: str, action: str, entity: str, entity_id: str, detail: str
) -> str:
    payload = "\x1f".join([prev_hash, at, action, entity, entity_id, detail])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    conn: Connection,
    action: str,
    entity: str,
    entity_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one event, chained to the previous one, inside the caller's transaction."""
    from sqlalchemy import text

    clean = {k: v for k, v in (detail or {}).items() if k in _ALLOWED_DETAIL}
    detail_json = json.dumps(clean, sort_keys=True, separators=(",", ":"))
    prev = conn.execute(text("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1")).scalar()
    prev_hash = prev if isinstance(prev, str) else GENESIS
    at = iso_ts(now_utc())
    h = event_hash(prev_hash, at, action, entity, str(entity_id), detail_json)
    conn.execute(
        text(
            "INSERT INTO audit_events (at, action, entity, entity_id, detail, prev_hash, hash) "
            "VALUES (:at, :action, :entity, :entity_id, :detail, :prev, :hash)"
        ),
        {
            "at": at,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "detail": detail_json,
            "prev": prev_hash,
            "hash": h,
        },
    )


def verify_chain(conn: Connection) -> list[str]:
    """Return the problems found in the chain (an empty list means it is intact)."""
    from sqlalchemy import text

    problems: list[str] = []
    prev_hash = GENESIS
    rows = conn.execute(
        text(
            "SELECT id, at, action, entity, entity_id, detail, prev_hash, hash "
            "FROM audit_events ORDER BY id"
        )
    )
    for row in rows:
        if row.prev_hash != prev_hash:
            problems.append(f"audit event {row.id} does not follow the event before it")
        expected = event_hash(
            row.prev_hash, row.at, row.action, row.entity, row.entity_id, row.detail
        )
        if row.hash != expected:
            problems.append(f"audit event {row.id} was altered")
        prev_hash = row.hash
    return problems
