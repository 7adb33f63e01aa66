"""Reading the change journal: recent batches, and what a batch touched."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from kithbook.store import schema as s

SEARCH_KINDS = {"people": "person", "orgs": "org", "interactions": "interaction", "notes": "note"}


def recent_batches(
    conn: Connection, *, limit: int = 20, undone: bool = False
) -> list[dict[str, Any]]:
    c = s.changes
    q = (
        select(
            c.c.batch_id,
            func.min(c.c.action).label("action"),
            func.min(c.c.at).label("at"),
            func.min(c.c.actor).label("actor"),
            func.count().label("changes"),
            func.max(c.c.undone_at).label("undone_at"),
            func.max(c.c.id).label("last"),
        )
        .group_by(c.c.batch_id)
        .order_by(func.max(c.c.id).desc())
        .limit(limit)
    )
    if not undone:
        q = q.where(c.c.undone_at.is_(None))
    return [dict(r._mapping) for r in conn.execute(q)]


def touched_subjects(conn: Connection, batch_id: str) -> list[tuple[str, int]]:
    """Searchable records a batch touched, directly or through their details."""
    rows = conn.execute(
        select(
            s.changes.c.table_name, s.changes.c.row_key, s.changes.c.before, s.changes.c.after
        ).where(s.changes.c.batch_id == batch_id)
    ).all()
    out: list[tuple[str, int]] = []
    for r in rows:
        if r.table_name in SEARCH_KINDS:
            out.append((SEARCH_KINDS[r.table_name], r.row_key["id"]))
        else:
            row = r.after or r.before or {}
            if "person_id" in row:
                out.append(("person", row["person_id"]))
    return out
