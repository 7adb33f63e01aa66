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
        t.name: dict(conn.execute(select(t.c.id, t.c.public_id)).tuples().all())
        for t in (s.people, s.orgs, s.interactions, s.notes)
    }


def dump(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    maps = _key_maps(conn)
    out: dict[str, list[dict[str, Any]]] = {}
    for table, fks in ENTITY_TABLES + [(s.notes, {})]:
        rows = []
        for r in conn.execute(select(table).order_by(table.c.public_id)):
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
            rows.append(rec)
        out[table.name] = rows
    for table, fks in CHILD_TABLES:
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
        rows.sort(key=lambda rec: tuple(str(rec[k]) for k in fks))
        out[table.name] = rows
    tag_names = dict(conn.execute(select(s.tags.c.id, s.tags.c.name)).tuples().all())
    taggings = []
    for r in conn.execute(select(s.taggings)):
        subject = maps[SUBJECT_TABLES[r.subject_kind].name].get(r.subject_id)
        if subject is not None:
            taggings.append(
                {"tag": tag_names[r.tag_id], "subject_kind": r.subject_kind, "subject_id": subject}
            )
    taggings.sort(key=lambda t: (t["subject_kind"], t["subject_id"], t["tag"]))
    out["taggings"] = taggings
    return out


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
    tag_ids = dict(conn.execute(select(s.tags.c.name, s.tags.c.id)).tuples().all())
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
