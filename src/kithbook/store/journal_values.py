"""How row values are kept in the change journal: as JSON (dates as ISO text, money as
exact text), and read back into the types of their table's columns."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Table


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):  # money: exact text, never a float
        return str(value)
    return value


def row_dict(row: Any) -> dict[str, Any]:
    return {k: jsonable(v) for k, v in row._mapping.items()}


def from_json(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        col = table.c[key]
        if value is not None and isinstance(col.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(col.type, Date):
            value = date.fromisoformat(value)
        out[key] = value
    return out


def same_instant(a: Any, b: Any) -> bool:
    """Two timestamps as the journal and the database write them (one may have lost its
    time zone on the way): the same moment?"""
    try:
        da, db = datetime.fromisoformat(str(a)), datetime.fromisoformat(str(b))
    except (TypeError, ValueError):
        return False
    if da.tzinfo is None:
        da = da.replace(tzinfo=db.tzinfo)
    if db.tzinfo is None:
        db = db.replace(tzinfo=da.tzinfo)
    return da == db


def still_holds(now: Any, then: Any) -> bool:
    """A value read now is the one the journal wrote (so an undo may put the old back)."""
    return bool(now == then or same_instant(now, then))
