"""Bulk edit of people (docs/bulk-edit.md): select keys by a filter or a search, then
change them set-wise inside the caller's journaled transaction. Changed rows are
journaled through `Journal.log_many` (people changed from the same values share one
keyed entry), so `undo` reverses the whole edit as one batch; the statements are issued
in chunks (executemany), not one round trip per person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from kithbook.domain.text import fold
from kithbook.store import schema as s
from kithbook.store.journal import Journal
from kithbook.store.journal_values import jsonable as _jsonable
from kithbook.store.key_lists import one_of, parts
from kithbook.store.tags import tag_key


def select_keys(
    conn: Connection,
    *,
    search: str | None = None,
    tag: str | None = None,
    tier: str | None = None,
    stage: str | None = None,
    org_key: int | None = None,
    touched_before: datetime | None = None,
    public_ids: Sequence[str] = (),
) -> list[int]:
    """Live, unarchived people (never me) matching every criterion given."""
    p = s.people
    conds: list[Any] = [p.c.deleted_at.is_(None), p.c.archived_at.is_(None),
                        p.c.is_me.isnot(True)]
    if search:
        from kithbook.store.search import matching_keys

        keys = matching_keys(conn, search, "person")
        conds.append(p.c.id.in_(keys) if keys is not None else p.c.id.is_(None))
    if tier:
        conds.append(p.c.tier == tier.upper())
    if stage:
        conds.append(p.c.stage == stage)
    if touched_before is not None:
        conds.append(or_(p.c.last_touch_at.is_(None), p.c.last_touch_at < touched_before))
    if tag:
        conds.append(p.c.id.in_(
            select(s.taggings.c.subject_id).join(s.tags, s.tags.c.id == s.taggings.c.tag_id)
            .where(s.taggings.c.subject_kind == "person", s.tags.c.name == fold(tag))))
    if org_key is not None:
        conds.append(p.c.id.in_(select(s.roles.c.person_id).where(s.roles.c.org_id == org_key)))
    if public_ids:
        conds.append(p.c.public_id.in_(list(public_ids)))
    return list(conn.execute(select(p.c.id).where(and_(*conds)).order_by(p.c.name_folded,
                                                                          p.c.id)).scalars())


def sample_names(conn: Connection, keys: Sequence[int], limit: int = 20) -> list[tuple[str, str]]:
    """(public id, name) of the first `limit` keys, in the keys' order."""
    head = list(keys[:limit])
    rows = {r.id: (r.public_id, r.name) for r in conn.execute(
        select(s.people.c.id, s.people.c.public_id, s.people.c.name)
        .where(s.people.c.id.in_(head)))}
    return [rows[k] for k in head if k in rows]


def set_people(j: Journal, keys: Sequence[int], values: dict[str, Any]) -> int:
    """Set columns on many people; rows already so are left alone. Returns rows changed."""
    p = s.people
    cols = [p.c[name] for name in values]
    changed_total = 0
    # journaled once at the end: people who had the same old values share an entry
    entries: list[tuple[dict[str, Any], str, Any, Any]] = []
    for chunk in parts(j.conn, keys):
        ids: list[int] = []
        for row in j.conn.execute(select(p.c.id, *cols).where(one_of(j.conn, p.c.id, chunk))):
            before = {name: _jsonable(row._mapping[name]) for name in values}
            changed = {k: v for k, v in values.items() if _jsonable(v) != before[k]}
            if not changed:
                continue
            ids.append(row.id)
            entries.append(({"id": row.id}, "update", {k: before[k] for k in changed},
                            {k: _jsonable(v) for k, v in changed.items()}))
        if ids:
            # rows whose every value differs share one statement (the common case)
            j.conn.execute(update(p).where(one_of(j.conn, p.c.id, ids)).values(**values))
            changed_total += len(ids)
    j.log_many(p, entries)
    return changed_total


def tag_people(j: Journal, keys: Sequence[int], name: str) -> int:
    tkey = tag_key(j, name)
    t = s.taggings
    added: list[int] = []
    # each slice is read before the slice's own rows go in, by the key (a list of 500 as a
    # filter over every row the tag already had was 40 ms a slice on PostgreSQL, whose
    # statistics still saw the table as it was before the edit)
    for chunk in parts(j.conn, keys):
        have = set(j.conn.execute(select(t.c.subject_id).where(
            t.c.tag_id == tkey, t.c.subject_kind == "person",
            one_of(j.conn, t.c.subject_id, chunk)
        )).scalars())
        fresh = [k for k in chunk if k not in have]
        if fresh:
            j.conn.execute(insert(t), [{"tag_id": tkey, "subject_kind": "person",
                                        "subject_id": k} for k in fresh])
            added += fresh
    # one keyed entry for every tagging the edit added
    j.log_keys(t, "insert", added, column="subject_id",
               fixed={"tag_id": tkey, "subject_kind": "person"})
    return len(added)


def untag_people(j: Journal, keys: Sequence[int], name: str) -> int:
    t = s.taggings
    tkey = j.conn.execute(select(s.tags.c.id).where(s.tags.c.name == fold(name))).scalar()
    if tkey is None:
        return 0
    removed: list[int] = []
    for chunk in parts(j.conn, keys):
        where = and_(t.c.tag_id == tkey, t.c.subject_kind == "person",
                     one_of(j.conn, t.c.subject_id, chunk))
        gone = list(j.conn.execute(select(t.c.subject_id).where(where)).scalars())
        if gone:
            j.conn.execute(delete(t).where(where))
            removed += gone
    # a tagging is all key: the undo needs nothing more than the keys
    j.log_keys(t, "delete", removed, column="subject_id",
               fixed={"tag_id": tkey, "subject_kind": "person"}, before={})
    return len(removed)
