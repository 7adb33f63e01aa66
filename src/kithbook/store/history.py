"""Reading the change journal: recent batches, and what a batch touched."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from kithbook.store import schema as s

SEARCH_KINDS = {"people": "person", "orgs": "org", "interactions": "interaction", "notes": "note"}
# A tagging's subject kind -> the search kind whose text holds its tags
TAGGED_KINDS = {"person": "person", "org": "org", "interaction": "interaction"}
# The columns of a person that are part of their search text (store/search._person_text);
# a change to any other (tier, stage, cadence, archive, snooze...) leaves it as it is
SEARCHED_PEOPLE_COLUMNS = frozenset({"name", "name_folded", "nickname", "how_met",
                                     "linkedin_url", "deleted_at"})


def recent_batches(
    conn: Connection, *, limit: int = 20, undone: bool = False
) -> list[dict[str, Any]]:
    c = s.changes
    q = (
        select(
            c.c.batch_id,
            func.min(c.c.action).label("action"),
            # when the batch was written: its last commit (a grouped batch, such as
            # the demo, commits in several steps); the journal's `at` is the real
            # time of each write, never the backdated one its records carry
            func.max(c.c.at).label("at"),
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
            s.changes.c.table_name, s.changes.c.op, s.changes.c.row_key, s.changes.c.before,
            s.changes.c.after
        ).where(s.changes.c.batch_id == batch_id)
    ).all()
    out: list[tuple[str, int]] = []
    for r in rows:
        if r.table_name in SEARCH_KINDS:
            if r.table_name == "people" and r.op == "update" and not (
                    set(r.after or {}) | set(r.before or {})) & SEARCHED_PEOPLE_COLUMNS:
                continue  # a bulk change of tier or archive does not touch the text
            out.append((SEARCH_KINDS[r.table_name], r.row_key["id"]))
            continue
        row = r.after or r.before or {}
        if r.table_name == "taggings" and row.get("subject_kind") in TAGGED_KINDS:
            # tags are part of their subject's search text
            out.append((TAGGED_KINDS[row["subject_kind"]], int(row["subject_id"])))
        elif "person_id" in row:
            out.append(("person", row["person_id"]))
    return out
