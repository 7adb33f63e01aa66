"""Facts the briefing needs that no other query module serves (docs/networking-craft.md):
the history of interactions with a person in one aggregate, the latest implicit
contract, and the people both I and they are tied to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select

from kithbook.store import schema as s
from kithbook.store.rows import split_lines, utc

_live = s.interactions.c.deleted_at.is_(None)


def history(conn: Connection, person: int) -> tuple[int, datetime | None, datetime | None, int]:
    """(count, first, last, minutes) of the person's live interactions."""
    i, p = s.interactions, s.interaction_participants
    row = conn.execute(
        select(func.count(), func.min(i.c.occurred_at), func.max(i.c.occurred_at),
               func.coalesce(func.sum(i.c.minutes), 0))
        .select_from(p.join(i, i.c.id == p.c.interaction_id))
        .where(p.c.person_id == person, _live)).one()
    return int(row[0]), utc(row[1]), utc(row[2]), int(row[3])


def latest_contract(conn: Connection, person: int) -> dict[str, Any] | None:
    """The latest interaction that recorded what they want, what I want, what we agreed
    or a next step."""
    i, p = s.interactions, s.interaction_participants
    row = conn.execute(
        select(i.c.public_id, i.c.occurred_at, i.c.they_want, i.c.i_want, i.c.agreed,
               i.c.next_step)
        .select_from(p.join(i, i.c.id == p.c.interaction_id))
        .where(p.c.person_id == person, _live,
               or_(i.c.they_want.is_not(None), i.c.i_want.is_not(None),
                   i.c.agreed.is_not(None), i.c.next_step.is_not(None)))
        .order_by(i.c.occurred_at.desc(), i.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return {"interaction_id": row.public_id, "at": utc(row.occurred_at),
            "they_want": row.they_want, "i_want": row.i_want,
            "agreed": split_lines(row.agreed), "next_step": row.next_step}
