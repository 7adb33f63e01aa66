"""Reading the change journal: recent batches, and what a batch touched."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from kithbook.store import schema as s
from kithbook.store.key_lists import one_of, parts
from kithbook.store.keyed_changes import KEYED, entry_keys, fixed_columns, keyed_column

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
            func.sum(c.c.row_count).label("changes"),  # rows, not entries
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
    """Searchable records a batch touched, directly or through their details. Asked
    before the undo: a keyed entry's rows are looked up while they are still there."""
    rows = conn.execute(
        select(
            s.changes.c.table_name, s.changes.c.op, s.changes.c.row_key, s.changes.c.before,
            s.changes.c.after
        ).where(s.changes.c.batch_id == batch_id)
    ).all()
    out: list[tuple[str, int]] = []
    for r in rows:
        if r.table_name == "people" and r.op in ("update", "update_keys") and not (
                set(r.after or {}) | set(r.before or {})) & SEARCHED_PEOPLE_COLUMNS:
            continue  # a bulk change of tier or archive does not touch the text
        if r.table_name in SEARCH_KINDS:
            out += [(SEARCH_KINDS[r.table_name], k) for k in entry_keys(r.op, r.row_key)]
            continue
        row = r.after or r.before or {}
        if r.op in KEYED:
            col, fixed = keyed_column(r.row_key), fixed_columns(r.row_key)
            keys = entry_keys(r.op, r.row_key)
            if col == "id" and not _subject_of(r.table_name, {**fixed, **row}):
                out += _subjects_of_rows(conn, r.table_name, keys)
            else:  # the subject is in the key (a tag put on many people)
                for k in keys:
                    out += _subject_of(r.table_name, {**row, **fixed, col: k})
            continue
        out += _subject_of(r.table_name, row)
    return out


def _subject_of(table_name: str, row: dict[str, Any]) -> list[tuple[str, int]]:
    if table_name == "taggings" and row.get("subject_kind") in TAGGED_KINDS \
            and row.get("subject_id") is not None:
        # tags are part of their subject's search text
        return [(TAGGED_KINDS[row["subject_kind"]], int(row["subject_id"]))]
    if row.get("person_id") is not None:
        return [("person", int(row["person_id"]))]
    return []


def _subjects_of_rows(conn: Connection, table_name: str, keys: list[int]
                      ) -> list[tuple[str, int]]:
    """The searchable records whose text holds these rows of a detail table."""
    table = s.metadata.tables[table_name]
    cols = [c for c in ("person_id", "subject_kind", "subject_id") if c in table.c]
    if not cols:
        return []
    out: list[tuple[str, int]] = []
    for part in parts(conn, keys):
        for r in conn.execute(select(*(table.c[c] for c in cols)).distinct()
                              .where(one_of(conn, table.c.id, part))):
            out += _subject_of(table_name, dict(r._mapping))
    return out
