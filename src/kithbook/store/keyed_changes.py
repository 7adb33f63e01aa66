"""Keyed journal entries: one row of `changes` for many rows changed alike.

An entry's `row_key` holds the row's key columns. In a keyed entry one of them, the
keyed column, holds runs of integer keys (store/key_runs.py) and the others one value
each, shared by every row: `{"id": [[1001, 184831]]}` for the ties an import added,
`{"tag_id": 7, "subject_kind": "person", "subject_id": [[3, 9], [12, 12]]}` for a tag
put on people. The operations:

- `insert_keys`: rows inserted; undo deletes them (ranges, not row by row);
- `update_keys`: rows updated from the same `before` values to the same `after`; undo
  checks each row still holds `after`, then puts `before` back;
- `delete_keys`: rows deleted whose other columns were all `before`; undo inserts them.

`row_count` says how many rows an entry covers: the audit trail counts rows. An entry
holds at most MOST_RUNS runs, so it stays a few KB when the keys are scattered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    or_,
    select,
    update,
)

from kithbook.errors import Conflict
from kithbook.store import key_runs
from kithbook.store import schema as s
from kithbook.store.journal_values import from_json, jsonable, still_holds
from kithbook.store.key_lists import one_of, parts
from kithbook.store.pg_copy import insert_rows

KEYED = frozenset({"insert_keys", "update_keys", "delete_keys"})
MOST_RUNS = 2000


def single_id(table: Table) -> bool:
    pk = list(table.primary_key.columns)
    return len(pk) == 1 and pk[0].name == "id"


def keyed_entries(base: dict[str, Any], op: str, keys: Sequence[int],
                  before: dict[str, Any] | None, after: dict[str, Any] | None, *,
                  column: str = "id", fixed: dict[str, Any] | None = None
                  ) -> list[dict[str, Any]]:
    """The journal rows for one change (`insert`, `update`, `delete`) made alike to the
    rows whose `column` is one of `keys` and whose other key columns are `fixed`."""
    return [{**base, "op": op + "_keys", "row_key": {**(fixed or {}), column: runs},
             "before": before, "after": after, "row_count": key_runs.size(runs)}
            for runs in key_runs.split(key_runs.runs_of(keys), MOST_RUNS)]


def inserted_entries(base: dict[str, Any], table: Table, rows: Sequence[dict[str, Any]]
                     ) -> list[dict[str, Any]] | None:
    """Keyed `insert_keys` entries for rows of a table whose key is several columns (a
    tag on people, the people of interactions), or None when no two rows share the
    other key columns. The keyed column is the integer key column that leaves the
    fewest groups: the taggings of one import share their tag, the participants of an
    archive's conversations share their person."""
    names = [c.name for c in table.primary_key.columns]
    best: tuple[str, list[str], dict[tuple[Any, ...], list[int]]] | None = None
    for col in names:
        if not isinstance(table.c[col].type, Integer):
            continue
        others = [n for n in names if n != col]
        groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        for r in rows:
            groups[tuple(r[n] for n in others)].append(r[col])
        if best is None or len(groups) < len(best[2]):
            best = (col, others, groups)
    if best is None or len(best[2]) == len(rows):
        return None
    col, others, groups = best
    return [entry for shared, keys in groups.items()
            for entry in keyed_entries(base, "insert", keys, None, None, column=col,
                                       fixed={n: jsonable(v)
                                              for n, v in zip(others, shared, strict=True)})]


def keyed_column(row_key: dict[str, Any]) -> str:
    return next(k for k, v in row_key.items() if isinstance(v, list))


def fixed_columns(row_key: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row_key.items() if not isinstance(v, list)}


def entry_keys(op: str, row_key: dict[str, Any]) -> list[int]:
    """The keys a keyed entry covers (of its keyed column); for any other entry, its
    own `id` if it has one."""
    if op in KEYED:
        return list(key_runs.keys_of(row_key[keyed_column(row_key)]))
    rid = row_key.get("id")
    return [int(rid)] if isinstance(rid, int) else []


def inserted_keys(conn: Connection, batch_id: str, table_name: str) -> list[int]:
    """The `id`s of the rows of a table that a batch (not undone) inserted."""
    ch = s.changes
    out: list[int] = []
    for r in conn.execute(select(ch.c.op, ch.c.row_key).where(
            ch.c.batch_id == batch_id, ch.c.table_name == table_name,
            ch.c.op.in_(("insert", "insert_keys")), ch.c.undone_at.is_(None))):
        out += entry_keys(r.op, r.row_key)
    return out


def write_changes(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Journal rows, many per statement (COPY on PostgreSQL)."""
    if not rows:
        return
    insert_rows(conn, s.changes, [r if "row_count" in r else {**r, "row_count": 1}
                                  for r in rows])


# -- undo ------------------------------------------------------------------------------------


def undo_keyed(conn: Connection, table: Table, ch: Any) -> None:
    """Reverse one keyed entry."""
    if ch.op == "insert_keys":
        _delete(conn, table, ch.row_key)
    elif ch.op == "delete_keys":
        col, fixed = keyed_column(ch.row_key), fixed_columns(ch.row_key)
        keys = entry_keys(ch.op, ch.row_key)
        shared = from_json(table, {**fixed, **(ch.before or {})})
        for start in range(0, len(keys), 5000):
            conn.execute(insert(table), [{**shared, col: k}
                                         for k in keys[start:start + 5000]])
    else:
        _undo_update(conn, table, ch)


def joins_updates(entry: Any) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """What an `update_keys` entry by `id` alone must share with its neighbours to be
    put back with them by `undo_keyed_updates`: its table and the columns it changed
    (None for any other entry)."""
    if entry.op != "update_keys" or list(entry.row_key) != ["id"]:
        return None
    return (entry.table_name, tuple(sorted(entry.before or ())),
            tuple(sorted(entry.after or ())))


def undo_keyed_updates(conn: Connection, table: Table, entries: Sequence[Any]) -> None:
    """Reverse several `update_keys` entries by `id` that changed the same columns of
    distinct rows, each from values of its own (a merge's ties, moved from each
    duplicate to its keeper): one check of every row, then one executemany, where each
    entry alone took two statements (a merge of 2,000 pairs: about 1,000 entries)."""
    names = sorted(entries[0].after or {})
    expected: dict[int, dict[str, Any]] = {}
    before: dict[int, dict[str, Any]] = {}
    for ch in entries:
        old = from_json(table, ch.before or {})
        for key in entry_keys(ch.op, ch.row_key):
            expected[key], before[key] = ch.after or {}, old
    col = table.c.id
    for part in parts(conn, sorted(expected)):
        found = {r[0]: r for r in conn.execute(
            select(col, *(table.c[n] for n in names)).where(one_of(conn, col, part)))}
        _check_unchanged(table, names, part, found, expected)
    olds = sorted(next(iter(before.values())))
    conn.execute(update(table).where(col == bindparam("_k"))
                 .values({n: bindparam("_" + n) for n in olds}),
                 [{"_k": key, **{"_" + n: values[n] for n in olds}}
                  for key, values in before.items()])


def _fixed_where(table: Table, row_key: dict[str, Any]) -> list[Any]:
    return [table.c[k] == v for k, v in from_json(table, fixed_columns(row_key)).items()]


def _delete(conn: Connection, table: Table, row_key: dict[str, Any]) -> None:
    """Runs of two keys or more go as ranges (an import's 180,000 keys are one
    statement), lone keys as lists."""
    col = table.c[keyed_column(row_key)]
    runs = row_key[col.name]
    fixed = _fixed_where(table, row_key)
    ranges = [(a, b) for a, b in runs if b > a]
    lone = [a for a, b in runs if b == a]
    for start in range(0, len(ranges), 100):
        conn.execute(delete(table).where(and_(*fixed, or_(
            *(col.between(a, b) for a, b in ranges[start:start + 100])))))
    for part in parts(conn, lone):
        conn.execute(delete(table).where(and_(*fixed, one_of(conn, col, part))))


def _undo_update(conn: Connection, table: Table, ch: Any) -> None:
    after = ch.after or {}
    names = sorted(after)
    col = table.c[keyed_column(ch.row_key)]
    fixed = _fixed_where(table, ch.row_key)
    keys = entry_keys(ch.op, ch.row_key)
    before = from_json(table, ch.before or {})
    for part in parts(conn, keys):
        where = and_(*fixed, one_of(conn, col, part))
        found = {r[0]: r for r in conn.execute(
            select(col, *(table.c[n] for n in names)).where(where))}
        _check_unchanged(table, names, part, found, dict.fromkeys(part, after))
        conn.execute(update(table).where(where).values(**before))


def _check_unchanged(table: Table, names: Sequence[str], keys: Sequence[int],
                     found: dict[int, Any], after: dict[int, dict[str, Any]]) -> None:
    """Refuse the undo unless every row is still there holding the values the entry
    left in it (the Conflict rolls the whole undo back)."""
    for key in keys:
        row = found.get(key)
        if row is None:
            raise Conflict(f"cannot undo: a {table.name} row was removed since.",
                           hint="Undo the later changes first.")
        for n in names:
            if not still_holds(jsonable(row._mapping[n]), after[key][n]):
                raise Conflict(f"cannot undo: {table.name}.{n} was changed again since.",
                               hint="Undo the later changes first.")
