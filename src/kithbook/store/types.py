"""Column types of our own."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal kept as its exact text. SQLite has no decimal type and would round
    NUMERIC through a float; text keeps every digit on both engines. Sums and
    comparisons happen in Python (domain/), never in SQL."""

    impl = String(48)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            try:  # the journal replays values as text
                value = Decimal(str(value))
            except InvalidOperation as exc:
                raise ValueError(f"not a decimal: {value!r}") from exc
        if not value.is_finite():
            raise ValueError(f"not a finite decimal: {value!r}")
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
