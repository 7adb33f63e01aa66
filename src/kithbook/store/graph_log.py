"""The graph change log kept by database triggers (migration 0010): the revision the
graph is at, and which people's ties changed since a revision. docs/graph-cache.md.

The tables live outside `schema.metadata` on purpose: they hold no personal data, are
never exported, and erasure and backups need not walk them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    select,
    text,
    update,
)

from kithbook.store import schema as s

_SQLITE_REV = "(SELECT coalesce(max(rev), 0) + 1 FROM graph_log)"


def _log_sqlite(person: str, interaction: str = "NULL") -> str:
    return (
        f"INSERT INTO graph_log (rev, person_id, interaction_id) "
        f"VALUES ({_SQLITE_REV}, {person}, {interaction});"
    )


_TRIGGER_PARTS = {
    "kb_graph_ties_ins": ("AFTER INSERT ON ties", _log_sqlite("NEW.a_id")
                          + _log_sqlite("NEW.b_id")),
    "kb_graph_ties_upd": ("AFTER UPDATE ON ties", _log_sqlite("OLD.a_id")
                          + _log_sqlite("OLD.b_id") + _log_sqlite("NEW.a_id")
                          + _log_sqlite("NEW.b_id")),
    "kb_graph_ties_del": ("AFTER DELETE ON ties", _log_sqlite("OLD.a_id")
                          + _log_sqlite("OLD.b_id")),
    "kb_graph_part_ins": ("AFTER INSERT ON interaction_participants",
                          _log_sqlite("NEW.person_id", "NEW.interaction_id")),
    "kb_graph_part_upd": ("AFTER UPDATE ON interaction_participants",
                          _log_sqlite("OLD.person_id", "OLD.interaction_id")
                          + _log_sqlite("NEW.person_id", "NEW.interaction_id")),
    "kb_graph_part_del": ("AFTER DELETE ON interaction_participants",
                          _log_sqlite("OLD.person_id", "OLD.interaction_id")),
    "kb_graph_int_upd": (
        "AFTER UPDATE OF occurred_at, channel, initiated_by_id, deleted_at ON interactions",
        _log_sqlite("NULL", "NEW.id")),
    "kb_graph_int_del": (
        "BEFORE DELETE ON interactions",
        "INSERT INTO graph_log (rev, person_id, interaction_id) SELECT "
        f"{_SQLITE_REV}, person_id, OLD.id FROM interaction_participants "
        "WHERE interaction_id = OLD.id;"),
    "kb_graph_people_ins": ("AFTER INSERT ON people", _log_sqlite("NEW.id")),
    "kb_graph_people_upd": ("AFTER UPDATE OF deleted_at ON people", _log_sqlite("NEW.id")),
    "kb_graph_people_del": ("AFTER DELETE ON people", _log_sqlite("OLD.id")),
}

# The exact statements (a restore accepts a file's triggers only when they are these).
SQLITE_TRIGGERS: dict[str, str] = {
    name: f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {body} END"
    for name, (when, body) in _TRIGGER_PARTS.items()
}


# Kept out of store.schema's metadata on purpose: these bookkeeping tables are not part
# of a backup (a restored database starts a new graph epoch), so dump/restore, which
# walk that metadata, never see them. Migrations still make them; tests compare both.
metadata = MetaData()
graph_log = Table(
    "graph_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rev", BigInteger, nullable=False, index=True),
    Column("person_id", Integer),
    Column("interaction_id", Integer),
)
graph_rev = Table(
    "graph_rev",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rev", BigInteger, nullable=False),  # PostgreSQL's counter (SQLite: unused)
    Column("epoch", String(32), nullable=False),
    # PostgreSQL: the transaction that last moved `rev` (one revision per transaction,
    # migration 0014)
    Column("xact", BigInteger),
)


def epoch(conn: Connection) -> str:
    """A random token made with the database: a restored or different database never
    passes for this one."""
    value = conn.execute(select(graph_rev.c.epoch).where(graph_rev.c.id == 1)).scalar()
    return str(value or "")


def new_epoch(conn: Connection) -> str:
    """Give the database a new identity: after a restore the revisions start again from
    the backup's, so a graph cached before must never pass for this database."""
    import secrets

    token = secrets.token_hex(8)
    conn.execute(update(graph_rev).where(graph_rev.c.id == 1).values(epoch=token))
    return token


@contextmanager
def suspended(conn: Connection) -> Iterator[None]:
    """Bulk writing without the change log, inside the caller's transaction; the
    database then takes a new identity, so every process rebuilds its graph once
    instead of replaying the write.

    SQLite's triggers fire per row: two log rows per tie and one per participant made a
    100,000-person demo load markedly slower. They are dropped for the write and made
    again after it (DDL is transactional in SQLite, so a failed write leaves them as
    they were). PostgreSQL's statement triggers cannot be disabled without a table lock
    and ownership; their functions return at once while the transaction's own setting
    `kithbook.graph_log` is `off` (migration 0016), which is set for the write and
    cleared after it, and in any case ends with the transaction."""
    if conn.dialect.name != "sqlite":
        # no `finally`: a failed write aborts the transaction, and the setting with it
        conn.execute(text("SELECT set_config('kithbook.graph_log', 'off', true)"))
        yield
        conn.execute(text("SELECT set_config('kithbook.graph_log', '', true)"))
        new_epoch(conn)
        return
    present = {str(r[0]) for r in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'")).all()}
    names = [name for name in SQLITE_TRIGGERS if name in present]
    for name in names:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for name in names:
        conn.execute(text(SQLITE_TRIGGERS[name]))
    new_epoch(conn)


# Past this many changed people the warm graph is rebuilt rather than patched
# (graph/warm.py), so a write that touches more skips the log altogether: the log rows
# would cost the write time and save no reader any.
BULK_PEOPLE = 5000


@contextmanager
def suspended_for(conn: Connection, people: int) -> Iterator[None]:
    """`suspended` for a write that touches more than BULK_PEOPLE people, else the log
    as usual (the graph then follows the write as a delta)."""
    if people > BULK_PEOPLE:
        with suspended(conn):
            yield
    else:
        yield


def state(conn: Connection) -> tuple[str, int]:
    """`epoch` and `revision` in one round trip (every warm-graph question asks both)."""
    row = conn.execute(select(
        graph_rev.c.epoch, select(func.max(graph_log.c.rev)).scalar_subquery())
        .where(graph_rev.c.id == 1)).first()
    if row is None:
        return "", revision(conn)
    return str(row[0] or ""), int(row[1] or 0)


def revision(conn: Connection) -> int:
    """The latest revision (an index lookup). Revisions are dense: every committed one
    is in the log until pruned."""
    return int(conn.execute(select(func.max(graph_log.c.rev))).scalar() or 0)


def oldest(conn: Connection) -> int | None:
    value = conn.execute(select(func.min(graph_log.c.rev))).scalar()
    return None if value is None else int(value)


def complete_since(conn: Connection, rev: int) -> bool:
    """Whether every change after `rev` is still in the log."""
    low = oldest(conn)
    return low is None or low <= rev + 1


def changed_people(conn: Connection, after: int, upto: int) -> NDArray[np.int64]:
    """People whose ties or pair evidence may differ between revisions `after` and
    `upto`: those logged, and every current participant of a logged interaction."""
    window = (graph_log.c.rev > after) & (graph_log.c.rev <= upto)
    direct = select(graph_log.c.person_id).where(window, graph_log.c.person_id.is_not(None))
    touched = select(graph_log.c.interaction_id).where(
        window, graph_log.c.interaction_id.is_not(None))
    via = select(s.interaction_participants.c.person_id).where(
        s.interaction_participants.c.interaction_id.in_(touched))
    rows = conn.execute(direct.union(via)).all()
    return np.array(sorted(int(r[0]) for r in rows), dtype=np.int64)


def prune(conn: Connection, upto: int) -> int:
    """Forget changes up to revision `upto` (kept: the newest entry, so the revision
    never goes back). Processes behind it reload the saved graph instead."""
    upto = min(upto, revision(conn) - 1)
    if upto <= 0:
        return 0
    return int(conn.execute(delete(graph_log).where(graph_log.c.rev <= upto)).rowcount or 0)
