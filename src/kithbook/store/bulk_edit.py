"""Bulk edit of people (docs/bulk-edit.md): select keys by a filter or a search, then
change them set-wise inside the caller's journaled transaction. Each changed row is
journaled exactly as `Journal.update` / `Journal.insert` / `Journal.delete` would
journal it, so `undo` reverses the whole edit as one batch; the statements are issued
in chunks (executemany), not one round trip per person."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from kithbook.domain.text import fold
from kithbook.store import schema as s
from kithbook.store.journal import Journal, _jsonable
from kithbook.store.tags import tag_key

CHUNK = 500


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


def _log_many(j: Journal, table: Any, entries: list[tuple[dict[str, Any], str, Any, Any]]
              ) -> None:
    j.count += len(entries)
    if not j.record or not entries:
        return
    j.conn.execute(insert(s.changes), [
        {"batch_id": j.batch_id, "at": j.logged_at, "actor": j.actor, "action": j.action,
         "table_name": table.name, "row_key": key, "op": op, "before": before, "after": after}
        for key, op, before, after in entries])


def set_people(j: Journal, keys: Sequence[int], values: dict[str, Any]) -> int:
    """Set columns on many people; rows already so are left alone. Returns rows changed."""
    p = s.people
    cols = [p.c[name] for name in values]
    changed_total = 0
    for start in range(0, len(keys), CHUNK):
        chunk = list(keys[start:start + CHUNK])
        entries: list[tuple[dict[str, Any], str, Any, Any]] = []
        ids: list[int] = []
        for row in j.conn.execute(select(p.c.id, *cols).where(p.c.id.in_(chunk))):
            before = {name: _jsonable(row._mapping[name]) for name in values}
            changed = {k: v for k, v in values.items() if _jsonable(v) != before[k]}
            if not changed:
                continue
            ids.append(row.id)
            entries.append(({"id": row.id}, "update", {k: before[k] for k in changed},
                            {k: _jsonable(v) for k, v in changed.items()}))
        if ids:
            # rows whose every value differs share one statement (the common case)
            j.conn.execute(update(p).where(p.c.id.in_(ids)).values(**values))
            _log_many(j, p, entries)
            changed_total += len(ids)
    return changed_total


def tag_people(j: Journal, keys: Sequence[int], name: str) -> int:
    tkey = tag_key(j, name)
    t = s.taggings
    added = 0
    for start in range(0, len(keys), CHUNK):
        chunk = list(keys[start:start + CHUNK])
        have = set(j.conn.execute(select(t.c.subject_id).where(
            t.c.tag_id == tkey, t.c.subject_kind == "person", t.c.subject_id.in_(chunk)
        )).scalars())
        rows = [{"tag_id": tkey, "subject_kind": "person", "subject_id": k}
                for k in chunk if k not in have]
        if rows:
            j.conn.execute(insert(t), rows)
            _log_many(j, t, [(dict(r), "insert", None, dict(r)) for r in rows])
            added += len(rows)
    return added


def untag_people(j: Journal, keys: Sequence[int], name: str) -> int:
    t = s.taggings
    tkey = j.conn.execute(select(s.tags.c.id).where(s.tags.c.name == fold(name))).scalar()
    if tkey is None:
        return 0
    removed = 0
    for start in range(0, len(keys), CHUNK):
        chunk = list(keys[start:start + CHUNK])
        where = and_(t.c.tag_id == tkey, t.c.subject_kind == "person", t.c.subject_id.in_(chunk))
        rows = [dict(r._mapping) for r in j.conn.execute(select(t).where(where))]
        if rows:
            j.conn.execute(delete(t).where(where))
            _log_many(j, t, [({"tag_id": r["tag_id"], "subject_kind": r["subject_kind"],
                               "subject_id": r["subject_id"]}, "delete",
                              {k: _jsonable(v) for k, v in r.items()}, None) for r in rows])
            removed += len(rows)
    return removed
