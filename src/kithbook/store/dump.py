"""Whole-database dump and load for Kithbook's JSON backup. Integer keys never leave
the database: references are written as public ids, so a backup loads into any
database and round-trips exactly."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sized
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    Table,
    select,
)

from kithbook.domain.text import fold
from kithbook.store import schema as s
from kithbook.store.journal import Journal
from kithbook.store.rows import utc

# (table, {fk column: referenced table}) in load order.
ENTITY_TABLES: list[tuple[Table, dict[str, Table]]] = [
    (s.orgs, {}),
    (s.people, {"met_via_id": s.people}),
    (s.ties, {"a_id": s.people, "b_id": s.people}),
    (s.interactions, {"initiated_by_id": s.people}),
    (
        s.promises,
        {"owed_by_id": s.people, "owed_to_id": s.people, "interaction_id": s.interactions},
    ),
    (s.needs_offers, {"person_id": s.people}),
    (s.ledger, {"giver_id": s.people, "receiver_id": s.people, "interaction_id": s.interactions}),
]
CHILD_TABLES: list[tuple[Table, dict[str, Table]]] = [
    (s.person_emails, {"person_id": s.people}),
    (s.person_phones, {"person_id": s.people}),
    (s.person_urls, {"person_id": s.people}),
    (s.person_addresses, {"person_id": s.people}),
    (s.roles, {"person_id": s.people, "org_id": s.orgs}),
    (s.interaction_participants, {"interaction_id": s.interactions, "person_id": s.people}),
]
SUBJECT_TABLES = {"person": s.people, "org": s.orgs, "interaction": s.interactions, "note": s.notes}


def _plain(value: Any, col_type: Any) -> Any:
    if isinstance(value, datetime):
        return utc(value).isoformat()  # type: ignore[union-attr]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _parse(value: Any, col_type: Any) -> Any:
    if value is None:
        return None
    if isinstance(col_type, DateTime):
        return utc(datetime.fromisoformat(value))
    if isinstance(col_type, Date):
        return date.fromisoformat(value)
    return value


def _key_maps(conn: Connection) -> dict[str, dict[int, str]]:
    return {
        t.name: dict(conn.execute(select(t.c.id, t.c.public_id)).all())
        for t in (s.people, s.orgs, s.interactions, s.notes)
    }


def dump(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """Every table of the backup, in memory (tests and small callers; an export to a
    file streams `dump_tables` instead)."""
    return {name: list(rows) for name, rows in dump_tables(conn)}


def dump_tables(conn: Connection) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """The backup's tables in load order, each with its rows as they are read: the
    entity tables stream from the database (ordered by public id), so an export holds
    one table's sort at most, never the whole network. Consume each table's rows before
    asking for the next table: they share the connection."""
    maps = _key_maps(conn)
    for table, fks in ENTITY_TABLES + [(s.notes, {})]:
        yield table.name, _entity_rows(conn, table, fks, maps)
    for table, fks in CHILD_TABLES:
        yield table.name, iter(_child_rows(conn, table, fks, maps))
    yield "taggings", iter(_taggings(conn, maps))


def _entity_rows(conn: Connection, table: Table, fks: dict[str, Table],
                 maps: dict[str, dict[int, str]]) -> Iterator[dict[str, Any]]:
    query = select(table).order_by(table.c.public_id)
    for r in conn.execution_options(stream_results=True, yield_per=500).execute(query):
        rec = {}
        for col in table.columns:
            if col.name in ("id", "name_folded"):
                continue
            v = r._mapping[col.name]
            if col.name in fks and v is not None:
                v = maps[fks[col.name].name][v]
            elif table is s.notes and col.name == "subject_id":
                v = maps[SUBJECT_TABLES[r.subject_kind].name].get(v)
            rec[col.name] = _plain(v, col.type)
        if table is s.ties and rec["a_id"] > rec["b_id"]:
            # a tie is unordered; the backup names its ends in public-id order
            rec["a_id"], rec["b_id"] = rec["b_id"], rec["a_id"]
        yield rec


def _child_rows(conn: Connection, table: Table, fks: dict[str, Table],
                maps: dict[str, dict[int, str]]) -> list[dict[str, Any]]:
    first_fk = next(iter(fks))
    rows = []
    order = [table.c[first_fk], *[c for c in table.primary_key.columns]]
    for r in conn.execute(select(table).order_by(*order)):
        rec = {}
        for col in table.columns:
            if col.name == "id":
                continue
            v = r._mapping[col.name]
            if col.name in fks and v is not None:
                v = maps[fks[col.name].name][v]
            rec[col.name] = _plain(v, col.type)
        rows.append(rec)
    # ordered by the public ids they point at, which SQL on integer keys cannot give
    rows.sort(key=lambda rec: tuple(str(rec[k]) for k in fks))
    return rows


def _taggings(conn: Connection, maps: dict[str, dict[int, str]]) -> list[dict[str, Any]]:
    tag_names = dict(conn.execute(select(s.tags.c.id, s.tags.c.name)).all())
    taggings = []
    for r in conn.execute(select(s.taggings)):
        subject = maps[SUBJECT_TABLES[r.subject_kind].name].get(r.subject_id)
        if subject is not None:
            taggings.append(
                {"tag": tag_names[r.tag_id], "subject_kind": r.subject_kind, "subject_id": subject}
            )
    taggings.sort(key=lambda t: (t["subject_kind"], t["subject_id"], t["tag"]))
    return taggings


def load(
    j: Journal, data: Mapping[str, Iterable[dict[str, Any]]], *, keep_me: bool
) -> Iterator[tuple[str, str]]:
    """Insert records whose public id is new, a table at a time and many rows per
    statement, each row journaled so that one undo removes the load exactly. Yields
    (kind, 'created'|'skipped'). A large backup skips the graph's change log (the
    graph is rebuilt once rather than replayed)."""
    from kithbook.store.graph_log import suspended_for

    people = data.get("people", [])
    with suspended_for(j.conn, len(people) if isinstance(people, Sized) else 0):
        yield from _load(j, data, keep_me=keep_me)


# records written per statement round: bounds what a load holds beyond the parsed backup
_CHUNK = 5000


def _load(
    j: Journal, data: Mapping[str, Iterable[dict[str, Any]]], *, keep_me: bool
) -> Iterator[tuple[str, str]]:
    from kithbook.store.import_queries import BulkWriter

    conn = j.conn
    bulk = BulkWriter(conn, batch_id=j.batch_id, now=j.logged_at, actor=j.actor,
                      action=j.action)
    maps = {name: {v: k for k, v in m.items()} for name, m in _key_maps(conn).items()}
    created: dict[str, set[int]] = {}  # keys this load wrote, by table
    for table, fks in ENTITY_TABLES + [(s.notes, {})]:
        source = data.get(table.name, [])
        held = maps.get(table.name) or _public_ids_held(
            conn, table, [rec["public_id"] for rec in source if rec.get("public_id")])
        taken: set[str] = set()
        met_via: list[tuple[int, str]] = []  # set once every person is in
        mine = created.setdefault(table.name, set())
        for chunk in _chunks(rec for rec in source if rec.get("public_id")):
            rows: list[dict[str, Any]] = []
            pids: list[str] = []
            vias: list[Any] = []
            for rec in chunk:
                pid = rec["public_id"]
                if pid in held or pid in taken:
                    yield table.name, "skipped"
                    continue
                values = _entity_values(table, fks, rec, maps)
                if values is None:  # a note about a record the backup does not hold
                    continue
                if table is s.people and values.get("is_me") and keep_me:
                    values["is_me"] = False
                rows.append(values)
                pids.append(pid)
                taken.add(pid)
                vias.append(rec.get("met_via_id") if table is s.people else None)
            keys = bulk.insert(table, rows)
            j.count += len(rows)
            mine.update(keys)
            if table.name in maps:
                maps[table.name].update(zip(pids, keys, strict=True))
            met_via += [(key, via) for key, via in zip(keys, vias, strict=True) if via]
            for _ in rows:
                yield table.name, "created"
        for key, via in met_via:
            if via in maps["people"]:
                j.update(s.people, key, {"met_via_id": maps["people"][via]})
    for table, fks in CHILD_TABLES:
        seen: set[tuple[Any, ...]] = set()
        for chunk in _chunks(data.get(table.name, [])):
            rows = [v for v in (_child_values(table, fks, rec, maps) for rec in chunk)
                    if v is not None]
            _insert_new_children(j, bulk, table, fks, rows, created, seen)
    tag_ids = dict(conn.execute(select(s.tags.c.name, s.tags.c.id)).all())
    rows = []
    for t in data.get("taggings", []):
        subject = maps[SUBJECT_TABLES[t["subject_kind"]].name].get(t["subject_id"])
        if subject is None:
            continue
        if t["tag"] not in tag_ids:
            tag_ids[t["tag"]] = j.insert(s.tags, {"name": t["tag"]})
        rows.append({"tag_id": tag_ids[t["tag"]], "subject_kind": t["subject_kind"],
                     "subject_id": subject})
    _insert_new_children(j, bulk, s.taggings, {}, rows, created, set())


def _chunks(rows: Iterable[Any]) -> Iterator[list[Any]]:
    """`rows` _CHUNK at a time, read as they come (a backup's table is never held whole)."""
    it = iter(rows)
    while chunk := list(islice(it, _CHUNK)):
        yield chunk


def _entity_values(table: Table, fks: dict[str, Table], rec: dict[str, Any],
                   maps: dict[str, dict[str, int]]) -> dict[str, Any] | None:
    """A backup record as a row to insert (integer keys looked up), or None when it is a
    note whose subject is not in the database."""
    values: dict[str, Any] = {}
    for col in table.columns:
        if col.name == "id" or col.name not in rec:
            continue
        v = rec[col.name]
        if table is s.people and col.name == "met_via_id":
            v = None  # set once every person is in
        elif col.name in fks and v is not None:
            v = maps[fks[col.name].name].get(v)
        elif table is s.notes and col.name == "subject_id":
            v = maps[SUBJECT_TABLES[rec["subject_kind"]].name].get(v)
            if v is None:
                return None
        else:
            v = _parse(v, col.type)
        values[col.name] = v
    if "name" in values and "name_folded" in table.c:
        values["name_folded"] = fold(values["name"])
    if table is s.ties and values["a_id"] > values["b_id"]:
        values["a_id"], values["b_id"] = values["b_id"], values["a_id"]
    return values  # the bulk writer fills in the columns' defaults


def _child_values(table: Table, fks: dict[str, Table], rec: dict[str, Any],
                  maps: dict[str, dict[str, int]]) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    for col in table.columns:
        if col.name == "id" or col.name not in rec:
            continue
        v = rec[col.name]
        if col.name in fks:
            v = maps[fks[col.name].name].get(v)
            if v is None:
                return None
        else:
            v = _parse(v, col.type)
        values[col.name] = v
    return values


# What makes a detail row the same as one already held, by table; the first column
# finds the candidates. A role is the same role only with the same title and dates: a
# person can hold several at one organization (an internship, then a job), and keying
# roles on person and organization alone kept one of them.
_IDENTITY: dict[str, tuple[str, ...]] = {
    "person_emails": ("person_id", "value"),
    "person_phones": ("person_id", "value"),
    "person_urls": ("person_id", "value"),
    "person_addresses": ("person_id", "value"),
    "roles": ("person_id", "org_id", "title", "department", "start_date", "end_date"),
    "interaction_participants": ("person_id", "interaction_id"),
    "taggings": ("subject_id", "subject_kind", "tag_id"),
}


def _insert_new_children(j: Journal, bulk: Any, table: Table, fks: dict[str, Table],
                         rows: list[dict[str, Any]], created: dict[str, set[int]],
                         seen: set[tuple[Any, ...]]) -> None:
    """Insert the detail rows not already held, in bulk. A row that points at a record
    this load created cannot be held yet; the others are checked against the database
    a few hundred parents at a time. `seen`: what earlier chunks of the same table
    wrote (the backup's own repeats are written once)."""
    if not rows:
        return
    cols = _IDENTITY[table.name]

    def fresh(row: dict[str, Any]) -> bool:
        if table is s.taggings:
            return row["subject_id"] in created.get(SUBJECT_TABLES[row["subject_kind"]].name,
                                                    set())
        return any(row[c] in created.get(t.name, set()) for c, t in fks.items())

    maybe = [r for r in rows if not fresh(r)]
    held: set[tuple[Any, ...]] = set()
    parents = sorted({r[cols[0]] for r in maybe})
    for i in range(0, len(parents), 500):
        q = select(*(table.c[c] for c in cols)).where(table.c[cols[0]].in_(parents[i:i + 500]))
        held.update(tuple(r) for r in j.conn.execute(q))
    new: list[dict[str, Any]] = []
    for r in rows:
        ident = tuple(r.get(c) for c in cols)
        if ident not in held and ident not in seen:
            seen.add(ident)  # the backup's own repeats, once
            new.append(r)
    bulk.insert(table, new)
    j.count += len(new)


def _public_ids_held(conn: Connection, table: Table, pids: list[str]) -> set[str]:
    out: set[str] = set()
    for i in range(0, len(pids), 500):
        out.update(conn.execute(select(table.c.public_id).where(
            table.c.public_id.in_(pids[i:i + 500]))).scalars())
    return out


# -- validation of an untrusted backup (RELIABILITY.md check 4) --------------------------

MAX_TEXT = 100_000  # any free text, the cap every other importer applies
MAX_PHOTO = 8 * 1024 * 1024  # a data URI, as the vCard reader allows
_SKIP = ("id", "name_folded")


def _type_problem(value: Any, col: Any) -> str | None:
    """What is wrong with `value` for column `col`, or None."""
    t = col.type
    if value is None:
        return None
    if isinstance(t, Boolean):
        return None if isinstance(value, bool) else "is not true or false"
    if isinstance(t, Integer):
        ok = isinstance(value, int) and not isinstance(value, bool)
        if ok and not -(2 ** 63) <= value < 2 ** 63:
            return "is out of range"
        return None if ok else "is not a whole number"
    if isinstance(t, Float | Numeric):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else "is not a number"
    if isinstance(t, DateTime | Date):
        if not isinstance(value, str) or len(value) > 40:
            return "is not a date"
        try:
            (datetime if isinstance(t, DateTime) else date).fromisoformat(value)
        except ValueError:
            return "is not a date"
        return None
    if isinstance(t, JSON):
        return None
    if isinstance(t, String) or hasattr(t, "impl"):
        if not isinstance(value, str):
            return f"is a {_kind(value)}, not text"
        cap = getattr(t, "length", None) or (MAX_PHOTO if col.name == "photo" else MAX_TEXT)
        if len(value) > cap:
            return f"is {len(value):,} characters long, more than {cap:,}"
        if "\x00" in value:
            return "holds a NUL character"
        return None
    return None


def _kind(value: Any) -> str:
    return {bool: "true/false", int: "number", float: "number", list: "list",
            dict: "object", str: "text"}.get(type(value), type(value).__name__)


def validate(tables: Any, *, filename: str) -> None:
    """Check every row of a backup before anything is written: known tables and
    columns, types, lengths, required values, unique public ids and references that
    name a record in the backup. Raises ImportFailed naming the first problem."""
    from kithbook.errors import ImportFailed

    def fail(where: str, problem: str) -> ImportFailed:
        return ImportFailed(f"{filename} is not a valid Kithbook backup: {where} {problem}; "
                            "nothing was written.")

    if not isinstance(tables, dict):
        raise fail("'tables'", "is not an object")
    fk_of = {t.name: (t, fks) for t, fks in ENTITY_TABLES + [(s.notes, {})] + CHILD_TABLES}
    known = set(fk_of) | {"taggings"}
    for name, rows in tables.items():
        if name not in known:
            raise fail(f"table {str(name)[:40]!r}", "is not one Kithbook writes")
        if isinstance(rows, str | dict) or not isinstance(rows, Iterable):
            raise fail(f"table {name!r}", f"is a {_kind(rows)}, not a list of rows")
    ids: dict[str, set[str]] = {}
    for name, (table, fks) in fk_of.items():
        cols = {c.name: c for c in table.columns if c.name not in _SKIP}
        seen: set[str] = set()
        for i, rec in enumerate(tables.get(name, []), 1):
            where = f"{name} row {i}"
            if not isinstance(rec, dict):
                raise fail(where, f"is a {_kind(rec)}, not an object")
            for key, value in rec.items():
                col = cols.get(key)
                if col is None:
                    raise fail(where, f"has an unknown field {str(key)[:40]!r}")
                if key in fks or (table is s.notes and key == "subject_id"):
                    if value is not None and not (isinstance(value, str) and len(value) <= 32):
                        raise fail(f"{where}, {key}", "is not a Kithbook id")
                    continue
                problem = _type_problem(value, col)
                if problem:
                    raise fail(f"{where}, {key}", problem)
            for col in cols.values():
                required = not col.nullable and col.default is None and (
                    col.server_default is None) and not (
                    table is s.notes and col.name == "subject_id")  # its subject is gone
                if required and rec.get(col.name) is None:
                    raise fail(where, f"has no {col.name}")
            if "public_id" in cols:
                pid = rec["public_id"]
                if pid in seen:
                    raise fail(where, f"repeats the id {pid[:32]!r}")
                seen.add(pid)
        ids[name] = seen
    for name, (table, fks) in fk_of.items():
        for i, rec in enumerate(tables.get(name, []), 1):
            for key, target in fks.items():
                ref = rec.get(key)
                if ref is not None and ref not in ids[target.name]:
                    raise fail(f"{name} row {i}, {key}",
                               f"names {str(ref)[:32]!r}, which is not in the backup")
            if table is s.notes:
                kind = rec.get("subject_kind")
                if kind not in SUBJECT_TABLES:
                    raise fail(f"notes row {i}, subject_kind", "is not person, org, "
                               "interaction or note")
                subject = rec.get("subject_id")
                if subject is not None and subject not in ids[SUBJECT_TABLES[kind].name]:
                    raise fail(f"notes row {i}, subject_id", "names a record not in the backup")
    for i, t in enumerate(tables.get("taggings", []), 1):
        where = f"taggings row {i}"
        if not isinstance(t, dict) or set(t) != {"tag", "subject_kind", "subject_id"}:
            raise fail(where, "is not an object with tag, subject_kind and subject_id")
        if not isinstance(t["tag"], str) or not 0 < len(t["tag"]) <= 100:
            raise fail(f"{where}, tag", "is not a tag name")
        kind = t["subject_kind"]
        if not isinstance(kind, str) or kind not in SUBJECT_TABLES:
            raise fail(f"{where}, subject_kind", "is not person, org, interaction or note")
        subject = t["subject_id"]
        if not isinstance(subject, str) or subject not in ids[SUBJECT_TABLES[kind].name]:
            raise fail(f"{where}, subject_id", "names a record not in the backup")
