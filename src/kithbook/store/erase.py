"""Erasing a person for a personal-data request (docs/personal-data.md).

`plan` finds every row that holds the person: the person and every duplicate merged
into them (or they into), rows that reference any of those by foreign key (followed
transitively) or by a subject column, their one-to-one interactions, and the free text
elsewhere that names them. `apply` deletes those rows, nulls the references that
may stay, redacts the free text, drops and rebuilds search documents, and scrubs the
change journal so that no entry, and no undo, brings any of it back. Only a tombstone
(an undone journal entry naming the erased public ids) and the erasure register
(keyed hashes of those ids) remain.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)

from kithbook import ids
from kithbook.domain.text import fold
from kithbook.store import key_runs
from kithbook.store import personal_data as pd
from kithbook.store import schema as s
from kithbook.store import search as st_search
from kithbook.store.erasure_register import new_entry, register
from kithbook.store.keyed_changes import KEYED, fixed_columns, keyed_column

_CHUNK = 500
_SEARCH_KIND = {"people": "person", "interactions": "interaction", "notes": "note",
                "orgs": "org"}
Key = tuple[Any, ...]


@dataclass
class Scope:
    """Everything one erasure touches; built by `plan`, carried out by `apply`."""

    people: list[int]
    public_ids: list[str]
    names: list[str]
    marks: list[str]  # strings that identify them in free text
    rows: dict[str, set[Key]] = field(default_factory=lambda: defaultdict(set))
    ids: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    nulls: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))


def chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    seq = list(items)
    for start in range(0, len(seq), _CHUNK):
        yield seq[start:start + _CHUNK]


# -- finding the person ---------------------------------------------------------------------


def keys_including_trash(conn: Connection, text_: str) -> list[int]:
    """People, live or in the trash, named by public id (or its start), e-mail or exact
    name. Erasure must reach a person the user already moved to the trash."""
    t = text_.strip().lower()
    if not t:
        return []
    p = s.people
    found = list(conn.execute(select(p.c.id).where(p.c.public_id == t)).scalars())
    if not found and ids.looks_like_id(t):
        found = list(conn.execute(select(p.c.id).where(p.c.public_id.like(t + "%"))
                                  .limit(10)).scalars())
    if not found and "@" in t:
        found = list(conn.execute(select(s.person_emails.c.person_id).distinct().where(
            s.person_emails.c.normalized == t)).scalars())
    if not found:
        found = list(conn.execute(select(p.c.id).where(p.c.name_folded == fold(text_))
                                  .limit(10)).scalars())
    return found


def merge_family(conn: Connection, key: int) -> list[int]:
    """The person and every record merged into them, or that they were merged into:
    merged duplicates are the same human, and each still holds some of their data."""
    p = s.people
    rows = conn.execute(select(p.c.id, p.c.public_id, p.c.archive_reason)).all()
    by_pid = {r.public_id: r.id for r in rows}
    links: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        reason = r.archive_reason or ""
        if reason.startswith("merged into "):
            other = by_pid.get(reason.removeprefix("merged into ").strip())
            if other is not None:
                links[r.id].add(other)
                links[other].add(r.id)
    family, frontier = {key}, [key]
    while frontier:
        for other in links[frontier.pop()]:
            if other not in family:
                family.add(other)
                frontier.append(other)
    return sorted(family)


def _qualifies(name: str) -> bool:
    # A lone short first name ("Sam") would redact other people's notes; a full name or
    # a long single name is specific enough.
    return len(name.split()) >= 2 or len(name) >= 8


def _marks(conn: Connection, keys: Sequence[int]) -> tuple[list[str], list[str], list[str]]:
    p = s.people
    people = conn.execute(select(p.c.public_id, p.c.name, p.c.nickname, p.c.linkedin_url)
                          .where(p.c.id.in_(keys))).all()
    names = [r.name for r in people]
    marks: set[str] = {n for r in people for n in (r.name, r.nickname) if n and _qualifies(n)}
    marks |= {r.linkedin_url for r in people if r.linkedin_url}
    for table, cols in ((s.person_emails, ("value", "normalized")),
                        (s.person_phones, ("value", "e164")),
                        (s.person_urls, ("value", "normalized")),
                        (s.person_addresses, ("value",))):
        for r in conn.execute(select(*(table.c[c] for c in cols))
                              .where(table.c.person_id.in_(keys))):
            marks |= {v.strip() for v in r if v and len(v.strip()) >= 5}
    ordered = sorted(marks, key=lambda m: (-len(m), m))
    return [r.public_id for r in people], names, ordered


def mark_pattern(marks: Sequence[str]) -> re.Pattern[str] | None:
    if not marks:
        return None
    alts = "|".join(re.escape(m) for m in marks)
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)


# -- planning ---------------------------------------------------------------------------------


def _private_interactions(conn: Connection, keys: Sequence[int], me: int | None) -> set[int]:
    """Interactions only between them and me: they are about them alone and go whole.
    Shared ones stay for the others and just lose them."""
    ip = s.interaction_participants
    theirs: set[int] = set()
    for chunk in chunks(keys):
        theirs |= set(conn.execute(select(ip.c.interaction_id).where(
            ip.c.person_id.in_(chunk))).scalars())
    allowed = set(keys) | ({me} if me is not None else set())
    shared: set[int] = set()
    for chunk in chunks(theirs):
        for r in conn.execute(select(ip.c.interaction_id, ip.c.person_id).where(
                ip.c.interaction_id.in_(chunk))):
            if r.person_id not in allowed:
                shared.add(r.interaction_id)
    return theirs - shared


def _kind_of(table: str) -> str | None:
    return next((k for k, t in pd.SUBJECT_KINDS.items() if t == table), None)


def plan(conn: Connection, keys: Sequence[int], me: int | None) -> Scope:
    public_ids, names, marks = _marks(conn, keys)
    scope = Scope(people=list(keys), public_ids=public_ids, names=names, marks=marks)
    pending: dict[str, set[int]] = defaultdict(set)
    pending["people"] |= set(keys)
    pending["interactions"] |= _private_interactions(conn, keys, me)
    tables = s.metadata.tables
    lowered = [m.lower() for m in marks]
    for name, cols in pd.identity_columns().items():
        if name in tables and lowered:
            table = tables[name]
            cond = or_(*(func.lower(table.c[c]).in_(lowered) for c in cols))
            _collect(conn, scope, pending, table, lambda _chunk, c=cond: c, {0})
    while pending:
        name, ids = pending.popitem()
        new = ids - scope.ids[name]
        if not new:
            continue
        scope.ids[name] |= new
        scope.rows[name] |= {(i,) for i in new}
        for ref in pd.foreign_refs(s.metadata, name):
            if ref.nulls:
                scope.nulls[(ref.table.name, ref.column.name)] |= new
                continue
            _collect(conn, scope, pending, ref.table, ref.column.in_, new)
        kind = _kind_of(name)
        if kind is None:
            continue
        for sc in pd.subject_columns():
            table = tables[sc.table]
            kind_col, id_col = table.c[sc.kind_column], table.c[sc.id_column]
            _collect(conn, scope, pending, table,
                     lambda chunk, k=kind_col, i=id_col, kd=kind: (k == kd) & i.in_(chunk), new)
    return scope


def _collect(conn: Connection, scope: Scope, pending: dict[str, set[int]], table: Table,
             where: Any, ids: set[int]) -> None:
    pk = list(table.primary_key.columns)
    single_id = [c.name for c in pk] == ["id"]
    for chunk in chunks(sorted(ids)):
        for r in conn.execute(select(*pk).where(where(chunk))):
            scope.rows[table.name].add(tuple(r))
            if single_id:
                pending[table.name].add(r[0])


# -- carrying it out ------------------------------------------------------------------------


def _redact(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(pd.ERASED_MARK, value)
    if isinstance(value, dict):
        return {k: _redact(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, pattern) for v in value]
    return value


def _redact_free_text(conn: Connection, scope: Scope,
                      pattern: re.Pattern[str] | None) -> dict[str, set[int]]:
    """Replace their names, e-mails and phones in the free text of rows that stay."""
    touched: dict[str, set[int]] = defaultdict(set)
    if pattern is None:
        return touched
    tables = s.metadata.tables
    for name, cols in pd.free_text().items():
        if name not in tables:
            continue
        table = tables[name]
        pk = list(table.primary_key.columns)
        cond = or_(*(table.c[c].icontains(m, autoescape=True) for c in cols
                     for m in scope.marks))
        rows = conn.execute(select(*pk, *(table.c[c] for c in cols)).where(cond)).all()
        for r in rows:
            key = tuple(r[: len(pk)])
            if key in scope.rows[name]:
                continue
            values = dict(zip(cols, r[len(pk):], strict=True))
            changed = {c: _redact(v, pattern) for c, v in values.items()
                       if isinstance(v, str) and pattern.search(v)}
            if changed:
                conn.execute(update(table).where(*(c == v for c, v in zip(pk, key, strict=True)))
                             .values(**changed))
                if [c.name for c in pk] == ["id"]:
                    touched[name].add(key[0])
    return touched


def _delete_rows(conn: Connection, scope: Scope) -> dict[str, int]:
    removed: dict[str, int] = {}
    for table in reversed(s.metadata.sorted_tables):  # children before parents
        keys = scope.rows.get(table.name)
        if not keys:
            continue
        pk = list(table.primary_key.columns)
        count = 0
        for chunk in chunks(sorted(keys, key=repr)):
            where = pk[0].in_([k[0] for k in chunk]) if len(pk) == 1 else tuple_(*pk).in_(chunk)
            count += conn.execute(delete(table).where(where)).rowcount or 0
        if count:
            removed[table.name] = count
    return removed


def _null_refs(conn: Connection, scope: Scope) -> None:
    tables = s.metadata.tables
    for (name, col), keys in scope.nulls.items():
        table = tables[name]
        for chunk in chunks(sorted(keys)):
            conn.execute(update(table).where(table.c[col].in_(chunk)).values({col: None}))


def _journal_refs() -> dict[str, list[tuple[str, str, bool]]]:
    """table -> [(column, target table, nulls)] for every foreign key column."""
    out: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for table in s.metadata.sorted_tables:
        for col in table.columns:
            for fk in col.foreign_keys:
                out[table.name].append((col.name, fk.column.table.name,
                                        (fk.ondelete or "").upper() == "SET NULL"))
    return out


def _entry_verdict(table: str, values: dict[str, Any] | None, scope: Scope,
                   refs: dict[str, list[tuple[str, str, bool]]]) -> tuple[bool, bool]:
    """(drop the entry, it was rewritten) for one side (before/after) of an entry."""
    if not values:
        return False, False
    rewritten = False
    for col, target, nulls in refs.get(table, ()):
        if values.get(col) in scope.ids.get(target, ()):
            if not nulls:
                return True, False
            values[col] = None
            rewritten = True
    for sc in pd.subject_columns():
        if sc.table == table:
            kind_target = pd.SUBJECT_KINDS.get(str(values.get(sc.kind_column)))
            if kind_target and values.get(sc.id_column) in scope.ids.get(kind_target, ()):
                return True, False
    return False, rewritten


def _erased_keys(table: Table, row_key: dict[str, Any], rows: Iterable[Key]) -> set[int]:
    """Of the erased rows of `table`, the keyed column's values of those that share a
    keyed entry's other key columns."""
    names = [c.name for c in table.primary_key.columns]
    at = names.index(keyed_column(row_key))
    fixed = [(names.index(k), v) for k, v in fixed_columns(row_key).items()]
    return {key[at] for key in rows if all(key[i] == v for i, v in fixed)}


def scrub_journal(conn: Connection, scope: Scope, pattern: re.Pattern[str] | None, *,
                  count_only: bool = False) -> tuple[int, int]:
    """Drop every journal entry about an erased row or holding a reference to one; null
    references that may stay; redact their names elsewhere. Returns (dropped, rewritten).
    Without these entries no undo can bring any of it back."""
    refs = _journal_refs()
    tables = s.metadata.tables
    c = s.changes
    drop: list[int] = []
    rewrite: list[dict[str, Any]] = []
    # options on the statement, not the connection: Connection.execution_options
    # changes the connection itself, and the DELETEs below would then be sent through a
    # server-side cursor (a syntax error on PostgreSQL)
    rows = conn.execute(select(c.c.id, c.c.table_name, c.c.op, c.c.row_key, c.c.before,
                               c.c.after).execution_options(yield_per=2000))
    for ch in rows:
        name = ch.table_name
        table = tables.get(name)
        if table is None:
            continue
        rk = ch.row_key or {}
        keys_left: dict[str, Any] = {}
        if ch.op in KEYED:  # many rows: the erased ones leave the entry
            col = keyed_column(rk)
            gone = key_runs.held(rk[col], _erased_keys(table, rk, scope.rows.get(name, ())))
            if gone:
                runs = key_runs.without(rk[col], gone)
                if not runs:
                    drop.append(ch.id)
                    continue
                keys_left = {"row_key": {**rk, col: runs}, "row_count": key_runs.size(runs)}
        else:
            pk = tuple(rk.get(col.name) for col in table.primary_key.columns)
            if pk in scope.rows.get(name, ()):
                drop.append(ch.id)
                continue
        before = dict(ch.before) if ch.before else None
        after = dict(ch.after) if ch.after else None
        gone_b, changed_b = _entry_verdict(name, before, scope, refs)
        gone_a, changed_a = _entry_verdict(name, after, scope, refs)
        if gone_b or gone_a:
            drop.append(ch.id)
            continue
        changed = changed_b or changed_a
        if pattern is not None:
            red_b, red_a = _redact(before, pattern), _redact(after, pattern)
            changed = changed or red_b != before or red_a != after
            before, after = red_b, red_a
        if changed or keys_left:
            rewrite.append({"cid": ch.id, "before": before, "after": after, **keys_left})
    if count_only:
        return len(drop), len(rewrite)
    for chunk in chunks(drop):
        conn.execute(delete(c).where(c.c.id.in_(chunk)))
    for item in rewrite:
        cid = item.pop("cid")
        conn.execute(update(c).where(c.c.id == cid).values(**item))
    return len(drop), len(rewrite)


def _refresh_search(conn: Connection, scope: Scope, touched: dict[str, set[int]]) -> None:
    for name, kind in _SEARCH_KIND.items():
        gone = scope.ids.get(name, set())
        if gone:
            st_search.drop_docs(conn, kind, sorted(gone))
        again = touched.get(name, set()) - gone
        if again:
            st_search.reindex_many(conn, [(kind, k) for k in sorted(again)])


def apply(conn: Connection, scope: Scope, now: datetime, batch_id: str, *,
          new_register_entry: bool = True) -> dict[str, Any]:
    """Carry out a planned erasure inside the caller's transaction. A re-application
    (an older copy restored) is already in the register."""
    pattern = mark_pattern(scope.marks)
    touched = _redact_free_text(conn, scope, pattern)
    _refresh_search(conn, scope, touched)
    _null_refs(conn, scope)
    removed = _delete_rows(conn, scope)
    dropped, rewritten = scrub_journal(conn, scope, pattern)
    for pid in scope.public_ids:
        # a tombstone: what was erased and when, nothing of it; undone, so undo skips it
        conn.execute(insert(s.changes).values(
            batch_id=batch_id, at=now, actor="me", action="erase person",
            table_name="people", row_key={"public_id": pid}, op="delete", before=None,
            after=None, undone_at=now))
    if new_register_entry:
        register(conn, new_entry(scope.public_ids, now))
    return {"removed": removed,
            "redacted": {k: len(v) for k, v in touched.items() if v},
            "journal_dropped": dropped, "journal_rewritten": rewritten}


# -- after the transaction -----------------------------------------------------------------


def purge_leftovers(engine: Engine) -> None:
    """After the erasing transaction committed: merge the full-text segments so deleted
    terms leave the index, rewrite the file so no freed page keeps old bytes, and empty
    the write-ahead log, which still holds the old pages (SQLite). On PostgreSQL, VACUUM
    reclaims the dead row versions (their bytes stay in the files until the pages are
    reused: docs/personal-data.md says so)."""
    raw = engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        if engine.dialect.name == "sqlite":
            cur = dbapi.cursor()  # type: ignore[union-attr]
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cur.execute("VACUUM")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.close()
        else:
            raw.rollback()
            dbapi.autocommit = True  # type: ignore[union-attr]
            try:
                with dbapi.cursor() as cur:  # type: ignore[union-attr]
                    cur.execute("VACUUM")
            finally:
                dbapi.autocommit = False  # type: ignore[union-attr]
    finally:
        raw.close()
