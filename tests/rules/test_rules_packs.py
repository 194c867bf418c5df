"""Table-driven tests over every built-in pack's rules, before, on and after each boundary."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from rules_helpers import BUILTIN, client, ended

from therapynote.rules import (
    AFTER_PERIOD,
    CAVEAT,
    CURRENT_CLIENT,
    IN_FORCE,
    NO_TERMINATION,
    PERMANENT,
    RETENTION,
    Rule,
    RulePack,
    evaluate,
)

T = date(2024, 3, 1)
REQUIRED_PACKS = {
    "apa", "aca", "nasw", "aamft", "psychiatry", "ama", "camft", "bacp", "hcpc", "cpbao",
    "aps", "hipaa", "apa-rkg", "us-ca", "us-fl", "us-wa", "us-tx", "us-ny", "us-mn", "us-co",
    "us-oh", "us-md", "us-vt",
}  # fmt: skip

# Last day in force for every period rule, counted by hand from a termination (and last
# session and last contact) on 2024-03-01. A new period rule must be added here.
PERIOD_THROUGH: dict[str, date] = {
    "apa:10.08(a)": date(2026, 3, 1),
    "aca:A.5.c": date(2029, 3, 1),
    "camft:1.2.2": date(2026, 3, 1),
    "cpbao:14.1": date(2029, 3, 1),
    "cpbao:RHPA-Code-s1": date(2025, 3, 1),
    "aps:C.4.3": date(2026, 3, 1),
    "us-ca:BP-4982(k)": date(2026, 3, 1),
    "us-ca:BP-2960(o)": date(2026, 3, 1),
    "us-ca:CC-43.93": date(2026, 3, 1),
    "us-fl:64B4-10.003": date(2026, 3, 1),
    "us-wa:246-16-100": date(2026, 3, 1),
    "us-mn:604.201": date(2026, 3, 1),
    "us-co:12-245-224": date(2026, 3, 1),
    "us-oh:4757-5-04(C)": date(2029, 3, 1),
    "us-oh:4731-26-02(B)": date(2024, 5, 30),
    "us-vt:4093(a)(5)": date(2026, 3, 1),
}

# Last day the record must be kept, adult client, therapy ended 2024-03-01.
RETENTION_THROUGH: dict[str, date] = {
    "apa-rkg:7": date(2031, 3, 1),
    "us-ca:BP-2919": date(2031, 3, 1),
    "us-ca:BP-4980.49": date(2031, 3, 1),
    "us-fl:64B4-9.001": date(2031, 3, 1),
    "us-fl:64B19-19.003(3)": date(2031, 3, 1),
    "us-ny:8NYCRR-29.2(a)(3)": date(2030, 3, 1),
    "us-wa:246-809-035": date(2029, 3, 1),
}

ALL_RULES: list[tuple[RulePack, Rule]] = [(p, r) for p in BUILTIN.values() for r in p.rules]


def rules_of_kind(*kinds: str) -> list[tuple[RulePack, Rule]]:
    return [(p, r) for p, r in ALL_RULES if r.kind in kinds]


def rid(item: tuple[RulePack, Rule]) -> str:
    return item[1].id


def state_of(pack: RulePack, rule: Rule, facts, on: date):  # type: ignore[no-untyped-def]
    ev = evaluate(facts, [pack], on)
    found = [s for s in ev.statuses if s.rule.id == rule.id]
    return found[0] if found else None


def open_client(on: date):  # type: ignore[no-untyped-def]
    return client((on - timedelta(days=400), None), sessions=[on - timedelta(days=7)])


def quiet_client(on: date):  # type: ignore[no-untyped-def]
    return client((on - timedelta(days=400), None), sessions=[on - timedelta(days=200)])


def in_effect_termination(rule: Rule) -> date:
    if rule.effective_to is not None and T > rule.effective_to:
        return rule.effective_to
    if rule.effective_from is not None and T < rule.effective_from:
        return rule.effective_from
    return T


# --- completeness and metadata ---------------------------------------------------------


def test_required_packs_present() -> None:
    assert REQUIRED_PACKS <= set(BUILTIN)


def test_every_period_and_retention_rule_is_in_the_tables() -> None:
    assert {r.id for _, r in rules_of_kind("period")} == set(PERIOD_THROUGH)
    assert {r.id for _, r in rules_of_kind("retention")} == set(RETENTION_THROUGH)


@pytest.mark.parametrize("item", ALL_RULES, ids=rid)
def test_every_rule_has_citation_confidence_checked_on(item: tuple[RulePack, Rule]) -> None:
    pack, rule = item
    assert rule.citation.strip()
    assert rule.confidence in {"high", "medium", "low"}
    assert rule.checked_on == date(2026, 11, 26)
    assert rule.summary.strip() and rule.title.strip()
    assert rule.id.startswith(pack.id + ":")
    assert rule.pack == pack.id
    assert rule.url == "" or rule.url.startswith("https://")
    if rule.verify or rule.confidence != "high":
        assert rule.needs_verification
    else:
        assert not rule.needs_verification


@pytest.mark.parametrize("item", ALL_RULES, ids=rid)
def test_no_rule_text_says_allowed(item: tuple[RulePack, Rule]) -> None:
    rule = item[1]
    text = " ".join([rule.title, rule.summary, rule.after, rule.burden, *rule.factors])
    assert not re.search(r"\ballowed\b", text, re.IGNORECASE), rule.id


def test_unverified_texts_are_flagged() -> None:
    for rule_id in (
        "aamft:1.5",
        "aps:PsyBA-CoC-2025",
        "us-wa:246-809-049",
        "us-fl:64B19-16.003",
        "us-wa:246-809-035",
        "camft:1.2.2",
        "psychiatry:2.1",
    ):
        pack = BUILTIN[rule_id.split(":")[0]]
        assert pack.rule(rule_id).verify, rule_id
    assert BUILTIN["aps"].rule("aps:C.4.3").effective_to == date(2025, 11, 30)
    assert BUILTIN["aps"].rule("aps:PsyBA-CoC-2025").effective_from == date(2025, 12, 1)
    assert BUILTIN["aps"].rule("aps:PsyBA-CoC-2025").confidence == "low"
    assert BUILTIN["us-ca"].rule("us-ca:BP-4980.49").effective_from == date(2015, 1, 1)


def test_known_facts_encoded() -> None:
    assert BUILTIN["aamft"].rule("aamft:1.5").kind == "never"
    assert BUILTIN["aamft"].rule("aamft:1.5").applies_to == "former"
    assert BUILTIN["aamft"].rule("aamft:1.4").applies_to == "current"
    assert BUILTIN["aca"].rule("aca:A.5.c").anchor == "last-professional-contact"
    assert BUILTIN["nasw"].rule("nasw:1.09(c)").kind == "indefinite-with-burden"
    assert BUILTIN["us-ca"].rule("us-ca:BP-729").kind == "caveat"
    assert BUILTIN["us-md"].rule("us-md:10.58.03.09(C)").kind == "never"
    assert BUILTIN["us-fl"].rule("us-fl:64B4-10.003").anchor == (
        "later-of:termination,last-professional-contact"
    )


# --- period rules: before, on and after the boundary ------------------------------------


@pytest.mark.parametrize("item", rules_of_kind("period"), ids=rid)
def test_period_rule_boundaries(item: tuple[RulePack, Rule]) -> None:
    pack, rule = item
    end = in_effect_termination(rule)
    assert end == T  # every period rule is in effect for a termination on 2024-03-01
    through = PERIOD_THROUGH[rule.id]
    facts = ended(end)
    day_before = state_of(pack, rule, facts, through - timedelta(days=1))
    on_day = state_of(pack, rule, facts, through)
    day_after = state_of(pack, rule, facts, through + timedelta(days=1))
    at_termination = state_of(pack, rule, facts, end)
    for s in (day_before, on_day, at_termination):
        assert s is not None and s.state == IN_FORCE and s.through == through and s.from_ is None
    assert day_after is not None
    assert day_after.state == AFTER_PERIOD
    assert day_after.through == through
    assert day_after.from_ == through + timedelta(days=1)
    assert rule.after and rule.after in day_after.note


@pytest.mark.parametrize("item", rules_of_kind("period"), ids=rid)
def test_period_rule_while_current_and_quiet(item: tuple[RulePack, Rule]) -> None:
    pack, rule = item
    on = in_effect_termination(rule)
    cur = state_of(pack, rule, open_client(on), on)
    assert cur is not None and cur.state == CURRENT_CLIENT and cur.through is None
    quiet = state_of(pack, rule, quiet_client(on), on)
    assert quiet is not None and quiet.state == NO_TERMINATION
    assert quiet.through is None and quiet.from_ is None


# --- never / indefinite rules ----------------------------------------------------------------


@pytest.mark.parametrize("item", rules_of_kind("never", "indefinite-with-burden"), ids=rid)
def test_never_and_indefinite_rules(item: tuple[RulePack, Rule]) -> None:
    pack, rule = item
    end = in_effect_termination(rule)
    for on in (end, end + timedelta(days=365 * 2 + 1), end + timedelta(days=365 * 30)):
        s = state_of(pack, rule, ended(end), on)
        if rule.applies_to == "current":
            assert s is None  # a current-client rule no longer applies once therapy ended
        else:
            assert s is not None and s.state == PERMANENT and s.through is None
    cur = state_of(pack, rule, open_client(end), end)
    assert cur is not None
    expected = PERMANENT if rule.applies_to == "any" else CURRENT_CLIENT
    assert cur.state == expected
    quiet = state_of(pack, rule, quiet_client(end), end)
    assert quiet is not None
    expected = {"any": PERMANENT, "current": CURRENT_CLIENT, "former": NO_TERMINATION}[
        rule.applies_to
    ]
    assert quiet.state == expected


# --- caveats -----------------------------------------------------------------------------------


@pytest.mark.parametrize("item", rules_of_kind("caveat"), ids=rid)
def test_caveat_rules(item: tuple[RulePack, Rule]) -> None:
    pack, rule = item
    end = in_effect_termination(rule)
    for on in (end, end + timedelta(days=365 * 40)):
        s = state_of(pack, rule, ended(end), on)
        if rule.applies_to == "current":
            assert s is None
        else:
            assert s is not None and s.state == CAVEAT
            assert s.through is None and s.from_ is None
    cur = state_of(pack, rule, open_client(end), end)
    assert cur is not None and cur.state == CAVEAT


# --- retention ---------------------------------------------------------------------------------


@pytest.mark.parametrize("item", rules_of_kind("retention"), ids=rid)
def test_retention_rules(item: tuple[RulePack, Rule]) -> None:
    pack, rule = item
    through = RETENTION_THROUGH[rule.id]
    facts = ended(T, dob=date(1970, 1, 1))
    for on in (T, through - timedelta(days=1), through, through + timedelta(days=1)):
        s = state_of(pack, rule, facts, on)
        assert s is not None and s.state == RETENTION and s.through == through
    cur = state_of(pack, rule, open_client(T), T)
    assert cur is not None and cur.state == RETENTION and cur.through is None


def test_all_packs_together_on_boundaries() -> None:
    facts = ended(T, dob=date(1970, 1, 1))
    for on in sorted(set(PERIOD_THROUGH.values())):
        ev = evaluate(facts, list(BUILTIN.values()), on)
        by_id = {s.rule.id: s for s in ev.statuses}
        for rule_id, through in PERIOD_THROUGH.items():
            if rule_id not in by_id:
                continue
            expected = IN_FORCE if on <= through else AFTER_PERIOD
            assert by_id[rule_id].state == expected, (rule_id, on)
