"""Between the store and the rule engine: record facts -> rule facts, the practice profile."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from therapynote.errors import InvalidInput

if TYPE_CHECKING:
    from pathlib import Path

    from therapynote.rules import ClientFacts, PackError, RulePack
    from therapynote.store.repository import ClientRecordFacts, Repository

PROFILE_KEY = "profile.packs"
NO_TERMINATION_KEY = "profile.no_termination_days"
DEFAULT_PACKS: tuple[str, ...] = ("apa",)
DEFAULT_NO_TERMINATION_DAYS = 90


def to_rule_facts(facts: ClientRecordFacts) -> ClientFacts:
    from therapynote.rules import ClientFacts, EpisodeFacts

    return ClientFacts(
        code=facts.code,
        episodes=tuple(
            EpisodeFacts(start=e.start_date, end=e.end_date, termination_type=e.termination_type)
            for e in facts.episodes
        ),
        session_dates=facts.attended_session_dates,
        contact_dates=facts.contact_dates,
        date_of_birth=facts.date_of_birth,
        journal_themes=facts.journal_themes,
        journal_kinds=facts.journal_kinds,
    )


def user_rules_dir() -> Path:
    from therapynote.paths import config_dir

    return config_dir() / "rules"


def load_packs() -> tuple[dict[str, RulePack], list[PackError]]:
    """Built-in packs plus valid user packs, and the errors of invalid user pack files."""
    from therapynote.rules import all_packs

    return all_packs(user_rules_dir())


def available_packs() -> dict[str, RulePack]:
    """Built-in packs plus valid user packs (invalid user packs are skipped; see `rules check`)."""
    return load_packs()[0]


def profile_packs(repo: Repository) -> list[str]:
    raw = repo.get_setting(PROFILE_KEY)
    if not raw:
        return list(DEFAULT_PACKS)
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return list(DEFAULT_PACKS)
    return [str(v) for v in value] if isinstance(value, list) and value else list(DEFAULT_PACKS)


def no_termination_days(repo: Repository) -> int:
    raw = repo.get_setting(NO_TERMINATION_KEY)
    return int(raw) if raw and raw.isdigit() else DEFAULT_NO_TERMINATION_DAYS


def resolve_packs(names: list[str], packs: dict[str, RulePack]) -> list[RulePack]:
    unknown = [n for n in names if n not in packs]
    if unknown:
        raise InvalidInput(
            f"unknown rule pack {unknown[0]!r}; see `therapynote rules list` for the packs"
        )
    return [packs[n] for n in dict.fromkeys(names)]


def set_profile(repo: Repository, names: list[str], no_term_days: int | None = None) -> None:
    resolve_packs(names, available_packs())
    with repo.transaction() as conn:
        repo.set_setting(PROFILE_KEY, json.dumps(list(dict.fromkeys(names))), conn)
        if no_term_days is not None:
            if not 1 <= no_term_days <= 3650:
                raise InvalidInput("the no-termination threshold is 1 to 3650 days")
            repo.set_setting(NO_TERMINATION_KEY, str(no_term_days), conn)
