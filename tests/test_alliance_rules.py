"""Every alliance rule with fixed inputs: RACI checks R1-R13, communication alerts,
pacing, perception, the health score with thin data, lifecycle gates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from alliance_facts import (
    ALICE,
    ANDY,
    BEN,
    BETH,
    CARL,
    GX,
    NOW,
    NW,
    TODAY,
    US,
    activity,
    at,
    cell,
    contact,
    d,
    facts,
    good_row,
    party,
    touch,
    with_,
)
from kithbook.domain.alliances import communication as comm
from kithbook.domain.alliances import communication_alerts as comm_alerts
from kithbook.domain.alliances import health, lifecycle, pacing, perception, raci
from kithbook.domain.alliances.contributions import ledger
from kithbook.domain.alliances.facts import (
    Action,
    Contribution,
    Decision,
    ExitItem,
    Forum,
    Goal,
    HealthCheck,
    Measurement,
    Meeting,
    Objective,
    Obligation,
    Response,
    Verdict,
    parse_letters,
)


def codes(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f.code for f in findings]


# -- RACI ------------------------------------------------------------------------------


def test_letters_parse_to_canonical_order() -> None:
    assert parse_letters("a/r") == "RA"
    assert parse_letters("ic") == "CI"
    with pytest.raises(ValueError):
        parse_letters("AX")


def test_a_clean_row_has_no_findings() -> None:
    assert raci.check(facts(activities=(good_row(1),))) == []


def test_r1_no_accountable() -> None:
    f = facts(activities=(activity(1, cell(US, "R", ALICE), cell(NW, "R", BEN)),))
    found = raci.check(f)
    assert codes(found) == ["R1"]
    assert found[0].severity == "error" and "accountable" in found[0].fix


def test_r2_two_accountable() -> None:
    f = facts(activities=(activity(1, cell(US, "RA", ALICE), cell(NW, "A", BEN)),))
    assert "R2" in codes(raci.check(f))


def test_r3_nobody_responsible() -> None:
    f = facts(activities=(activity(1, cell(US, "A", ALICE), cell(NW, "C", BEN)),))
    assert codes(raci.check(f)) == ["R3", "R6"]  # and Ben, only consulted, is unused


def test_r4_decision_drag() -> None:
    f = facts(three=True, activities=(activity(
        1, cell(US, "RA", ALICE), cell(US, "C", ANDY), cell(NW, "C", BEN), cell(NW, "C", BETH),
        cell(GX, "C", CARL)),))
    assert "R4" in codes(raci.check(f))


def test_r5_orphan_reported_once() -> None:
    f = facts(activities=(activity(1, cell(US, "I", ALICE)), activity(2)))
    found = raci.check(f)
    assert codes(found).count("R5") == 2
    assert "R1" not in codes(found) and "R3" not in codes(found)
    assert not raci.row_is_valid(f.activities[0])


def test_r6_unused_role() -> None:
    f = facts(activities=(activity(1, cell(US, "RA", ALICE), cell(NW, "C", BEN)),))
    found = [x for x in raci.check(f) if x.code == "R6"]
    assert [x.subject for x in found] == ["Ben (Northwind)"]
    assert found[0].severity == "info"


def test_r7_overload_needs_enough_rows() -> None:
    rows = tuple(good_row(i) for i in range(1, 5))
    assert "R7" not in codes(raci.check(facts(activities=rows)))  # 4 rows: too few to judge
    rows = (*rows, good_row(5))
    found = [x for x in raci.check(facts(activities=rows)) if x.code == "R7"]
    assert [x.subject for x in found] == ["Alice (Acme)", "Ben (Northwind)"]
    assert "accountable for 100%" in found[0].message


def test_r8_interface_gap_only_on_joint_rows() -> None:
    row = activity(1, cell(US, "RA", ALICE), cell(NW, "I", BEN))
    assert "R8" in codes(raci.check(facts(activities=(row,))))
    solo = activity(1, cell(US, "RA", ALICE), cell(NW, "I", BEN), joint=False)
    assert "R8" not in codes(raci.check(facts(activities=(solo,))))


def test_r9_no_mirror() -> None:
    row = activity(1, cell(US, "RA", ALICE), cell(NW, "C"))  # the party, nobody named
    assert "R9" in codes(raci.check(facts(activities=(row,))))


def test_r10_stale_accountability() -> None:
    f = facts(activities=(good_row(1),))
    f = with_(f, contacts=(contact(ALICE, active=False), contact(BEN)))
    found = raci.check(f)
    assert "R10" in codes(found)
    assert any(x.code == "R10" for x in raci.blocking(found))


def test_r11_uncovered_obligation_and_objective() -> None:
    ob = Obligation(7, "obl_7", "quarterly sales report")
    obj = Objective(8, "obj_8", "Bids won")
    f = facts(activities=(good_row(1),), obligations=(ob,), objectives=(obj,))
    found = [x for x in raci.check(f) if x.code == "R11"]
    assert {x.subject_id for x in found} == {"obl_7", "obj_8"}
    covered = facts(activities=(good_row(1, obligation_key=7), good_row(2, objective_key=8)),
                    obligations=(ob,), objectives=(obj,))
    assert "R11" not in codes(raci.check(covered))


def test_r12_asymmetric_ownership_against_agreed_split() -> None:
    rows = tuple(activity(i, cell(US, "RA"), cell(NW, "C", BEN)) for i in range(1, 6))
    found = [x for x in raci.check(facts(activities=rows)) if x.code == "R12"]
    assert [x.subject for x in found] == ["Acme"]
    # an agreed 90/10 split makes the same matrix fair
    f = facts(activities=rows, parties=(party(US, sponsor_key=ALICE, share_bp=9000),
                                        party(NW, sponsor_key=BEN, share_bp=1000)))
    assert "R12" not in codes(raci.check(f))


def test_r13_goal_without_measure_and_goal_conflict() -> None:
    g1 = Goal(1, "gol_1", "Own the Acme account", US, kpi="acme account", direction="own")
    g2 = Goal(2, "gol_2", "Lead on Acme", NW, kpi="acme account", direction="own")
    g3 = Goal(3, "gol_3", "Lower prices", NW, kpi="unit price", direction="decrease")
    g4 = Goal(4, "gol_4", "Higher prices", US, kpi="unit price", direction="increase")
    obj = Objective(9, "obj_9", "x", goal_key=1)
    found = [x for x in raci.check(facts(goals=(g1, g2, g3, g4), objectives=(obj,)))
             if x.code == "R13"]
    titles = sorted(x.title for x in found)
    assert titles.count("goal conflict") == 2
    assert titles.count("goal without a measure") == 3


# -- communication ---------------------------------------------------------------------


def forum(cadence: int, *meetings: Meeting, layer: str = "management",
          created: date = date(2025, 1, 1)) -> Forum:
    return Forum(1, "for_1", "Ops", cadence, layer, created,
                 tuple(sorted(meetings, key=lambda m: m.at)))


def meeting(days_ago: float, *attendees: int, minutes: bool = True) -> Meeting:
    when = at(days_ago)
    return Meeting(int(days_ago * 10), f"mee_{days_ago}", when, frozenset(attendees),
                   1, when.date() if minutes else None)


def test_cadence_missed() -> None:
    f = facts(forums=(forum(7, meeting(11, ALICE, BEN)),))
    assert codes(comm_alerts.alerts(f, NOW)) == ["CADENCE_MISSED"]
    ok = facts(forums=(forum(7, *[meeting(i, ALICE, BEN) for i in range(3, 190, 7)]),))
    assert "CADENCE_MISSED" not in codes(comm_alerts.alerts(ok, NOW))
    assert comm.cadence_adherence(ok.forums[0], NOW) == pytest.approx(1.0)


def test_cadence_low_adherence() -> None:
    # monthly forum, met only 3 times in the last half year, the last one recently
    f = facts(forums=(forum(30, meeting(100, ALICE, BEN), meeting(60, ALICE, BEN),
                            meeting(5, ALICE, BEN)),))
    assert "CADENCE_LOW" in codes(comm_alerts.alerts(f, NOW))


def test_sponsor_absent_from_two_steering_meetings() -> None:
    f = facts(forums=(forum(91, meeting(150, ALICE, BETH), meeting(60, ALICE, BETH),
                            layer="steering"),))
    found = [x for x in comm_alerts.alerts(f, NOW) if x.code == "SPONSOR_ABSENT"]
    assert [x.subject_id for x in found] == ["par_2"]


def test_minutes_late() -> None:
    f = facts(forums=(forum(30, meeting(10, ALICE, BEN, minutes=False)),))
    assert "MINUTES_LATE" in codes(comm_alerts.alerts(f, NOW))
    f = facts(forums=(forum(30, meeting(1, ALICE, BEN, minutes=False)),))
    assert "MINUTES_LATE" not in codes(comm_alerts.alerts(f, NOW))


def test_silence_on_a_pair_that_used_to_talk() -> None:
    talk = tuple(touch(x, ALICE, BEN, by=ALICE if i % 2 else BEN)
                 for i, x in enumerate((80, 73, 66, 59)))
    found = [x for x in comm_alerts.alerts(facts(touches=talk), NOW) if x.code == "SILENCE"]
    assert [x.subject for x in found] == ["Alice and Ben"]
    # three touches are not a rhythm yet
    assert "SILENCE" not in codes(comm_alerts.alerts(facts(touches=talk[1:]), NOW))


def test_single_threaded() -> None:
    talk = tuple(touch(x, ALICE, BEN if i % 2 else BETH, by=ALICE if i % 3 else BEN)
                 for i, x in enumerate(range(2, 40, 4)))
    found = [x for x in comm_alerts.alerts(facts(touches=talk), NOW) if x.code == "SINGLE_THREADED"]
    assert len(found) == 1 and "Alice carries" in found[0].message
    both = talk + tuple(touch(x, ANDY, BETH, by=ANDY) for x in (3, 9, 15))
    assert "SINGLE_THREADED" not in codes(comm_alerts.alerts(facts(touches=both), NOW))


def test_one_way_traffic() -> None:
    talk = tuple(touch(x, ALICE, BEN, by=ALICE) for x in (5, 10, 15, 20, 25))
    found = [x for x in comm_alerts.alerts(facts(touches=talk), NOW) if x.code == "ONE_WAY"]
    assert [x.subject_id for x in found] == ["par_2"]
    fair = talk + tuple(touch(x, ALICE, BEN, by=BEN) for x in (6, 11))
    assert "ONE_WAY" not in codes(comm_alerts.alerts(facts(touches=fair), NOW))


def test_slow_response_two_quarters_running() -> None:
    # Alice writes on Mondays; Ben answers on Fridays: 4 business days = 96 h > 48 h
    mondays = [NOW - timedelta(days=NOW.weekday()) - timedelta(weeks=w) for w in range(1, 26)]
    talk = []
    for m in mondays:
        talk.append(touch((NOW - m).days, ALICE, BEN, by=ALICE))
        talk.append(touch((NOW - m).days - 4, ALICE, BEN, by=BEN))
    talk.sort(key=lambda t: t.at)
    found = [x for x in comm_alerts.alerts(facts(touches=tuple(talk)), NOW)
             if x.code == "SLOW_RESPONSE"]
    assert [x.subject_id for x in found] == ["par_2"]


def test_business_hours_skip_weekends() -> None:
    friday = NOW - timedelta(days=(NOW.weekday() - 4) % 7)
    # Friday noon to Monday noon: Friday afternoon and Monday morning only
    assert comm.business_hours(friday, friday + timedelta(days=3)) == pytest.approx(24.0)


def test_unconfirmed_and_disputed_decisions() -> None:
    old = Decision(1, "dec_1", "Bid on the port tender", US, at(20))
    fresh = Decision(2, "dec_2", "Share the CRM", US, at(1))
    disputed = Decision(3, "dec_3", "Split 60/40", US, at(30),
                        verdicts=(Verdict(NW, "disputed", at(25), "we said 50/50"),))
    found = comm_alerts.alerts(facts(decisions=(old, fresh, disputed)), NOW)
    assert [(x.code, x.subject_id) for x in found] == [
        ("DECISION_DISPUTED", "dec_3"), ("UNCONFIRMED_DECISION", "dec_1")]
    assert "50/50" in found[0].message
    # a later confirmation replaces the dispute
    settled = Decision(3, "dec_3", "Split 60/40", US, at(30), verdicts=(
        Verdict(NW, "disputed", at(25)), Verdict(NW, "confirmed", at(2))))
    assert codes(comm_alerts.alerts(facts(decisions=(settled,)), NOW)) == []


def test_overdue_action_and_as_of() -> None:
    late = Action(1, "pro_1", "send the price sheet", NW, BEN, TODAY - timedelta(days=3),
                  created_at=at(30))
    found = comm_alerts.alerts(facts(actions=(late,)), NOW)
    assert codes(found) == ["OVERDUE_ACTION"] and "3 days late" in found[0].message
    done_later = Action(1, "pro_1", "x", NW, BEN, TODAY - timedelta(days=3), "done",
                        at(30), closed_at=at(1))
    assert comm.overdue_share(facts(actions=(done_later,)), NOW) == 0.0
    assert comm.overdue_share(facts(actions=(done_later,)), at(2)) == 1.0


def test_stale_task() -> None:
    row = good_row(1, check_in_days=7, last_update_on=TODAY - timedelta(days=20))
    assert "STALE_TASK" in codes(comm_alerts.alerts(facts(activities=(row,)), NOW))


def test_partner_gone_quiet() -> None:
    talk = (touch(75, ALICE, BEN, by=ALICE),)
    found = [x for x in comm_alerts.alerts(facts(touches=talk), NOW) if x.code == "PARTNER_QUIET"]
    assert [x.subject for x in found] == ["Northwind"]
    # nothing on record at all, in an alliance that started long ago
    found = comm_alerts.alerts(facts(started_on=date(2026, 1, 1)), NOW)
    assert codes(found) == ["PARTNER_QUIET"] and "no conversation" in found[0].message
    talk = (touch(10, ALICE, BEN, by=ALICE),)
    assert "PARTNER_QUIET" not in codes(comm_alerts.alerts(facts(touches=talk), NOW))


# -- pacing ----------------------------------------------------------------------------


def objective(**kw) -> Objective:  # type: ignore[no-untyped-def]
    base = dict(key=1, id="obj_1", name="Joint revenue", metric="revenue", baseline=d(0),
                target=d(100), start_on=date(2026, 1, 1), deadline=date(2026, 12, 31),
                owner_party_key=US)
    base.update(kw)
    return Objective(**base)  # type: ignore[arg-type]


def ms(*points: tuple[str, int]) -> tuple[Measurement, ...]:
    return tuple(Measurement(date.fromisoformat(x), d(v)) for x, v in points)


def test_pace_on_track_linear_and_to_date() -> None:
    p = pacing.pace(objective(measurements=ms(("2026-03-31", 25), ("2026-06-14", 46))), TODAY)
    assert p.status == "on_track"
    assert p.expected == pytest.approx(165 / 364, abs=1e-6)
    assert p.linear_ratio == pytest.approx(0.46 / (165 / 364), abs=1e-6)


def test_pace_linear_at_risk() -> None:
    p = pacing.pace(objective(measurements=ms(("2026-06-14", 30))), TODAY)
    assert p.status == "at_risk" and p.linear_at_risk


def test_pace_to_date_at_risk_when_progress_stalls() -> None:
    # a fast start then nothing: the line is still fine today, the trend is not
    o = objective(measurements=ms(("2026-01-20", 35), ("2026-01-31", 40), ("2026-02-28", 44),
                                  ("2026-03-31", 44), ("2026-04-30", 44), ("2026-05-31", 44),
                                  ("2026-06-14", 44)))
    p = pacing.pace(o, TODAY)
    assert not p.linear_at_risk
    assert p.to_date_at_risk and p.status == "at_risk"
    assert p.projected is not None and p.projected < d(90)


def test_pace_decreasing_target_and_deadline_outcomes() -> None:
    cut = objective(baseline=d(200), target=d(100), measurements=ms(("2026-06-14", 150)))
    assert pacing.pace(cut, TODAY).progress == pytest.approx(0.5)
    met = objective(deadline=date(2026, 6, 1), measurements=ms(("2026-05-30", 101)))
    assert pacing.pace(met, TODAY).status == "met"
    missed = objective(deadline=date(2026, 6, 1), measurements=ms(("2026-05-30", 80),
                                                                  ("2026-06-10", 120)))
    assert pacing.pace(missed, TODAY).status == "missed"  # reached, but after the deadline
    assert pacing.pace(objective(target=None), TODAY).status == "incomplete"
    assert pacing.pace(objective(), TODAY).status == "no_data"


# -- contributions ---------------------------------------------------------------------


def test_ledger_values_hours_at_rate_and_keeps_decimal() -> None:
    f = facts(contributions=(
        Contribution(US, "cash", "committed", d("10000.00"), date(2026, 1, 1)),
        Contribution(US, "cash", "delivered", d("2500.10"), date(2026, 2, 1)),
        Contribution(NW, "hours", "committed", d(100), date(2026, 1, 1), rate=d("85.50")),
        Contribution(NW, "hours", "delivered", d("40.5"), date(2026, 3, 1), rate=d("85.50")),
        Contribution(NW, "introduction", "committed", d(4), date(2026, 1, 1)),
        Contribution(NW, "introduction", "delivered", d(1), date(2026, 9, 1)),  # future
    ))
    us, nw = ledger(f, TODAY)
    assert us.committed == d("10000.00") and us.delivered == d("2500.10")
    assert nw.committed == d("8550.00") and nw.delivered == d("3462.750")
    assert us.ratio == pytest.approx(0.25001)
    intro = next(x for x in nw.lines if x.kind == "introduction")
    assert intro.committed_amount == d(4) and intro.delivered_amount == d(0)


# -- perception ------------------------------------------------------------------------


def check(*responses: Response, min_group: int = 3) -> HealthCheck:
    return HealthCheck(1, "chk_1", date(2026, 6, 1), min_group, tuple(responses))


def resp(party_key: int, **ratings: int) -> Response:
    return Response(party_key, date(2026, 6, 2), tuple(ratings.items()))


def test_perception_waits_for_the_minimum_group() -> None:
    answers = [resp(US, strategic_value=5)] * 3 + [resp(NW, strategic_value=1)] * 2
    p = perception.perception(facts(), check(*answers))
    us, nw = p.sides
    assert us.shown and not nw.shown and nw.means == ()
    assert p.held_back == 2
    assert p.score == pytest.approx(100.0)  # Northwind's two answers count nowhere yet
    assert p.coverage == pytest.approx(0.5)


def test_perception_gap_is_flagged_and_the_low_side_caps_the_score() -> None:
    answers = ([resp(US, communication_quality=5, strategic_value=4)] * 3
               + [resp(NW, communication_quality=3, strategic_value=4)] * 3)
    p = perception.perception(facts(), check(*answers))
    gap = next(g for g in p.gaps if g.dimension == "communication_quality")
    assert gap.flagged and gap.spread == pytest.approx(2.0)
    # λ = 0.5 with two sides: the lower side's score
    assert p.score == pytest.approx((50 + 75) / 2)
    assert [f.title for f in perception.findings(p)] == ["perception gap on communication"]


# -- health ----------------------------------------------------------------------------


def test_health_with_no_data_says_so() -> None:
    h = health.health(facts(), NOW)
    assert h.score is None and h.category == "No data" and h.thin and h.coverage == 0


def test_health_with_thin_data_shows_coverage() -> None:
    f = facts(contributions=(
        Contribution(US, "cash", "committed", d(100), date(2026, 1, 1)),
        Contribution(US, "cash", "delivered", d(100), date(2026, 1, 2)),
        Contribution(NW, "cash", "committed", d(100), date(2026, 1, 1)),
        Contribution(NW, "cash", "delivered", d(100), date(2026, 1, 2)),
    ))
    h = health.health(f, NOW)
    assert h.score == pytest.approx(100.0) and h.category == "Strong"
    assert h.coverage == pytest.approx(0.15) and h.thin


def test_health_weakest_factor_caps_the_category() -> None:
    c = [health.Component(n, n, 95.0, 1.0) for n in health.WEIGHTS]
    c[2] = health.Component("clarity", "clarity", 30.0, 1.0)
    h = health.composite(c)
    assert h.score is not None and h.score > 80
    assert h.category == "At risk" and h.capped and h.weakest == "clarity"


def test_health_per_side_differs() -> None:
    f = facts(contributions=(
        Contribution(US, "cash", "committed", d(100), date(2026, 1, 1)),
        Contribution(US, "cash", "delivered", d(100), date(2026, 1, 2)),
        Contribution(NW, "cash", "committed", d(100), date(2026, 1, 1)),
        Contribution(NW, "cash", "delivered", d(20), date(2026, 1, 2)),
    ))
    us = health.health(f, NOW, US)
    nw = health.health(f, NOW, NW)
    assert us.score is not None and nw.score is not None and us.score > nw.score


def test_quarter_ends() -> None:
    assert health.quarter_ends(date(2026, 6, 15), 3) == [
        date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 15)]


# -- lifecycle -------------------------------------------------------------------------


def test_explore_gate_lists_what_blocks() -> None:
    g = lifecycle.gate(facts(type=None), NOW)
    assert g.next == "negotiate" and not g.open
    assert {c.code for c in g.unmet} == {"rationale", "type", "own_goals"}
    done = facts(rationale="they have the port licence", goals=(
        Goal(1, "gol_1", "win the port bid", US), Goal(2, "gol_2", "reuse our crane", NW)))
    assert lifecycle.gate(done, NOW).open


def test_negotiate_gate() -> None:
    goals = (Goal(1, "gol_1", "a", US, verdicts=(Verdict(NW, "confirmed", at(3)),)),
             Goal(2, "gol_2", "b", NW, verdicts=(Verdict(US, "disputed", at(3)),)))
    f = facts(stage="negotiate", goals=goals)
    unmet = {c.code: c for c in lifecycle.gate(f, NOW).unmet}
    assert set(unmet) == {"goals_confirmed", "contributions", "governance", "exit_provisions",
                          "agreement", "limited_life"}
    assert "disputed" in unmet["goals_confirmed"].detail
    ok = with_(f, goals=(goals[0], Goal(2, "gol_2", "b", NW, verdicts=(
        Verdict(US, "confirmed", at(1)),))),
        contributions=(Contribution(US, "cash", "committed", d(1), TODAY),
                       Contribution(NW, "hours", "committed", d(1), TODAY)),
        forums=(forum(30),), documents=("term_sheet",),
        obligations=(Obligation(1, "obl_1", "6 months notice", "exit_provision"),),
        planned_end_on=date(2028, 1, 1), notice_days=90)
    assert lifecycle.gate(ok, NOW).open


def test_launch_gate_reads_the_raci() -> None:
    obj = objective()
    f = facts(stage="launch", objectives=(obj,), activities=(
        activity(1, cell(US, "R", ALICE), cell(NW, "C", BEN), objective_key=1),))
    unmet = {c.code for c in lifecycle.gate(f, NOW).unmet}
    assert unmet == {"raci", "kickoff", "review_date"}
    ok = with_(f, activities=(good_row(1, objective_key=1),), decision_on=date(2027, 1, 1),
               forums=(forum(30, meeting(3, ALICE, BEN)),))
    assert lifecycle.gate(ok, NOW).open


def test_manage_and_terminate_gates() -> None:
    f = facts(stage="manage")
    assert {c.code for c in lifecycle.gate(f, NOW).unmet} == {"exit_decision", "reason",
                                                              "exit_plan"}
    assert {c.code for c in lifecycle.gate(f, NOW).advisories} == {
        "cadence", "health_check", "review_point"}
    t = facts(stage="terminate", termination_code="external",
              exit_items=(ExitItem(1, "exi_1", "customer", "hand over Acme", done=False),))
    assert {c.code for c in lifecycle.gate(t, NOW).unmet} == {"exit_plan_done", "lessons"}
    assert lifecycle.gate(with_(t, stage="closed"), NOW).next is None


def test_entry_criteria_for_jumps() -> None:
    f = facts(type=None)
    # explore -> launch needs explore's and negotiate's criteria
    keys = {c.code for c in lifecycle.entry_criteria("launch", f, NOW)}
    assert {"type", "goals_confirmed", "agreement"} <= keys
    # winding up early needs the decision and the reason only
    assert {c.code for c in lifecycle.entry_criteria("terminate", f, NOW)} == {
        "exit_decision", "reason"}
    assert lifecycle.entry_criteria("explore", with_(f, stage="launch"), NOW) == []
