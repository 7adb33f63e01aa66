"""The craft of networking on the daily agenda (domain/craft_agenda.py): read the brief
before each meeting still ahead today (logged ahead, or an event of kind meeting; one
already past is the follow-up item's), the plan for an event today or tomorrow, the
referral thank-you loop, thanking survey respondents, asking for a referral after a
kept promise, claims to verify (before a meeting, or left unknown too long), surveys to
send and to close.

Called by services/agenda.py inside its read; the ranking is domain/agenda.py's."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from kithbook.domain import craft_agenda as rules
from kithbook.domain import referrals as referral_rules
from kithbook.domain.agenda import AgendaItem
from kithbook.domain.models import PersonRef
from kithbook.domain.timevalue import zone
from kithbook.store import craft as st
from kithbook.store import craft_agenda as q
from kithbook.store import craft_crowds as st_crowds
from kithbook.store import people as st_people
from kithbook.store.agenda_queries import Window

RESPONDENTS = 50
CLAIMS = 50


def local_zone(name: str) -> ZoneInfo:
    try:
        return zone(name)
    except ValueError:
        return ZoneInfo("UTC")


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The local calendar day as a UTC interval [start, end)."""
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def items(conn: Connection, w: Window, *, timezone: str) -> list[AgendaItem]:
    """Every craft item due on `w.today`."""
    tz = local_zone(timezone)
    out: list[AgendaItem] = []
    out.extend(_meetings(conn, w, tz))
    out.extend(_events(conn, w))
    out.extend(_referral_loop(conn, w))
    out.extend(_respondents(conn, w))
    out.extend(_asks(conn, w, tz))
    out.extend(_claims(conn, w, tz))
    out.extend(_surveys(conn, w, tz))
    return out


def _meetings(conn: Connection, w: Window, tz: ZoneInfo) -> list[AgendaItem]:
    start, end = day_bounds(w.today, tz)
    out = []
    for m in q.meetings_between(conn, max(start, w.now), end, me=w.me):
        fact = rules.MeetingFact(
            person=PersonRef(m.person_id, m.person_name, m.person_key),
            subject_id=m.interaction_id, title=m.summary or m.channel, day=w.today,
            at=m.occurred_at.astimezone(tz).strftime("%H:%M"), tier=m.tier, stage=m.stage)
        item = rules.meeting_item(fact, today=w.today)
        if item is not None:
            out.append(item)
    for e in st.events(conn, since=w.today, until=w.today, limit=50):
        if e.kind != "meeting":
            continue
        planned = {s.id for s in e.plan}
        for a in e.attendees:
            if a.id in planned:
                continue  # the plan step says it, with the order and the opener
            fact = rules.MeetingFact(person=PersonRef(a.id, a.name), subject_id=e.id,
                                     title=e.name, day=e.on_date, at=e.start_time)
            item = rules.meeting_item(fact, today=w.today)
            if item is not None:
                out.append(item)
    return out


def _events(conn: Connection, w: Window) -> list[AgendaItem]:
    out = []
    for e in st.events(conn, since=w.today, until=w.today + timedelta(days=1), limit=50):
        fact = rules.EventFact(id=e.id, name=e.name, day=e.on_date, place=e.place,
                               start_time=e.start_time, steps=tuple(e.plan))
        out.extend(rules.event_items(fact, today=w.today))
    return out


def _referral_loop(conn: Connection, w: Window) -> list[AgendaItem]:
    if w.me is None:
        return []
    keys = q.loop_referral_keys(conn, w.me)
    if not keys:
        return []
    facts = [f for f in st_crowds.referral_facts(st_crowds.referrals(conn, keys=keys))
             if f.occurred_on <= w.today]
    steps = referral_rules.loop_steps(facts, me_key=w.me, today=w.today)
    return [rules.loop_item(s, today=w.today) for s in steps]


def _respondents(conn: Connection, w: Window) -> list[AgendaItem]:
    rows = [r for r in st_crowds.respondents_to_thank(conn)
            if r.answered_at is not None and r.answered_at.date() <= w.today][:RESPONDENTS]
    refs = st_people.refs_by_keys(conn, [r.person_id for r in rows])
    return [rules.thank_respondent_item(rules.RespondentFact(
        person=refs[r.person_id], survey_id=r.public_id, question=r.question,
        answered_at=r.answered_at)) for r in rows if r.person_id in refs]


def _asks(conn: Connection, w: Window, tz: ZoneInfo) -> list[AgendaItem]:
    if w.me is None:
        return []
    start, _ = day_bounds(w.today - timedelta(days=referral_rules.ASK_WINDOW_DAYS), tz)
    kept = q.kept_by_me(conn, w.me, start, w.now)
    if not kept:
        return []
    tiers = {k.person_key: k.tier for k in kept}
    facts = [referral_rules.KeptPromise(
        promise_id=k.promise_id, what=k.what,
        person=PersonRef(k.person_id, k.person_name, k.person_key),
        kept_on=k.closed_at.astimezone(tz).date(), stage=k.stage) for k in kept]
    due = referral_rules.referral_asks(facts, today=w.today,
                                       asked_since=st_crowds.last_asks(conn),
                                       referred_since=st_crowds.last_referred(conn))
    return [rules.ask_item(k, tier=tiers.get(k.person.key)) for k in due]


def _meeting_days(conn: Connection, w: Window, tz: ZoneInfo) -> dict[int, tuple[date, str]]:
    """Whom I meet from now to the end of tomorrow (local): the first day and what."""
    out: dict[int, tuple[date, str]] = {}
    start, _ = day_bounds(w.today, tz)
    _, end = day_bounds(w.today + timedelta(days=rules.MEETING_AHEAD_DAYS), tz)
    for m in q.meetings_between(conn, max(start, w.now), end, me=w.me):
        out.setdefault(m.person_key, (m.occurred_at.astimezone(tz).date(),
                                      m.summary or m.channel))
    ahead = w.today + timedelta(days=rules.MEETING_AHEAD_DAYS)
    for k, on, name in q.event_attendances(conn, w.today, ahead):
        seen = out.get(k)
        if seen is None or on < seen[0]:
            out[k] = (on, name)
    return out


def _claims(conn: Connection, w: Window, tz: ZoneInfo) -> list[AgendaItem]:
    soon = _meeting_days(conn, w, tz)
    stale = q.unknown_claims(conn, said_by=w.today - timedelta(days=rules.CLAIM_STALE_DAYS),
                             limit=CLAIMS)
    before = q.unknown_claims(conn, said_by=w.today, people=list(soon), limit=CLAIMS)
    rows = {r.claim_id: r for r in [*stale, *before]}
    out = []
    for r in rows.values():
        meeting = soon.get(r.person_key)
        fact = rules.ClaimFact(
            id=r.claim_id, text=r.text, person=PersonRef(r.person_id, r.person_name,
                                                         r.person_key),
            said_on=r.said_on, meeting_on=meeting[0] if meeting else None,
            meeting=meeting[1] if meeting else None, tier=r.tier, stage=r.stage)
        item = rules.claim_item(fact, today=w.today)
        if item is not None:
            out.append(item)
    return out


def _surveys(conn: Connection, w: Window, tz: ZoneInfo) -> list[AgendaItem]:
    out = []
    for r in q.open_survey_rows(conn):
        created = r.created_at.astimezone(tz).date()
        if created > w.today:
            continue
        moments = [x for x in (r.created_at, r.last_answer_at, r.last_link_at)
                   if x is not None and x <= w.now]
        fact = rules.SurveyFact(
            id=r.survey_id, question=r.question, asked=r.asked, answered=r.answered,
            unsent=r.unsent, created_on=created,
            last_activity_on=max(moments).astimezone(tz).date() if moments else created)
        out.extend(rules.survey_items(fact, today=w.today))
    return out
