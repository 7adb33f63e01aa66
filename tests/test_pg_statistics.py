"""Planner statistics after bulk work on PostgreSQL (store/pg_copy.analyze_grown):
a job that grew a table makes its statistics inside its own transaction, so the next
query plans from them even where autovacuum is off or has not come by yet (a people
search page took 85 ms after a 100,000-person demo with none, 17 ms with them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine, text

from kithbook.config import Config
from kithbook.services.app import Services
from kithbook.services.demo import load_demo
from kithbook.store.pg_copy import ANALYZE_ROWS, analyze_grown


def _estimates(url: str, *tables: str) -> dict[str, float]:
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            return {r[0]: float(r[1]) for r in conn.execute(text(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(:t)"),
                {"t": list(tables)})}
    finally:
        eng.dispose()


def test_a_bulk_load_leaves_statistics_behind(pg_migrated_url: str) -> None:
    svc = Services.open(Config(db=pg_migrated_url, as_of=date(2026, 11, 27)))
    try:
        load_demo(svc, 1200, alliances=False, craft=False)
    finally:
        svc.close()
    seen = _estimates(pg_migrated_url, "people", "person_name_words", "search_docs")
    assert seen["people"] >= 1200  # -1 (never analyzed) without the job's ANALYZE
    assert seen["person_name_words"] >= 2400 and seen["search_docs"] >= 2400, seen


def test_only_tables_that_grew_by_half_are_analyzed(pg_migrated_url: str) -> None:
    eng = create_engine(pg_migrated_url)
    try:
        with eng.begin() as conn:
            conn.execute(text("INSERT INTO tags (name) SELECT 'tag' || g "
                              "FROM generate_series(1, 3000) AS g"))
            assert analyze_grown(conn, {"tags": 3000, "not_a_table": 5000}) == ["tags"]
            # 1,000 more on a table now known to hold 3,000: not half, left to autovacuum
            assert analyze_grown(conn, {"tags": ANALYZE_ROWS}) == []
            assert analyze_grown(conn, {"tags": ANALYZE_ROWS - 1, "people": 10}) == []
            assert analyze_grown(conn, {"tags": 1500}) == ["tags"]
    finally:
        eng.dispose()
