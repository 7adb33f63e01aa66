"""Bulk writes on PostgreSQL by COPY, inside the caller's transaction.

An executemany there is one statement per row, each parsed and each firing the graph
log's statement-level triggers (docs/graph-cache.md); an INSERT of many VALUES spends
its time building and parsing the statement. COPY does neither, and fires a
statement-level trigger once for all its rows.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import sqltypes

# A table with at least this many rows written since its planner statistics were made,
# and at least half as many as it held then, gets them made again at once.
ANALYZE_ROWS = 1000


def analyze_grown(conn: Connection, written: Mapping[str, int]) -> list[str]:
    """ANALYZE, inside the caller's transaction (it counts the transaction's own rows),
    each table of `written` (table name -> rows this job wrote) that grew by at least
    ANALYZE_ROWS and by half what the planner last knew. Autovacuum does this in its own
    time, or never where it is off (this project's test machines): after a 100,000-person
    demo no table had statistics and a people search page took 85 ms, 17 ms after
    ANALYZE (1.2 s for the whole database). Returns the tables analyzed."""
    if conn.dialect.name != "postgresql":
        return []
    from kithbook.store.schema import metadata

    names = [t for t, n in written.items() if n >= ANALYZE_ROWS and t in metadata.tables]
    if not names:
        return []
    held = {r[0]: float(r[1]) for r in conn.execute(text(
        "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' "
        "AND relnamespace = CAST(current_schema() AS regnamespace) AND relname = ANY(:n)"),
        {"n": names})}
    grown = [t for t in names if written[t] >= max(held.get(t, 0.0), 0.0) / 2]
    analyze(conn, grown)
    return grown


def analyze(conn: Connection, tables: Sequence[str]) -> None:
    """ANALYZE these tables (their names are the schema's own, never user text)."""
    for t in tables:
        conn.execute(text(f'ANALYZE "{t}"'))


def scalar_defaults(table: Table) -> dict[str, Any]:
    """The Python-side column defaults a bulk write must apply itself: COPY and the
    DB-API executemany skip SQLAlchemy's."""
    return {c.name: getattr(c.default, "arg", None) for c in table.columns
            if c.default is not None and c.default.is_scalar}


def next_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """n keys from the table's own sequence (PostgreSQL), for rows written by COPY. With
    no other writer drawing at the same moment they are one run of numbers, and only
    its ends cross the wire (183,831 keys as rows took 1.3 s); otherwise the keys
    themselves, as one array."""
    if n <= 0:
        return []
    low, high, keys = conn.execute(text(
        "SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL "
        "ELSE array_agg(v) END FROM (SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
        "AS v FROM generate_series(1, :n)) AS drawn"), {"t": table.name, "n": n}).one()
    if keys is None:  # n distinct keys from low to high: every one of them
        return list(range(int(low), int(high) + 1))
    return [int(k) for k in keys]


def _processor(column_type: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """How a value goes into COPY: the dialect's own bind processor, except for JSON,
    written as its text at once (what psycopg's Json wrapper would send, without the
    wrapper and the dumper lookup per value: a sixth of a ties import's time)."""
    if isinstance(column_type, sqltypes.JSON):
        null = None if column_type.none_as_null else "null"

        def as_json(value: Any) -> Any:
            return null if value is None else json.dumps(value)

        return as_json
    proc: Callable[[Any], Any] | None = column_type.dialect_impl(dialect).bind_processor(
        dialect)
    return proc


def copy_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows written with PostgreSQL's COPY, inside the caller's transaction, with
    SQLAlchemy's own value processors: an INSERT of many VALUES spends most of its time
    building and parsing the statement (ties import: 9.5 s of 13.6 s for 8,000 ties)."""
    if not rows:
        return
    defaults = scalar_defaults(table)
    cols = list(dict.fromkeys([*(k for r in rows for k in r), *defaults]))
    dialect = conn.dialect
    # only the columns whose values need converting are touched row by row (most need
    # nothing: a ties import converts one column of nine)
    procs = [(i, p) for i, c in enumerate(cols)
             if (p := _processor(table.c[c].type, dialect)) is not None]
    get: Callable[[dict[str, Any]], Any]
    if len(cols) > 1 and all(len(r) == len(cols) for r in rows):  # all columns in all rows
        get = operator.itemgetter(*cols)
    else:
        def get(r: dict[str, Any]) -> Any:
            return tuple(r[c] if c in r else defaults.get(c) for c in cols)
    raw = conn.connection.driver_connection
    names = ", ".join(f'"{c}"' for c in cols)
    import psycopg

    try:
        with raw.cursor() as cur, cur.copy(  # type: ignore[union-attr]
                f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for r in rows:
                values = get(r)
                if procs:
                    values = list(values)
                    for i, p in procs:
                        values[i] = p(values[i])
                copy.write_row(values)
    except psycopg.IntegrityError as exc:
        # the driver's own error, outside SQLAlchemy: give it the shape every other
        # constraint failure has, so it reaches the user as one Conflict line
        raise IntegrityError(f"COPY {table.name}", None, exc) from exc


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Many rows into a table inside the caller's transaction: COPY on PostgreSQL past a
    handful (an executemany of 40,000 search documents took 1.2 s), else an executemany
    5,000 rows a statement."""
    if not rows:
        return
    if conn.dialect.name == "postgresql" and len(rows) > 50:
        copy_insert(conn, table, rows)
        return
    for start in range(0, len(rows), 5000):
        conn.execute(table.insert(), rows[start:start + 5000])
