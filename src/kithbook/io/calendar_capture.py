"""Reading calendars for capture: VEVENTs into meeting occurrences (RFC 5545).

Recurrences combine RRULE, RDATE, EXDATE and overriding instances (RECURRENCE-ID); an
RRULE that never ends is expanded only up to `now`, and every series is bounded in
steps, so a hostile or careless calendar cannot keep a run busy or fill memory. TZIDs
without a VTIMEZONE resolve through the IANA database; floating times take the user's
time zone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from kithbook.domain.capture import Party, canonical_address
from kithbook.errors import ImportFailed
from kithbook.io.intake import CAPTURE, CaptureLimits, check_calendar

MAX_STEPS = 100_000  # recurrence steps walked per series, counting the skipped ones
MAX_OCCURRENCES = 5_000  # occurrences kept per series in one read


@dataclass
class Occurrence:
    uid: str
    recurrence: str | None  # the original start (UTC, basic format) of a series member
    start: datetime
    end: datetime | None
    all_day: bool = False
    status: str = ""
    organizer: Party | None = None
    attendees: list[tuple[Party, str]] = field(default_factory=list)  # (who, PARTSTAT)
    summary: str | None = None
    locator: str = ""

    @property
    def key(self) -> str:
        return self.uid if self.recurrence is None else f"{self.uid}|{self.recurrence}"

    @property
    def minutes(self) -> int | None:
        if self.end is None or self.all_day:
            return None
        m = int((self.end - self.start).total_seconds() // 60)
        return m if 0 < m <= 24 * 60 else None


@dataclass
class CalendarRead:
    occurrences: list[Occurrence] = field(default_factory=list)
    next_pending: datetime | None = None  # the earliest occurrence still in the future
    problems: list[str] = field(default_factory=list)


def _utc(value: Any, tz: tzinfo) -> tuple[datetime, bool]:
    """A DTSTART-like value as an aware UTC datetime, and whether it was a whole day."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        return value.astimezone(UTC), False
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz).astimezone(UTC), True
    raise ValueError(f"not a date: {value!r}")


def _rid(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _party(value: Any) -> Party | None:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if "@" not in text:
        return None
    params = getattr(value, "params", {}) or {}
    cn = params.get("CN")
    return Party(canonical_address(text), str(cn).strip() or None if cn else None)


def _attendees(ev: Any) -> list[tuple[Party, str]]:
    raw = ev.get("ATTENDEE")
    if raw is None:
        return []
    out = []
    for a in raw if isinstance(raw, list) else [raw]:
        p = _party(a)
        if p is not None:
            params = getattr(a, "params", {}) or {}
            out.append((p, str(params.get("PARTSTAT", "NEEDS-ACTION")).upper()))
    return out[:500]


def _occurrence(ev: Any, start: datetime, all_day: bool, duration: timedelta | None,
                rid: str | None, want_summary: bool) -> Occurrence:
    summary = str(ev.get("SUMMARY") or "").strip()[:300] if want_summary else ""
    return Occurrence(
        uid=str(ev.get("UID") or "").strip()[:400],
        recurrence=rid,
        start=start,
        end=start + duration if duration is not None else None,
        all_day=all_day,
        status=str(ev.get("STATUS") or "").upper(),
        organizer=_party(ev.get("ORGANIZER")),
        attendees=_attendees(ev),
        summary=summary or None,
    )


def _duration(ev: Any, start: datetime, tz: tzinfo) -> timedelta | None:
    end = ev.get("DTEND")
    if end is not None:
        try:
            return _utc(end.dt, tz)[0] - start
        except ValueError:
            return None
    dur = ev.get("DURATION")
    if dur is not None and isinstance(dur.dt, timedelta):
        return dur.dt
    return None


def _dates(prop: Any, tz: tzinfo) -> list[datetime]:
    out: list[datetime] = []
    for item in prop if isinstance(prop, list) else [prop]:
        for d in getattr(item, "dts", []):
            try:
                out.append(_utc(d.dt, tz)[0])
            except ValueError:
                continue
    return out


def _until_in_utc(text: str, dtstart: datetime) -> str:
    """dateutil wants UNTIL in UTC beside an aware DTSTART; calendars often write it as
    a local time or a date. Read it in the event's zone (RFC 5545 3.3.10)."""
    parts = text.split(";")
    for n, part in enumerate(parts):
        if not part.upper().startswith("UNTIL=") or part.upper().endswith("Z"):
            continue
        value = part[6:]
        try:
            if "T" in value:
                local = datetime.strptime(value[:15], "%Y%m%dT%H%M%S")
            else:
                local = datetime.strptime(value[:8], "%Y%m%d").replace(hour=23, minute=59,
                                                                          second=59)
        except ValueError:
            continue
        until = local.replace(tzinfo=dtstart.tzinfo).astimezone(UTC)
        parts[n] = "UNTIL=" + until.strftime("%Y%m%dT%H%M%SZ")
    return ";".join(parts)


def _expand(master: Any, start_local: Any, tz: tzinfo, now: datetime,
            read: CalendarRead) -> tuple[list[datetime], datetime | None]:
    """Starts (UTC) of a series up to `now`, and the first one after it."""
    from dateutil.rrule import rruleset, rrulestr  # type: ignore[import-untyped]

    dtstart = start_local
    if isinstance(dtstart, datetime) and dtstart.tzinfo is None:
        dtstart = dtstart.replace(tzinfo=tz)
    elif not isinstance(dtstart, datetime):
        dtstart = datetime(dtstart.year, dtstart.month, dtstart.day, tzinfo=tz)
    rules = rruleset()
    raw_rules = master.get("RRULE")
    for rule in raw_rules if isinstance(raw_rules, list) else [raw_rules] if raw_rules else []:
        text = _until_in_utc(rule.to_ical().decode("ascii", "replace"), dtstart)
        try:
            rules.rrule(rrulestr(text, dtstart=dtstart, ignoretz=False))
        except (ValueError, TypeError) as exc:
            read.problems.append(f"event {master.get('UID')}: unreadable RRULE ({exc})")
            return [], None
    for prop in ("RDATE",):
        if master.get(prop) is not None:
            for d in _dates(master.get(prop), tz):
                rules.rdate(d)
    excluded = set(_dates(master.get("EXDATE"), tz)) if master.get("EXDATE") is not None else set()
    starts: list[datetime] = []
    steps = 0
    upcoming: datetime | None = None
    try:
        for occ in rules:
            steps += 1
            when = occ.astimezone(UTC)
            if when > now:
                upcoming = when
                break
            if when not in excluded:
                starts.append(when)
                if len(starts) > MAX_OCCURRENCES:
                    starts.pop(0)  # keep the most recent ones
            if steps >= MAX_STEPS:
                # a series this dense is no meeting cadence (FREQ=MINUTELY since 1970):
                # none of it counts, and the report says why
                read.problems.append(
                    f"event {master.get('UID')}: recurrence too dense ({MAX_STEPS} steps "
                    "before today); skipped"
                )
                return [], None
    except (ValueError, TypeError, OverflowError) as exc:
        read.problems.append(f"event {master.get('UID')}: recurrence unreadable ({exc})")
    return starts, upcoming


def read_calendar(data: bytes, *, now: datetime, since: datetime | None, tz: tzinfo,
                  want_summary: bool = False, locator: str = "",
                  limits: CaptureLimits = CAPTURE) -> CalendarRead:
    """Every occurrence between `since` and `now` of the events in an iCalendar text,
    refused with one ImportFailed line when it is over `limits` (io/intake.py)."""
    import icalendar

    check_calendar(data, locator or "the calendar", limits)
    read = CalendarRead()
    try:
        cals = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # the parser on hostile bytes: a TZID too long for a file
        # name raised OSError from the time zone lookup (found by fuzz/fuzz_importers.py)
        raise ImportFailed(
            f"{locator or 'the calendar'} is not a readable iCalendar file "
            f"({type(exc).__name__}: {str(exc)[:200]}).".replace("\n", " "),
            hint="Export the calendar again as .ics.",
        ) from exc
    groups: dict[str, list[Any]] = defaultdict(list)
    count = 0
    for cal in cals:
        for ev in cal.walk("VEVENT"):
            count += 1
            if count > limits.events:  # counted on the bytes before: a last guard
                read.problems.append(f"more than {limits.events} events; the rest was not "
                                     "read")
                break
            uid = str(ev.get("UID") or "").strip()
            if not uid:
                read.problems.append("an event without UID was skipped")
                continue
            groups[uid].append(ev)
    for uid, events in groups.items():
        try:
            _read_series(uid, events, now, since, tz, want_summary, locator, read)
        except Exception as exc:  # one broken event never costs the others
            read.problems.append(f"event {uid[:80]}: unreadable ({type(exc).__name__})")
    return read


def _read_series(uid: str, events: Iterable[Any], now: datetime, since: datetime | None,
                 tz: tzinfo, want_summary: bool, locator: str, read: CalendarRead) -> None:
    master = None
    overrides: dict[str, Any] = {}
    for ev in events:
        rid = ev.get("RECURRENCE-ID")
        if rid is None:
            master = ev
            continue
        try:
            overrides[_rid(_utc(rid.dt, tz)[0])] = ev
        except ValueError:
            read.problems.append(f"event {uid}: unreadable RECURRENCE-ID")
    found: list[Occurrence] = []
    upcoming: datetime | None = None
    if master is not None and master.get("DTSTART") is not None:
        raw_start = master.get("DTSTART").dt
        try:
            start, all_day = _utc(raw_start, tz)
        except ValueError:
            read.problems.append(f"event {uid}: unreadable DTSTART")
            start, all_day = None, False
        if start is not None:
            duration = _duration(master, start, tz)
            if master.get("RRULE") is None and master.get("RDATE") is None:
                if start <= now:
                    found.append(_occurrence(master, start, all_day, duration, None,
                                             want_summary))
                else:
                    upcoming = start
            else:
                starts, upcoming = _expand(master, raw_start, tz, now, read)
                for s in starts:
                    rid = _rid(s)
                    if rid in overrides:
                        continue  # the overriding instance speaks for this one
                    found.append(_occurrence(master, s, all_day, duration, rid, want_summary))
    elif master is not None:
        read.problems.append(f"event {uid}: no DTSTART")
    for rid, ev in overrides.items():
        if ev.get("DTSTART") is None:
            continue
        try:
            start, all_day = _utc(ev.get("DTSTART").dt, tz)
        except ValueError:
            continue
        if start > now:
            upcoming = start if upcoming is None else min(upcoming, start)
            continue
        found.append(_occurrence(ev, start, all_day, _duration(ev, start, tz), rid,
                                 want_summary))
    for occ in found:
        occ.uid = uid[:400]
        occ.locator = locator
        if since is None or occ.start >= since:
            read.occurrences.append(occ)
    if upcoming is not None:
        read.next_pending = upcoming if read.next_pending is None else min(
            read.next_pending, upcoming)
