"""The integer key a single-row INSERT produced (typed, for every store module)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult


def inserted_key(result: CursorResult[Any]) -> int:
    """The primary key of the row `result` inserted (one-column integer keys only)."""
    pk = result.inserted_primary_key
    if pk is None:  # pragma: no cover - only for statements that are not an INSERT
        raise RuntimeError("the statement inserted no row")
    return int(pk[0])
