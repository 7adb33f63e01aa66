"""Whole-database dump and load for Kithbook's JSON backup. Integer keys never leave
the database: references are written as public ids, so a backup loads into any
database and round-trips exactly."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, select

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
    j: Journal, data: dict[str, list[dict[str, Any]]], *, keep_me: bool
) -> Iterator[tuple[str, str]]:
    """Insert records whose public id is new. Yields (kind, 'created'|'skipped')."""
    from kithbook.domain.text import fold

    conn = j.conn
    maps = {name: {v: k for k, v in m.items()} for name, m in _key_maps(conn).items()}
    met_via: list[tuple[int, str]] = []  # resolved once every person is in
    for table, fks in ENTITY_TABLES + [(s.notes, {})]:
        for rec in data.get(table.name, []):
            pid = rec.get("public_id")
            if not pid:
                continue
            if (
                table.name in maps
                and pid in maps[table.name]
                or (
                    table.name not in maps
                    and conn.execute(select(table.c.id).where(table.c.public_id == pid)).first()
                )
            ):
                yield table.name, "skipped"
                continue
            values: dict[str, Any] = {}
            for col in table.columns:
                if col.name == "id" or col.name not in rec:
                    continue
                v = rec[col.name]
                if table is s.people and col.name == "met_via_id":
                    v = None
                elif col.name in fks and v is not None:
                    v = maps[fks[col.name].name].get(v)
                elif table is s.notes and col.name == "subject_id":
                    v = maps[SUBJECT_TABLES[rec["subject_kind"]].name].get(v)
                    if v is None:
                        break
                else:
                    v = _parse(v, col.type)
                values[col.name] = v
            else:
                if "name" in values and "name_folded" in table.c:
                    values["name_folded"] = fold(values["name"])
                if table is s.ties and values["a_id"] > values["b_id"]:
                    values["a_id"], values["b_id"] = values["b_id"], values["a_id"]
                if table is s.people and values.get("is_me") and keep_me:
                    values["is_me"] = False
                key = j.insert(table, values)
                if table.name in maps:
                    maps[table.name][pid] = key  # type: ignore[assignment]
                if table is s.people and rec.get("met_via_id"):
                    met_via.append((key, rec["met_via_id"]))  # type: ignore[arg-type]
                yield table.name, "created"
        if table is s.people:
            for key, via in met_via:
                if via in maps["people"]:
                    j.update(s.people, key, {"met_via_id": maps["people"][via]})
    for table, fks in CHILD_TABLES:
        for rec in data.get(table.name, []):
            values = {}
            ok = True
            for col in table.columns:
                if col.name == "id" or col.name not in rec:
                    continue
                v = rec[col.name]
                if col.name in fks:
                    v = maps[fks[col.name].name].get(v)
                    if v is None:
                        ok = False
                        break
                else:
                    v = _parse(v, col.type)
                values[col.name] = v
            if ok and not _child_exists(conn, table, values):
                j.insert(table, values)
    tag_ids = dict(conn.execute(select(s.tags.c.name, s.tags.c.id)).all())
    for t in data.get("taggings", []):
        subject = maps[SUBJECT_TABLES[t["subject_kind"]].name].get(t["subject_id"])
        if subject is None:
            continue
        if t["tag"] not in tag_ids:
            tag_ids[t["tag"]] = j.insert(s.tags, {"name": t["tag"]})
        values = {
            "tag_id": tag_ids[t["tag"]],
            "subject_kind": t["subject_kind"],
            "subject_id": subject,
        }
        if not _child_exists(conn, s.taggings, values):
            j.insert(s.taggings, values)


def _child_exists(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    keys = [
        c
        for c in (
            "person_id",
            "org_id",
            "interaction_id",
            "value",
            "tag_id",
            "subject_kind",
            "subject_id",
        )
        if c in values and c in table.c
    ]
    if not keys:
        return False
    return (
        conn.execute(select(table).where(*(table.c[k] == values[k] for k in keys)).limit(1)).first()
        is not None
    )


# -- validation of an untrusted backup (RELIABILITY.md check 4) --------------------------

MAX_TEXT = 100_000  # any free text, the cap every other importer applies
MAX_PHOTO = 8 * 1024 * 1024  # a data URI, as the vCard reader allows
_SKIP = ("id", "name_folded")


def _type_problem(value: Any, col: Any) -> str | None:
    """What is wrong with `value` for column `col`, or None."""
    from sqlalchemy import JSON, Boolean, Float, Integer, Numeric, String

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
        if not isinstance(rows, list):
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
