"""Queries for honesty (docs/networking-craft.md): claims people made, what I told
whom."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from kithbook.domain.craft_records import Claim, Statement
from kithbook.domain.statements import StatementFact
from kithbook.store import schema_craft as c
from kithbook.store.people import refs_by_keys


def claims(conn: Connection, *, person: int | None = None, keys: Sequence[int] | None = None,
           status: str | None = None, limit: int = 500) -> list[Claim]:
    t = c.claims
    q = select(t).where(t.c.deleted_at.is_(None))
    if person is not None:
        q = q.where(t.c.person_id == person)
    if keys is not None:
        q = q.where(t.c.id.in_(list(keys)))
    if status:
        q = q.where(t.c.status == status)
    rows = conn.execute(q.order_by(t.c.created_at.desc(), t.c.id.desc()).limit(limit)).all()
    refs = refs_by_keys(conn, [r.person_id for r in rows])
    return [Claim(id=r.public_id, name=r.text, person=refs[r.person_id], topic=r.topic,
                  status=r.status, source=r.source, said_on=r.said_on,
                  checked_on=r.checked_on) for r in rows]


def statements(conn: Connection, *, person: int | None = None, topic: str | None = None,
               keys: Sequence[int] | None = None, live: bool = True,
               limit: int = 5000) -> list[Statement]:
    t = c.statements
    q = select(t)
    if live:
        q = q.where(t.c.withdrawn_at.is_(None))
    if person is not None:
        q = q.where(t.c.person_id == person)
    if topic is not None:
        q = q.where(t.c.topic_folded == topic)
    if keys is not None:
        q = q.where(t.c.id.in_(list(keys)))
    rows = conn.execute(q.order_by(t.c.said_on.desc(), t.c.id.desc()).limit(limit)).all()
    refs = refs_by_keys(conn, [r.person_id for r in rows])
    return [Statement(id=r.public_id, name=r.text, person=refs[r.person_id], topic=r.topic,
                      value=r.value, said_on=r.said_on, withdrawn=r.withdrawn_at is not None)
            for r in rows]


def facts(items: Sequence[Statement]) -> list[StatementFact]:
    return [StatementFact(id=s.id, person=s.person, topic=s.topic, text=s.name, value=s.value,
                          said_on=s.said_on) for s in items]
