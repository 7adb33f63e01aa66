"""Bulk loading for generated data (the demo network, benchmarks): executemany in large
chunks inside the caller's single transaction. With a journal, every inserted row is
journaled by its key (many per statement), so `undo` removes the whole load; without
one (benchmarks), nothing is journaled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, func, select, update

from kithbook.store import schema as s
from kithbook.store import search as st_search
from kithbook.store.journal import Journal
from kithbook.store.keys import inserted_key

CHUNK = 20_000

Progress = Callable[[str, int], None]


def max_key(conn: Connection) -> int:
    return max(
        int(conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one())
        for t in (s.people, s.orgs)
    )


def _insert(
    conn: Connection, table: Any, rows: list[dict[str, Any]], progress: Progress | None,
    journal: Journal | None = None,
) -> None:
    if journal is not None and rows and "id" in table.c and table.c.id.primary_key:
        # the journal needs each row's key: hand the keys out here (the caller holds
        # the write transaction; resync_sequences moves PostgreSQL's sequences after)
        nxt = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one() + 1
        for row in rows:
            if row.get("id") is None:
                row["id"] = nxt
            nxt = max(nxt, row["id"]) + 1
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        conn.execute(table.insert(), chunk)
        if journal is not None:
            journal.inserted(table, chunk)
        if progress:
            progress(table.name, len(chunk))


def load(
    conn: Connection,
    tables: dict[str, list[dict[str, Any]]],
    search_docs: list[tuple[str, int, str]],
    progress: Progress | None = None,
    journal: Journal | None = None,
) -> dict[str, int]:
    """Insert the generated rows with the graph change log suspended
    (store/graph_log.suspended: the load is one change to the whole graph, so caches
    rebuild once); `journal` journals each of them (see the module)."""
    from kithbook.store import graph_log

    with graph_log.suspended(conn):
        return _load(conn, tables, search_docs, progress, journal)


def _load(
    conn: Connection,
    tables: dict[str, list[dict[str, Any]]],
    search_docs: list[tuple[str, int, str]],
    progress: Progress | None,
    journal: Journal | None,
) -> dict[str, int]:
    counts: dict[str, int] = {}
    j = journal
    _insert(conn, s.orgs, tables.get("orgs", []), progress, j)
    people = tables.get("people", [])
    met_via = [(p["id"], p["met_via_id"]) for p in people if p.get("met_via_id")]
    _insert(conn, s.people, [{**p, "met_via_id": None} for p in people], progress, j)
    for start in range(0, len(met_via), CHUNK):
        for key, via in met_via[start : start + CHUNK]:
            conn.execute(update(s.people).where(s.people.c.id == key).values(met_via_id=via))
    for name in ("person_emails", "person_phones", "roles", "ties"):
        _insert(conn, s.metadata.tables[name], tables.get(name, []), progress, j)
    next_int = (
        conn.execute(select(func.coalesce(func.max(s.interactions.c.id), 0))).scalar_one() + 1
    )
    interactions = tables.get("interactions", [])
    participants = []
    docs = list(search_docs)
    for i, row in enumerate(interactions):
        row["id"] = next_int + i
        for pkey in row.pop("_participants"):
            participants.append({"interaction_id": row["id"], "person_id": pkey})
        docs.append(
            (
                "interaction",
                row["id"],
                " ".join(
                    x
                    for x in (
                        row["summary"],
                        row["they_want"],
                        row["i_want"],
                        row["agreed"],
                        row["next_step"],
                    )
                    if x
                ),
            )
        )
    _insert(conn, s.interactions, interactions, progress, j)
    _insert(conn, s.interaction_participants, participants, progress, j)
    _insert(conn, s.promises, tables.get("promises", []), progress, j)
    next_note = conn.execute(select(func.coalesce(func.max(s.notes.c.id), 0))).scalar_one() + 1
    notes = tables.get("notes", [])
    for i, row in enumerate(notes):
        row["id"] = next_note + i
        docs.append(("note", row["id"], row["body"]))
    _insert(conn, s.notes, notes, progress, j)
    tag_ids = dict(conn.execute(select(s.tags.c.name, s.tags.c.id)).all())
    taggings = []
    for t in tables.get("taggings", []):
        if t["tag"] not in tag_ids:
            tag_ids[t["tag"]] = inserted_key(conn.execute(s.tags.insert().values(name=t["tag"])))
            if j is not None:
                j.inserted(s.tags, [{"id": tag_ids[t["tag"]]}])
        taggings.append(
            {
                "tag_id": tag_ids[t["tag"]],
                "subject_kind": t["subject_kind"],
                "subject_id": t["subject_id"],
            }
        )
    _insert(
        conn,
        s.taggings,
        list({(t["tag_id"], t["subject_id"]): t for t in taggings}.values()),
        progress,
        j,
    )
    _insert(conn, s.needs_offers, tables.get("needs_offers", []), progress, j)
    _insert(conn, s.ledger, tables.get("ledger", []), progress, j)
    st_search.bulk_load(conn, docs)
    if progress:
        progress("search", len(docs))
    resync_sequences(conn)
    for name, rows in tables.items():
        counts[name] = len(rows)
    counts["interaction_participants"] = len(participants)
    return counts


def resync_sequences(conn: Connection) -> None:
    """PostgreSQL sequences do not move when rows arrive with explicit keys: move them
    past the largest key, or the next ordinary insert collides."""
    if conn.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    for table in s.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
