"""Queries for time invested and value returned (docs/networking-craft.md): the
facts of a UTC interval, from logged interactions, time entries, value entries and
won referrals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Connection, select

from kithbook.domain.craft_records import TimeEntry, ValueEntry
from kithbook.domain.models import PersonRef
from kithbook.domain.timevalue import TimeFact, ValueFact, activity_of
from kithbook.store import schema as s
from kithbook.store import schema_craft as c
from kithbook.store.craft import org_names
from kithbook.store.people import refs_by_keys
from kithbook.store.rows import utc_at


def time_facts(conn: Connection, start: datetime, end: datetime,
               me: int | None) -> list[TimeFact]:
    """Every minute invested in [start, end): interactions with a duration (split over
    their participants but me) and time logged by hand."""
    i, p = s.interactions, s.interaction_participants
    rows = conn.execute(
        select(i.c.id, i.c.occurred_at, i.c.minutes, i.c.channel, p.c.person_id)
        .outerjoin(p, p.c.interaction_id == i.c.id)
        .where(i.c.occurred_at >= start, i.c.occurred_at < end, i.c.minutes > 0,
               i.c.deleted_at.is_(None))
        .order_by(i.c.id)).all()
    people: dict[int, list[int]] = {}
    head: dict[int, tuple[datetime, int, str]] = {}
    for r in rows:
        head[r.id] = (utc_at(r.occurred_at), r.minutes, r.channel)
        if r.person_id is not None and r.person_id != me:
            people.setdefault(r.id, []).append(r.person_id)
    t = c.time_entries
    entries = conn.execute(select(t.c.at, t.c.minutes, t.c.kind, t.c.person_id).where(
        t.c.at >= start, t.c.at < end, t.c.deleted_at.is_(None))).all()
    refs = refs_by_keys(conn, [k for ks in people.values() for k in ks]
                        + [e.person_id for e in entries if e.person_id])
    out = [TimeFact(at=at, minutes=m, kind=activity_of(ch),
                    people=tuple(refs[k] for k in people.get(key, [])))
           for key, (at, m, ch) in head.items()]
    out += [TimeFact(at=utc_at(e.at), minutes=e.minutes, kind=e.kind,
                     people=(refs[e.person_id],) if e.person_id else ()) for e in entries]
    return out


def value_facts(conn: Connection, first: date, last: date) -> list[ValueFact]:
    """Value returned on days in [first, last]: value entries and won referrals (to
    their referrer)."""
    v, r = c.value_entries, c.referrals
    entries = conn.execute(select(v.c.on_date, v.c.kind, v.c.amount, v.c.person_id).where(
        v.c.on_date >= first, v.c.on_date <= last, v.c.deleted_at.is_(None))).all()
    won = conn.execute(select(r.c.decided_on, r.c.value, r.c.referrer_id).where(
        r.c.status == "won", r.c.decided_on >= first, r.c.decided_on <= last,
        r.c.deleted_at.is_(None))).all()
    refs = refs_by_keys(conn, [e.person_id for e in entries if e.person_id]
                        + [w.referrer_id for w in won])
    return ([ValueFact(on=e.on_date, kind=e.kind, amount=e.amount,
                       person=refs.get(e.person_id) if e.person_id else None)
             for e in entries]
            + [ValueFact(on=w.decided_on, kind="referral", amount=w.value,
                         person=refs[w.referrer_id]) for w in won])


def current_orgs(conn: Connection, people: Sequence[int]) -> dict[int, tuple[int, str]]:
    """Each person's current organization (the first current role)."""
    out: dict[int, tuple[int, str]] = {}
    keys = list(set(people))
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        rows = conn.execute(select(s.roles.c.person_id, s.roles.c.org_id).where(
            s.roles.c.person_id.in_(chunk), s.roles.c.is_current.is_(True))
            .order_by(s.roles.c.id)).all()
        names = org_names(conn, [r.org_id for r in rows])
        for r in rows:
            if r.person_id not in out and r.org_id in names:
                out[r.person_id] = (r.org_id, names[r.org_id])
    return out


def time_entries(conn: Connection, keys: Sequence[int]) -> list[TimeEntry]:
    t = c.time_entries
    rows = conn.execute(select(t).where(t.c.id.in_(list(keys)))).all()
    refs = refs_by_keys(conn, [r.person_id for r in rows if r.person_id])
    orgs = org_names(conn, [r.org_id for r in rows])
    return [TimeEntry(id=r.public_id, name=r.note or r.kind.replace("_", " "),
                      at=utc_at(r.at), minutes=r.minutes, kind=r.kind,
                      person=refs.get(r.person_id) if r.person_id else None,
                      org=orgs.get(r.org_id), note=r.note) for r in rows]


def value_entries(conn: Connection, keys: Sequence[int]) -> list[ValueEntry]:
    v = c.value_entries
    rows = conn.execute(select(v).where(v.c.id.in_(list(keys)))).all()
    refs = refs_by_keys(conn, [r.person_id for r in rows if r.person_id])
    orgs = org_names(conn, [r.org_id for r in rows])
    return [ValueEntry(id=r.public_id, name=r.note or r.kind, on=r.on_date, kind=r.kind,
                       amount=r.amount, person=refs.get(r.person_id) if r.person_id else None,
                       org=orgs.get(r.org_id), note=r.note) for r in rows]


__all__ = ["PersonRef", "time_facts", "value_facts"]
