"""What an erasure would remove, read before it runs (docs/personal-data.md): the rows
table by table with their keys shown as public ids, the shared interactions that stay
without the person, the free text elsewhere that names them, and how many journal
entries would be dropped or rewritten. `kithbook export person` and the erase preview
show these; `store/erase.py` plans the scope they read.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select, tuple_

from kithbook.store import personal_data as pd
from kithbook.store import schema as s
from kithbook.store.erase import Scope, chunks, mark_pattern, scrub_journal
from kithbook.store.rows import utc


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (utc(value) or value).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _public_ids(conn: Connection, table: str, keys: set[int]) -> dict[int, str]:
    """Keys shown as public ids, or as names where a table has none (tags)."""
    t = s.metadata.tables[table]
    label = t.c.public_id if "public_id" in t.c else t.c.get("name")
    if label is None or not keys or "id" not in t.c:
        return {}
    out: dict[int, str] = {}
    for chunk in chunks(sorted(keys)):
        out.update((r[0], r[1]) for r in conn.execute(
            select(t.c.id, label).where(t.c.id.in_(chunk))))
    return out


def rows_of(conn: Connection, scope: Scope) -> dict[str, list[dict[str, Any]]]:
    """Every row the erasure would remove, table by table, with keys shown as public ids."""
    tables = s.metadata.tables
    out: dict[str, list[dict[str, Any]]] = {}
    for table in s.metadata.sorted_tables:
        keys = scope.rows.get(table.name)
        if not keys:
            continue
        pk = list(table.primary_key.columns)
        raw: list[dict[str, Any]] = []
        for chunk in chunks(sorted(keys, key=repr)):
            where = pk[0].in_([k[0] for k in chunk]) if len(pk) == 1 else tuple_(*pk).in_(chunk)
            raw += [dict(r._mapping) for r in conn.execute(select(table).where(where))]
        fks = {col.name: next(iter(col.foreign_keys)).column.table.name
               for col in table.columns if col.foreign_keys}
        subject = next((sc for sc in pd.subject_columns() if sc.table == table.name), None)
        wanted: dict[str, set[int]] = defaultdict(set)
        for row in raw:
            for col, target in fks.items():
                if row.get(col) is not None:
                    wanted[target].add(row[col])
            if subject and row.get(subject.kind_column) in pd.SUBJECT_KINDS:
                wanted[pd.SUBJECT_KINDS[row[subject.kind_column]]].add(row[subject.id_column])
        names = {t: _public_ids(conn, t, ks) for t, ks in wanted.items() if t in tables}
        rows = []
        for row in raw:
            rec: dict[str, Any] = {}
            for col, value in row.items():
                if col == "id" and "public_id" in row:
                    continue
                if col in fks and value is not None:
                    value = names.get(fks[col], {}).get(value, value)
                elif subject and col == subject.id_column:
                    kind_table = pd.SUBJECT_KINDS.get(row.get(subject.kind_column) or "")
                    value = names.get(kind_table or "", {}).get(value, value)
                rec[col] = _plain(value)
            rows.append(rec)
        out[table.name] = rows
    return out


def shared_interactions(conn: Connection, scope: Scope) -> list[dict[str, Any]]:
    """Interactions with others that the person took part in (they stay on erasure,
    without the person)."""
    ip, i = s.interaction_participants, s.interactions
    keys: set[int] = set()
    for chunk in chunks(scope.people):
        keys |= set(conn.execute(select(ip.c.interaction_id).where(ip.c.person_id.in_(chunk)))
                    .scalars())
    keys -= scope.ids.get("interactions", set())
    out = []
    for chunk in chunks(sorted(keys)):
        for r in conn.execute(select(i).where(i.c.id.in_(chunk)).order_by(i.c.occurred_at)):
            out.append({k: _plain(v) for k, v in r._mapping.items()
                        if k not in ("id", "initiated_by_id")})
    return out


def mentions(conn: Connection, scope: Scope) -> list[tuple[Any, str, str]]:
    """(public id or key, "table.column", text) of free text elsewhere naming them."""
    pattern = mark_pattern(scope.marks)
    if pattern is None:
        return []
    out: list[tuple[Any, str, str]] = []
    tables = s.metadata.tables
    for name, cols in pd.free_text().items():
        table = tables.get(name)
        if table is None:
            continue
        pk = list(table.primary_key.columns)
        ident = table.c.public_id if "public_id" in table.c else pk[0]
        cond = or_(*(table.c[c].icontains(m, autoescape=True) for c in cols
                     for m in scope.marks))
        for r in conn.execute(select(ident, *pk, *(table.c[c] for c in cols)).where(cond)):
            if tuple(r[1:1 + len(pk)]) in scope.rows.get(name, ()):
                continue
            for c, v in zip(cols, r[1 + len(pk):], strict=True):
                if isinstance(v, str) and pattern.search(v):
                    out.append((r[0], f"{name}.{c}", v))
    return out


def journal_count(conn: Connection, scope: Scope) -> int:
    dropped, rewritten = scrub_journal(conn, scope, mark_pattern(scope.marks), count_only=True)
    return dropped + rewritten
