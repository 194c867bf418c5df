"""Evaluator semantics: the worked example, anchors, re-entry, no termination, minors."""

from __future__ import annotations

import json
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
    Evaluation,
    RuleStatus,
    evaluate,
    evaluation_to_json,
    format_elapsed,
)

T = date(2024, 3, 1)


def status(ev: Evaluation, rule_id: str) -> RuleStatus:
    found = [s for s in ev.statuses if s.rule.id == rule_id]
    assert len(found) == 1, f"{rule_id} not in {[s.rule.id for s in ev.statuses]}"
    return found[0]


def ids(ev: Evaluation) -> list[str]:
    return [s.rule.id for s in ev.statuses]


def run(facts, pack_ids, on, **kw):  # type: ignore[no-untyped-def]
    return evaluate(facts, [BUILTIN[p] for p in pack_ids], on, **kw)


# --- the worked example from issue 3 -------------------------------------------------


def test_worked_example_in_force_on_the_last_day() -> None:
    ev = run(ended(T), ["apa"], date(2026, 3, 1))
    out = evaluation_to_json("C-0001", date(2026, 3, 1), ev)
    assert out["client"] == "C-0001"
    assert out["on"] == "2026-03-01"
    assert out["time_since_termination"] == {
        "years": 2,
        "months": 0,
        "days": 0,
        "total_days": 730,
    }
    assert list(out)[:4] == ["client", "on", "time_since_termination", "statuses"]
    assert set(out) == {"client", "on", "time_since_termination", "statuses"}
    row = next(s for s in out["statuses"] if s["rule"] == "apa:10.08(a)")
    assert row["pack"] == "apa"
    assert row["state"] == "in-force"
    assert row["through"] == "2026-03-01"
    assert row["from"] is None
    for key in ("summary", "citation", "confidence"):
        assert isinstance(row[key], str) and row[key]
    json.dumps(out)  # serialisable as is
    assert format_elapsed(ev.time_since_termination) == "2 years, 0 months, 0 days (730 days)"  # type: ignore[arg-type]


def test_worked_example_after_period_the_next_day() -> None:
    ev = run(ended(T), ["apa"], date(2026, 3, 2))
    s = status(ev, "apa:10.08(a)")
    assert s.state == AFTER_PERIOD
    assert s.from_ == date(2026, 3, 2)
    assert s.through == date(2026, 3, 1)
    assert "most unusual circumstances" in s.rule.after
    assert "burden" in s.rule.after
    row = next(
        r
        for r in evaluation_to_json("C-0001", date(2026, 3, 2), ev)["statuses"]
        if r["rule"] == "apa:10.08(a)"
    )
    assert row["from"] == "2026-03-02"
    assert "most unusual circumstances" in row["after"]


def test_json_dates_are_iso_strings_or_null() -> None:
    ev = run(ended(T, dob=date(2010, 6, 15)), list(BUILTIN), date(2026, 3, 1))
    out = evaluation_to_json("C-0002", date(2026, 3, 1), ev)
    for row in out["statuses"]:
        for key in ("through", "from", "checked_on", "anchor_date"):
            assert row[key] is None or date.fromisoformat(row[key])
        assert row["state"] in {
            CURRENT_CLIENT,
            IN_FORCE,
            AFTER_PERIOD,
            PERMANENT,
            CAVEAT,
            NO_TERMINATION,
            RETENTION,
        }


def test_open_episode_gives_null_time_since_termination() -> None:
    facts = client((date(2025, 1, 1), None), sessions=[date(2026, 2, 20)])
    ev = run(facts, ["apa"], date(2026, 3, 1))
    assert ev.time_since_termination is None
    assert evaluation_to_json("C-0001", date(2026, 3, 1), ev)["time_since_termination"] is None
    assert status(ev, "apa:10.08(a)").state == CURRENT_CLIENT
    assert status(ev, "apa:10.05").state == CURRENT_CLIENT


# --- anchors ---------------------------------------------------------------------------


def test_termination_anchor_uses_later_of_documented_end_and_last_session() -> None:
    facts = client((date(2023, 1, 1), T), sessions=[date(2023, 1, 1), date(2024, 3, 20)])
    ev = run(facts, ["apa"], date(2026, 3, 20))
    assert ev.termination_date == date(2024, 3, 20)
    assert status(ev, "apa:10.08(a)").through == date(2026, 3, 20)
    assert status(ev, "apa:10.08(a)").state == IN_FORCE
    assert any("after the documented termination" in n for n in ev.anchor_notes)


def test_later_professional_contact_moves_aca_clock_but_not_apa() -> None:
    facts = ended(T, contacts=[date(2025, 1, 15)])
    ev = run(facts, ["apa", "aca"], date(2029, 6, 1))
    aca = status(ev, "aca:A.5.c")
    assert aca.anchor == date(2025, 1, 15)
    assert aca.through == date(2030, 1, 15)
    assert aca.state == IN_FORCE
    apa = status(ev, "apa:10.08(a)")
    assert apa.through == date(2026, 3, 1)
    assert apa.state == AFTER_PERIOD
    # without the contact ACA would have lapsed on 2029-03-02
    ev2 = run(ended(T), ["aca"], date(2029, 6, 1))
    assert status(ev2, "aca:A.5.c").state == AFTER_PERIOD
    assert status(ev2, "aca:A.5.c").from_ == date(2029, 3, 2)


def test_later_contact_moves_florida_later_of_anchor() -> None:
    facts = ended(T, contacts=[date(2024, 9, 9)])
    ev = run(facts, ["us-fl"], date(2026, 6, 1))
    s = status(ev, "us-fl:64B4-10.003")
    assert s.through == date(2026, 9, 9)
    assert s.state == IN_FORCE


def test_contacts_after_on_are_not_counted() -> None:
    facts = ended(T, contacts=[date(2030, 1, 1)])
    ev = run(facts, ["aca"], date(2026, 3, 1))
    assert status(ev, "aca:A.5.c").through == date(2029, 3, 1)


def test_termination_dated_after_on_counts_as_open() -> None:
    facts = client((date(2023, 1, 1), date(2026, 12, 1)), sessions=[date(2026, 2, 1)])
    ev = run(facts, ["apa"], date(2026, 3, 1))
    assert ev.situation == "current"
    assert status(ev, "apa:10.08(a)").state == CURRENT_CLIENT


def test_29_february_anchor() -> None:
    leap = date(2024, 2, 29)
    on_last = run(ended(leap), ["apa"], date(2026, 3, 1))
    s = status(on_last, "apa:10.08(a)")
    assert (s.state, s.through) == (IN_FORCE, date(2026, 3, 1))
    before = run(ended(leap), ["apa"], date(2026, 2, 28))
    assert status(before, "apa:10.08(a)").state == IN_FORCE
    after = run(ended(leap), ["apa"], date(2026, 3, 2))
    s = status(after, "apa:10.08(a)")
    assert (s.state, s.from_) == (AFTER_PERIOD, date(2026, 3, 2))


# --- re-entry ----------------------------------------------------------------------------


def test_reentry_open_second_episode_is_current_client() -> None:
    facts = client(
        (date(2018, 1, 1), date(2019, 6, 1)),
        (date(2025, 11, 1), None),
        sessions=[date(2018, 1, 1), date(2019, 6, 1), date(2025, 11, 1), date(2026, 2, 15)],
    )
    ev = run(facts, ["apa", "aca", "aamft"], date(2026, 3, 1))
    assert ev.time_since_termination is None
    for rid in ("apa:10.08(a)", "aca:A.5.c", "aamft:1.5", "apa:10.05", "aamft:1.4"):
        assert status(ev, rid).state == CURRENT_CLIENT
    assert any("Returning client" in n for n in ev.anchor_notes)


def test_reentry_clocks_run_from_end_of_latest_episode() -> None:
    facts = client(
        (date(2015, 1, 1), date(2016, 6, 1)),
        (date(2023, 1, 1), T),
        sessions=[date(2015, 1, 1), date(2016, 6, 1), date(2023, 1, 1), T],
    )
    ev = run(facts, ["apa"], date(2026, 3, 1))
    assert ev.termination_date == T
    assert ev.time_since_termination is not None
    assert ev.time_since_termination.total_days == 730
    assert status(ev, "apa:10.08(a)").state == IN_FORCE


def test_episode_order_does_not_matter() -> None:
    a = client((date(2023, 1, 1), T), (date(2015, 1, 1), date(2016, 6, 1)), sessions=[T])
    b = client((date(2015, 1, 1), date(2016, 6, 1)), (date(2023, 1, 1), T), sessions=[T])
    on = date(2025, 5, 5)
    assert run(a, ["apa"], on).statuses == run(b, ["apa"], on).statuses


# --- no termination recorded ---------------------------------------------------------------


def test_no_termination_after_threshold() -> None:
    facts = client((date(2024, 1, 1), None), sessions=[date(2025, 1, 1)])
    ev = run(facts, ["apa", "aamft", "nasw"], date(2025, 6, 1))
    assert ev.situation == NO_TERMINATION
    assert ev.time_since_termination is None
    for rid in ("apa:10.08(a)", "aamft:1.5", "nasw:1.09(c)"):
        s = status(ev, rid)
        assert s.state == NO_TERMINATION
        assert s.through is None and s.from_ is None
        assert "may still count as a current client" in s.note
        assert "consider recording a termination" in s.note
    # current-client rules still apply to someone who may still be a current client
    assert status(ev, "apa:10.05").state == CURRENT_CLIENT


@pytest.mark.parametrize(
    ("gap", "state"), [(89, CURRENT_CLIENT), (90, CURRENT_CLIENT), (91, NO_TERMINATION)]
)
def test_no_termination_threshold_boundary(gap: int, state: str) -> None:
    last = date(2025, 1, 1)
    facts = client((date(2024, 1, 1), None), sessions=[last])
    ev = run(facts, ["apa"], last + timedelta(days=gap))
    assert status(ev, "apa:10.08(a)").state == state


def test_no_termination_threshold_is_configurable_and_counts_contacts() -> None:
    facts = client((date(2024, 1, 1), None), sessions=[date(2025, 1, 1)])
    on = date(2025, 2, 15)
    assert status(run(facts, ["apa"], on), "apa:10.08(a)").state == CURRENT_CLIENT
    ev = run(facts, ["apa"], on, no_termination_days=30)
    assert status(ev, "apa:10.08(a)").state == NO_TERMINATION
    with_call = client(
        (date(2024, 1, 1), None), sessions=[date(2025, 1, 1)], contacts=[date(2025, 2, 1)]
    )
    ev = run(with_call, ["apa"], on, no_termination_days=30)
    assert status(ev, "apa:10.08(a)").state == CURRENT_CLIENT
    with pytest.raises(ValueError):
        run(facts, ["apa"], on, no_termination_days=-1)


def test_no_episode_and_no_sessions_is_current() -> None:
    ev = run(client(), ["apa"], date(2026, 3, 1))
    assert ev.situation == "current"
    assert status(ev, "apa:10.05").state == CURRENT_CLIENT


def test_sessions_without_episode_are_an_open_episode() -> None:
    facts = client(sessions=[date(2025, 1, 1)])
    ev = run(facts, ["apa"], date(2025, 12, 1))
    assert status(ev, "apa:10.08(a)").state == NO_TERMINATION


# --- retention and minors ------------------------------------------------------------------


def test_retention_adult() -> None:
    ev = run(ended(T, dob=date(1980, 1, 1)), ["apa-rkg", "us-ca", "us-ny", "us-fl"], T)
    assert status(ev, "apa-rkg:7").through == date(2031, 3, 1)
    assert status(ev, "us-ca:BP-4980.49").through == date(2031, 3, 1)
    assert status(ev, "us-ca:BP-2919").through == date(2031, 3, 1)
    assert status(ev, "us-ny:8NYCRR-29.2(a)(3)").through == date(2030, 3, 1)
    assert status(ev, "us-fl:64B4-9.001").through == date(2031, 3, 1)
    fl490 = status(ev, "us-fl:64B19-19.003(3)")
    assert fl490.through == date(2031, 3, 1)
    assert "2027-03-01" in fl490.note  # complete record for the first three years
    for s in ev.statuses:
        if s.rule.kind == "retention":
            assert s.state == RETENTION


def test_retention_minor_keeps_later_date() -> None:
    dob = date(2010, 6, 15)  # 18 on 2028-06-15, 22 on 2032-06-15
    facts = ended(T, start=date(2022, 1, 1), dob=dob)
    ev = run(facts, ["apa-rkg", "us-ca", "us-ny"], date(2026, 3, 1))
    assert status(ev, "apa-rkg:7").through == date(2031, 6, 15)  # majority + 3y > last + 7y
    assert status(ev, "us-ca:BP-4980.49").through == date(2035, 6, 15)  # 18th birthday + 7y
    assert status(ev, "us-ca:BP-2919").through == date(2035, 6, 15)
    assert status(ev, "us-ny:8NYCRR-29.2(a)(3)").through == date(2032, 6, 15)  # 22nd birthday
    assert "minors' rule" in status(ev, "apa-rkg:7").note


def test_retention_minor_when_adult_rule_is_later() -> None:
    dob = date(2005, 1, 1)  # 18 on 2023-01-01: treated as a minor, turned 18 before the end
    facts = ended(T, start=date(2022, 6, 1), dob=dob)
    ev = run(facts, ["apa-rkg", "us-ca", "us-ny"], date(2026, 3, 1))
    assert status(ev, "apa-rkg:7").through == date(2031, 3, 1)  # 2026-01-01 < 2031-03-01
    assert status(ev, "us-ca:BP-4980.49").through == date(2031, 3, 1)  # 2030-01-01 < 2031
    assert status(ev, "us-ny:8NYCRR-29.2(a)(3)").through == date(2030, 3, 1)  # 2027 < 2030
    assert "adult rule" in status(ev, "apa-rkg:7").note


def test_retention_minor_born_29_february() -> None:
    dob = date(2008, 2, 29)  # 18th birthday taken as 2026-03-01
    facts = ended(date(2020, 3, 1), start=date(2019, 1, 1), dob=dob)
    ev = run(facts, ["us-ca", "us-ny"], date(2026, 3, 1))
    assert status(ev, "us-ca:BP-4980.49").through == date(2033, 3, 1)
    assert status(ev, "us-ny:8NYCRR-29.2(a)(3)").through == date(2030, 3, 1)  # 22nd birthday


def test_retention_unknown_dob_uses_adult_date_and_says_so() -> None:
    ev = run(ended(T), ["apa-rkg", "us-fl"], date(2026, 3, 1))
    s = status(ev, "apa-rkg:7")
    assert s.through == date(2031, 3, 1)
    assert "Date of birth unknown" in s.note
    assert "Date of birth unknown" not in status(ev, "us-fl:64B4-9.001").note


def test_retention_while_current_has_no_date() -> None:
    facts = client((date(2025, 1, 1), None), sessions=[date(2026, 2, 1)])
    s = status(run(facts, ["apa-rkg"], date(2026, 3, 1)), "apa-rkg:7")
    assert s.state == RETENTION and s.through is None
    assert "Therapy has not ended" in s.note


def test_florida_retention_from_last_contact() -> None:
    ev = run(ended(T, contacts=[date(2025, 5, 5)]), ["us-fl"], date(2026, 3, 1))
    assert status(ev, "us-fl:64B4-9.001").through == date(2032, 5, 5)


# --- effective dates --------------------------------------------------------------------------


def test_aps_two_year_rule_for_terminations_before_the_new_code() -> None:
    ev = run(ended(date(2025, 11, 30)), ["aps"], date(2026, 11, 26))
    assert status(ev, "aps:C.4.3").state == IN_FORCE
    assert status(ev, "aps:C.4.3").through == date(2027, 11, 30)
    assert "aps:PsyBA-CoC-2025" not in ids(ev)
    assert any(s.rule.id == "aps:PsyBA-CoC-2025" for s in ev.skipped)


def test_aps_new_code_for_terminations_from_1_december_2025() -> None:
    ev = run(ended(date(2025, 12, 1)), ["aps"], date(2026, 11, 26))
    assert "aps:C.4.3" not in ids(ev)
    new = status(ev, "aps:PsyBA-CoC-2025")
    assert new.state == CAVEAT
    assert new.rule.confidence == "low"
    assert new.rule.needs_verification
    row = evaluation_to_json("C-0001", date(2026, 11, 26), ev)["statuses"]
    assert any(r["verify_text"] == "verify with your board" for r in row)


def test_aps_open_episode_uses_today() -> None:
    facts = client((date(2025, 6, 1), None), sessions=[date(2026, 11, 1)])
    ev = run(facts, ["aps"], date(2026, 11, 26))
    assert "aps:C.4.3" not in ids(ev)
    assert status(ev, "aps:PsyBA-CoC-2025").state == CAVEAT


def test_california_bbs_retention_only_for_terminations_from_2015() -> None:
    old = run(ended(date(2014, 12, 31)), ["us-ca"], date(2016, 1, 1))
    assert "us-ca:BP-4980.49" not in ids(old)
    assert status(old, "us-ca:BBS-pre-2015").state == CAVEAT
    new = run(ended(date(2015, 1, 1)), ["us-ca"], date(2016, 1, 1))
    assert status(new, "us-ca:BP-4980.49").through == date(2022, 1, 1)
    assert "us-ca:BBS-pre-2015" not in ids(new)


# --- several packs: strictest first -------------------------------------------------------------


def test_several_packs_strictest_first() -> None:
    facts = ended(T, dob=date(1980, 1, 1))
    ev = run(facts, ["apa", "aca", "aamft", "us-ca", "apa-rkg"], date(2026, 6, 1))
    states = [s.state for s in ev.statuses]
    order = [PERMANENT, IN_FORCE, CAVEAT, AFTER_PERIOD, RETENTION]
    assert states == sorted(states, key=order.index)
    assert ev.statuses[0].rule.id in {"aamft:1.5", "apa:10.07", "aca:A.5.b"}
    assert status(ev, "aamft:1.5").state == PERMANENT
    assert status(ev, "aca:A.5.c").state == IN_FORCE
    assert status(ev, "apa:10.08(a)").state == AFTER_PERIOD
    assert ev.statuses[-1].state == RETENTION
    # never before indefinite-with-burden inside "permanent"
    ev = run(facts, ["nasw", "aamft"], date(2026, 6, 1))
    perm = [s for s in ev.statuses if s.state == PERMANENT]
    assert [s.rule.kind for s in perm] == sorted(
        (s.rule.kind for s in perm), key=["never", "indefinite-with-burden"].index
    )


def test_pack_order_breaks_ties() -> None:
    facts = ended(T)
    a = run(facts, ["apa", "aca"], date(2026, 1, 1))
    b = run(facts, ["aca", "apa"], date(2026, 1, 1))
    in_force_a = [s.rule.id for s in a.statuses if s.state == IN_FORCE]
    in_force_b = [s.rule.id for s in b.statuses if s.state == IN_FORCE]
    assert in_force_a == ["apa:10.08(a)", "aca:A.5.c"]
    assert in_force_b == ["aca:A.5.c", "apa:10.08(a)"]


def test_current_client_sorts_first() -> None:
    facts = client((date(2025, 1, 1), None), sessions=[date(2026, 2, 1)])
    ev = run(facts, ["hipaa", "psychiatry", "apa"], date(2026, 3, 1))
    states = [s.state for s in ev.statuses]
    assert states[0] == CURRENT_CLIENT
    assert states.index(PERMANENT) > max(i for i, s in enumerate(states) if s == CURRENT_CLIENT)


def test_current_only_rules_drop_after_termination() -> None:
    ev = run(ended(T), ["apa"], date(2026, 3, 1))
    assert "apa:10.05" not in ids(ev)
    assert any(s.rule.id == "apa:10.05" for s in ev.skipped)


def test_psychiatry_never_rule_is_permanent_for_current_and_former() -> None:
    cur = client((date(2025, 1, 1), None), sessions=[date(2026, 2, 1)])
    assert status(run(cur, ["psychiatry"], date(2026, 3, 1)), "psychiatry:2.1").state == PERMANENT
    past = run(ended(T), ["psychiatry"], date(2040, 1, 1))
    assert status(past, "psychiatry:2.1").state == PERMANENT


def test_nasw_indefinite_with_burden_is_permanent_with_burden_note() -> None:
    s = status(run(ended(T), ["nasw"], date(2050, 1, 1)), "nasw:1.09(c)")
    assert s.state == PERMANENT
    assert "full burden" in s.note


# --- journal-theme guidance ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("themes", "kinds", "expected"),
    [
        ({"erotic"}, {"countertransference"}, True),
        ({"romantic", "idealising"}, {"transference", "reflection"}, True),
        ({"erotic"}, set(), True),  # kinds unknown
        ({"erotic"}, {"reflection"}, False),
        ({"idealising"}, {"transference"}, False),
        (set(), set(), False),
    ],
)
def test_guidance(themes: set[str], kinds: set[str], expected: bool) -> None:
    facts = ended(T, themes=themes, kinds=kinds)
    ev = run(facts, ["apa", "hipaa", "aamft"], date(2025, 1, 1))
    guidance = ev.guidance
    assert bool(guidance) is expected
    if expected:
        # one per pack with boundary rules; hipaa has none
        assert [g.pack for g in guidance] == ["apa", "aamft"]
        g = guidance[0]
        assert g.state == CAVEAT
        assert g.rule.id == "apa:guidance/erotic-transference"
        assert "consultation or supervision" in g.rule.summary
        assert "apa:10.08(a)" in g.rule.summary
        assert "10.08" in g.rule.citation
        assert g.rule.checked_on == date(2026, 11, 26)
        rows = evaluation_to_json("C-0001", date(2025, 1, 1), ev)["statuses"]
        assert sum(r["guidance"] for r in rows) == 2
