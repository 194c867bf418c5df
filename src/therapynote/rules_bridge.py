"""Turn the store's record facts into the rule engine's input (no SQL, no UI here)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from therapynote.store.repository import ClientRecordFacts

PROFILE_KEY = "profile.packs"
DEFAULT_PACKS: tuple[str, ...] = ("apa",)


def to_engine_facts(record: ClientRecordFacts) -> Any:
    """The engine's `ClientFacts` for one client (imports the engine lazily)."""
    from therapynote.rules import ClientFacts, EpisodeFacts

    return ClientFacts(
        code=record.code,
        episodes=tuple(
            EpisodeFacts(start=e.start_date, end=e.end_date, termination_type=e.termination_type)
            for e in record.episodes
        ),
        session_dates=tuple(record.attended_session_dates),
        contact_dates=tuple(record.contact_dates),
        date_of_birth=record.date_of_birth,
        journal_themes=frozenset(record.journal_themes),
        journal_kinds=frozenset(record.journal_kinds),
    )


def parse_profile(value: str | None) -> tuple[str, ...]:
    """The active pack ids from the vault setting (a JSON list); defaults on anything odd."""
    if not value:
        return DEFAULT_PACKS
    try:
        data = json.loads(value)
    except ValueError:
        return DEFAULT_PACKS
    if not isinstance(data, list):
        return DEFAULT_PACKS
    packs = tuple(dict.fromkeys(str(p) for p in data if isinstance(p, str) and p))
    return packs or DEFAULT_PACKS


def dump_profile(packs: tuple[str, ...] | list[str]) -> str:
    return json.dumps(list(dict.fromkeys(packs)))
