"""Bulk reads for the relationship engine: ties, interaction evidence, needs and offers,
the give/ask ledger, and the version stamp of the graph cache. SQLAlchemy Core only, so
the same statements run on SQLite and PostgreSQL. Large reads stream in partitions
straight into numpy arrays."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, and_, bindparam, func, or_, select, tuple_

from kithbook.store import schema as s
from kithbook.store.journal import Journal
from kithbook.store.rows import driver_cursor, utc_at

_live_people = s.people.c.deleted_at.is_(None)
_live_ties = s.ties.c.deleted_at.is_(None)
_live_int = s.interactions.c.deleted_at.is_(None)
_PART = 200_000


def graph_stamp(conn: Connection) -> dict[str, Any]:
    """What the graph depends on: changes to any of it alter the stamp. Counts and max
    keys catch bulk loads that skip the change journal."""
    def one(q: Any) -> int:
        return int(conn.execute(q).scalar() or 0)

    return {
        "people": one(select(func.count()).select_from(s.people).where(_live_people)),
        "people_max": one(select(func.max(s.people.c.id))),
        "ties": one(select(func.count()).select_from(s.ties).where(_live_ties)),
        "ties_max": one(select(func.max(s.ties.c.id))),
        "interactions": one(select(func.count()).select_from(s.interactions).where(_live_int)),
        "interactions_max": one(select(func.max(s.interactions.c.id))),
        "participants": one(select(func.count()).select_from(s.interaction_participants)),
        "changes_max": one(select(func.max(s.changes.c.id))),
    }


def live_people(conn: Connection) -> NDArray[np.int64]:
    return int_columns(conn, select(s.people.c.id).where(_live_people)
                       .order_by(s.people.c.id), 1)[:, 0].copy()


def int_columns(conn: Connection, query: Any, ncols: int) -> NDArray[np.int64]:
    """An (n, ncols) array of a query whose columns are all integers (no NULLs), read
    through the driver's own cursor in blocks: SQLAlchemy's per-row objects cost four
    times the read itself at millions of rows (2,000,000 ties: 6.4 s against 1.4 s). On
    PostgreSQL a named (server-side) cursor keeps the client's memory to one block."""
    parts = []
    with driver_cursor(conn, query, server_side=True) as cur:
        while rows := cur.fetchmany(_PART):
            parts.append(np.array(rows, dtype=np.int64).reshape(-1, ncols))
    return np.concatenate(parts) if parts else np.zeros((0, ncols), np.int64)


def tie_arrays(conn: Connection) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8]]:
    """(a, b, declared strength 1..5) of every live tie, streamed."""
    m = int_columns(conn, select(s.ties.c.a_id, s.ties.c.b_id, s.ties.c.strength)
                    .where(_live_ties), 3)
    return m[:, 0].copy(), m[:, 1].copy(), m[:, 2].astype(np.int8)


TieDetails = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8],
                   NDArray[np.object_], NDArray[np.datetime64]]


def tie_detail_arrays(conn: Connection, involving: Sequence[int] | None = None) -> TieDetails:
    """(a, b, declared strength, kind, since as datetime64[D] or NaT) of every live tie,
    or of the ties of the people `involving`, streamed in partitions."""
    t = s.ties
    q = select(t.c.a_id, t.c.b_id, t.c.strength, t.c.kind, t.c.since).where(_live_ties)
    if involving is not None:
        keys = [int(k) for k in involving]
        q = q.where(or_(t.c.a_id.in_(keys), t.c.b_id.in_(keys)))
    res = conn.execution_options(stream_results=True).execute(q)
    parts: list[TieDetails] = []
    for part in res.partitions(_PART):
        ca, cb, cs, ck, cd = zip(*part, strict=True)
        parts.append((np.array(ca, dtype=np.int64), np.array(cb, dtype=np.int64),
                      np.array(cs, dtype=np.int8), np.array(ck, dtype=object),
                      np.array(cd, dtype="datetime64[D]")))
    if not parts:
        e = np.zeros(0, np.int64)
        return (e, e, np.zeros(0, np.int8), np.zeros(0, object),
                np.zeros(0, "datetime64[D]"))
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]), np.concatenate([p[3] for p in parts]),
            np.concatenate([p[4] for p in parts]))


def live_among(conn: Connection, keys: Sequence[int]) -> NDArray[np.int64]:
    """Which of `keys` are live people, ascending."""
    if not len(keys):
        return np.zeros(0, np.int64)
    rows = conn.execute(
        select(s.people.c.id).where(s.people.c.id.in_([int(k) for k in keys]), _live_people)
    ).all()
    return np.array(sorted(int(r[0]) for r in rows), dtype=np.int64)


def declared_between(conn: Connection, a: int, b: int) -> list[tuple[str, int, date | None]]:
    lo, hi = min(a, b), max(a, b)
    rows = conn.execute(
        select(s.ties.c.kind, s.ties.c.strength, s.ties.c.since).where(
            s.ties.c.a_id == lo, s.ties.c.b_id == hi, _live_ties
        )
    ).all()
    return [(r.kind, int(r.strength), r.since) for r in rows]


def declared_of(conn: Connection, person: int) -> dict[int, list[tuple[str, int, date | None]]]:
    """Every declared tie of one person, by the other person."""
    out: dict[int, list[tuple[str, int, date | None]]] = {}
    rows = conn.execute(
        select(s.ties.c.a_id, s.ties.c.b_id, s.ties.c.kind, s.ties.c.strength, s.ties.c.since)
        .where(or_(s.ties.c.a_id == person, s.ties.c.b_id == person), _live_ties)
    ).all()
    for r in rows:
        other = r.b_id if r.a_id == person else r.a_id
        out.setdefault(other, []).append((r.kind, int(r.strength), r.since))
    return out


def interaction_rows(
    conn: Connection,
    *,
    involving: int | None = None,
    max_participants: int = 30,
) -> list[tuple[int, datetime, str, int | None, list[int]]]:
    """(interaction key, when, channel, initiated by, participants) for live interactions,
    optionally only those `involving` one person. Interactions larger than
    `max_participants` are skipped as pair evidence (a conference is not a tie)."""
    i, p = s.interactions, s.interaction_participants
    q = (
        select(i.c.id, i.c.occurred_at, i.c.channel, i.c.initiated_by_id, p.c.person_id)
        .join(p, p.c.interaction_id == i.c.id)
        .where(_live_int)
        .order_by(i.c.id)
    )
    if involving is not None:
        mine = select(p.c.interaction_id).where(p.c.person_id == involving)
        q = q.where(i.c.id.in_(mine))
    out: list[tuple[int, datetime, str, int | None, list[int]]] = []
    res = conn.execution_options(stream_results=True).execute(q)
    for part in res.partitions(_PART):
        for row in part:
            if out and out[-1][0] == row[0]:
                out[-1][4].append(int(row[4]))
            else:
                out.append((int(row[0]), utc_at(row[1]), row[2], row[3], [int(row[4])]))
    return [x for x in out if 2 <= len(x[4]) <= max_participants]


InteractionArrays = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64],
                          NDArray[np.object_], NDArray[np.int64]]


def interaction_arrays(
    conn: Connection, involving_any: Sequence[int] | None = None
) -> InteractionArrays:
    """Evidence for tie strength as arrays: (participant's person key, index of the
    participant's interaction in the next three arrays, and per live interaction: when
    in POSIX seconds, channel, initiated by or -1), optionally only the interactions of
    the people `involving_any`. Two streamed reads: participants as plain integers, and
    each interaction's own fields once."""
    i, p = s.interactions, s.interaction_participants
    qp = select(p.c.interaction_id, p.c.person_id).join(i, p.c.interaction_id == i.c.id) \
        .where(_live_int)
    qi = select(i.c.id, i.c.occurred_at, i.c.channel, i.c.initiated_by_id).where(_live_int)
    if involving_any is not None:
        theirs = select(p.c.interaction_id).where(
            p.c.person_id.in_([int(k) for k in involving_any]))
        qp = qp.where(i.c.id.in_(theirs))
        qi = qi.where(i.c.id.in_(theirs))
    pairs = int_columns(conn, qp, 2)
    ids: list[int] = []
    ats: list[float] = []
    chans: list[str] = []
    inits: list[int] = []
    for irow in conn.execution_options(stream_results=True).execute(qi).partitions(_PART):
        for key_, at_, chan_, init_ in irow:
            ids.append(int(key_))
            ats.append(utc_at(at_).timestamp())
            chans.append(chan_)
            inits.append(-1 if init_ is None else int(init_))
    if not len(pairs) or not ids:
        e = np.zeros(0, np.int64)
        return e, e, np.zeros(0), np.zeros(0, object), e
    inter, person = pairs[:, 0], pairs[:, 1]
    key = np.array(ids, dtype=np.int64)
    order = np.argsort(key)
    pos = order[np.minimum(np.searchsorted(key, inter, sorter=order), len(key) - 1)]
    seen = key[pos] == inter  # a participant of an interaction written between the reads
    return (person[seen], pos[seen], np.array(ats), np.array(chans, dtype=object),
            np.array(inits, dtype=np.int64))


def _last_together_query() -> Any:
    p1 = s.interaction_participants.alias("p1")
    p2 = s.interaction_participants.alias("p2")
    i = s.interactions
    return (select(p1.c.person_id, p2.c.person_id, func.max(i.c.occurred_at))
            .select_from(i.join(p1, p1.c.interaction_id == i.c.id).join(
                p2, p2.c.interaction_id == i.c.id))
            .where(tuple_(p1.c.person_id, p2.c.person_id).in_(
                bindparam("pairs", expanding=True)), _live_int)
            .group_by(p1.c.person_id, p2.c.person_id))


# Made once: building the two aliases cost more than the query (an intro path asks it
# for every route).
_LAST_TOGETHER = _last_together_query()


def last_together(conn: Connection, pairs: Iterable[tuple[int, int]]
                  ) -> dict[tuple[int, int], datetime]:
    """When each pair (a, b) last took part in the same interaction, for the pairs that
    ever did: one query for all of them."""
    wanted = list(dict.fromkeys(pairs))
    if not wanted:
        return {}
    return {(int(a), int(b)): utc_at(at)
            for a, b, at in conn.execute(_LAST_TOGETHER, {"pairs": wanted})
            if at is not None}


def last_touch(conn: Connection, keys: Iterable[int]) -> dict[int, datetime]:
    keys = list(set(keys))
    out: dict[int, datetime] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for row in conn.execute(
            select(s.people.c.id, s.people.c.last_touch_at).where(
                s.people.c.id.in_(chunk), s.people.c.last_touch_at.is_not(None)
            )
        ):
            out[int(row.id)] = utc_at(row.last_touch_at)
    return out


def org_members(conn: Connection, org_key: int) -> list[int]:
    rows = conn.execute(
        select(s.roles.c.person_id)
        .join(s.people, s.people.c.id == s.roles.c.person_id)
        .where(s.roles.c.org_id == org_key, s.roles.c.is_current.is_(True), _live_people)
    ).all()
    return sorted({int(r[0]) for r in rows})


# -- needs and offers ------------------------------------------------------------------


def insert_need_offer(
    j: Journal, public_id: str, person: int, kind: str, text: str, tags: Sequence[str]
) -> int:
    key = j.insert(s.needs_offers, {
        "public_id": public_id, "person_id": person, "kind": kind, "text": text,
        "tags": ",".join(tags) or None, "created_at": j.now,
    })
    assert key is not None
    return key


def open_needs_offers(
    conn: Connection, *, person: int | None = None
) -> list[tuple[str, int, str, str, str | None, datetime]]:
    """(public id, person key, kind, text, tags, created) of unresolved items."""
    n = s.needs_offers
    q = (
        select(n.c.public_id, n.c.person_id, n.c.kind, n.c.text, n.c.tags, n.c.created_at)
        .join(s.people, s.people.c.id == n.c.person_id)
        .where(n.c.resolved_at.is_(None), _live_people)
        .order_by(n.c.id)
    )
    if person is not None:
        q = q.where(n.c.person_id == person)
    return [(r[0], int(r[1]), r[2], r[3], r[4], utc_at(r[5])) for r in conn.execute(q)]


# -- the give/ask ledger ---------------------------------------------------------------


def insert_ledger(
    j: Journal, public_id: str, giver: int, receiver: int, kind: str, what: str | None,
    occurred_on: date,
) -> int:
    key = j.insert(s.ledger, {
        "public_id": public_id, "giver_id": giver, "receiver_id": receiver, "kind": kind,
        "what": what, "occurred_on": occurred_on, "created_at": j.now,
    })
    assert key is not None
    return key


def ledger_of(
    conn: Connection, person: int
) -> list[tuple[str, int, int, str, str | None, date]]:
    """(public id, giver, receiver, kind, what, occurred on) where `person` took part."""
    lg = s.ledger
    rows = conn.execute(
        select(lg.c.public_id, lg.c.giver_id, lg.c.receiver_id, lg.c.kind, lg.c.what,
               lg.c.occurred_on)
        .where(or_(lg.c.giver_id == person, lg.c.receiver_id == person))
        .order_by(lg.c.occurred_on.desc(), lg.c.id.desc())
    ).all()
    return [(r[0], int(r[1]), int(r[2]), r[3], r[4], r[5]) for r in rows]


def ledger_counts(conn: Connection, person: int) -> dict[int, tuple[int, int]]:
    """other person -> (given by `person` to them, received by `person` from them)."""
    lg = s.ledger
    out: dict[int, list[int]] = {}
    rows = conn.execute(
        select(lg.c.giver_id, lg.c.receiver_id, func.count())
        .where(or_(lg.c.giver_id == person, lg.c.receiver_id == person))
        .group_by(lg.c.giver_id, lg.c.receiver_id)
    ).all()
    for giver, receiver, count in rows:
        if giver == person:
            out.setdefault(int(receiver), [0, 0])[0] += int(count)
        if receiver == person:
            out.setdefault(int(giver), [0, 0])[1] += int(count)
    return {k: (v[0], v[1]) for k, v in out.items()}


def tie_exists(conn: Connection, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return conn.execute(
        select(s.ties.c.id).where(and_(s.ties.c.a_id == lo, s.ties.c.b_id == hi), _live_ties)
        .limit(1)
    ).first() is not None
