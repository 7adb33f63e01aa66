"""Turning rows into domain records."""

from __future__ import annotations

from datetime import UTC, datetime
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
