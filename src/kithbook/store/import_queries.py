"""SQL for imports: bulk lookups of match keys, bulk inserts that still journal every
row (so `undo` reverses an import), and bulk search-document loading."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select, text

from kithbook.store import schema as s

CHUNK = 500
_live = s.people.c.deleted_at.is_(None)


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = list(dict.fromkeys(v for v in values if v))
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def keys_by_linkedin(conn: Connection, urls: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(urls):
        for r in conn.execute(
            select(s.people.c.linkedin_url, s.people.c.id)
            .where(s.people.c.linkedin_url.in_(chunk), _live).order_by(s.people.c.id)
        ):
            out.setdefault(r.linkedin_url, r.id)
    return out


def _by_column(conn: Connection, table: Table, col: str, values: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    column = table.c[col]
    for chunk in _chunks(values):
        for r in conn.execute(
            select(column.label("v"), table.c.person_id)
            .join(s.people, s.people.c.id == table.c.person_id)
            .where(column.in_(chunk), _live).order_by(table.c.person_id)
        ):
            out.setdefault(r.v, r.person_id)
    return out


def keys_by_email(conn: Connection, emails: Iterable[str]) -> dict[str, int]:
    return _by_column(conn, s.person_emails, "normalized", emails)


def keys_by_phone(conn: Connection, phones: Iterable[str]) -> dict[str, int]:
    return _by_column(conn, s.person_phones, "e164", phones)


def keys_by_name_org(conn: Connection, folded_names: Iterable[str]) -> dict[tuple[str, str], int]:
    """(folded name, folded current org or "") -> person key, for the given names."""
    out: dict[tuple[str, str], int] = {}
    for chunk in _chunks(folded_names):
        rows = conn.execute(
            select(s.people.c.id, s.people.c.name_folded, s.orgs.c.name_folded.label("org"))
            .select_from(s.people)
            .outerjoin(s.roles, (s.roles.c.person_id == s.people.c.id)
                       & s.roles.c.is_current.is_(True))
            .outerjoin(s.orgs, s.orgs.c.id == s.roles.c.org_id)
            .where(s.people.c.name_folded.in_(chunk), _live).order_by(s.people.c.id)
        )
        for r in rows:
            out.setdefault((r.name_folded, r.org or ""), r.id)
    return out


def org_keys(conn: Connection, folded: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(folded):
        for r in conn.execute(
            select(s.orgs.c.name_folded, s.orgs.c.id)
            .where(s.orgs.c.name_folded.in_(chunk), s.orgs.c.deleted_at.is_(None))
            .order_by(s.orgs.c.id)
        ):
            out.setdefault(r.name_folded, r.id)
    return out


def tag_keys(conn: Connection, names: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(names):
        for r in conn.execute(select(s.tags.c.name, s.tags.c.id).where(s.tags.c.name.in_(chunk))):
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
    for chunk in _chunks(keys):
        for r in conn.execute(select(s.people).where(s.people.c.id.in_(chunk))):
            ex.people[r.id] = dict(r._mapping)
        for table, col, kind in cols:
            for r in conn.execute(select(table.c.person_id, table.c[col].label("v"),
                                         table.c.value).where(table.c.person_id.in_(chunk))):
                ex.values[(r.person_id, kind)].add(r.v or r.value)
                ex.values[(r.person_id, kind)].add(r.value)
        for r in conn.execute(
            select(s.roles, s.orgs.c.name_folded.label("org_folded"))
            .join(s.orgs, s.orgs.c.id == s.roles.c.org_id)
            .where(s.roles.c.person_id.in_(chunk))
        ):
            ex.roles[r.person_id].append(dict(r._mapping))
        for r in conn.execute(
            select(s.taggings.c.subject_id, s.tags.c.name)
            .join(s.tags, s.tags.c.id == s.taggings.c.tag_id)
            .where(s.taggings.c.subject_kind == "person", s.taggings.c.subject_id.in_(chunk))
        ):
            ex.tags[r.subject_id].add(r.name)
        for r in conn.execute(
            select(s.notes.c.subject_id, s.notes.c.body).where(
                s.notes.c.subject_kind == "person", s.notes.c.subject_id.in_(chunk),
                s.notes.c.deleted_at.is_(None))
        ):
            ex.notes[r.subject_id].add(r.body)
    return ex


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


class BulkWriter:
    """Inserts many rows per statement and journals each row as the Journal would."""

    def __init__(self, conn: Connection, *, batch_id: str, now: datetime, actor: str,
                 action: str) -> None:
        self.conn = conn
        self.base = {"batch_id": batch_id, "at": now, "actor": actor, "action": action,
                     "op": "insert", "before": None}
        self.count = 0

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows; returns their ids (for tables with an integer `id`)."""
        if not rows:
            return []
        has_id = "id" in table.c and len(table.primary_key.columns) == 1
        ids: list[int] = []
        for i in range(0, len(rows), 5000):
            part = rows[i:i + 5000]
            if has_id:
                stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
                ids.extend(r[0] for r in self.conn.execute(stmt, part))
            else:
                self.conn.execute(insert(table), part)
        pk = [c.name for c in table.primary_key.columns]
        journal = []
        for n, row in enumerate(rows):
            full = {**row, "id": ids[n]} if has_id else row
            journal.append({**self.base, "table_name": table.name,
                            "row_key": {k: _jsonable(full[k]) for k in pk},
                            "after": {k: _jsonable(v) for k, v in full.items()}})
        for i in range(0, len(journal), 5000):
            self.conn.execute(insert(s.changes), journal[i:i + 5000])
        self.count += len(rows)
        return ids


def add_search_docs(conn: Connection, docs: Sequence[tuple[str, int, str]]) -> None:
    """Index new records without rebuilding the whole index: (kind, key, folded body)."""
    if not docs:
        return
    rows = [{"kind": k, "ref_id": key, "body": body} for k, key, body in docs]
    stmt = insert(s.search_docs).returning(s.search_docs.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for i in range(0, len(rows), 5000):
        ids.extend(r[0] for r in conn.execute(stmt, rows[i:i + 5000]))
    if conn.dialect.name == "sqlite":
        fts = [{"id": i, "body": r["body"]} for i, r in zip(ids, rows, strict=True)]
        for i in range(0, len(fts), 5000):
            conn.execute(text("INSERT INTO search_fts(rowid, body) VALUES (:id, :body)"),
                         fts[i:i + 5000])


def keys_by_folded_names(conn: Connection, names: Iterable[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for chunk in _chunks(names):
        for r in conn.execute(
            select(s.people.c.name_folded, s.people.c.id)
            .where(s.people.c.name_folded.in_(chunk), _live).order_by(s.people.c.id)
        ):
            out[r.name_folded].append(r.id)
    return out


def keys_by_public_ids(conn: Connection, public_ids: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(public_ids):
        for r in conn.execute(
            select(s.people.c.public_id, s.people.c.id)
            .where(s.people.c.public_id.in_(chunk), _live)
        ):
            out[r.public_id] = r.id
    return out


def import_by_sha(conn: Connection, sha256: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(s.imports).where(s.imports.c.sha256 == sha256).order_by(s.imports.c.id.desc())
    ).first()
    return dict(row._mapping) if row else None
