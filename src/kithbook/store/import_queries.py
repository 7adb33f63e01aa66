"""SQL for imports: bulk lookups of match keys, bulk inserts that still journal every
row (so `undo` reverses an import), and bulk search-document loading."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from kithbook.store import schema as s
from kithbook.store.journal_values import jsonable
from kithbook.store.key_lists import distinct_parts, one_of
from kithbook.store.keyed_changes import inserted_entries, keyed_entries, write_changes
from kithbook.store.pg_copy import (
    ANALYZE_ROWS,
    analyze,
    analyze_grown,
    copy_insert,
    insert_rows,
    next_ids,
    scalar_defaults,
)
from kithbook.store.search import NAME, add_name_words

# Trashed people are filtered in Python: with `deleted_at IS NULL` in the WHERE clause,
# SQLite (no ANALYZE statistics) picks ix_people_live and scans every live person for
# each chunk instead of using the name / URL index.


def keys_by_linkedin(conn: Connection, urls: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in distinct_parts(conn, urls):
        for r in conn.execute(
            select(s.people.c.linkedin_url, s.people.c.id, s.people.c.deleted_at)
            .where(one_of(conn, s.people.c.linkedin_url, chunk))
        ):
            if r.deleted_at is None and r.id < out.get(r.linkedin_url, r.id + 1):
                out[r.linkedin_url] = r.id
    return out


def _by_column(conn: Connection, table: Table, col: str, values: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    column = table.c[col]
    for chunk in distinct_parts(conn, values):
        for r in conn.execute(
            select(column.label("v"), table.c.person_id, s.people.c.deleted_at)
            .join(s.people, s.people.c.id == table.c.person_id)
            .where(one_of(conn, column, chunk))
        ):
            if r.deleted_at is None and r.person_id < out.get(r.v, r.person_id + 1):
                out[r.v] = r.person_id
    return out


def keys_by_email(conn: Connection, emails: Iterable[str]) -> dict[str, int]:
    return _by_column(conn, s.person_emails, "normalized", emails)


def keys_by_phone(conn: Connection, phones: Iterable[str]) -> dict[str, int]:
    return _by_column(conn, s.person_phones, "e164", phones)


def keys_by_name_org(conn: Connection, folded_names: Iterable[str]) -> dict[tuple[str, str], int]:
    """(folded name, folded current org or "") -> person key, for the given names."""
    out: dict[tuple[str, str], int] = {}
    for chunk in distinct_parts(conn, folded_names):
        rows = conn.execute(
            select(s.people.c.id, s.people.c.name_folded, s.orgs.c.name_folded.label("org"),
                   s.people.c.deleted_at)
            .select_from(s.people)
            .outerjoin(s.roles, (s.roles.c.person_id == s.people.c.id)
                       & s.roles.c.is_current.is_(True))
            .outerjoin(s.orgs, s.orgs.c.id == s.roles.c.org_id)
            .where(one_of(conn, s.people.c.name_folded, chunk))
        )
        for r in rows:
            key = (r.name_folded, r.org or "")
            if r.deleted_at is None and r.id < out.get(key, r.id + 1):
                out[key] = r.id
    return out


def org_keys(conn: Connection, folded: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in distinct_parts(conn, folded):
        for r in conn.execute(
            select(s.orgs.c.name_folded, s.orgs.c.id)
            .where(one_of(conn, s.orgs.c.name_folded, chunk), s.orgs.c.deleted_at.is_(None))
            .order_by(s.orgs.c.id)
        ):
            out.setdefault(r.name_folded, r.id)
    return out


def tag_keys(conn: Connection, names: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in distinct_parts(conn, names):
        for r in conn.execute(select(s.tags.c.name, s.tags.c.id)
                              .where(one_of(conn, s.tags.c.name, chunk))):
            out[r.name] = r.id
    return out


class Existing:
    """What matched people already have, so an import only adds what is new."""

    def __init__(self) -> None:
        self.people: dict[int, dict[str, Any]] = {}
        self.values: dict[tuple[int, str], set[str]] = defaultdict(set)
        self.roles: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.tags: dict[int, set[str]] = defaultdict(set)
        self.notes: dict[int, set[str]] = defaultdict(set)


def load_existing(conn: Connection, keys: Sequence[int]) -> Existing:
    ex = Existing()
    cols = (s.person_emails, "normalized", "email"), (s.person_phones, "e164", "phone"), (
        s.person_urls, "normalized", "url"), (s.person_addresses, "value", "address")
    for chunk in distinct_parts(conn, keys):
        for r in conn.execute(select(s.people).where(one_of(conn, s.people.c.id, chunk))):
            ex.people[r.id] = dict(r._mapping)
        for table, col, kind in cols:
            for r in conn.execute(select(table.c.person_id, table.c[col].label("v"),
                                         table.c.value)
                                  .where(one_of(conn, table.c.person_id, chunk))):
                ex.values[(r.person_id, kind)].add(r.v or r.value)
                ex.values[(r.person_id, kind)].add(r.value)
        for r in conn.execute(
            select(s.roles, s.orgs.c.name_folded.label("org_folded"))
            .join(s.orgs, s.orgs.c.id == s.roles.c.org_id)
            .where(one_of(conn, s.roles.c.person_id, chunk))
        ):
            ex.roles[r.person_id].append(dict(r._mapping))
        for r in conn.execute(
            select(s.taggings.c.subject_id, s.tags.c.name)
            .join(s.tags, s.tags.c.id == s.taggings.c.tag_id)
            .where(s.taggings.c.subject_kind == "person",
                   one_of(conn, s.taggings.c.subject_id, chunk))
        ):
            ex.tags[r.subject_id].add(r.name)
        for r in conn.execute(
            select(s.notes.c.subject_id, s.notes.c.body).where(
                s.notes.c.subject_kind == "person", one_of(conn, s.notes.c.subject_id, chunk),
                s.notes.c.deleted_at.is_(None))
        ):
            ex.notes[r.subject_id].add(r.body)
    return ex


class BulkWriter:
    """Inserts many rows per statement and journals them as the Journal would: rows
    with an integer `id` as one keyed entry per insert, rows keyed by several columns
    as one keyed entry per shared value where they share one, others a row each
    (`now`: when the change is written, the Journal's `logged_at`)."""

    def __init__(self, conn: Connection, *, batch_id: str, now: datetime, actor: str,
                 action: str) -> None:
        self.conn = conn
        self.base = {"batch_id": batch_id, "at": now, "actor": actor, "action": action,
                     "before": None}
        self.count = 0
        self._written: dict[str, int] = {}  # rows per table since this writer's ANALYZE
        self._analyzed: set[str] = set()  # tables this writer has analyzed

    def _refresh_statistics(self, table: str) -> None:
        """Statistics now, not at autovacuum's next pass: psycopg prepares a query after
        five runs, and a plan made while the table looked empty (a full scan per lookup)
        was kept for the whole next import, 8 times slower. ANALYZE counts this
        transaction's own rows and invalidates those plans.

        The first time, the rows that count are the server's own count of changes since
        the last ANALYZE (committed transactions, so a capture run's batches of a few
        hundred rows add up; their lookup by message key scanned every captured row of
        the source, 59 ms a batch at 20,000 messages) plus this writer's rows not yet
        committed. Once this writer has analyzed the table, only its own rows since
        count (`analyze_grown`): the server's count is only reset when the transaction
        ends, and trusting it made every later insert analyze again."""
        written = self._written[table]
        if table in self._analyzed:
            done = bool(analyze_grown(self.conn, {table: written}))
        else:
            row = self.conn.execute(text(
                "SELECT n_mod_since_analyze, n_live_tup FROM pg_stat_user_tables "
                "WHERE relid = CAST(:t AS regclass)"), {"t": table}).first()
            changed, held = (int(row[0] or 0), int(row[1] or 0)) if row is not None else (0, 0)
            done = changed + written >= max(ANALYZE_ROWS, (held - changed) // 2)
            if done:
                analyze(self.conn, [table])
        if done:
            self._written[table] = 0
            self._analyzed.add(table)

    def insert(self, table: Table, rows: list[dict[str, Any]], *,
               journal: bool = True) -> list[int]:
        """Insert rows; returns their ids (for tables with an integer `id`). With
        journal=False the caller guarantees that undoing a journaled parent row removes
        these rows (ON DELETE CASCADE)."""
        if not rows:
            return []
        has_id = "id" in table.c and len(table.primary_key.columns) == 1
        sqlite = self.conn.dialect.name == "sqlite"
        ids: list[int] = []
        if sqlite:
            # We hold the write lock (BEGIN IMMEDIATE): ids can be handed out here, and
            # the DB-API executemany skips SQLAlchemy's per-row work.
            if has_id:
                start = self.conn.execute(select(func.coalesce(func.max(table.c.id), 0))
                                          ).scalar_one()
                ids = list(range(start + 1, start + 1 + len(rows)))
                rows = [{**r, "id": i} for r, i in zip(rows, ids, strict=True)]
            fast_insert(self.conn, table, rows)
        else:
            if has_id:
                ids = next_ids(self.conn, table, len(rows))
                rows = [{**r, "id": i} for r, i in zip(rows, ids, strict=True)]
            copy_insert(self.conn, table, rows)
            self._written[table.name] = self._written.get(table.name, 0) + len(rows)
            self._refresh_statistics(table.name)
        self.count += len(rows)
        if not journal:
            return ids
        base = {**self.base, "table_name": table.name}
        # one keyed entry for the lot (store/keyed_changes.py); for a key of several
        # columns, one per value the others share (a tag, a person)
        keyed = keyed_entries(base, "insert", ids, None, None) if has_id \
            else inserted_entries(base, table, rows)
        if keyed is not None:
            write_changes(self.conn, keyed)
            return ids
        pk = [c.name for c in table.primary_key.columns]
        # Undoing an insert needs only the key; `after` keeps what identifies the row.
        brief = [k for k in ("public_id", "name", "person_id", "subject_id", "value")
                 if k in table.c]
        entries = [{**base, "op": "insert", "row_count": 1,
                    "row_key": {k: jsonable(r[k]) for k in pk},
                    "after": {k: jsonable(r[k]) for k in (*pk, *brief) if k in r}}
                   for r in rows]
        if sqlite:
            fast_insert(self.conn, s.changes, entries)
        else:
            copy_insert(self.conn, s.changes, entries)
        return ids


def fast_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """executemany through the DB-API with SQLAlchemy's own value processors (SQLite)."""
    cols = list(dict.fromkeys(k for r in rows[:1] for k in r))
    for r in rows:
        if len(r) != len(cols):
            cols = list(dict.fromkeys(k for row in rows for k in row))
            break
    defaults = scalar_defaults(table)
    cols += [c for c in defaults if c not in cols]
    dialect = conn.dialect
    procs = [table.c[c].type.bind_processor(dialect) for c in cols]
    sql = (f'INSERT INTO "{table.name}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
           f'VALUES ({", ".join("?" for _ in cols)})')
    columns = []  # built a column at a time: one processor call per value, no generators
    for c, p in zip(cols, procs, strict=True):
        values = [r.get(c, defaults.get(c)) if c in defaults else r.get(c) for r in rows]
        columns.append(list(map(p, values)) if p else values)
    data = list(zip(*columns, strict=True))
    conn.exec_driver_sql(sql, data)


def add_search_docs(conn: Connection, docs: Sequence[tuple[str, int, str]]) -> None:
    """Index new records without rebuilding the whole index: (kind, key, folded body)."""
    if not docs:
        return
    rows = [{"kind": k, "ref_id": key, "body": body} for k, key, body in docs]
    add_name_words(conn, [(key, body) for k, key, body in docs if k == NAME])
    if conn.dialect.name != "sqlite":
        insert_rows(conn, s.search_docs, rows)
        names = sum(k == NAME for k, _key, _body in docs)  # a name is a word or more
        analyze_grown(conn, {"search_docs": len(rows), "person_name_words": names})
        return
    start = conn.execute(select(func.coalesce(func.max(s.search_docs.c.id), 0))).scalar_one()
    rows = [{**r, "id": start + n} for n, r in enumerate(rows, 1)]
    fast_insert(conn, s.search_docs, rows)
    conn.exec_driver_sql("INSERT INTO search_fts(rowid, body) VALUES (?, ?)",
                         [(r["id"], r["body"]) for r in rows])


def keys_by_folded_names(conn: Connection, names: Iterable[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for chunk in distinct_parts(conn, names):
        for r in conn.execute(
            select(s.people.c.name_folded, s.people.c.id, s.people.c.deleted_at)
            .where(one_of(conn, s.people.c.name_folded, chunk))
        ):
            if r.deleted_at is None:
                out[r.name_folded].append(r.id)
    return {k: sorted(v) for k, v in out.items()}


def connection_days(conn: Connection, folded_names: Iterable[str]
                     ) -> dict[str, dict[int, set[date]]]:
    """folded name -> {person key: the days their LinkedIn connection began}, for the
    live people (not "me") with these names: the `since` of their `linkedin` ties (a
    removed tie still says when) and their `first_met_on` (services/import_plan.py
    recognises a connection by its name and day when nothing else matches)."""
    names: dict[int, str] = {}
    out: dict[str, dict[int, set[date]]] = defaultdict(dict)
    for chunk in distinct_parts(conn, folded_names):
        for r in conn.execute(
            select(s.people.c.id, s.people.c.name_folded, s.people.c.first_met_on,
                   s.people.c.deleted_at, s.people.c.is_me)
            .where(one_of(conn, s.people.c.name_folded, chunk))
        ):
            if r.deleted_at is None and not r.is_me:
                names[r.id] = r.name_folded
                days = out[r.name_folded].setdefault(r.id, set())
                if r.first_met_on is not None:
                    days.add(r.first_met_on)
    for chunk in distinct_parts(conn, names):
        for t in conn.execute(
            select(s.ties.c.a_id, s.ties.c.b_id, s.ties.c.since)
            .where(s.ties.c.kind == "linkedin", s.ties.c.since.is_not(None),
                   one_of(conn, s.ties.c.a_id, chunk) | one_of(conn, s.ties.c.b_id, chunk))
        ):
            for key in (t.a_id, t.b_id):
                if key in names:
                    out[names[key]][key].add(t.since)
    return dict(out)


def keys_by_public_ids(conn: Connection, public_ids: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in distinct_parts(conn, public_ids):
        for r in conn.execute(
            select(s.people.c.public_id, s.people.c.id, s.people.c.deleted_at)
            .where(one_of(conn, s.people.c.public_id, chunk))
        ):
            if r.deleted_at is None:
                out[r.public_id] = r.id
    return out


def import_by_sha(conn: Connection, sha256: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(s.imports).where(s.imports.c.sha256 == sha256).order_by(s.imports.c.id.desc())
    ).first()
    return dict(row._mapping) if row else None


@dataclass(frozen=True)
class CurrentRole:
    """A person's current role, as an import sees it (to update or retire it)."""

    id: int
    org_id: int
    title: str | None
    source: str
    is_current: bool


def current_roles(conn: Connection, person_key: int) -> list[CurrentRole]:
    """The roles a person holds now, in key order."""
    rows = conn.execute(
        select(s.roles.c.id, s.roles.c.org_id, s.roles.c.title, s.roles.c.source,
               s.roles.c.is_current)
        .where(s.roles.c.person_id == person_key, s.roles.c.is_current.is_(True))
    ).all()
    return [CurrentRole(id=r.id, org_id=r.org_id, title=r.title, source=r.source,
                        is_current=bool(r.is_current)) for r in rows]
