"""The craft of networking through the services (docs/craft-of-networking.md): each use
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
