"""The communication facts of an alliance (domain/alliances/facts.py): its forums
with their meetings, and the touches, the interactions of the last 13 months between
people of at least two parties ("me" counts for the party that is us), for one
alliance (`forums`, `touches`) or a batch at once (`forums_many`, `touches_many`).
Read by store/alliance_facts.py, which builds the whole `AllianceFacts`."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from kithbook.domain.alliances import facts as f
from kithbook.store import schema as s
from kithbook.store import schema_alliances as a
from kithbook.store.alliance_items import (
    attendees,
    meeting_rows_many,
)
from kithbook.store.people import me_key
from kithbook.store.rows import utc

TOUCH_WINDOW_DAYS = 400


def forums(conn: Connection, alliance_key: int) -> tuple[f.Forum, ...]:
    """One alliance's live forums with their meetings (the portfolio's loader, for one)."""
    return forums_many(conn, [alliance_key])[alliance_key]


def touches(conn: Connection, people: set[int], now: datetime) -> tuple[f.Touch, ...]:
    """The interactions of the window with at least two of `people`, oldest first."""
    return touches_many(conn, {0: people}, now)[0]


def touch_candidates(conn: Connection, people: set[int], now: datetime
                      ) -> tuple[list[Any], dict[int, list[int]]]:
    """The live interactions of the window that one of `people` other than me took
    part in, oldest first, with everyone who took part. A touch needs two of the
    people, so one of them is not me: leaving me out of the search keeps it to the
    contacts' interactions instead of every interaction I logged (in a personal
    network, all of them)."""
    ip, i = s.interaction_participants, s.interactions
    since = now - timedelta(days=TOUCH_WINDOW_DAYS)
    me = me_key(conn)
    keys = sorted(p for p in people if p != me)
    found: set[int] = set()
    for start in range(0, len(keys), 500):
        found.update(conn.execute(
            select(ip.c.interaction_id).join(i, i.c.id == ip.c.interaction_id)
            .where(ip.c.person_id.in_(keys[start:start + 500]), i.c.deleted_at.is_(None),
                   i.c.occurred_at >= since, i.c.occurred_at <= now)).scalars())
    shared = sorted(found)
    rows: list[Any] = []
    for start in range(0, len(shared), 500):
        rows.extend(conn.execute(select(i.c.id, i.c.occurred_at, i.c.initiated_by_id,
                                        i.c.channel)
                                 .where(i.c.id.in_(shared[start:start + 500]))))
    rows.sort(key=lambda r: (utc(r.occurred_at), r.id))
    return rows, attendees(conn, shared)


def forums_many(conn: Connection, keys: list[int]) -> dict[int, tuple[f.Forum, ...]]:
    meetings = meeting_rows_many(conn, keys)
    who = attendees(conn, [m.interaction_id for m in meetings])
    by_forum: dict[int | None, list[f.Meeting]] = defaultdict(list)
    for m in meetings:
        at = utc(m.occurred_at)
        assert at is not None
        by_forum[m.forum_id].append(f.Meeting(m.id, m.public_id, at,
                                              frozenset(who[m.interaction_id]), m.forum_id,
                                              m.minutes_on))
    t = a.alliance_forums
    forums: dict[int, list[Any]] = defaultdict(list)
    for r in conn.execute(select(t).where(t.c.alliance_id.in_(keys))
                          .order_by(t.c.cadence_days, t.c.id)):
        forums[r.alliance_id].append(r)
    return {k: tuple(f.Forum(r.id, r.public_id, r.name, r.cadence_days, r.layer,
                             r.created_on or utc(r.created_at).date(),  # type: ignore[union-attr]
                             tuple(by_forum[r.id]))
                     for r in forums[k] if r.ended_on is None) for k in keys}


def touches_many(conn: Connection, people: dict[int, set[int]], now: datetime
                  ) -> dict[int, tuple[f.Touch, ...]]:
    """Per alliance, the interactions of the window with at least two of its people:
    the candidates of all the alliances' people at once, then each alliance keeps
    its own, found through the interactions of its people."""
    out: dict[int, tuple[f.Touch, ...]] = {k: () for k in people}
    everyone = {p for ps in people.values() if len(ps) >= 2 for p in ps}
    if len(everyone) < 2:
        return out
    rows, who = touch_candidates(conn, everyone, now)
    order = {r.id: n for n, r in enumerate(rows)}
    by_person: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        for p in who[r.id]:
            by_person[p].append(r)
    for k, ps in people.items():
        if len(ps) < 2:
            continue
        seen: dict[int, Any] = {}
        for p in ps:
            for r in by_person.get(p, ()):
                seen[r.id] = r
        mine = []
        for r in sorted(seen.values(), key=lambda r: order[r.id]):
            present = [p for p in who[r.id] if p in ps]
            if len(present) >= 2:
                at = utc(r.occurred_at)
                assert at is not None
                mine.append(f.Touch(at, frozenset(present), r.initiated_by_id, r.channel))
        out[k] = tuple(mine)
    return out
