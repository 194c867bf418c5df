"""The facts about one client that the rule engine needs (no SQL, no UI).

The store builds these from the vault; tests build them by hand. All dates are calendar
dates in the practice's local zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Termination types the store may pass (free text is tolerated; these are the known ones).
TERMINATION_TYPES: frozenset[str] = frozenset(
    {
        "planned",
        "client-initiated",
        "dropped-out",
        "therapist-initiated",
        "transferred",
        "deceased",
        "unknown",
    }
)


@dataclass(frozen=True)
class EpisodeFacts:
    """One episode of care."""

    start: date
    end: date | None  # documented termination date; None = episode open
    termination_type: str | None


@dataclass(frozen=True)
class ClientFacts:
    """Everything the evaluator looks at for one client."""

    code: str
    episodes: tuple[EpisodeFacts, ...]  # any order; the evaluator sorts by start
    session_dates: tuple[date, ...]  # attended sessions only
    contact_dates: tuple[date, ...]  # non-session professional contacts
    date_of_birth: date | None
    journal_themes: frozenset[str] = frozenset()
    journal_kinds: frozenset[str] = frozenset()
