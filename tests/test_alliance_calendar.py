"""Alliance dates in the calendar feed (`kithbook export ics`, /feeds/<token>.ics):
renewal/exit decision, notice date, planned end, objective deadlines, forums' next
meetings, open obligations; nothing of archived alliances, and of one being wound up
only its forums and open obligations."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from kithbook.services.alliance_measures import NewObjective
from kithbook.services.alliance_work import NewMeeting
from kithbook.services.alliances import NewAlliance
from kithbook.services.app import Services
from kithbook.services.people import NewPerson

TODAY = date(2026, 11, 27)


def events(svc: Services) -> dict[str, tuple[date, str, str]]:
    from icalendar import Calendar

    cal = Calendar.from_ical(svc.agenda.ics())
    return {str(e["UID"]): (e.decoded("DTSTART"), str(e["SUMMARY"]), str(e["CATEGORIES"]
                                                                         .cats[0]))
            for e in cal.walk("VEVENT")}


def test_alliance_dates_in_the_calendar_feed(svc: Services) -> None:
    svc.people.set_me("Test Me")
    svc.people.add(NewPerson(name="Maria Lopez", tier="A"))
    promise = svc.promises.make("send the quote", to="Maria Lopez", due=TODAY + timedelta(7))
    bid = svc.alliances.create(NewAlliance(
        "Harbour bid", type="joint_proposal", us="Us Firm", partners=["Northwind"],
        started_on=TODAY - timedelta(90), planned_end_on=TODAY + timedelta(300),
        notice_days=60, decision_on=TODAY + timedelta(20)))
    obj = svc.alliance_measures.add_objective("Harbour bid", NewObjective(
        "Sections signed off", metric="sections", baseline="0", target="12",
        start_on=TODAY - timedelta(90), deadline=TODAY + timedelta(40), owner="us"))
    svc.alliance_measures.add_objective("Harbour bid", NewObjective("No deadline yet"))
    due = svc.alliance_work.add_obligation("Harbour bid", "Submit the tender",
                                           due_on=TODAY + timedelta(10))
    done = svc.alliance_work.add_obligation("Harbour bid", "Sign the NDA",
                                            due_on=TODAY - timedelta(5))
    svc.alliance_work.close_obligation("Harbour bid", done.id)
    svc.alliances.move("Harbour bid", "negotiate", force=True, reason="test")
    steering = svc.alliance_work.add_forum("Harbour bid", "Steering group", "monthly",
                                           layer="steering")
    ops = svc.alliance_work.add_forum("Harbour bid", "Ops", "weekly")
    held = TODAY - timedelta(10)
    past = Services(svc.db, replace(svc.config, as_of=held), actor=svc.actor)
    past.alliance_work.log_meeting("Harbour bid", NewMeeting(
        with_people=["Maria Lopez"], forum=steering.id,
        when=datetime.combine(held, time(10), tzinfo=UTC)))
    svc.alliances.create(NewAlliance("Old group", us="Us Firm", partners=["Beta Co"],
                                     decision_on=TODAY + timedelta(5)))
    svc.alliances.archive("Old group")
    wind = svc.alliances.create(NewAlliance(
        "Venture", us="Us Firm", partners=["Gamma AG"], decision_on=TODAY + timedelta(3),
        planned_end_on=TODAY + timedelta(50)))
    exit_ob = svc.alliance_work.add_obligation("Venture", "Return the data",
                                               kind="exit_provision",
                                               due_on=TODAY + timedelta(15))
    svc.alliances.move("Venture", "terminate", force=True, reason="test")

    got = events(svc)
    assert got[f"{promise.id}@kithbook"][0] == TODAY + timedelta(7)  # people events stay
    assert got[f"{bid.id}-decision@kithbook"] == (
        TODAY + timedelta(20), "Renewal/exit decision: Harbour bid", "alliance")
    assert got[f"{bid.id}-notice@kithbook"][0] == TODAY + timedelta(240)
    assert got[f"{bid.id}-end@kithbook"][0] == TODAY + timedelta(300)
    assert got[f"{obj.id}@kithbook"] == (
        TODAY + timedelta(40), "Milestone: Harbour bid: Sections signed off", "alliance")
    assert got[f"{due.id}@kithbook"][:2] == (TODAY + timedelta(10),
                                             "Obligation due: Harbour bid: Submit the tender")
    assert f"{done.id}@kithbook" not in got
    assert got[f"{exit_ob.id}@kithbook"][0] == TODAY + timedelta(15)
    # a forum is due its cadence after its last meeting, or after its start
    assert got[f"{steering.id}@kithbook"] == (
        held + timedelta(steering.cadence_days), "Forum due: Harbour bid: Steering group",
        "alliance")
    assert got[f"{ops.id}@kithbook"][0] == TODAY + timedelta(ops.cadence_days)
    alliance_uids = {u for u, v in got.items() if v[2] == "alliance"}
    assert alliance_uids == {f"{bid.id}-decision@kithbook", f"{bid.id}-notice@kithbook",
                             f"{bid.id}-end@kithbook", f"{obj.id}@kithbook",
                             f"{due.id}@kithbook", f"{exit_ob.id}@kithbook",
                             f"{steering.id}@kithbook", f"{ops.id}@kithbook"}
    assert not any(wind.id in u for u in alliance_uids)
    # a changed date moves the event: the same UID, the new day
    from kithbook.services.alliances import AllianceChanges

    svc.alliances.edit("Harbour bid", AllianceChanges(decision_on=TODAY + timedelta(25)))
    assert events(svc)[f"{bid.id}-decision@kithbook"][0] == TODAY + timedelta(25)
