"""Keys for rows written by COPY on PostgreSQL (store/pg_copy.next_ids): n distinct keys
drawn from the table's own sequence, whether they come as one run of numbers (only the
ends cross the wire) or not (another writer drew in between; here a sequence that
steps by 3)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from kithbook.store import schema as s
from kithbook.store.pg_copy import next_ids


@pytest.mark.parametrize("step", [1, 3])
def test_keys_drawn_from_the_sequence(pg_migrated_url: str, step: int) -> None:
    eng = create_engine(pg_migrated_url)
    try:
        with eng.begin() as conn:
            seq = conn.execute(text("SELECT pg_get_serial_sequence('ties', 'id')")).scalar()
            conn.execute(text(f"ALTER SEQUENCE {seq} INCREMENT BY {step}"))
            first = next_ids(conn, s.ties, 500)
            second = next_ids(conn, s.ties, 7)
            assert next_ids(conn, s.ties, 0) == []
        keys = first + second
        assert len(set(keys)) == 507 and all(isinstance(k, int) for k in keys)
        assert keys == sorted(keys) and min(second) > max(first)
        assert all(b - a == step for a, b in zip(keys, keys[1:], strict=False))
    finally:
        eng.dispose()
