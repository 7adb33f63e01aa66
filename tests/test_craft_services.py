"""The craft of networking through the services (docs/networking-craft.md): each use
case once below the front ends, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kithbook.errors import Conflict, InvalidInput, NotFound
from kithbook.services.people import NewPerson


def _people(svc: Any, *names: str) -> list[Any]:
    svc.people.set_me("Robin Owner")
    return [svc.people.add(NewPerson(name=n)) for n in names]


def test_targets_events_and_plan(svc: Any) -> None:
    ana, ben, cy = _people(svc, "Ana Silva", "Ben Okafor", "Cy Tran")
    t = svc.research.add_target("Ana Silva", why="buyer at Acme", priority="high",
                                how="intro through Ben")
    kind = svc.research.add_target("logistics CFOs", person=False, priority="low")
    assert (t.person.id, t.priority, kind.person, kind.name) == (ana.id, "high", None,
                                                                 "logistics CFOs")
    assert [x.id for x in svc.research.targets().items] == [t.id, kind.id]
    ev = svc.research.add_event("Port summit", date(2026, 12, 3), kind="conference",
                                at="9:30", place="Rotterdam")
    svc.research.attend(ev.id, "Cy Tran", plan=True, opener="Ask about the tender")
    ev = svc.research.attend(ev.id, "Ana Silva", rank=1, via="Ben Okafor")
    assert [(s.name, s.rank) for s in ev.plan] == [("Ana Silva", 1), ("Cy Tran", 1)] or \
        [s.name for s in ev.plan][0] == "Ana Silva"
    assert ev.start_time == "09:30" and ev.plan[0].via.name == "Ben Okafor"
    assert [a.target for a in ev.attendees if a.name == "Ana Silva"] == [True]
    ev = svc.research.met_at(ev.id, "Ana Silva")
    assert [s.met for s in ev.plan if s.name == "Ana Silva"] == [True]
    assert svc.research.events(days=30).total == 1
    done = svc.research.set_target_status(t.id, "met")
    assert done.status == "met" and svc.research.targets().total == 1
    note = svc.research.add_note("Ana Silva", "Runs procurement since 2024.\nLikes rail.",
                                 sources=["https://acme.example/team", "annual report"])
    assert note.name == "Runs procurement since 2024." and len(note.sources) == 2
    assert svc.research.notes("Ana Silva").items[0].id == note.id
    with pytest.raises(InvalidInput):
        svc.research.add_target("Ana Silva", priority="urgent")


def test_pitches_versions_rehearsals_uses_and_best(svc: Any) -> None:
    ana, ben = _people(svc, "Ana Silva", "Ben Okafor")
    long_text = " ".join(["word"] * 76)
    p = svc.pitches.add("Rail freight", "logistics buyers", long_text, goal="a first call")
    assert (p.words, p.seconds, p.version) == (76, 30, 1) and p.warnings
    p = svc.pitches.revise(p.id, "We move your freight by rail, cheaper and greener.")
    assert p.version == 2 and not p.warnings and len(p.versions) == 2
    q = svc.pitches.add("Green story", "logistics buyers", "Cut your carbon by half.")
    svc.pitches.rehearse(p.id, seconds=20, rating=4, notes="slower")
    for who, outcome in (("Ana Silva", "advanced"), ("Ben Okafor", "interested")):
        svc.pitches.use(p.id, who, outcome=outcome)
    svc.pitches.use(q.id, "Ana Silva", outcome="declined")
    shown = svc.pitches.show("Rail freight")
    assert [u.outcome for u in shown.uses] == ["advanced", "interested"]
    assert shown.rehearsals[0].rating == 4 and shown.score is not None
    best = svc.pitches.best().items
    assert [b.id for b in best] == [p.id]
    with pytest.raises(InvalidInput):
        svc.pitches.use(p.id, "Ana Silva", outcome="brilliant")
    with pytest.raises(NotFound):
        svc.pitches.show("no such pitch")


def test_stories_told_twice(svc: Any) -> None:
    ana, ben = _people(svc, "Ana Silva", "Ben Okafor")
    s = svc.stories.add("The night shift", "We once moved a whole factory in a night.",
                        theme="grit", audience="founders")
    r = svc.stories.tell(s.id, ["Ana Silva"], landed=True)
    assert [t.name for t in r.recorded] == ["Ana Silva"] and not r.warnings
    check = svc.stories.check(s.id, ["Ana Silva", "Ben Okafor"])
    assert [w.name for w in check.warnings] == ["Ana Silva"]
    with pytest.raises(Conflict, match="already heard"):
        svc.stories.tell(s.id, ["Ben Okafor", "Ana Silva"])
    r = svc.stories.tell(s.id, ["Ben Okafor", "Ana Silva"], again=True)
    assert len(r.recorded) == 2 and len(r.warnings) == 1
    shown = svc.stories.show("The night shift")
    assert shown.stats.told == 3 and shown.stats.listeners == 2 and shown.stats.landed == 1
    assert svc.stories.list(theme="grit").total == 1


def test_claims_and_conflicting_statements(svc: Any) -> None:
    ana, ben = _people(svc, "Ana Silva", "Ben Okafor")
    c = svc.honesty.claim("Ana Silva", "Acme will tender in March", topic="tender")
    assert c.status == "unknown"
    c = svc.honesty.check_claim(c.id, "false", source="tender notice, April")
    assert (c.status, c.source) == ("false", "tender notice, April")
    first = svc.honesty.said("Ana Silva", "team size", "We have 12 staff", value="12")
    assert first.conflicts == []
    second = svc.honesty.said("Ben Okafor", "Team size", "We are 20 people", value="20")
    assert len(second.conflicts) == 1 and "12" in second.conflicts[0].reason
    assert svc.honesty.conflicts().total == 1
    svc.honesty.withdraw(first.id)
    assert svc.honesty.conflicts().total == 0
    assert svc.honesty.told("Ben Okafor").items[0].topic == "Team size"
    assert svc.honesty.claims("Ana Silva").total == 1


def test_survey_segment_answers_aggregates_and_thanks(svc: Any) -> None:
    svc.people.set_me("Robin Owner")
    for i, n in enumerate(["A One", "B Two", "C Three", "D Four", "E Five"]):
        svc.people.add(NewPerson(name=n, tags=["panel"] if i < 5 else []))
    s = svc.surveys.create("How many trucks will the port need in 2027?", tag="panel")
    assert (s.asked, s.answered, s.kind) == (5, 0, "estimate")
    for who, ans in (("A One", "100"), ("B Two", "110"), ("C Three", "1,2k"),
                     ("D Four", "105")):
        if ans == "1,2k":
            with pytest.raises(InvalidInput):
                svc.surveys.answer(s.id, who, ans)
            ans = "1200"
        svc.surveys.answer(s.id, who, ans)
    r = svc.surveys.results(s.id)
    assert r.estimates.count == 4 and [o.name for o in r.estimates.outliers] == ["C Three"]
    assert [p.name for p in r.waiting] == ["E Five"] and len(r.to_thank) == 4
    r = svc.surveys.thank(s.id, "A One")
    assert len(r.to_thank) == 3
    ch = svc.surveys.create("Rail or road?", kind="choice", choices=["rail", "road"],
                            people=["A One", "B Two"])
    svc.surveys.answer(ch.id, "A One", "1")
    r = svc.surveys.answer(ch.id, "B Two", "Rail")
    assert [(t.name, t.votes) for t in r.tallies] == [("rail", 2), ("road", 0)]
    with pytest.raises(InvalidInput):
        svc.surveys.create("Nobody?", kind="open")
    idea = svc.surveys.idea("Night deliveries", text="Deliver between 22:00 and 6:00")
    assert idea.verdict.verdict == "too_early"
    for who in ("A One", "B Two", "C Three"):
        idea = svc.surveys.feedback(idea.id, who, interest=5, would_use=4, clarity=4)
    assert idea.verdict.verdict == "go"
    assert svc.surveys.set_verdict(idea.id, "drop").verdict.by_hand


def test_a_survey_answered_through_a_private_link(svc: Any) -> None:
    """The issue's "typed in or through a private link": one link per person asked,
    one answer each, recorded as through the link; nobody outside the segment, nothing
    after the survey closes."""
    from kithbook.errors import Conflict

    svc.people.set_me("Robin Owner")
    for n in ("A One", "B Two", "C Outside"):
        svc.people.add(NewPerson(name=n))
    s = svc.surveys.create("Rail or road?", kind="choice", choices=["rail", "road"],
                           people=["A One", "B Two"])
    link = svc.surveys.send(s.id, "A One")
    token = link.url.rsplit("/r/", 1)[1]
    page = svc.links.view(token).page
    assert "Rail or road?" in page.lines and page.fields[0].choices == ("rail", "road")
    assert "recorded" in svc.links.answer(token, {"answer": "road"}).name
    r = svc.surveys.results(s.id)
    assert [(a.name, a.answer, a.via) for a in r.answers] == [("A One", "road", "link")]
    with pytest.raises(Conflict):
        svc.links.answer(token, {"answer": "rail"})  # one answer per link
    with pytest.raises(InvalidInput, match="not asked"):
        svc.surveys.send(s.id, "C Outside")
    late = svc.surveys.send(s.id, "B Two")
    svc.surveys.close(s.id)
    with pytest.raises(Conflict, match="closed"):
        svc.links.answer(late.url.rsplit("/r/", 1)[1], {"answer": "rail"})
    with pytest.raises(Conflict):
        svc.surveys.send(s.id, "B Two")


def test_referrals_advocates_and_loop(svc: Any) -> None:
    a, b, c, d = _people(svc, "Ana Silva", "Ben Okafor", "Cy Tran", "Di Wu")
    r1 = svc.referrals.add("Ana Silva", "Cy Tran")
    assert r1.to.name == "Robin Owner" and r1.status == "open"
    r2 = svc.referrals.add("Ben Okafor", "Di Wu")
    svc.referrals.outcome(r1.id, "won", value="12,500")
    svc.referrals.outcome(r2.id, "met")
    ranked = svc.referrals.advocates().items
    assert [(x.name, x.value) for x in ranked][0][0] == "Ana Silva"
    assert str(ranked[0].value) == "12500.00"
    assert {x.id for x in svc.referrals.loop().items} == {r1.id, r2.id}
    svc.referrals.thank(r1.id)
    with pytest.raises(Conflict):
        svc.referrals.thank(r1.id)
    svc.referrals.reported(r1.id)
    assert r1.id not in {x.id for x in svc.referrals.loop().items}
    with pytest.raises(InvalidInput):
        svc.referrals.add("Ana Silva", "Ana Silva")


def test_time_and_value_month_report_in_a_time_zone(svc: Any) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from kithbook.services.interactions import NewInteraction

    a, b = _people(svc, "Ana Silva", "Ben Okafor")
    svc.config = replace(svc.config, timezone="Europe/Berlin")
    # 23:30 UTC on 31 October is 00:30 on 1 November in Berlin
    svc.interactions.log(NewInteraction(with_people=["Ana Silva", "Ben Okafor"],
                                        channel="meeting", minutes=60,
                                        when=datetime(2026, 10, 31, 23, 30, tzinfo=UTC)))
    svc.interactions.log(NewInteraction(with_people=["Ana Silva"], channel="email",
                                        minutes=10,
                                        when=datetime(2026, 10, 31, 22, 30, tzinfo=UTC)))
    svc.timevalue.log_time(30, "preparation", at=datetime(2026, 11, 2, 9, tzinfo=UTC))
    svc.timevalue.log_value("deal", amount="1,000.50", person="Ana Silva",
                            on=date(2026, 11, 20))
    rep = svc.timevalue.report("2026-11", months=2)
    assert rep.minutes["meetings"] == 60 and rep.minutes["preparation"] == 30
    assert rep.minutes["follow_up"] == 0 and rep.total_minutes == 90
    assert rep.unattributed_minutes == 30 and str(rep.value_amount) == "1000.50"
    assert [(s.name, s.minutes) for s in rep.people] == [("Ana Silva", 30.0),
                                                         ("Ben Okafor", 30.0)]
    assert [(m.id, m.total_minutes) for m in rep.trend] == [("2026-10", 10.0),
                                                            ("2026-11", 90.0)]
    with pytest.raises(InvalidInput):
        svc.timevalue.report("2026-13")


def test_brief_field_by_field(svc: Any) -> None:
    from datetime import UTC, datetime

    from kithbook.services.interactions import NewInteraction

    svc.people.set_me("Robin Owner")
    ana = svc.people.add(NewPerson(name="Ana Silva", org="Acme", title="CFO",
                                   tags=["logistics"], tier="A", stage="rapport"))
    svc.people.add(NewPerson(name="Ben Okafor"))
    svc.ties.tie("me", "Ben Okafor", strength=4)
    svc.ties.tie("Ana Silva", "Ben Okafor", strength=3)
    svc.interactions.log(NewInteraction(
        with_people=["Ana Silva"], channel="call", minutes=25, summary="Tender call",
        they_want="a cheaper lane to Antwerp", i_want="a pilot", next_step="send figures",
        when=datetime(2026, 11, 20, 10, tzinfo=UTC)))
    svc.promises.make("send figures", to="Ana Silva", due=date(2026, 11, 30))
    svc.promises.make("intro to their COO", from_="Ana Silva")
    svc.network.add_item("Ana Silva", "need", "a second carrier", [])
    story = svc.stories.add("Night shift", "We moved a factory in one night.")
    svc.stories.add("The audit", "An audit that saved a client.")
    svc.stories.tell(story.id, ["Ana Silva"], landed=True)
    svc.honesty.claim("Ana Silva", "We tender every March")
    svc.honesty.said("Ana Silva", "capacity", "We run 40 trucks")
    p = svc.pitches.add("CFO pitch", "cfo", "We cut your freight bill by a fifth.")
    svc.research.add_note("Ana Silva", "Joined Acme in 2024", sources=["press release"])
    b = svc.briefs.brief("Ana Silva")
    assert (b.id, b.name, b.title, b.org, b.tier, b.stage) == (ana.id, "Ana Silva", "CFO",
                                                               "Acme", "A", "rapport")
    assert b.met and b.history.interactions == 1 and b.history.minutes == 25
    assert b.history.recent[0].name == "Tender call"
    assert b.contract.they_want == "a cheaper lane to Antwerp"
    assert b.contract.next_step == "send figures"
    assert [x.name for x in b.promises_i_owe] == ["send figures"]
    assert [x.name for x in b.promises_they_owe] == ["intro to their COO"]
    assert [x.name for x in b.needs] == ["a second carrier"]
    assert [(x.name, x.detail) for x in b.stories_told] == [("Night shift", "landed")]
    assert [x.name for x in b.stories_to_tell] == ["The audit"]
    assert [x.name for x in b.claims] == ["We tender every March"]
    assert [x.name for x in b.told] == ["capacity: We run 40 trucks"]
    assert [(m.name, m.strength_with_me) for m in b.mutual] == [("Ben Okafor", 4)]
    assert b.pitch is not None and b.pitch.id == p.id and "cfo" in b.pitch.why
    assert b.research[0].detail == "press release"
    assert "cheaper lane" in b.question.text and b.warm_path is None
    cold = svc.people.add(NewPerson(name="Cy Tran"))
    svc.ties.tie("Ben Okafor", "Cy Tran", strength=4)
    c = svc.briefs.brief(cold.id)
    assert not c.met and c.warm_path is not None
    assert [x.name for x in c.warm_path.people] == ["Robin Owner", "Ben Okafor", "Cy Tran"]
    assert c.question.why == "a first meeting"
