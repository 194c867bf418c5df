"""The evaluator: client facts + active packs + a date -> ordered rule statuses.

Pure functions; see docs/rules.md for the conventions (generated from this package).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .dates import Elapsed, add_years, elapsed, period_end
from .facts import ClientFacts
from .model import (
    ANCHOR_WORDS,
    BOUNDARY_TOPICS,
    CONFIDENCE_RANK,
    VERIFY_TEXT,
    Anchor,
    AppliesTo,
    Kind,
    Rule,
    RulePack,
)

# States, exactly as the CLI and TUI show them.
CURRENT_CLIENT = "current-client"
IN_FORCE = "in-force"
AFTER_PERIOD = "after-period"
PERMANENT = "permanent"
CAVEAT = "caveat"
NO_TERMINATION = "no-termination"
RETENTION = "retention"

STATES: tuple[str, ...] = (
    CURRENT_CLIENT,
    NO_TERMINATION,
    PERMANENT,
    IN_FORCE,
    CAVEAT,
    AFTER_PERIOD,
    RETENTION,
)
#: Sort order of states, strictest first.
STATE_RANK: dict[str, int] = {s: i for i, s in enumerate(STATES)}
#: Tie-break inside a state, strictest kind first.
KIND_RANK: dict[str, int] = {
    Kind.NEVER.value: 0,
    Kind.INDEFINITE_WITH_BURDEN.value: 1,
    Kind.PERIOD.value: 2,
    Kind.CAVEAT.value: 3,
    Kind.RETENTION.value: 4,
}

NO_TERMINATION_NOTE = (
    "No termination recorded; the client may still count as a current client — "
    "consider recording a termination."
)
CURRENT_NOTE = (
    "Current client: the current-client rules apply; this clock starts when therapy ends."
)
GUIDANCE_THEMES: frozenset[str] = frozenset({"erotic", "romantic"})
GUIDANCE_KINDS: frozenset[str] = frozenset({"transference", "countertransference"})


@dataclass(frozen=True)
class RuleStatus:
    """Where one rule stands for one client on one date."""

    rule: Rule
    pack: str
    state: str
    through: date | None = None  # last day in force / last day the record must be kept
    from_: date | None = None  # first day the after-period text applies
    anchor: date | None = None  # the date the clock ran from
    note: str = ""

    @property
    def guidance(self) -> bool:
        """True for the journal-theme guidance entries the evaluator adds."""
        return self.rule.topic == "supervision"


@dataclass(frozen=True)
class SkippedRule:
    """A rule of an active pack that does not apply here, and why."""

    rule: Rule
    pack: str
    reason: str


@dataclass(frozen=True)
class Evaluation:
    """The rule panel's content for one client on one date."""

    time_since_termination: Elapsed | None
    statuses: tuple[RuleStatus, ...]
    termination_date: date | None  # the termination anchor (None while the episode is open)
    anchor_notes: tuple[str, ...] = ()
    situation: str = "current"  # current | no-termination | ended
    anchors: dict[str, date] = field(default_factory=dict)
    skipped: tuple[SkippedRule, ...] = ()

    @property
    def guidance(self) -> tuple[RuleStatus, ...]:
        """The journal-theme guidance statuses (state `caveat`, topic `supervision`)."""
        return tuple(s for s in self.statuses if s.guidance)


@dataclass
class _Situation:
    kind: str  # current | no-termination | ended
    on: date
    termination: date | None
    anchors: dict[str, date]
    first_treatment: date | None
    notes: list[str]


def _situation(facts: ClientFacts, on: date, no_termination_days: int) -> _Situation:
    notes: list[str] = []
    sessions = sorted(d for d in facts.session_dates if d <= on)
    contacts = sorted(d for d in facts.contact_dates if d <= on)
    if len(sessions) != len(facts.session_dates) or len(contacts) != len(facts.contact_dates):
        notes.append(f"Sessions or contacts dated after {on.isoformat()} are not counted.")
    episodes = sorted(
        (e for e in facts.episodes if e.start <= on),
        key=lambda e: (e.start, e.end or date.max),
    )
    starts = [e.start for e in episodes] + sessions[:1] + contacts[:1]
    first = min(starts) if starts else None
    if not episodes:
        start = first or on
        end = None
        ttype = None
        if sessions or contacts:
            notes.append("No episode recorded: treated as one open episode from the first session.")
        else:
            notes.append("No episode, session or contact recorded: treated as a current client.")
    else:
        latest = episodes[-1]
        start, end, ttype = latest.start, latest.end, latest.termination_type
        if end is not None and end > on:
            notes.append(
                f"The termination is dated after {on.isoformat()}: the episode counts as open."
            )
            end = None
        if len(episodes) > 1:
            notes.append(
                f"Returning client ({len(episodes)} episodes): clocks run from the latest episode."
            )
    if end is None:
        activity = [start, *sessions[-1:], *contacts[-1:]]
        last = max(activity)
        anchors = {"last-activity": last}
        if (on - last).days > no_termination_days:
            notes.append(
                f"No session or contact for {(on - last).days} days (more than "
                f"{no_termination_days}) and no termination recorded."
            )
            return _Situation(NO_TERMINATION, on, None, anchors, first, notes)
        return _Situation("current", on, None, anchors, first, notes)

    in_episode = [d for d in sessions if d >= start]
    termination = max([end, *in_episode])
    if termination > end:
        notes.append(
            f"A session on {termination.isoformat()} is after the documented termination "
            f"({end.isoformat()}): the later date is used."
        )
    last_session = sessions[-1] if sessions else termination
    if not sessions:
        notes.append("No session recorded: 'last session' uses the termination date.")
    last_contact = max([termination, *sessions[-1:], *contacts[-1:]])
    if last_contact > termination:
        notes.append(
            f"Last professional contact {last_contact.isoformat()} is after the termination."
        )
    if ttype == "deceased":
        notes.append("The client is recorded as deceased; record-retention rules still apply.")
    anchors = {
        Anchor.TERMINATION.value: termination,
        Anchor.DISCHARGE.value: termination,
        Anchor.LAST_SESSION.value: last_session,
        Anchor.LAST_PROFESSIONAL_CONTACT.value: last_contact,
        Anchor.LATER_OF_TERMINATION_LAST_CONTACT.value: max(termination, last_contact),
        "documented-termination": end,
    }
    return _Situation("ended", on, termination, anchors, first, notes)


def _after_text(rule: Rule) -> str:
    return rule.after or "The period has passed."


def _retention(rule: Rule, pack: str, sit: _Situation, facts: ClientFacts) -> RuleStatus:
    assert rule.period is not None and rule.anchor is not None
    if sit.kind != "ended":
        return RuleStatus(
            rule,
            pack,
            RETENTION,
            note="Therapy has not ended: keep the record; the retention clock starts at the "
            f"{ANCHOR_WORDS[rule.anchor]}.",
        )
    anchor = sit.anchors[rule.anchor]
    full_through = period_end(anchor, rule.period)
    through = full_through
    parts = []
    if rule.summary_period is not None:
        through = period_end(full_through, rule.summary_period)
        parts.append(
            f"Complete record through {full_through.isoformat()}; then the complete record "
            f"or a summary through {through.isoformat()}."
        )
    if rule.minor_period is not None and rule.age_of_majority is not None:
        majority_age = rule.age_of_majority
        start_age = rule.minor_from_age or majority_age
        dob = facts.date_of_birth
        if dob is None:
            parts.append(
                "Date of birth unknown: if the client was a minor during treatment the record "
                f"may have to be kept longer ({rule.minor_period.words()} from age {start_age}); "
                "this date uses the adult rule."
            )
        else:
            majority = add_years(dob, majority_age)
            if sit.first_treatment is not None and sit.first_treatment < majority:
                minor_through = period_end(add_years(dob, start_age), rule.minor_period)
                if minor_through > through:
                    parts.append(
                        f"Treated as a minor: the minors' rule ({minor_through.isoformat()}) is "
                        f"later than the adult rule ({through.isoformat()}) and is used."
                    )
                    through = minor_through
                else:
                    parts.append(
                        f"Treated as a minor: the adult rule ({through.isoformat()}) is later "
                        f"than the minors' rule ({minor_through.isoformat()}) and is used."
                    )
    return RuleStatus(rule, pack, RETENTION, through=through, anchor=anchor, note=" ".join(parts))


def _status(rule: Rule, pack: str, sit: _Situation, facts: ClientFacts) -> RuleStatus | str:
    """The rule's status, or the reason it does not apply (a str)."""
    event = sit.termination if sit.termination is not None else sit.on
    if not rule.in_effect_on(event):
        what = "a termination on" if sit.termination is not None else "the date"
        span = []
        if rule.effective_from:
            span.append(f"from {rule.effective_from.isoformat()}")
        if rule.effective_to:
            span.append(f"through {rule.effective_to.isoformat()}")
        return f"not in effect for {what} {event.isoformat()} (in effect {' '.join(span)})"
    if rule.kind == Kind.RETENTION.value:
        return _retention(rule, pack, sit, facts)
    ended = sit.kind == "ended"
    if rule.applies_to == AppliesTo.CURRENT.value:
        if ended:
            return "applies to current clients only; therapy has ended"
        if rule.kind == Kind.CAVEAT.value:
            note = NO_TERMINATION_NOTE if sit.kind == NO_TERMINATION else ""
            return RuleStatus(rule, pack, CAVEAT, note=note)
        note = NO_TERMINATION_NOTE if sit.kind == NO_TERMINATION else ""
        return RuleStatus(rule, pack, CURRENT_CLIENT, note=note)
    if rule.kind == Kind.CAVEAT.value:
        note = ""
        if rule.applies_to == AppliesTo.FORMER.value and not ended:
            note = "Applies once therapy has ended."
        return RuleStatus(rule, pack, CAVEAT, note=note)
    if rule.kind == Kind.NEVER.value and rule.applies_to == AppliesTo.ANY.value:
        return RuleStatus(rule, pack, PERMANENT, note="No date ends this rule.")
    if sit.kind == "current":
        return RuleStatus(rule, pack, CURRENT_CLIENT, note=CURRENT_NOTE)
    if sit.kind == NO_TERMINATION:
        return RuleStatus(rule, pack, NO_TERMINATION, note=NO_TERMINATION_NOTE)
    if rule.kind in (Kind.NEVER.value, Kind.INDEFINITE_WITH_BURDEN.value):
        note = "No date ends this rule."
        if rule.kind == Kind.INDEFINITE_WITH_BURDEN.value and rule.burden:
            note += f" Burden: {rule.burden}"
        return RuleStatus(rule, pack, PERMANENT, anchor=sit.termination, note=note)
    # a period rule for a former client
    assert rule.period is not None and rule.anchor is not None
    anchor = sit.anchors[rule.anchor]
    through = period_end(anchor, rule.period)
    if sit.on <= through:
        return RuleStatus(
            rule,
            pack,
            IN_FORCE,
            through=through,
            anchor=anchor,
            note=f"In force through {through.isoformat()} (inclusive), "
            f"{rule.period.words()} from {anchor.isoformat()}.",
        )
    start = through + timedelta(days=1)
    return RuleStatus(
        rule,
        pack,
        AFTER_PERIOD,
        through=through,
        from_=start,
        anchor=anchor,
        note=f"From {start.isoformat()}: {_after_text(rule)}",
    )


def _guidance_rule(pack: RulePack, boundary: list[Rule]) -> Rule:
    ids = ", ".join(r.id for r in boundary)
    return Rule(
        id=f"{pack.id}:guidance/erotic-transference",
        title="Erotic or romantic transference in the journal: consider consultation",
        topic="supervision",
        kind=Kind.CAVEAT.value,
        summary=(
            "The journal for this client holds erotic or romantic transference or "
            "countertransference entries. Consider consultation or supervision, and keep "
            f"the boundary rules of {pack.title} in view: {ids}."
        ),
        citation="; ".join(dict.fromkeys(r.citation for r in boundary)),
        url=next((r.url for r in boundary if r.url), ""),
        confidence=max((r.confidence for r in boundary), key=lambda c: CONFIDENCE_RANK[c]),
        checked_on=min(r.checked_on for r in boundary),
        applies_to=AppliesTo.ANY.value,
        verify=any(r.verify for r in boundary),
    )


def _wants_guidance(facts: ClientFacts) -> bool:
    if not facts.journal_themes & GUIDANCE_THEMES:
        return False
    return not facts.journal_kinds or bool(facts.journal_kinds & GUIDANCE_KINDS)


def sort_key(status: RuleStatus, pack_order: dict[str, int]) -> tuple[int, int, int, str]:
    """Strictest first: state, then kind, then the order packs were given, then rule id."""
    return (
        STATE_RANK[status.state],
        KIND_RANK[status.rule.kind],
        pack_order.get(status.pack, len(pack_order)),
        status.rule.id,
    )


def evaluate(
    facts: ClientFacts,
    packs: Sequence[RulePack],
    on: date,
    *,
    no_termination_days: int = 90,
) -> Evaluation:
    """Every rule of `packs` for this client on `on`, strictest first."""
    if no_termination_days < 0:
        raise ValueError("no_termination_days must be zero or more")
    sit = _situation(facts, on, no_termination_days)
    statuses: list[RuleStatus] = []
    skipped: list[SkippedRule] = []
    pack_order: dict[str, int] = {}
    for pack in packs:
        pack_order.setdefault(pack.id, len(pack_order))
        shown: list[Rule] = []
        for rule in pack.rules:
            result = _status(rule, pack.id, sit, facts)
            if isinstance(result, str):
                skipped.append(SkippedRule(rule, pack.id, result))
                continue
            statuses.append(result)
            if rule.topic in BOUNDARY_TOPICS:
                shown.append(rule)
        if shown and _wants_guidance(facts):
            statuses.append(
                RuleStatus(
                    _guidance_rule(pack, shown),
                    pack.id,
                    CAVEAT,
                    note="Consider consultation or supervision.",
                )
            )
    statuses.sort(key=lambda s: sort_key(s, pack_order))
    since = elapsed(sit.termination, on) if sit.termination is not None else None
    return Evaluation(
        time_since_termination=since,
        statuses=tuple(statuses),
        termination_date=sit.termination,
        anchor_notes=tuple(sit.notes),
        situation=sit.kind,
        anchors=dict(sit.anchors),
        skipped=tuple(skipped),
    )


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def status_to_json(s: RuleStatus) -> dict[str, Any]:
    r = s.rule
    return {
        "rule": r.id,
        "pack": s.pack,
        "state": s.state,
        "through": _iso(s.through),
        "from": _iso(s.from_),
        "summary": r.summary,
        "citation": r.citation,
        "confidence": r.confidence,
        "title": r.title,
        "topic": r.topic,
        "kind": r.kind,
        "applies_to": r.applies_to,
        "url": r.url,
        "checked_on": r.checked_on.isoformat(),
        "verify": r.needs_verification,
        "verify_text": VERIFY_TEXT if r.needs_verification else None,
        "after": r.after or None,
        "factors": list(r.factors),
        "burden": r.burden or None,
        "anchor": r.anchor,
        "anchor_date": _iso(s.anchor),
        "period": str(r.period) if r.period is not None else None,
        "effective_from": _iso(r.effective_from),
        "effective_to": _iso(r.effective_to),
        "note": s.note,
        "guidance": s.guidance,
    }


def evaluation_to_json(code: str, on: date, ev: Evaluation) -> dict[str, Any]:
    """The `therapynote rules CLIENT --json` contract (issue 3)."""
    since = ev.time_since_termination
    return {
        "client": code,
        "on": on.isoformat(),
        "time_since_termination": None
        if since is None
        else {
            "years": since.years,
            "months": since.months,
            "days": since.days,
            "total_days": since.total_days,
        },
        "statuses": [status_to_json(s) for s in ev.statuses],
    }
