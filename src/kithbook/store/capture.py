"""SQL for capture: sources, runs, captured items, and unknown correspondents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from kithbook.domain.models import CaptureMark
from kithbook.store import schema as s
from kithbook.store.capture_schema import capture_contacts, capture_runs, capture_sources, captured
from kithbook.store.journal import Journal
from kithbook.store.key_lists import distinct_parts, one_of
from kithbook.store.rows import utc

# -- sources --------------------------------------------------------------------------


def insert_source(j: Journal, row: dict[str, Any]) -> int:
    key = j.insert(capture_sources, {**row, "created_at": j.now, "updated_at": j.now})
    assert key is not None
    return key


def sources(conn: Connection, *, include_removed: bool = False) -> list[dict[str, Any]]:
    q = select(capture_sources).order_by(capture_sources.c.name, capture_sources.c.id)
    if not include_removed:
        q = q.where(capture_sources.c.deleted_at.is_(None))
    return [dict(r._mapping) for r in conn.execute(q)]


def source_by_ref(conn: Connection, ref: str) -> list[dict[str, Any]]:
    """Live sources whose public id starts with `ref` or whose name is `ref`."""
    c = capture_sources.c
    rows = conn.execute(
        select(capture_sources).where(
            c.deleted_at.is_(None),
            or_(c.public_id == ref.lower(), c.public_id.startswith(ref.lower()),
                func.lower(c.name) == ref.lower()),
        )
    ).all()
    return [dict(r._mapping) for r in rows]


def update_source(j: Journal, key: int, values: dict[str, Any]) -> None:
    j.update(capture_sources, key, {**values, "updated_at": j.now})


# -- runs ------------------------------------------------------------------------------


def start_run(conn: Connection, *, public_id: str, source_key: int, batch_id: str,
              now: datetime) -> int:
    """The run log is not journaled: undoing a run keeps the record that it happened."""
    stale = capture_runs.c.status == "running"
    conn.execute(
        update(capture_runs)
        .where(capture_runs.c.source_id == source_key, stale)
        .values(status="interrupted", message="stopped before it finished; the next run "
                "continued from the last step it saved")
    )
    key = conn.execute(capture_runs.insert().values(
        public_id=public_id, source_id=source_key, batch_id=batch_id, started_at=now,
        status="running", stats={},
    )).inserted_primary_key
    assert key is not None
    return int(key[0])


def save_run(conn: Connection, key: int, *, stats: dict[str, Any], status: str | None = None,
             finished_at: datetime | None = None, message: str | None = None) -> None:
    values: dict[str, Any] = {"stats": stats}
    if status is not None:
        values["status"] = status
    if finished_at is not None:
        values["finished_at"] = finished_at
    if message is not None:
        values["message"] = message
    conn.execute(update(capture_runs).where(capture_runs.c.id == key).values(**values))


def runs(conn: Connection, *, source_key: int | None = None, limit: int = 20
         ) -> list[dict[str, Any]]:
    """Recent runs with their source's name and whether `undo` reversed them."""
    r, src = capture_runs, capture_sources
    undone = (
        select(func.max(s.changes.c.undone_at))
        .where(s.changes.c.batch_id == r.c.batch_id)
        .scalar_subquery()
    )
    q = (
        select(r, src.c.name.label("source_name"), src.c.public_id.label("source_public_id"),
               undone.label("undone_at"))
        .join(src, src.c.id == r.c.source_id)
        .order_by(r.c.id.desc())
        .limit(limit)
    )
    if source_key is not None:
        q = q.where(r.c.source_id == source_key)
    return [dict(x._mapping) for x in conn.execute(q)]


# -- captured items --------------------------------------------------------------------


@dataclass
class CapturedRow:
    key: int
    item_key: str
    thread_key: str
    interaction_id: int | None
    fingerprint: str | None
    status: str
    direction: str


def captured_by_keys(conn: Connection, origin: str, keys: Iterable[str]
                     ) -> dict[str, CapturedRow]:
    c = captured.c
    out: dict[str, CapturedRow] = {}
    for chunk in distinct_parts(conn, keys):
        for r in conn.execute(
            select(c.id, c.item_key, c.thread_key, c.interaction_id, c.fingerprint, c.status,
                   c.direction).where(c.origin == origin, one_of(conn, c.item_key, chunk))
        ):
            out[r.item_key] = CapturedRow(r.id, r.item_key, r.thread_key, r.interaction_id,
                                          r.fingerprint, r.status, r.direction)
    return out


@dataclass
class ThreadItem:
    item_key: str
    thread_key: str
    interaction_id: int
    occurred_at: datetime


def items_in_threads(conn: Connection, origin: str, thread_keys: Iterable[str]
                     ) -> list[ThreadItem]:
    """The kept items of these threads that belong to an interaction."""
    c = captured.c
    out: list[ThreadItem] = []
    for chunk in distinct_parts(conn, thread_keys):
        for r in conn.execute(
            select(c.item_key, c.thread_key, c.interaction_id, c.occurred_at)
            .where(c.origin == origin, one_of(conn, c.thread_key, chunk),
                   c.status == "kept", c.interaction_id.is_not(None))
        ):
            when = utc(r.occurred_at)
            assert when is not None
            out.append(ThreadItem(r.item_key, r.thread_key, int(r.interaction_id), when))
    return out


def interaction_summaries(conn: Connection, keys: Iterable[int]) -> dict[int, str | None]:
    i = s.interactions
    out: dict[int, str | None] = {}
    for chunk in distinct_parts(conn, keys):
        for r in conn.execute(select(i.c.id, i.c.summary).where(one_of(conn, i.c.id, chunk))):
            out[r.id] = r.summary
    return out


@dataclass
class ThreadState:
    interaction_id: int | None
    directions: set[str]
    unlinked: list[int]  # captured rows of the thread with no interaction yet


def threads(conn: Connection, origin: str, thread_keys: Iterable[str]
            ) -> dict[str, ThreadState]:
    c = captured.c
    out: dict[str, ThreadState] = {}
    for chunk in distinct_parts(conn, thread_keys):
        for r in conn.execute(
            select(c.id, c.thread_key, c.interaction_id, c.direction)
            .where(c.origin == origin, one_of(conn, c.thread_key, chunk),
                   c.status == "kept")
        ):
            st = out.setdefault(r.thread_key, ThreadState(None, set(), []))
            st.directions.add(r.direction)
            if r.interaction_id is None:
                st.unlinked.append(r.id)
            elif st.interaction_id is None:
                st.interaction_id = r.interaction_id
    return out


def interaction_state(conn: Connection, keys: Sequence[int]
                      ) -> dict[int, tuple[datetime, int | None, set[int], Any]]:
    """interaction -> (occurred_at, initiated_by, participants, deleted_at)."""
    i, ip = s.interactions, s.interaction_participants
    out: dict[int, tuple[datetime, int | None, set[int], Any]] = {}
    for chunk in distinct_parts(conn, keys):
        for r in conn.execute(
            select(i.c.id, i.c.occurred_at, i.c.initiated_by_id, i.c.deleted_at)
            .where(one_of(conn, i.c.id, chunk))
        ):
            when = utc(r.occurred_at)
            assert when is not None
            out[r.id] = (when, r.initiated_by_id, set(), r.deleted_at)
        for part in conn.execute(
            select(ip.c.interaction_id, ip.c.person_id)
            .where(one_of(conn, ip.c.interaction_id, chunk))
        ):
            out[part.interaction_id][2].add(part.person_id)
    return out


def captured_with_party(conn: Connection, address: str) -> list[dict[str, Any]]:
    """Kept items that named an address among the others (for a proposal accepted)."""
    c = captured.c
    like = f"%{address}%"
    rows = conn.execute(
        select(captured).where(c.parties.like(like), c.status == "kept").order_by(c.id)
    ).all()
    return [dict(r._mapping) for r in rows if address in (r.parties or "").split()]


def capture_marks(conn: Connection, interaction_keys: Sequence[int]) -> dict[int, CaptureMark]:
    """How each captured interaction came in; interactions logged by hand have none."""
    c, src = captured.c, capture_sources.c
    out: dict[int, CaptureMark] = {}
    for chunk in distinct_parts(conn, interaction_keys):
        rows = conn.execute(
            select(c.interaction_id, c.origin, func.count(), func.min(c.item_key),
                   func.min(c.locator), func.min(src.name))
            .select_from(captured.outerjoin(capture_sources, src.id == c.source_id))
            .where(one_of(conn, c.interaction_id, chunk))
            .group_by(c.interaction_id, c.origin)
        )
        for r in rows:
            name = f"{r[1]} from {r[5]}" if r[5] else str(r[1])
            out[r[0]] = CaptureMark(id=r[3] or "", name=name, origin=r[1], source=r[5],
                                    items=int(r[2]), locator=r[4])
    return out


# -- unknown correspondents -------------------------------------------------------------


def contacts_by_address(conn: Connection, addresses: Iterable[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for chunk in distinct_parts(conn, addresses):
        for r in conn.execute(select(capture_contacts).where(
                one_of(conn, capture_contacts.c.address, chunk))):
            out[r.address] = dict(r._mapping)
    return out


def contacts(conn: Connection, *, status: str | None = "proposed", limit: int = 200,
             offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    c = capture_contacts.c
    where = [c.status == status] if status else []
    total = conn.execute(select(func.count()).select_from(capture_contacts).where(*where)
                         ).scalar_one()
    rows = conn.execute(
        select(capture_contacts).where(*where)
        .order_by((c.msgs_in + c.msgs_out).desc(), c.last_seen.desc(), c.id)
        .limit(limit).offset(offset)
    ).all()
    return [dict(r._mapping) for r in rows], int(total)


def person_email_index(conn: Connection) -> Iterator[tuple[str, int, bool]]:
    """(stored address, person key, is me) of every live person, streamed."""
    p, e = s.people, s.person_emails
    res = conn.execute(  # streamed by the statement, so the connection stays as it is
        select(e.c.normalized, e.c.person_id, p.c.is_me)
        .join(p, p.c.id == e.c.person_id)
        .where(p.c.deleted_at.is_(None))
        .order_by(e.c.person_id)
        .execution_options(stream_results=True)
    )
    for part in res.partitions(20_000):
        for r in part:
            yield r[0], int(r[1]), bool(r[2])


def last_touches(conn: Connection, keys: Iterable[int]) -> dict[int, datetime | None]:
    out: dict[int, datetime | None] = {}
    for chunk in distinct_parts(conn, keys):
        for r in conn.execute(select(s.people.c.id, s.people.c.last_touch_at)
                              .where(one_of(conn, s.people.c.id, chunk))):
            out[r.id] = utc(r.last_touch_at)
    return out


def live_interaction_keys(conn: Connection, keys: Iterable[int]) -> set[int]:
    i = s.interactions
    out: set[int] = set()
    for chunk in distinct_parts(conn, keys):
        out |= {r[0] for r in conn.execute(
            select(i.c.id).where(one_of(conn, i.c.id, chunk), i.c.deleted_at.is_(None)))}
    return out


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def bulk_update(j: Journal, table: Any, changes: Sequence[tuple[int, dict[str, Any],
                                                                 dict[str, Any]]]) -> None:
    """Update many rows by id, journaled as `Journal.update` would, in a few statements:
    (key, before, after) with the same columns in every `after`."""
    if not changes:
        return
    cols = list(changes[0][2])
    stmt = update(table).where(table.c.id == _bindparam("_key")).values(
        {c: _bindparam("v_" + c) for c in cols})
    j.conn.execute(stmt, [{"_key": k, **{"v_" + c: v for c, v in after.items()}}
                          for k, _b, after in changes])
    j.log_many(table, [({"id": k}, "update", {c: _plain(before.get(c)) for c in cols},
                        {c: _plain(after[c]) for c in cols}) for k, before, after in changes])


def _bindparam(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name)


def source_public_id(conn: Connection, key: int | None) -> str:
    if key is None:
        return "unknown"
    return str(conn.execute(select(capture_sources.c.public_id).where(
        capture_sources.c.id == key)).scalar() or "unknown")


def item_keys_at(conn: Connection, origin: str, locator: str) -> list[str]:
    """Kept items read from one place (a CalDAV object's href)."""
    c = captured.c
    return list(conn.execute(select(c.item_key).where(
        c.origin == origin, c.locator == locator[:500], c.status == "kept")).scalars())

