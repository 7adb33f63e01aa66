"""Benchmark: the agenda's kept-promise query (ask for a referral after a kept promise,
store/craft_agenda.py::kept_by_me) with and without the index of migration 0012
(promises by owed_by_id, closed_at), on SQLite or PostgreSQL; and the craft items of the
agenda (services/craft_agenda.py) with claims and open surveys in the database.

    python bench/craft_agenda_bench.py                 # 300,000 promises I kept
    python bench/craft_agenda_bench.py --promises 50000
    python bench/craft_agenda_bench.py --db postgresql+psycopg://postgres@127.0.0.1/postgres

--db: an SQLite file, or a PostgreSQL URL (a scratch database is made beside the one
named and dropped at the end; bench/_engines.py). Default: a new SQLite file in a
temporary folder. The plan shown is SQLite's EXPLAIN QUERY PLAN or PostgreSQL's EXPLAIN.

The rows are written with plain SQL into a migrated database (no journal): this
measures the read, not the writing. Timings never go into tests."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _engines import engine_name, is_postgres, scratch  # noqa: E402

AS_OF = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def p50(fn, runs: int = 15) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--promises", type=int, default=300_000)
    ap.add_argument("--people", type=int, default=5_000)
    ap.add_argument("--db", default=None, help="an SQLite file or a PostgreSQL URL")
    args = ap.parse_args()
    with scratch(args.db, "k.db") as url:
        run(url, args)


def run(url: str, args: argparse.Namespace) -> None:
    from sqlalchemy import text

    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.store import craft_agenda as q

    pg = is_postgres(url)
    svc = Services.open(Config(db=url, as_of=AS_OF))
    me = svc.people.set_me("Robin Owner")
    rnd = random.Random(15)
    # SQLite gets the ISO text it always got; PostgreSQL a timestamptz
    stamp: datetime | str = NOW if pg else NOW.isoformat()
    with svc.db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO people (public_id, name, name_folded, is_me, created_at, updated_at)"
            " VALUES (:p, :n, :f, :no, :t, :t)"),
            [{"p": f"per_b{i:07d}", "n": f"Person {i}", "f": f"person {i}", "no": False,
              "t": stamp} for i in range(args.people)])
        me_key = conn.execute(text("SELECT id FROM people WHERE is_me = :yes"),
                              {"yes": True}).scalar_one()
        first = conn.execute(text("SELECT min(id) FROM people WHERE is_me = :no"),
                             {"no": False}).scalar_one()
        span = 5 * 365 * 24 * 3600
        rows = []
        for i in range(args.promises):
            closed = NOW - timedelta(seconds=rnd.randrange(span))
            rows.append({"p": f"pro_b{i:08d}", "by": me_key,
                         "to": first + rnd.randrange(args.people), "w": f"promise {i}",
                         "c": closed if pg else closed.isoformat(), "t": stamp})
        conn.execute(text(
            "INSERT INTO promises (public_id, owed_by_id, owed_to_id, what, status, "
            "closed_at, created_at) VALUES (:p, :by, :to, :w, 'done', :c, :t)"), rows)
    start = NOW - timedelta(days=14)

    def kept() -> None:
        with svc.db.read() as conn:
            q.kept_by_me(conn, me_key, start, NOW)

    def plan() -> str:
        sql = ("SELECT promises.id FROM promises WHERE owed_by_id = :m "
               "AND status = 'done' AND closed_at >= :s AND closed_at <= :e")
        with svc.db.engine.connect() as conn:
            if pg:
                return " | ".join(r[0].strip() for r in conn.execute(
                    text("EXPLAIN (COSTS OFF) " + sql), {"m": me_key, "s": start, "e": NOW}))
            return " | ".join(r[-1] for r in conn.execute(
                text("EXPLAIN QUERY PLAN " + sql),
                {"m": me_key, "s": start.isoformat(), "e": stamp}))

    with svc.db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    with svc.db.engine.connect() as conn:
        found = len(q.kept_by_me(conn, me_key, start, NOW))
    with_index, plan_with = p50(kept), plan()
    with svc.db.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_promises_owed_by_closed"))
        conn.execute(text("ANALYZE"))
    without, plan_without = p50(kept), plan()
    print(f"engine: {engine_name(url)}")
    print(f"promises kept by me: {args.promises:,}; in the last 14 days: {found}")
    print(f"kept_by_me p50 with the index: {with_index:.1f} ms  ({plan_with})")
    print(f"kept_by_me p50 without it:     {without:.1f} ms  ({plan_without})")
    print(f"load average: {os.getloadavg()}")
    assert me.is_me
    svc.close()


if __name__ == "__main__":
    main()
