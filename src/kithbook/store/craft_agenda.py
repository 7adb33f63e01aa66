"""Queries behind the craft items of the daily agenda (domain/craft_agenda.py): the
meetings of a day, with whom, and the promises I kept lately (asking for a referral)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, or_, select

from kithbook.store import schema as s
from kithbook.store import schema_craft as c
from kithbook.store.rows import utc_at

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
