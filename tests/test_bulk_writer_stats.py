"""The bulk writer refreshes PostgreSQL's planner statistics once a table has had many
rows written since they were made, also when they come a few hundred at a time (a
capture run's batches): a plan made while the table looked empty scanned every row of
it per lookup."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from kithbook.store import import_queries as iq
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
