"""Bulk loading for generated data (the demo network, benchmarks): large chunks inside
the caller's single transaction, by executemany on SQLite and COPY on PostgreSQL. With a
journal, every inserted row is journaled by its key (many per statement), so `undo`
removes the whole load; without one (benchmarks), nothing is journaled."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from sqlalchemy import Connection, func, select, update

from kithbook.store import schema as s
from kithbook.store import search as st_search
from kithbook.store.journal import Journal
from kithbook.store.keys import inserted_key
from kithbook.store.pg_copy import copy_insert

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
    postgres = conn.dialect.name == "postgresql"
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        if postgres:
            # one COPY per chunk: an executemany is one statement per row there, and
            # each fires the graph log's statement-level triggers (docs/graph-cache.md)
            copy_insert(conn, table, chunk)
        else:
            conn.execute(table.insert(), chunk)
        if journal is not None:
            journal.inserted(table, chunk)
        if progress:
            progress(table.name, len(chunk))


class Rows(Protocol):
    """A run of generated rows for one table (kithbook.demo.chunks.Chunk)."""

    table: str
    rows: list[Any]


def load(
    conn: Connection,
    chunks: Iterable[Rows],
    progress: Progress | None = None,
    journal: Journal | None = None,
) -> dict[str, int]:
    """Insert generated rows, a chunk at a time as they come (so memory stays bounded
    whatever the size), with the graph change log suspended (store/graph_log.suspended:
    the load is one change to the whole graph, so caches rebuild once); `journal`
    journals each of them (see the module). Returns the rows written per table."""
    from kithbook.store import graph_log

    with graph_log.suspended(conn):
        loader = _Loader(conn, progress, journal)
        for chunk in chunks:
            loader.take(chunk.table, chunk.rows)
        return loader.finish()


class _Loader:
    """Writes chunks of the tables the demo generator makes; a few need keys handed
    out or a search document derived as they pass."""

    def __init__(self, conn: Connection, progress: Progress | None,
                 journal: Journal | None) -> None:
        self.conn, self.progress, self.journal = conn, progress, journal
        self.counts: dict[str, int] = {}
        self.docs = 0
        self.tag_ids: dict[str, int] | None = None

    def _next_key(self, table: Any) -> int:
        return int(self.conn.execute(
            select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1

    def _count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def take(self, name: str, rows: list[Any]) -> None:
        conn, j = self.conn, self.journal
        if name == "search":
            self._search(rows)
            return
        if name == "people.met_via_id":
            for key, via in rows:
                conn.execute(update(s.people).where(s.people.c.id == key)
                             .values(met_via_id=via))
            return
        if name == "people.last_touch_at":
            for key, when in rows:
                conn.execute(update(s.people).where(s.people.c.id == key)
                             .values(last_touch_at=when))
            return
        self._count(name, len(rows))
        if name == "interactions":
            first = self._next_key(s.interactions)
            participants, docs = [], []
            for i, row in enumerate(rows):
                row["id"] = first + i
                participants += [{"interaction_id": row["id"], "person_id": key}
                                 for key in row.pop("_participants")]
                docs.append(("interaction", row["id"], " ".join(
                    x for x in (row["summary"], row["they_want"], row["i_want"],
                                row["agreed"], row["next_step"]) if x)))
            _insert(conn, s.interactions, rows, self.progress, j)
            _insert(conn, s.interaction_participants, participants, self.progress, j)
            self._count("interaction_participants", len(participants))
            self._search(docs)
            return
        if name == "notes":
            first = self._next_key(s.notes)
            for i, row in enumerate(rows):
                row["id"] = first + i
            _insert(conn, s.notes, rows, self.progress, j)
            self._search([("note", row["id"], row["body"]) for row in rows])
            return
        if name == "taggings":
            _insert(conn, s.taggings, self._taggings(rows), self.progress, j)
            return
        _insert(conn, s.metadata.tables[name], rows, self.progress, j)

    def _taggings(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if self.tag_ids is None:
            self.tag_ids = dict(self.conn.execute(select(s.tags.c.name, s.tags.c.id)).all())
        out: dict[tuple[int, int], dict[str, Any]] = {}
        for t in rows:
            if t["tag"] not in self.tag_ids:
                key = inserted_key(self.conn.execute(s.tags.insert().values(name=t["tag"])))
                self.tag_ids[t["tag"]] = key
                if self.journal is not None:
                    self.journal.inserted(s.tags, [{"id": key}])
            tag_id = self.tag_ids[t["tag"]]
            out[(tag_id, t["subject_id"])] = {
                "tag_id": tag_id, "subject_kind": t["subject_kind"],
                "subject_id": t["subject_id"]}
        return list(out.values())

    def _search(self, docs: list[tuple[str, int, str]]) -> None:
        st_search.insert_docs(self.conn, docs)
        self.docs += len(docs)

    def finish(self) -> dict[str, int]:
        st_search.rebuild_index(self.conn)
        if self.progress:
            self.progress("search", self.docs)
        resync_sequences(self.conn)
        from kithbook.store.pg_copy import analyze_grown

        analyze_grown(self.conn, {**self.counts, "search_docs": self.docs,
                                  "person_name_words": self.docs})
        return self.counts


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
