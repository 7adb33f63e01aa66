"""The portfolio and the alliance agenda load every alliance at once
(store/alliance_facts.load_many); what they compute must equal the one-alliance path
(`load`, used by the alliance page). A seeded portfolio with varied partners, people
shared between alliances, RACI rows, objectives with measurements before and after
their deadlines, forums, meetings and plain interactions, decisions with verdicts,
action items, contributions and health checks, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from kithbook.domain.alliances import agenda as agenda_rules
from kithbook.domain.alliances import communication_alerts as comm_alerts
from kithbook.domain.alliances import health as health_rules
from kithbook.domain.alliances import lifecycle, pacing, raci
from kithbook.domain.alliances.evaluation import evaluate
from kithbook.domain.alliances.facts import DIMENSIONS, AllianceFacts
from kithbook.services.alliance_agenda import AGENDA_SKIPS
from kithbook.services.alliance_measures import NewObjective
from kithbook.services.alliance_views import PortfolioLine
from kithbook.services.alliance_work import NewMeeting, RaciAssignment
from kithbook.services.alliances import NewAlliance
from kithbook.services.app import Services
from kithbook.services.interactions import NewInteraction
from kithbook.services.people import NewPerson
from kithbook.store import alliance_facts as st_facts
from kithbook.store import alliances as st

TODAY = date(2026, 11, 27)
ORGS = ["Us Firm", "Alpha Ltd", "Beta Co", "Gamma AG", "Delta BV", "Epsilon SA"]


def at(svc: Services, days_ago: int) -> Services:
    return Services(svc.db, replace(svc.config, as_of=TODAY - timedelta(days=days_ago)),
                    actor=svc.actor)


def when(days_ago: int, hour: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour, 0), tzinfo=UTC)


def confirm(s: Services, name: str, item: str, side: str, rnd: random.Random) -> None:
    verdict, comment = rnd.choice([("confirmed", "Fine."), ("disputed", "Not agreed.")])
    s.alliance_work.confirm(name, item, side, verdict, comment=comment)


def build(svc: Services, seed: int, n: int) -> None:
    rnd = random.Random(seed)
    svc.people.set_me("Test Me")
    people = {o: [svc.people.add(NewPerson(name=f"{o} {k}", org=o)).id for k in range(3)]
              for o in ORGS}
    stages = ["explore", "negotiate", "launch", "manage", "terminate"]
    for i in range(n):
        name = f"Seeded alliance {seed}-{i}"
        partners = rnd.sample(ORGS[1:], rnd.randint(1, 4))
        start = rnd.randint(120, 500)
        s = at(svc, start)
        s.alliances.create(NewAlliance(
            name, type="joint_proposal", us=ORGS[0], partners=partners,
            started_on=TODAY - timedelta(days=start),
            planned_end_on=TODAY + timedelta(days=rnd.randint(-10, 200)),
            notice_days=rnd.choice([None, 30, 90]),
            decision_on=rnd.choice([None, TODAY + timedelta(days=rnd.randint(-20, 60))])))
        sides = ["us", *partners]
        members: dict[str, list[str]] = {}
        for o, side in zip([ORGS[0], *partners], sides, strict=True):
            crew = people[o]
            sponsor = rnd.choice([None, *crew])
            contacts = rnd.sample(crew, rnd.randint(0, 3))
            s.alliances.add_partner(name, side, sponsor=sponsor, contacts=contacts)
            members[side] = list(dict.fromkeys([*contacts, *([sponsor] if sponsor else [])]))
        everyone = [p for o in [ORGS[0], *partners] for p in people[o]]
        known = [p for ps in members.values() for p in ps]
        for side in sides:
            for _ in range(rnd.randint(0, 2)):
                g = s.alliance_work.add_goal(name, side, f"Goal {rnd.random():.6f}",
                                             kpi=rnd.choice([None, "volume", "cost"]),
                                             direction=rnd.choice(["increase", "decrease"]))
                for other in sides:
                    if other != side and rnd.random() < 0.6:
                        confirm(s, name, g.id, other, rnd)
        for k in range(rnd.randint(0, 3)):
            o = s.alliance_measures.add_objective(name, NewObjective(
                f"Objective {k}", metric="units", baseline=str(rnd.randint(0, 50)),
                target=str(rnd.randint(60, 500)), start_on=TODAY - timedelta(days=start),
                deadline=TODAY + timedelta(days=rnd.randint(-90, 200)),
                owner=rnd.choice(sides), weight=rnd.randint(1, 9)))
            for _ in range(rnd.randint(0, 6)):
                d = rnd.randint(0, start - 1)
                at(svc, d).alliance_measures.measure(name, o.id, str(rnd.randint(0, 400)),
                                                     on=TODAY - timedelta(days=d))
            cells = []
            for _ in range(rnd.randint(0, 4)):
                side = rnd.choice(sides)
                cells.append(RaciAssignment(side, rnd.choice(["A", "R", "RA", "C", "I"]),
                                            rnd.choice([None, *members[side]])))
            s.alliance_work.add_activity(name, f"Work on {k}", objective=o.id,
                                         check_in_days=rnd.choice([None, 14, 30]), raci=cells)
        if rnd.random() < 0.7:
            s.alliance_work.add_obligation(name, "Keep it confidential",
                                           kind=rnd.choice(["obligation", "exit_provision"]))
        forums = [s.alliance_work.add_forum(name, f"Forum {k}", rnd.choice(
            ["weekly", "monthly", "quarterly"]), layer=rnd.choice(["steering", "operations"]))
            for k in range(rnd.randint(0, 2))]
        for _ in range(rnd.randint(0, 5)):
            d = rnd.randint(0, start - 1)
            at(svc, d).alliance_work.log_meeting(name, NewMeeting(
                with_people=rnd.sample(everyone, rnd.randint(1, 3)),
                forum=rnd.choice([None, *(f.id for f in forums)]), when=when(d, 9),
                minutes=rnd.choice([None, "Notes."]), me_attended=rnd.random() < 0.5))
        for _ in range(rnd.randint(0, 3)):
            d = rnd.randint(0, 40)
            by = rnd.choice(sides)
            dec = at(svc, d).alliance_work.record_decision(
                name, f"Decision {rnd.random():.6f}", partner=by,
                kind=rnd.choice(["decision", "action_plan"]))
            for other in sides:
                if other != by and rnd.random() < 0.5:
                    confirm(at(svc, max(0, d - 2)), name, dec.id, other, rnd)
            if rnd.random() < 0.5 and known:
                s.alliance_work.add_action(name, "Follow up", rnd.choice(known),
                                           due=TODAY + timedelta(days=rnd.randint(-20, 20)),
                                           decision=dec.id)
        for side in sides:
            if rnd.random() < 0.6:
                kind = rnd.choice(["cash", "hours"])
                s.alliance_measures.contribute(name, side, kind, str(rnd.randint(1, 900)),
                                               rate="50" if kind == "hours" else None,
                                               stage=rnd.choice(["committed", "delivered"]))
        if rnd.random() < 0.5:
            c = at(svc, rnd.randint(0, 300)).alliance_measures.open_check(
                name, min_group=rnd.randint(1, 2))
            for side in sides:
                for _ in range(rnd.randint(0, 2)):
                    s.alliance_measures.rate(name, c.id, side, {
                        d: rnd.randint(1, 5) for d in DIMENSIONS})
        if rnd.random() < 0.4 and known:
            s.alliances.depart_contact(name, rnd.choice(known))
        target = rnd.choice(stages)
        if target != "explore":
            s.alliances.move(name, target, force=True, reason="seeded")
        if rnd.random() < 0.15:
            s.alliances.archive(name)
    # plain interactions between people of several alliances, inside and outside the
    # touch window, some started by the other side
    pool = [p for ps in people.values() for p in ps]
    for _ in range(40):
        d = rnd.randint(0, 450)
        at(svc, d).interactions.log(NewInteraction(
            with_people=rnd.sample(pool, rnd.randint(1, 3)), channel="call",
            when=when(d, rnd.randint(8, 17)), initiated_by=rnd.choice([None, "me", "them"])))


def reference_facts(svc: Services, history: bool) -> dict[int, AllianceFacts]:
    with svc.db.read() as conn:
        keys = st.live_alliance_keys(conn)
        return {k: st_facts.load(conn, k, svc.now, history=history) for k in keys}


def reference_portfolio(svc: Services) -> list[PortfolioLine]:
    """The portfolio as it was computed before the batch: one alliance at a time."""
    now = svc.now
    out = []
    with svc.db.read() as conn:
        summaries, _ = st.list_alliances(conn, limit=100_000)
        for s in summaries:
            facts = st_facts.load(conn, s.key, now, history=False)
            h = health_rules.health(facts, now)
            found = [*raci.check(facts), *comm_alerts.alerts(facts, now),
                     *pacing.findings(facts, now.date())]
            g = lifecycle.gate(facts, now)
            out.append(PortfolioLine(
                s.id, s.name, s.type, s.stage, s.partners, h.score, h.category, h.capped,
                h.weakest, h.coverage, sum(f.severity == "error" for f in found),
                sum(f.severity == "warn" for f in found), g.next, g.open, len(g.unmet),
                s.decision_on, s.notice_by))
    out.sort(key=lambda x: (x.score is None, x.score if x.score is not None else 0, x.name))
    return out


def reference_agenda(svc: Services) -> list[Any]:
    now = svc.now
    out = []
    with svc.db.read() as conn:
        summaries, _ = st.list_alliances(conn, limit=100_000)
        for s in summaries:
            facts = st_facts.load(conn, s.key, now, history=False)
            out.extend(agenda_rules.tasks(facts, now, notice_by=s.notice_by))
    return agenda_rules.rank(out)


@pytest.mark.parametrize("seed", [7])
def test_batched_facts_portfolio_and_agenda_equal_the_one_alliance_path(
        svc: Services, seed: int) -> None:
    build(svc, seed, 8)
    with svc.db.read() as conn:
        keys = st.live_alliance_keys(conn)
    assert len(keys) >= 5
    for history in (False, True):
        with svc.db.read() as conn:
            many = st_facts.load_many(conn, keys, svc.now, history=history)
        one = reference_facts(svc, history)
        assert list(many) == list(one)
        for k in keys:
            assert many[k] == one[k], many[k].name
    facts = list(one.values())
    # the data is varied enough for the comparison to mean something
    assert any(f.touches for f in facts) and any(f.checks for f in facts)
    assert any(len(f.parties) >= 3 for f in facts) and any(f.decisions for f in facts)
    assert any(len(o.measurements) >= 2 for f in facts for o in f.objectives)
    assert any(c.active is False for f in facts for c in f.contacts)
    assert svc.alliance_views.portfolio() == reference_portfolio(svc)
    # the shared evaluation gives every side's score and the gate their own values, and
    # one made for another moment is not used
    now = svc.now
    for f in facts:
        ev = evaluate(f, now)
        stale = evaluate(f, now - timedelta(days=200))
        for side in [None, *(p.key for p in f.current_parties)]:
            alone = health_rules.health(f, now, side)
            assert health_rules.health(f, now, side, shared=ev) == alone
            assert health_rules.health(f, now, side, shared=stale) == alone
        assert lifecycle.gate(f, now, shared=ev) == lifecycle.gate(f, now)
        assert list(ev.raci_findings) == raci.check(f)
        assert list(ev.pacing_findings) == pacing.findings(f, now.date())
    assert any(evaluate(f, now).invalid_rows for f in facts)
    # the agenda loads less (AGENDA_SKIPS) and still equals the agenda of full facts
    with svc.db.read() as conn:
        light = st_facts.load_many(conn, keys, svc.now, history=False, skip=AGENDA_SKIPS)
    full = reference_facts(svc, False)
    for k in keys:
        assert light[k] == replace(full[k], **dict.fromkeys(AGENDA_SKIPS, ()))
    assert any(f.activities and f.goals and f.obligations for f in full.values())
    tasks = svc.alliance_agenda.today(1000)
    assert tasks == reference_agenda(svc) and tasks
    assert svc.alliance_agenda.today(3) == tasks[:3]


def test_a_batch_boundary_and_unknown_keys(svc: Services, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    build(svc, 11, 3)
    one = reference_facts(svc, False)
    keys = list(one)
    monkeypatch.setattr(st_facts, "BATCH", 2)
    with svc.db.read() as conn:
        many = st_facts.load_many(conn, [*keys, keys[0], 10**9], svc.now, history=False)
        assert st_facts.load_many(conn, [], svc.now) == {}
        with pytest.raises(ValueError):
            st_facts.load_many(conn, keys, svc.now, skip=frozenset({"parties"}))
    assert many == one
