"""Turning rows into domain records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any


def utc(value: datetime | str | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def utc_at(value: datetime | str) -> datetime:
    """`utc` for a column that is never NULL."""
    out = utc(value)
    assert out is not None
    return out


def split_lines(text: str | None) -> list[str]:
    return [line for line in (text or "").split("\n") if line.strip()]


def mapping(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


@contextmanager
def driver_cursor(conn: Any, query: Any, *, server_side: bool = False) -> Iterator[Any]:
    """The driver's own cursor (in the connection's transaction), with a Core query
    executed on it: for reads where SQLAlchemy's per-row objects and type processing
    cost more than the query. `server_side`: on PostgreSQL a named cursor, so the client
    holds one `fetchmany` block at a time."""
    import uuid

    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    raw = conn.connection.driver_connection
    named = server_side and conn.dialect.name == "postgresql"
    cur = raw.cursor(name=f"kb_{uuid.uuid4().hex[:12]}") if named else raw.cursor()
    try:
        cur.execute(sql)
        yield cur
    finally:
        cur.close()


def driver_rows(conn: Any, query: Any) -> list[tuple[Any, ...]]:
    """The rows of a Core query as plain tuples (`driver_cursor`): for the largest reads
    of a view (the portfolio's RACI cells and activities). Values come as the driver
    gives them: on SQLite a date is its ISO text and a boolean 0 or 1 (`day` and `bool`
    turn them into Python values on both engines)."""
    with driver_cursor(conn, query) as cur:
        return list(cur.fetchall())


def day(value: date | str | None) -> date | None:
    """A date column read by `driver_rows`."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
