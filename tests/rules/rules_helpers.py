"""Shared helpers for the rule-engine tests (imported by name). Synthetic client codes only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from therapynote.rules import ClientFacts, EpisodeFacts, RulePack, load_builtin_packs

BUILTIN: dict[str, RulePack] = load_builtin_packs()


def client(
    *episodes: tuple[date, date | None],
    sessions: Iterable[date] = (),
    contacts: Iterable[date] = (),
    dob: date | None = None,
    themes: Iterable[str] = (),
    kinds: Iterable[str] = (),
    code: str = "C-0001",
    termination_type: str | None = "planned",
) -> ClientFacts:
    return ClientFacts(
        code=code,
        episodes=tuple(
            EpisodeFacts(start, end, termination_type if end else None) for start, end in episodes
        ),
        session_dates=tuple(sessions),
        contact_dates=tuple(contacts),
        date_of_birth=dob,
        journal_themes=frozenset(themes),
        journal_kinds=frozenset(kinds),
    )


def ended(
    end: date,
    *,
    start: date | None = None,
    contacts: Iterable[date] = (),
    dob: date | None = None,
    themes: Iterable[str] = (),
    kinds: Iterable[str] = (),
) -> ClientFacts:
    """One episode that ended on `end`, with its last session on `end`."""
    begin = start or date(end.year - 1, 1, 10)
    return client(
        (begin, end),
        sessions=(begin, end),
        contacts=contacts,
        dob=dob,
        themes=themes,
        kinds=kinds,
    )
