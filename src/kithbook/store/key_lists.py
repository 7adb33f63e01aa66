"""Conditions on many keys at once, written the cheap way for each engine.

SQLite takes `col IN (?, ?, ...)`, a few hundred values a statement. On PostgreSQL the
same list is rendered into the statement's text at every run and parsed again by the
server: undoing an import of 20,000 contacts sent 40 statements of 500 values each to
drop their search documents, and rendering and splitting those lists cost the client
more (1.7 s) than the server took to run them. There the list goes as one array
parameter (`col = ANY(:keys)`), many thousands a statement."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, Text, any_, bindparam
from sqlalchemy.dialects import postgresql

SQLITE_PART = 500
PG_PART = 10_000


def array_of(column_type: Any) -> postgresql.ARRAY[Any]:
    """The PostgreSQL array type to send values of a column as. Text of a bounded
    column goes as unbounded text: a cast to `varchar(100)[]` cuts a longer value
    silently, and the cut value could then match a row it does not equal."""
    return postgresql.ARRAY(Text() if isinstance(column_type, String) else column_type)


def one_of(conn: Connection, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """`column` is one of `values` (keep `values` to `parts` of them)."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values),  # type: ignore[no-any-return]
                                        type_=array_of(column.type)))
    return column.in_(values)  # type: ignore[no-any-return]


def bound_one_of(column: Any, name: str, form: str) -> ColumnElement[bool]:
    """`column` is one of the values bound later as `name`, for a statement made once
    per `form` (`bound_form`): "array", one array parameter (PostgreSQL); "list", an
    expanding `IN` list (SQLite); "one", a single value. As an array the statement's
    text stays short and the same whatever the number of values, so the driver parses
    it once and the server can keep its plan; a page's details as twenty-value `IN`
    lists were 5,300 characters, which psycopg converts again at every run past 4,096."""
    if form == "one":
        return column == bindparam(name)  # type: ignore[no-any-return]
    if form == "array":
        return column == any_(bindparam(name, type_=array_of(column.type)))  # type: ignore[no-any-return]
    return column.in_(bindparam(name, expanding=True))  # type: ignore[no-any-return]


def bound_form(conn: Connection, count: int) -> str:
    """The form of `bound_one_of` for `count` values on this engine. One value is bound
    as itself: PostgreSQL keeps a plan made once for `= :value`, while it planned "one
    of an array" afresh at every run (a plan for any array is costed for ten values):
    one person's details took 0.51 ms of the server's CPU, 0.15 ms by one key."""
    if count == 1:
        return "one"
    return "array" if conn.dialect.name == "postgresql" else "list"


def bound_values(form: str, values: Sequence[Any]) -> Any:
    """What to bind for `values` in a statement of `bound_one_of` of this form."""
    return values[0] if form == "one" else list(values)


def parts(conn: Connection, values: Sequence[Any]) -> Iterator[list[Any]]:
    """`values` in slices of the size one statement of `one_of` takes on this engine."""
    size = PG_PART if conn.dialect.name == "postgresql" else SQLITE_PART
    for start in range(0, len(values), size):
        yield list(values[start:start + size])


def distinct_parts(conn: Connection, values: Iterable[Any]) -> Iterator[list[Any]]:
    """The distinct non-empty `values`, in first-seen order, in `parts` (lookups by
    name, email or URL ask once for each)."""
    return parts(conn, list(dict.fromkeys(v for v in values if v)))
