"""The iCalendar writer: promises and follow-ups as all-day events with a reminder.

- UIDs are stable (`<public id>@kithbook`), so importing a newer export updates the
  events instead of duplicating them;
- SEQUENCE grows with the export day, so clients accept the newer copy;
- every event has a DISPLAY alarm at 09:00 on its day (Google drops alarms on import);
- lines are folded at 75 octets by the icalendar library, CRLF line ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

SEQUENCE_EPOCH = date(2020, 1, 1)
ALARM_AT = timedelta(hours=9)
PRODID = "-//Kithbook//Kithbook agenda//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: date
    summary: str
    description: str
    created: datetime | None = None
    category: str = "promise"


def write_calendar(
    events: Iterable[CalendarEvent], *, stamp: datetime, name: str = "Kithbook"
) -> bytes:
    """One VCALENDAR with a VEVENT (and a VALARM) per event."""
    from icalendar import Alarm, Calendar, Event, vDuration

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", vDuration(timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    sequence = max((stamp.date() - SEQUENCE_EPOCH).days, 0)
    for ev in events:
        vevent = Event()
        vevent.add("uid", ev.uid)
        vevent.add("dtstamp", stamp)
        if ev.created is not None:
            vevent.add("created", ev.created)
        vevent.add("dtstart", ev.day)
        vevent.add("dtend", ev.day + timedelta(days=1))
        vevent.add("summary", ev.summary)
        vevent.add("description", ev.description)
        vevent.add("categories", [ev.category])
        vevent.add("sequence", sequence)
        vevent.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", ev.summary)
        alarm.add("trigger", ALARM_AT)
        vevent.add_component(alarm)
        cal.add_component(vevent)
    return bytes(cal.to_ical())
