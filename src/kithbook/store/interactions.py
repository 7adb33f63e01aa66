"""Interactions (conversations, meetings, messages) and their participants."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from kithbook.domain.models import Interaction
from kithbook.store import schema as s
from kithbook.store.capture import capture_marks
from kithbook.store.journal import Journal
from kithbook.store.people import refs_by_keys
from kithbook.store.rows import split_lines, utc

_live = s.interactions.c.deleted_at.is_(None)


def insert_interaction(
    j: Journal, public_id: str, participants: Sequence[int], **values: Any
) -> int:
    key = j.insert(s.interactions, {"public_id": public_id, "created_at": j.now, **values})
    assert key is not None
    for pkey in dict.fromkeys(participants):
        j.insert(s.interaction_participants, {"interaction_id": key, "person_id": pkey})
    return key


def _build(conn: Connection, rows: Sequence[Any]) -> list[Interaction]:
    keys = [r.id for r in rows]
    parts: dict[int, list[int]] = {k: [] for k in keys}
    for start in range(0, len(keys), 500):
        for r in conn.execute(
            select(s.interaction_participants).where(
                s.interaction_participants.c.interaction_id.in_(keys[start : start + 500])
            )
        ):
            parts[r.interaction_id].append(r.person_id)
    all_people = {p for ps in parts.values() for p in ps}
    all_people |= {r.initiated_by_id for r in rows if r.initiated_by_id}
    refs = refs_by_keys(conn, all_people)
    captured = capture_marks(conn, keys)
    out = []
    for r in rows:
        when = utc(r.occurred_at)
        assert when is not None
        name = r.summary or f"{r.channel} on {when.date().isoformat()}"
        out.append(
            Interaction(
                id=r.public_id,
                name=name,
                occurred_at=when,
                channel=r.channel,
                minutes=r.minutes,
                summary=r.summary,
                initiated_by=refs.get(r.initiated_by_id) if r.initiated_by_id else None,
                they_want=r.they_want,
                i_want=r.i_want,
                agreed=split_lines(r.agreed),
                next_step=r.next_step,
                participants=sorted((refs[p] for p in parts[r.id]), key=lambda x: x.name),
                source=r.source,
                captured=captured.get(r.id),
                key=r.id,
            )
        )
    return out


def timeline(
    conn: Connection, person_key: int, *, limit: int = 50, offset: int = 0
) -> tuple[list[Interaction], int]:
    ip = s.interaction_participants
    ids = select(ip.c.interaction_id).where(ip.c.person_id == person_key)
    where = (s.interactions.c.id.in_(ids), _live)
    total = conn.execute(
        select(func.count()).select_from(s.interactions).where(*where)
    ).scalar_one()
    rows = conn.execute(
        select(s.interactions)
        .where(*where)
        .order_by(s.interactions.c.occurred_at.desc(), s.interactions.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return _build(conn, rows), total


def get_interaction(conn: Connection, key: int) -> Interaction | None:
    rows = conn.execute(select(s.interactions).where(s.interactions.c.id == key, _live)).all()
    built = _build(conn, rows)
    return built[0] if built else None


def key_by_public_id(conn: Connection, public_id: str) -> int | None:
    return conn.execute(
        select(s.interactions.c.id).where(s.interactions.c.public_id == public_id)
    ).scalar()


def recent(conn: Connection, *, limit: int = 50, offset: int = 0) -> tuple[list[Interaction], int]:
    total = conn.execute(select(func.count()).select_from(s.interactions).where(_live)).scalar_one()
    rows = conn.execute(
        select(s.interactions)
        .where(_live)
        .order_by(s.interactions.c.occurred_at.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return _build(conn, rows), total


def by_keys(conn: Connection, keys: Sequence[int]) -> list[Interaction]:
    rows = conn.execute(
        select(s.interactions)
        .where(s.interactions.c.id.in_(list(keys)), _live)
        .order_by(s.interactions.c.occurred_at.desc())
    ).all()
    return _build(conn, rows)
