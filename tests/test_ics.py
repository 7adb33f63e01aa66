"""The calendar export: parsed back by icalendar and by the strict `ical` parser; stable
UIDs across exports; alarms; folded lines."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from kithbook.io.ics import CalendarEvent, write_calendar

STAMP = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def events() -> list[CalendarEvent]:
    long = "Promised Zoë Ångström: " + "a very long description with ünïcödé " * 6
    return [
        CalendarEvent(uid="pro_a@kithbook", day=date(2026, 12, 1), summary="Promised Maria: quote",
                      description="You promised Maria: quote, by Friday; really.",
                      created=datetime(2026, 11, 1, tzinfo=UTC)),
        CalendarEvent(uid="pro_b@kithbook", day=date(2026, 12, 3), summary=long,
                      description=long, category="owed-to-me"),
    ]


def test_parsed_back_by_icalendar() -> None:
    from icalendar import Calendar

    cal = Calendar.from_ical(write_calendar(events(), stamp=STAMP))
    vevents = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in vevents] == ["pro_a@kithbook", "pro_b@kithbook"]
    first = vevents[0]
    assert first.decoded("DTSTART") == date(2026, 12, 1)
    assert first.decoded("DTEND") == date(2026, 12, 2)
    assert str(first["DESCRIPTION"]) == "You promised Maria: quote, by Friday; really."
    alarms = first.walk("VALARM")
    assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == timedelta(hours=9)
    assert str(vevents[1]["SUMMARY"]) == events()[1].summary


def test_parsed_back_by_the_strict_ical_parser() -> None:
    from ical.calendar_stream import IcsCalendarStream

    text = write_calendar(events(), stamp=STAMP).decode("utf-8")
    cal = IcsCalendarStream.calendar_from_ics(text)
    assert [e.uid for e in cal.events] == ["pro_a@kithbook", "pro_b@kithbook"]
    assert cal.events[0].dtstart == date(2026, 12, 1)
    assert cal.events[0].alarm[0].trigger == timedelta(hours=9)
    assert cal.events[1].summary == events()[1].summary


def test_lines_are_folded_at_75_octets_with_crlf() -> None:
    raw = write_calendar(events(), stamp=STAMP)
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long one was folded
    for line in lines:
        line.decode("utf-8")  # never splits a multi-byte character


def test_sequence_grows_with_the_export_day() -> None:
    from icalendar import Calendar

    def seq(stamp: datetime) -> int:
        cal = Calendar.from_ical(write_calendar(events()[:1], stamp=stamp))
        return int(cal.walk("VEVENT")[0]["SEQUENCE"])

    assert seq(STAMP + timedelta(days=1)) > seq(STAMP)


# -- through the service ---------------------------------------------------------------


def at(svc, day: str):  # type: ignore[no-untyped-def]
    from kithbook.services.app import Services

    return Services(svc.db, replace(svc.config, as_of=date.fromisoformat(day)))


@pytest.fixture
def network(svc):  # type: ignore[no-untyped-def]
    from kithbook.services.interactions import NewInteraction
    from kithbook.services.people import NewPerson

    s0 = at(svc, "2026-11-01")
    s0.people.set_me("Ann Owner")
    s0.people.add(NewPerson(name="Maria Lopez", tier="A"))
    s0.people.add(NewPerson(name="Sam Chen", tier="B"))
    mine = s0.promises.make("send the quote", to="Maria Lopez", due=date(2026, 12, 4))
    theirs = s0.promises.make("intro to Bob", from_="Sam Chen", due=date(2026, 11, 20))
    s0.promises.make("undated", to="Sam Chen")
    meet = at(svc, "2026-11-23").interactions.log(NewInteraction(
        with_people=["Sam Chen"], next_step="send the deck"))
    return svc, mine, theirs, meet


def test_export_holds_promises_both_ways_and_follow_ups(network) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    svc, mine, theirs, meet = network
    s1 = at(svc, "2026-11-27")
    cal = Calendar.from_ical(s1.agenda.ics())
    by_uid = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(by_uid) == {
        f"{mine.id}@kithbook",
        f"{theirs.id}@kithbook",
        f"follow-up-{meet.id}-{s1.people.resolve('Sam Chen').id}@kithbook",
    }
    assert by_uid[f"{mine.id}@kithbook"].decoded("DTSTART") == date(2026, 12, 4)
    assert "Sam Chen owes you" in str(by_uid[f"{theirs.id}@kithbook"]["SUMMARY"])


def test_reexport_keeps_uids_and_drops_closed_promises(network) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    svc, mine, theirs, _ = network

    def uids(day: str) -> list[str]:
        cal = Calendar.from_ical(at(svc, day).agenda.ics())
        return sorted(str(e["UID"]) for e in cal.walk("VEVENT"))

    first = uids("2026-11-27")
    assert uids("2026-11-27") == first
    at(svc, "2026-11-28").promises.close(theirs.id, "done")
    assert f"{theirs.id}@kithbook" not in uids("2026-11-28")
    assert f"{mine.id}@kithbook" in uids("2026-11-28")


def test_export_command_writes_the_file(network, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from kithbook.cli.main import app

    svc, mine, _, _ = network
    out = tmp_path / "agenda.ics"
    db = svc.config.db
    res = CliRunner().invoke(app, ["--db", db, "--as-of", "2026-11-27", "export", "ics",
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert f"UID:{mine.id}@kithbook".encode() in out.read_bytes()
