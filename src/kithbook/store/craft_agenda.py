"""Queries behind the craft items of the daily agenda (domain/craft_agenda.py): the
meetings of a day, with whom, the promises I kept lately (asking for a referral), the
claims still unknown, and the open surveys with who has no link yet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, and_, func, or_, select

from kithbook.store import schema as s
from kithbook.store import schema_craft as c
from kithbook.store.rows import utc_at
from kithbook.store.schema_alliances import response_links as links

MEETING_CHANNELS = ("meeting", "call", "video", "event")


@dataclass(frozen=True)
class MeetingRow:
    interaction_id: str
    occurred_at: datetime
    channel: str
    summary: str | None
    person_key: int
    person_id: str
    person_name: str
    tier: str | None
    stage: str | None


def meetings_between(conn: Connection, start: datetime, end: datetime, *, me: int | None,
                     channels: Sequence[str] = MEETING_CHANNELS,
                     limit: int = 200) -> list[MeetingRow]:
    """Meetings (and calls, video calls, events) from `start` (inclusive) to `end`
    (exclusive), one row per person met other than me, earliest first."""
    i, ip, p = s.interactions, s.interaction_participants, s.people
    q = (select(i.c.public_id, i.c.occurred_at, i.c.channel, i.c.summary, p.c.id.label("pk"),
                p.c.public_id.label("pid"), p.c.name, p.c.tier, p.c.stage)
         .join(ip, ip.c.interaction_id == i.c.id).join(p, p.c.id == ip.c.person_id)
         .where(i.c.deleted_at.is_(None), i.c.occurred_at >= start, i.c.occurred_at < end,
                i.c.channel.in_(list(channels)), p.c.deleted_at.is_(None),
                p.c.archived_at.is_(None), p.c.is_me.is_(False)))
    if me is not None:
        q = q.where(p.c.id != me)
    rows = conn.execute(q.order_by(i.c.occurred_at, i.c.id, p.c.name).limit(limit)).all()
    return [MeetingRow(r.public_id, utc_at(r.occurred_at), r.channel, r.summary, r.pk, r.pid,
                       r.name, r.tier, r.stage) for r in rows]


@dataclass(frozen=True)
class KeptRow:
    promise_id: str
    what: str
    closed_at: datetime
    person_key: int
    person_id: str
    person_name: str
    tier: str | None
    stage: str | None


def kept_by_me(conn: Connection, me: int, start: datetime, end: datetime, *,
               limit: int = 500) -> list[KeptRow]:
    """Promises I kept (done) from `start` to `end`, with whom I kept them for."""
    pr, p = s.promises, s.people
    rows = conn.execute(
        select(pr.c.public_id, pr.c.what, pr.c.closed_at, p.c.id.label("pk"),
               p.c.public_id.label("pid"), p.c.name, p.c.tier, p.c.stage)
        .join(p, p.c.id == pr.c.owed_to_id)
        .where(pr.c.owed_by_id == me, pr.c.status == "done", pr.c.deleted_at.is_(None),
               pr.c.closed_at.is_not(None), pr.c.closed_at >= start, pr.c.closed_at <= end,
               p.c.deleted_at.is_(None), p.c.archived_at.is_(None), p.c.id != me)
        .order_by(pr.c.closed_at.desc(), pr.c.id).limit(limit)).all()
    return [KeptRow(r.public_id, r.what, utc_at(r.closed_at), r.pk, r.pid, r.name, r.tier,
                    r.stage) for r in rows]


def loop_referral_keys(conn: Connection, me: int, *, limit: int = 1000) -> list[int]:
    """Referrals with a thank-you loop step possibly due: to me and not thanked, or
    decided and not reported back (domain/referrals.py decides)."""
    r = c.referrals
    return [k for (k,) in conn.execute(
        select(r.c.id).where(
            r.c.deleted_at.is_(None), r.c.referrer_id != me,
            or_(and_(r.c.thanked_at.is_(None), r.c.to_id == me),
                and_(r.c.status != "open", r.c.reported_at.is_(None))))
        .order_by(r.c.occurred_on.desc(), r.c.id.desc()).limit(limit))]


@dataclass(frozen=True)
class ClaimRow:
    claim_id: str
    text: str
    said_on: date
    person_key: int
    person_id: str
    person_name: str
    tier: str | None
    stage: str | None


def unknown_claims(conn: Connection, *, said_by: date, people: Sequence[int] | None = None,
                   limit: int = 200) -> list[ClaimRow]:
    """Claims still unknown, said on or before `said_by` (by `people` only, when given),
    oldest first, of people neither deleted nor archived."""
    t, p = c.claims, s.people
    q = (select(t.c.public_id, t.c.text, t.c.said_on, p.c.id.label("pk"),
                p.c.public_id.label("pid"), p.c.name, p.c.tier, p.c.stage)
         .join(p, p.c.id == t.c.person_id)
         .where(t.c.deleted_at.is_(None), t.c.status == "unknown", t.c.said_on.is_not(None),
                t.c.said_on <= said_by, p.c.deleted_at.is_(None), p.c.archived_at.is_(None)))
    if people is not None:
        if not people:
            return []
        q = q.where(t.c.person_id.in_(list(people)))
    rows = conn.execute(q.order_by(t.c.said_on, t.c.id).limit(limit)).all()
    return [ClaimRow(r.public_id, r.text, r.said_on, r.pk, r.pid, r.name, r.tier, r.stage)
            for r in rows]


@dataclass(frozen=True)
class SurveyRow:
    survey_id: str
    question: str
    created_at: datetime
    asked: int
    answered: int
    unsent: int  # not answered, and no private link ever issued to them for it
    last_answer_at: datetime | None
    last_link_at: datetime | None


def open_survey_rows(conn: Connection, *, limit: int = 200) -> list[SurveyRow]:
    """Open surveys with their counts and last signs of life, newest first."""
    t, a = c.surveys, c.survey_asks
    rows = conn.execute(select(t.c.id, t.c.public_id, t.c.question, t.c.created_at)
                        .where(t.c.deleted_at.is_(None), t.c.closed_at.is_(None))
                        .order_by(t.c.created_at.desc(), t.c.id.desc()).limit(limit)).all()
    if not rows:
        return []
    keys = [r.id for r in rows]
    counts = {r.survey_id: r for r in conn.execute(
        select(a.c.survey_id, func.count().label("asked"),
               func.count(a.c.answered_at).label("answered"),
               func.max(a.c.answered_at).label("last"))
        .where(a.c.survey_id.in_(keys)).group_by(a.c.survey_id))}
    sent = (select(links.c.id).where(links.c.subject_kind == "survey",
                                     links.c.subject_id == a.c.survey_id,
                                     links.c.person_id == a.c.person_id).exists())
    unsent: dict[int, int] = dict(conn.execute(
        select(a.c.survey_id, func.count())
        .where(a.c.survey_id.in_(keys), a.c.answered_at.is_(None), ~sent)
        .group_by(a.c.survey_id)).all())
    last_link: dict[int, datetime] = dict(conn.execute(
        select(links.c.subject_id, func.max(links.c.created_at))
        .where(links.c.subject_kind == "survey", links.c.subject_id.in_(keys))
        .group_by(links.c.subject_id)).all())
    out = []
    for r in rows:
        n = counts.get(r.id)
        out.append(SurveyRow(
            r.public_id, r.question, utc_at(r.created_at), n.asked if n else 0,
            n.answered if n else 0, int(unsent.get(r.id, 0)),
            utc_at(n.last) if n is not None and n.last is not None else None,
            utc_at(last_link[r.id]) if last_link.get(r.id) is not None else None))
    return out


def event_attendances(conn: Connection, since: date, until: date, *,
                      limit: int = 500) -> list[tuple[int, date, str]]:
    """(person key, day, event name) for everyone on the list of an event from `since`
    to `until` (inclusive), earliest first."""
    e, ep = c.craft_events, c.craft_event_people
    rows = conn.execute(
        select(ep.c.person_id, e.c.on_date, e.c.name).join(e, e.c.id == ep.c.event_id)
        .where(e.c.deleted_at.is_(None), e.c.on_date >= since, e.c.on_date <= until)
        .order_by(e.c.on_date, e.c.id).limit(limit)).all()
    return [(r.person_id, r.on_date, r.name) for r in rows]
