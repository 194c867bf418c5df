"""Property tests (hypothesis). No deadlines: nothing here asserts on timing."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_helpers import BUILTIN

from therapynote.rules import (
    CURRENT_CLIENT,
    NO_TERMINATION,
    PERMANENT,
    ClientFacts,
    EpisodeFacts,
    Period,
    add_period,
    evaluate,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PACKS = list(BUILTIN.values())
DATES = st.dates(min_value=date(1996, 1, 1), max_value=date(2040, 12, 31))
LEAP_DAYS = st.sampled_from([date(y, 2, 29) for y in (2000, 2004, 2012, 2020, 2024, 2028)])
ANY_DATES = st.one_of(DATES, LEAP_DAYS)
PERIODS = st.builds(
    Period,
    years=st.integers(0, 30),
    months=st.integers(0, 24),
    days=st.integers(0, 400),
)


def naive_end(anchor: date, p: Period) -> date:
    """Anchor + period with the *earlier* (clamping) convention, for comparison."""
    total = anchor.year * 12 + anchor.month - 1 + p.years * 12 + p.months
    y, m = divmod(total, 12)
    day = min(anchor.day, calendar.monthrange(y, m + 1)[1])
    return date(y, m + 1, day) + timedelta(days=p.days)


@st.composite
def client_facts(draw: st.DrawFn, *, max_day: date = date(2035, 12, 31)) -> ClientFacts:
    """Clients with 1-3 episodes; the last one may be open. All dates are <= max_day."""
    n = draw(st.integers(1, 3))
    start = draw(st.dates(min_value=date(1998, 1, 1), max_value=date(2020, 1, 1)))
    episodes = []
    sessions: list[date] = []
    for i in range(n):
        length = draw(st.integers(0, 900))
        end = start + timedelta(days=length)
        is_open = i == n - 1 and draw(st.booleans())
        count = draw(st.integers(0, 4))
        sessions += [start + timedelta(days=draw(st.integers(0, length))) for _ in range(count)]
        episodes.append(
            EpisodeFacts(start, None if is_open else end, None if is_open else "planned")
        )
        start = end + timedelta(days=draw(st.integers(1, 2000)))
    contacts = draw(st.lists(ANY_DATES, max_size=3))
    dob = draw(
        st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2015, 1, 1)))
    )
    return ClientFacts(
        code="C-0009",
        episodes=tuple(draw(st.permutations(episodes))),
        session_dates=tuple(d for d in sessions if d <= max_day),
        contact_dates=tuple(d for d in contacts if d <= max_day),
        date_of_birth=dob,
        journal_themes=frozenset(draw(st.sets(st.sampled_from(["erotic", "romantic", "hostile"])))),
        journal_kinds=frozenset(draw(st.sets(st.sampled_from(["transference", "reflection"])))),
    )


@SETTINGS
@given(anchor=ANY_DATES, p=PERIODS)
def test_period_end_never_before_anchor_plus_period(anchor: date, p: Period) -> None:
    end = add_period(anchor, p)
    assert end >= naive_end(anchor, p)
    assert end >= anchor
    assert (end - naive_end(anchor, p)).days <= 3  # rolling forward adds at most a few days


@SETTINGS
@given(facts=client_facts(), on=DATES)
def test_through_never_before_anchor_plus_period(facts: ClientFacts, on: date) -> None:
    ev = evaluate(facts, PACKS, on)
    for s in ev.statuses:
        if s.through is None or s.rule.kind != "period":
            continue
        assert s.anchor is not None and s.rule.period is not None
        assert s.through >= naive_end(s.anchor, s.rule.period)
        assert s.anchor >= (ev.termination_date or date.min) or s.rule.anchor == "last-session"
        if s.from_ is not None:
            assert s.from_ == s.through + timedelta(days=1) and s.from_ <= on
        else:
            assert on <= s.through


@SETTINGS
@given(facts=client_facts(max_day=date(2030, 1, 1)), days=st.integers(0, 20000))
def test_moving_today_forward_never_lapses_a_permanent_rule(facts: ClientFacts, days: int) -> None:
    on1 = date(2030, 1, 1)
    on2 = on1 + timedelta(days=days)
    first = evaluate(facts, PACKS, on1)
    later = {s.rule.id: s for s in evaluate(facts, PACKS, on2).statuses}
    for s in first.statuses:
        if s.state == PERMANENT:
            assert s.rule.id in later
            assert later[s.rule.id].state == PERMANENT


@SETTINGS
@given(
    facts=client_facts(max_day=date(2030, 1, 1)),
    gap=st.integers(0, 3000),
    extra=st.integers(0, 4000),
)
def test_adding_a_later_session_never_makes_a_boundary_earlier(
    facts: ClientFacts, gap: int, extra: int
) -> None:
    known = [*facts.session_dates, *facts.contact_dates, *(e.start for e in facts.episodes)]
    known += [e.end for e in facts.episodes if e.end is not None]
    new_session = max(known) + timedelta(days=gap)
    on = new_session + timedelta(days=extra)
    more = ClientFacts(
        code=facts.code,
        episodes=facts.episodes,
        session_dates=(*facts.session_dates, new_session),
        contact_dates=facts.contact_dates,
        date_of_birth=facts.date_of_birth,
        journal_themes=facts.journal_themes,
        journal_kinds=facts.journal_kinds,
    )
    before = evaluate(facts, PACKS, on)
    more_ev = evaluate(more, PACKS, on)
    after = {s.rule.id: s for s in more_ev.statuses}
    strict = {CURRENT_CLIENT, NO_TERMINATION, PERMANENT}
    for s in before.statuses:
        if s.through is None or s.rule.id not in after:
            continue  # not in `after`: an effective date no longer matches (e.g. aps:C.4.3)
        a = after[s.rule.id]
        if a.through is None:
            assert a.state in strict or a.rule.kind == "retention"
        else:
            assert a.through >= s.through, s.rule.id
    if before.termination_date is not None and more_ev.termination_date is not None:
        assert more_ev.termination_date >= before.termination_date


@SETTINGS
@given(facts=client_facts(), on=DATES)
def test_evaluation_is_sorted_and_well_formed(facts: ClientFacts, on: date) -> None:
    ev = evaluate(facts, PACKS, on)
    order = [
        "current-client",
        "no-termination",
        "permanent",
        "in-force",
        "caveat",
        "after-period",
        "retention",
    ]
    ranks = [order.index(s.state) for s in ev.statuses]
    assert ranks == sorted(ranks)
    if ev.time_since_termination is not None:
        assert ev.termination_date is not None
        assert ev.time_since_termination.total_days == (on - ev.termination_date).days
    else:
        assert ev.termination_date is None
