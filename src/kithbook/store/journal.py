"""Journaled writes: every user-visible change records its inverse in `changes`, so a
whole batch (an import, a merge, an archive) can be undone, and the audit trail can say
what changed. Bulk loaders that start from an empty database may skip the journal.

Most entries are about one row. Rows inserted together, or changed alike, share one
keyed entry (store/keyed_changes.py): an import of 180,000 ties is one entry, and its
undo a few range deletes (docs/scaling.md, "The journal")."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, delete, insert, select, tuple_, update

from kithbook.errors import Conflict, NotFound
from kithbook.store import schema as s
from kithbook.store.journal_values import from_json as _from_json
from kithbook.store.journal_values import jsonable as _jsonable
from kithbook.store.journal_values import row_dict as _row_dict
from kithbook.store.journal_values import still_holds
from kithbook.store.keyed_changes import (
    KEYED,
    entry_keys,
    joins_updates,
    keyed_entries,
    single_id,
    undo_keyed,
    undo_keyed_updates,
    write_changes,
)
from kithbook.store.keys import inserted_key


def _pk(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    return {c.name: _jsonable(values[c.name]) for c in table.primary_key.columns}


def _where(table: Table, key: dict[str, Any]) -> Any:
    return and_(*(table.c[k] == v for k, v in _from_json(table, key).items()))


def _distinct_stretches(entries: Sequence[tuple[dict[str, Any], str, Any, Any]]
                        ) -> Iterator[list[tuple[dict[str, Any], str, Any, Any]]]:
    """Consecutive entries, cut wherever a row comes up again."""
    stretch: list[tuple[dict[str, Any], str, Any, Any]] = []
    seen: set[str] = set()
    for entry in entries:
        key = json.dumps(entry[0], sort_keys=True, default=str)
        if key in seen:
            yield stretch
            stretch, seen = [], set()
        stretch.append(entry)
        seen.add(key)
    if stretch:
        yield stretch


class Journal:
    """Writes through one connection inside one transaction, journaling each change.

    Two times: `now` is the caller's clock, which the records take (their created and
    closed dates); it may be set back (`--as-of`, the demo's backdated history).
    `logged_at` is when the change is really written, which the audit trail shows, so
    `kithbook history` says when a change was made, not which day it pretends to be."""

    def __init__(
        self,
        conn: Connection,
        *,
        batch_id: str,
        action: str,
        now: datetime,
        actor: str = "me",
        record: bool = True,
        logged_at: datetime | None = None,
    ) -> None:
        self.conn = conn
        self.batch_id = batch_id
        self.action = action
        self.now = now
        self.actor = actor
        self.record = record
        self.logged_at = logged_at or now
        self.count = 0

    def _log(self, table: Table, key: dict[str, Any], op: str, before: Any, after: Any) -> None:
        self.count += 1
        if not self.record:
            return
        self.conn.execute(
            insert(s.changes).values(
                batch_id=self.batch_id,
                at=self.logged_at,
                actor=self.actor,
                action=self.action,
                table_name=table.name,
                row_key=key,
                op=op,
                before=before,
                after=after,
            )
        )

    def insert(self, table: Table, values: dict[str, Any]) -> int | None:
        result = self.conn.execute(insert(table).values(**values))
        full = dict(values)
        pk_cols = list(table.primary_key.columns)
        if len(pk_cols) == 1 and pk_cols[0].name not in full:
            full[pk_cols[0].name] = inserted_key(result)
        key = _pk(table, full)
        self._log(table, key, "insert", None, {k: _jsonable(v) for k, v in full.items()})
        return full.get("id")

    def inserted(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Journal rows the caller has inserted in bulk, each with its key columns. Rows
        with one integer `id` get keyed entries (one for the lot, see the module); others
        one change per row, written many per statement. Undo deletes them by key."""
        if single_id(table):
            self.log_keys(table, "insert", [r["id"] for r in rows])
            return
        self.count += len(rows)
        if not self.record or not rows:
            return
        pk = [c.name for c in table.primary_key.columns]
        base = {"batch_id": self.batch_id, "at": self.logged_at, "actor": self.actor,
                "action": self.action, "table_name": table.name, "op": "insert",
                "before": None}
        entries = []
        for r in rows:
            key = {k: _jsonable(r[k]) for k in pk}
            entries.append({**base, "row_key": key, "after": key})
        write_changes(self.conn, entries)

    def log_keys(self, table: Table, op: str, keys: Sequence[int], *,
                 column: str = "id", fixed: dict[str, Any] | None = None,
                 before: dict[str, Any] | None = None,
                 after: dict[str, Any] | None = None) -> None:
        """Journal one change made alike to many rows, as keyed entries: the rows whose
        `column` is one of `keys` (and other key columns `fixed`) were inserted, updated
        from `before` to `after`, or deleted holding `before` in their other columns
        (JSON-ready values)."""
        self.count += len(keys)
        if not self.record or not keys:
            return
        base = {"batch_id": self.batch_id, "at": self.logged_at, "actor": self.actor,
                "action": self.action, "table_name": table.name}
        write_changes(self.conn, keyed_entries(base, op, keys, before, after,
                                               column=column, fixed=fixed))

    def log_many(self, table: Table, entries: Sequence[tuple[dict[str, Any], str, Any, Any]]
                 ) -> None:
        """Journal changes the caller has made in bulk, in the order made: (row key, op,
        before, after) each, JSON-ready. Undo reverses them newest first, as if each had
        gone through insert/update/delete.

        Rows by `id` inserted or updated with the very same values share one keyed
        entry (a merge's ties moved from one duplicate to its keeper, a bulk edit's
        people whose tier was B): the entries are grouped within each stretch of
        distinct rows, where their order cannot matter to an undo."""
        self.count += len(entries)
        if not self.record or not entries:
            return
        base = {"batch_id": self.batch_id, "at": self.logged_at, "actor": self.actor,
                "action": self.action, "table_name": table.name}
        rows: list[dict[str, Any]] = []
        for stretch in _distinct_stretches(entries):
            alike: dict[tuple[str, str, str], list[tuple[int, Any, Any]]] = {}
            for key, op, before, after in stretch:
                rid = key.get("id") if len(key) == 1 else None
                if op == "delete" or not isinstance(rid, int):
                    rows.append({**base, "row_key": key, "op": op, "before": before,
                                 "after": after})
                    continue
                shape = (op, json.dumps(before, sort_keys=True, default=str),
                         json.dumps(after, sort_keys=True, default=str))
                alike.setdefault(shape, []).append((rid, before, after))
            for (op, _b, _a), group in alike.items():
                if len(group) == 1:
                    rid, before, after = group[0]
                    rows.append({**base, "row_key": {"id": rid}, "op": op, "before": before,
                                 "after": after})
                else:
                    rows += keyed_entries(base, op, [g[0] for g in group], group[0][1],
                                          group[0][2])
        write_changes(self.conn, rows)

    def update(self, table: Table, key: dict[str, Any] | int, values: dict[str, Any]) -> None:
        if isinstance(key, int):
            key = {"id": key}
        row = self.conn.execute(select(table).where(_where(table, key))).first()
        if row is None:
            raise NotFound(f"{table.name} row {key} vanished during the update.")
        before = _row_dict(row)
        changed = {k: v for k, v in values.items() if _jsonable(v) != before.get(k)}
        if not changed:
            return
        self.conn.execute(update(table).where(_where(table, key)).values(**changed))
        self._log(
            table,
            key,
            "update",
            {k: before.get(k) for k in changed},
            {k: _jsonable(v) for k, v in changed.items()},
        )

    def delete(self, table: Table, key: dict[str, Any] | int) -> None:
        if isinstance(key, int):
            key = {"id": key}
        row = self.conn.execute(select(table).where(_where(table, key))).first()
        if row is None:
            return
        self.conn.execute(delete(table).where(_where(table, key)))
        self._log(table, key, "delete", _row_dict(row), None)


def undo_batch(conn: Connection, batch_id: str, now: datetime) -> int:
    """Reverse a batch, newest change first. Refuses if a row changed since.

    Consecutive changes of one kind to distinct rows of one table are reversed together
    (a bulk edit of 10,000 people is undone in a few dozen statements, not 10,000
    round trips); the order between runs, and so the meaning, is the row-by-row one."""
    rows = conn.execute(
        select(s.changes)
        .where(s.changes.c.batch_id == batch_id, s.changes.c.undone_at.is_(None))
        .order_by(s.changes.c.id.desc())
    ).all()
    if not rows:
        raise NotFound(f"nothing to undo in batch {batch_id}.")
    from kithbook.store.graph_log import suspended_for

    tables = s.metadata.tables
    graph_rows = sum(r.row_count for r in rows if r.table_name in _GRAPH_TABLES)
    with suspended_for(conn, graph_rows):  # undoing a bulk load: rebuild, not replay
        for run in _runs(rows):
            table = tables[run[0].table_name]
            op = run[0].op
            if op in KEYED and len(run) > 1:
                undo_keyed_updates(conn, table, run)
            elif op in KEYED:
                undo_keyed(conn, table, run[0])
            elif op == "insert":
                conn.execute(delete(table).where(_where_any(table, [ch.row_key for ch in run])))
            elif op == "delete":
                conn.execute(insert(table), [_from_json(table, ch.before) for ch in run])
            else:
                _undo_updates(conn, table, run)
    conn.execute(update(s.changes).where(s.changes.c.batch_id == batch_id).values(undone_at=now))
    return sum(r.row_count for r in rows)


_RUN = 500
_KEYED_RUN = 10_000  # rows of update_keys entries put back together
# the tables whose rows the graph's change log follows (store/graph_log.py)
_GRAPH_TABLES = frozenset({"people", "ties", "interactions", "interaction_participants"})


def _runs(rows: Sequence[Any]) -> Iterator[list[Any]]:
    """Consecutive changes that can be reversed by one statement: same table, same
    operation, same key columns (and, for deleted rows, the same columns), each row at
    most once."""
    run: list[Any] = []
    seen: set[str] = set()
    shape: tuple[Any, ...] = ()
    keyed: list[Any] = []  # update_keys entries by id that share their columns
    keyed_rows: set[int] = set()
    for ch in rows:
        joins = joins_updates(ch)
        if keyed and (joins != joins_updates(keyed[0]) or len(keyed_rows) >= _KEYED_RUN
                      or not keyed_rows.isdisjoint(entry_keys(ch.op, ch.row_key))):
            yield keyed
            keyed, keyed_rows = [], set()
        if joins is not None:
            if run:
                yield run
                run, seen, shape = [], set(), ()
            keyed.append(ch)
            keyed_rows.update(entry_keys(ch.op, ch.row_key))
            continue
        if ch.op in KEYED:  # a run of its own
            if run:
                yield run
            yield [ch]
            run, seen, shape = [], set(), ()
            continue
        key = json.dumps(ch.row_key, sort_keys=True, default=str)
        this = (ch.table_name, ch.op, tuple(sorted(ch.row_key)),
                tuple(sorted(ch.before or ())) if ch.op == "delete" else ())
        if run and (this != shape or key in seen or len(run) >= _RUN):
            yield run
            run, seen = [], set()
        run.append(ch)
        seen.add(key)
        shape = this
    if run:
        yield run
    if keyed:
        yield keyed


def _where_any(table: Table, keys: list[dict[str, Any]]) -> Any:
    """Rows whose key is any of `keys` (all with the same columns)."""
    cols = sorted(keys[0])
    values = [_from_json(table, k) for k in keys]
    if len(cols) == 1:
        return table.c[cols[0]].in_([v[cols[0]] for v in values])
    return tuple_(*(table.c[c] for c in cols)).in_([tuple(v[c] for c in cols) for v in values])


def _undo_updates(conn: Connection, table: Table, run: list[Any]) -> None:
    cols = sorted(run[0].row_key)
    current = {
        tuple(d[c] for c in cols): d
        for d in (_row_dict(r) for r in conn.execute(
            select(table).where(_where_any(table, [ch.row_key for ch in run]))))
    }
    same_before: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for ch in run:
        now_vals = current.get(tuple(ch.row_key[c] for c in cols))
        if now_vals is None:
            raise Conflict(
                f"cannot undo: a {table.name} row was removed since.",
                hint="Undo the later changes first.",
            )
        for k, v in (ch.after or {}).items():
            if not still_holds(now_vals.get(k), v):
                raise Conflict(
                    f"cannot undo: {table.name}.{k} was changed again since.",
                    hint="Undo the later changes first.",
                )
        group = json.dumps(ch.before, sort_keys=True, default=str)
        same_before.setdefault(group, (ch.before, []))[1].append(ch.row_key)
    # rows that shared their old values: one statement each group; rows with values of
    # their own (a merge's moved ties): one executemany per set of columns
    alone: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for before, keys in same_before.values():
        if len(keys) == 1 and len(cols) == 1:
            values = _from_json(table, before)
            alone.setdefault(tuple(sorted(values)), []).append(
                {"_k": _from_json(table, keys[0])[cols[0]],
                 **{"_" + c: v for c, v in values.items()}})
            continue
        conn.execute(update(table).where(_where_any(table, keys))
                     .values(**_from_json(table, before)))
    for names, params in alone.items():
        conn.execute(update(table).where(table.c[cols[0]] == bindparam("_k"))
                     .values({c: bindparam("_" + c) for c in names}), params)
