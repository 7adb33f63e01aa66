"""Alliance services on SQLite and PostgreSQL: a whole alliance from explore to closed,
exact money, undo and history, stage moves forced and journaled, and the private
response links (answer once, revoked, expired, anonymous health checks)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kithbook.errors import Conflict, InvalidInput, LinkClosed, NotFound
from kithbook.services.alliance_measures import NewObjective
from kithbook.services.alliance_work import NewMeeting, RaciAssignment
from kithbook.services.alliances import AllianceChanges, NewAlliance
from kithbook.services.people import NewPerson


def seed(svc: Any) -> str:
    svc.people.set_me("Ada Me")
    for name, org in (("Olga Oak", "Oakwood"), ("Nina North", "Northwind"),
                      ("Ned North", "Northwind")):
        svc.people.add(NewPerson(name=name, org=org))
    al = svc.alliances.create(NewAlliance(
        name="Port Bid", type="joint proposal", us="Oakwood", partners=["Northwind"],
        rationale="They hold the crane licence"))
    svc.alliances.add_partner(al.id, "us", sponsor="Olga Oak")
    svc.alliances.add_partner(al.id, "Northwind", sponsor="Nina North", contacts=["Ned North"])
    return str(al.id)


def token_of(url: str) -> str:
    return url.rsplit("/r/", 1)[1]


def test_explore_to_closed(svc: Any) -> None:
    al = seed(svc)
    w, m, a = svc.alliance_work, svc.alliance_measures, svc.alliances
    g_us = w.add_goal(al, "us", "Win the port tender", kpi="Port tender")
    g_nw = w.add_goal(al, "Northwind", "Keep the cranes busy")
    assert a.gate(al).open
    assert a.move(al, "next").stage == "negotiate"
    with pytest.raises(Conflict, match="not met"):
        a.move(al, "next")
    w.confirm(al, g_us.id, "Northwind", "confirmed", person="Nina North")
    with pytest.raises(Conflict, match="own goal"):
        w.confirm(al, g_us.id, "us", "confirmed")
    with pytest.raises(InvalidInput, match="comment"):
        w.confirm(al, g_nw.id, "us", "disputed")
    assert w.confirm(al, g_nw.id, "us", "disputed", comment="fleet too old").status == \
        "disputed"
    assert w.confirm(al, g_nw.id, "us", "confirmed").status == "confirmed"
    m.contribute(al, "us", "cash", "20000.10")
    m.contribute(al, "Northwind", "hours", "120", rate="85.50")
    w.add_forum(al, "Weekly ops", "weekly", layer="operations")
    a.add_document(al, "Teaming agreement", "https://example.com/ta.pdf", "agreement")
    w.add_obligation(al, "Six months notice", kind="exit_provision")
    a.edit(al, AllianceChanges(started_on=date(2026, 10, 1), planned_end_on=date(2027, 12, 31),
                               notice_days=90))
    assert a.move(al, "next").stage == "launch"
    obj = m.add_objective(al, NewObjective(
        name="Sections done", metric="sections", baseline="0", target="10",
        start_on=date(2026, 10, 1), deadline=date(2027, 1, 31), owner="us", goal=g_us.id))
    w.add_activity(al, "Technical section", objective=obj.id, raci=[
        RaciAssignment("us", "A", "Olga Oak"), RaciAssignment("Northwind", "R", "Ned North")])
    forum = w.forums(al)[0]
    meeting = w.log_meeting(al, NewMeeting(with_people=["Nina North", "Ned North"],
                                           forum=forum.id, minutes="Kickoff",
                                           decisions=["Bid at 4.2M"]))
    assert {p.name for p in meeting.attendees} == {"Ada Me", "Nina North", "Ned North"}
    assert svc.interactions.get(meeting.interaction_id).channel == "meeting"
    a.edit(al, AllianceChanges(decision_on=date(2027, 10, 1)))
    # launch -> manage is forced past nothing: the gate is open
    assert a.gate(al).open, [c.text for c in a.gate(al).criteria if not c.met]
    assert not a.move(al, "next").forced
    m.measure(al, obj.id, "3")
    act = w.add_action(al, "Send crane specs", "Ned North", due=date(2026, 11, 20))
    assert act.owed_to.name == "Ada Me" and act.overdue
    # wind up: a review decision to exit, the reason coded, an exit plan
    w.record_decision(al, "Exit: the tender was cancelled", kind="review", outcome="exit")
    a.edit(al, AllianceChanges(termination_code="external",
                               termination_reason="Tender cancelled"))
    item = w.add_exit_item(al, "data", "Return the tender documents", partner="Northwind")
    assert a.move(al, "terminate").stage == "terminate"
    unmet = {c.code for c in a.gate(al).criteria if not c.met}
    assert unmet == {"exit_plan_done", "actions_closed", "lessons"}
    w.close_exit_item(al, item.id)
    svc.promises.close(act.id, "done")
    a.edit(al, AllianceChanges(lessons="Check the tender's funding first"))
    assert a.gate(al).open
    assert a.move(al, "next").stage == "closed"
    log = a.stage_log(al)
    assert [x.name for x in log] == ["explore -> negotiate", "negotiate -> launch",
                                     "launch -> manage", "manage -> terminate",
                                     "terminate -> closed"]
    ledger = {x.name: x for x in m.ledger(al)}
    assert ledger["Oakwood"].committed == Decimal("20000.10")
    assert ledger["Northwind"].committed == Decimal("10260.00")
    view = svc.alliance_views.overview(al)
    assert view.alliance.stage == "closed" and view.meetings and view.decisions


def test_forced_move_is_journaled_and_undone(svc: Any) -> None:
    al = seed(svc)
    r = svc.alliances.move(al, "launch", force=True, reason="board asked to hurry")
    assert r.forced and r.stage == "launch"
    assert any("goals" in c.text for c in r.unmet)
    log = svc.alliances.stage_log(al)[-1]
    assert log.forced and log.reason == "board asked to hurry" and log.unmet
    batch = svc.history.recent(1)[0]
    assert batch.name == "ally stage"
    svc.history.undo(batch.id)
    assert svc.alliances.get(al).stage == "explore"
    assert svc.alliances.stage_log(al) == []


def test_undo_covers_alliance_changes(svc: Any) -> None:
    al = seed(svc)
    c = svc.alliance_measures.contribute(al, "Northwind", "cash", "0.10", stage="delivered")
    svc.alliance_measures.contribute(al, "Northwind", "cash", "0.20", stage="delivered")
    nw = next(x for x in svc.alliance_measures.ledger(al) if x.name == "Northwind")
    assert nw.delivered == Decimal("0.30")  # never 0.30000000000000004
    svc.history.undo()
    nw = next(x for x in svc.alliance_measures.ledger(al) if x.name == "Northwind")
    assert nw.delivered == Decimal("0.10")
    assert [x.id for x in svc.alliance_measures.contributions(al)] == [c.id]
    svc.alliances.archive(al)
    assert svc.alliances.list().total == 0
    svc.history.undo()
    assert svc.alliances.list().total == 1


def test_names_and_errors(svc: Any) -> None:
    al = seed(svc)
    assert svc.alliances.get("port bid").id == al
    assert svc.alliances.get("PORT").id == al
    assert svc.alliances.get(al[:8]).id == al
    with pytest.raises(NotFound, match="no alliance"):
        svc.alliances.get("nothing like it")
    with pytest.raises(Conflict, match="exists already"):
        svc.alliances.create(NewAlliance(name="port bid", us="Oakwood"))
    with pytest.raises(NotFound, match="not a partner"):
        svc.alliance_work.add_goal(al, "Globex", "x")
    with pytest.raises(InvalidInput, match="not a number"):
        svc.alliance_measures.contribute(al, "us", "cash", "12,3x")
    with pytest.raises(InvalidInput, match="letters other than"):
        svc.alliance_work.add_activity(al, "x", raci=[RaciAssignment("us", "AX")])
    with pytest.raises(InvalidInput, match="not a contact"):
        svc.alliance_work.add_activity(al, "x", raci=[RaciAssignment("us", "A", "Ned North")])


def test_a_partner_confirms_through_a_private_link(svc: Any) -> None:
    al = seed(svc)
    d = svc.alliance_work.record_decision(al, "Bid at 4.2M")
    assert d.awaiting == ["Northwind"]
    with pytest.raises(Conflict, match="another partner"):
        svc.alliance_links.send(al, d.id, "Olga Oak")
    link = svc.alliance_links.send(al, d.id, "Nina North")
    assert link.url.startswith(svc.config.public_url + "/r/")
    assert "Hello Nina" in link.email_text and link.url in link.email_text
    token = token_of(link.url)
    view = svc.links.view(token)
    assert "Bid at 4.2M" in " ".join(view.page.lines)
    with pytest.raises(InvalidInput, match="comment"):
        svc.links.answer(token, {"verdict": "disputed"})
    svc.links.answer(token, {"verdict": "disputed", "comment": "we said 4.0M"})
    with pytest.raises(Conflict, match="answered already"):
        svc.links.answer(token, {"verdict": "confirmed"})
    dec = svc.alliance_work.decisions(al)[0]
    assert dec.status == "disputed"
    conf = dec.confirmations[0]
    assert (conf.via, conf.person.name, conf.comment) == ("link", "Nina North", "we said 4.0M")
    batch = svc.history.recent(1)[0]
    assert batch.actor == "Nina North (private link)"
    assert batch.name == "link answer: alliance_decision"
    # the token is nowhere in the database
    from kithbook.store import schema_alliances as sa

    with svc.db.read() as conn:
        stored = conn.execute(select(sa.response_links.c.token_hash)).scalars().all()
    assert token not in stored and all(len(h) == 64 for h in stored)


def test_revoked_and_expired_links_are_refused(svc: Any) -> None:
    al = seed(svc)
    d = svc.alliance_work.record_decision(al, "Bid at 4.2M")
    revoked = svc.alliance_links.send(al, d.id, "Nina North")
    svc.links.revoke(revoked.id)
    with pytest.raises(LinkClosed, match="withdrawn"):
        svc.links.view(token_of(revoked.url))
    with pytest.raises(LinkClosed):
        svc.links.answer(token_of(revoked.url), {"verdict": "confirmed"})
    short = svc.alliance_links.send(al, d.id, "Nina North", days=1)
    later = replace(svc.config, as_of=svc.today + timedelta(days=3))
    from kithbook.services.app import Services

    future = Services(svc.db, later)
    with pytest.raises(LinkClosed, match="expired"):
        future.links.answer(token_of(short.url), {"verdict": "confirmed"})
    with pytest.raises(NotFound):
        svc.links.view("not-a-token")
    assert {x.status for x in future.links.list()} == {"revoked", "expired"}


def test_health_check_answers_are_anonymous(svc: Any) -> None:
    from kithbook.store import schema_alliances as sa

    al = seed(svc)
    check = svc.alliance_measures.open_check(al, min_group=2)
    link = svc.alliance_links.send(al, check.id, "Ned North")
    form = {"strategic_value": "2", "operational_effectiveness": "3",
            "relationship_trust": "4", "governance_effectiveness": "3",
            "communication_quality": "1", "goal_role_clarity": "3",
            "commitment_fairness": "3"}
    svc.links.answer(token_of(link.url), form)
    summary = svc.alliance_measures.checks(al)[0]
    nw = next(s for s in summary.sides if s.name == "Northwind")
    assert nw.responses == 1 and not nw.shown and nw.means == {}  # below the minimum group
    assert summary.held_back == 1 and summary.score is None
    info = svc.links.get(link.id)
    assert info.status == "answered" and info.answer == {"answered": True}
    from sqlalchemy import inspect

    with svc.db.read() as conn:
        cols = {c["name"] for c in inspect(conn).get_columns("alliance_check_responses")}
        rows = conn.execute(select(sa.alliance_check_responses)).all()
    assert not {"person_id", "link_id"} & cols  # nothing to tie a rating to a person
    assert [r.ratings["communication_quality"] for r in rows] == [1]
    actors = [b.actor for b in svc.history.recent(2)]
    assert actors == ["anonymous", "Ned North (private link)"]
    svc.alliance_measures.rate(al, check.id, "Northwind", {"strategic_value": 4})
    nw = next(s for s in svc.alliance_measures.checks(al)[0].sides if s.name == "Northwind")
    assert nw.shown and nw.means["strategic_value"] == 3.0
