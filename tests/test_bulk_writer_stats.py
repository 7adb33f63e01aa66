"""The bulk writer refreshes PostgreSQL's planner statistics once a table has had many
rows written since they were made, also when they come a few hundred at a time (a
capture run's batches): a plan made while the table looked empty scanned every row of
it per lookup."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from kithbook.store import import_queries as iq
from kithbook.store import pg_copy
from kithbook.store.capture_schema import captured


def _rows(start: int, n: int) -> list[dict[str, object]]:
    at = datetime(2026, 11, 27, tzinfo=UTC)
    return [{"origin": "mail", "item_key": f"m{i}@example", "thread_key": f"t{i // 3}",
             "occurred_at": at, "direction": "in", "status": "kept"}
            for i in range(start, start + n)]


def test_small_rounds_add_up_to_an_analyze(pg_migrated_url: str) -> None:
    eng = create_engine(pg_migrated_url)
    try:
        with eng.begin() as conn:
            w = iq.BulkWriter(conn, batch_id="bat_test", now=datetime.now(UTC),
                              actor="test", action="test")
            for start in range(0, 1200, 400):  # each round below ANALYZE_ROWS
                w.insert(captured, _rows(start, 400), journal=False)
                tuples = conn.execute(text(
                    "SELECT reltuples FROM pg_class WHERE relname = 'captured'")).scalar()
                if start + 400 < iq.ANALYZE_ROWS:
                    assert tuples is not None and tuples <= 0, start  # never analyzed
            assert tuples == 1200  # the third round made the statistics
    finally:
        eng.dispose()


def test_one_analyze_per_writer_when_the_server_already_counts_many(
    pg_migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows committed earlier (5,000, not yet analyzed) make the table stale: the writer's
    first insert analyzes it, and its later inserts in the same transaction do not,
    though the server's count of changes is only reset when the transaction ends."""
    import time

    eng = create_engine(pg_migrated_url)
    try:
        with eng.begin() as conn:
            conn.execute(text("SELECT pg_stat_force_next_flush()"))
            conn.execute(captured.insert(), _rows(100_000, 5000))
        deadline = time.monotonic() + 10
        with eng.connect() as probe:
            while True:
                probe.execute(text("SELECT pg_stat_clear_snapshot()"))
                changed = probe.execute(text(
                    "SELECT n_mod_since_analyze FROM pg_stat_user_tables "
                    "WHERE relname = 'captured'")).scalar() or 0
                if changed >= 5000:
                    break
                if time.monotonic() > deadline:
                    pytest.skip("the server did not report its change counts within 10 s")
                time.sleep(0.2)
            probe.rollback()
        analyzed: list[list[str]] = []  # every ANALYZE, after each insert
        real = pg_copy.analyze

        def spy(conn: Any, tables: Sequence[str]) -> None:
            analyzed[-1].extend(tables)
            real(conn, tables)

        monkeypatch.setattr(pg_copy, "analyze", spy)
        monkeypatch.setattr(iq, "analyze", spy)
        with eng.begin() as conn:
            w = iq.BulkWriter(conn, batch_id="bat_test", now=datetime.now(UTC),
                              actor="test", action="test")
            for start in range(0, 600, 100):
                analyzed.append([])
                w.insert(captured, _rows(start, 100), journal=False)
        assert analyzed == [["captured"], [], [], [], [], []]
    finally:
        eng.dispose()
