"""Promises in both directions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, or_, select

from kithbook.domain.models import Promise
from kithbook.store import schema as s
from kithbook.store.journal import Journal
from kithbook.store.people import refs_by_keys
from kithbook.store.rows import utc

_live = s.promises.c.deleted_at.is_(None)


def insert_promise(j: Journal, public_id: str, **values: Any) -> int:
    key = j.insert(
        s.promises, {"public_id": public_id, "created_at": j.now, "status": "open", **values}
    )
    assert key is not None
    return key


def build(conn: Connection, rows: Sequence[Any]) -> list[Promise]:
    refs = refs_by_keys(conn, [r.owed_by_id for r in rows] + [r.owed_to_id for r in rows])
    int_ids = {r.interaction_id for r in rows if r.interaction_id}
    int_pub = {}
    if int_ids:
        int_pub = dict(
            conn.execute(
                select(s.interactions.c.id, s.interactions.c.public_id).where(
                    s.interactions.c.id.in_(int_ids)
                )
            ).all()
        )
    return [
        Promise(
            id=r.public_id,
            name=r.what,
            owed_by=refs[r.owed_by_id],
            owed_to=refs[r.owed_to_id],
            what=r.what,
            due=r.due,
            status=r.status,
            status_reason=r.status_reason,
            closed_at=utc(r.closed_at),
            interaction_id=int_pub.get(r.interaction_id),
            created_at=utc(r.created_at),
            key=r.id,
        )
        for r in rows
    ]


def promises_of(
    conn: Connection, person_key: int, *, status: str | None = "open", limit: int = 200
) -> list[Promise]:
    p = s.promises
    q = select(p).where(or_(p.c.owed_by_id == person_key, p.c.owed_to_id == person_key), _live)
    if status:
        q = q.where(p.c.status == status)
    rows = conn.execute(q.order_by(p.c.due.is_(None), p.c.due, p.c.id).limit(limit)).all()
    return build(conn, rows)


def list_promises(
    conn: Connection,
    *,
    status: str | None = "open",
    owed_by: int | None = None,
    owed_to: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Promise], int]:
    p = s.promises
    conds: list[Any] = [_live]
    if status:
        conds.append(p.c.status == status)
    if owed_by is not None:
        conds.append(p.c.owed_by_id == owed_by)
    if owed_to is not None:
        conds.append(p.c.owed_to_id == owed_to)
    total = conn.execute(select(func.count()).select_from(p).where(*conds)).scalar_one()
    rows = conn.execute(
        select(p)
        .where(*conds)
        .order_by(p.c.due.is_(None), p.c.due, p.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return build(conn, rows), total


def get_promise_keys(conn: Connection, public_id: str) -> list[int]:
    exact = (
        conn.execute(select(s.promises.c.id).where(s.promises.c.public_id == public_id, _live))
        .scalars()
        .all()
    )
    if exact:
        return list(exact)
    return list(
        conn.execute(
            select(s.promises.c.id)
            .where(s.promises.c.public_id.like(public_id + "%"), _live)
            .limit(10)
        ).scalars()
    )


def get_promise(conn: Connection, key: int) -> Promise | None:
    rows = conn.execute(select(s.promises).where(s.promises.c.id == key)).all()
    built = build(conn, rows)
    return built[0] if built else None
