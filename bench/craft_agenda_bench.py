"""Benchmark: the agenda's kept-promise query (ask for a referral after a kept promise,
store/craft_agenda.py::kept_by_me) with and without the index of migration 0012
(promises by owed_by_id, closed_at), on SQLite; and the craft items of the agenda
(services/craft_agenda.py) with claims and open surveys in the database.

    python bench/craft_agenda_bench.py                 # 300,000 promises I kept
    python bench/craft_agenda_bench.py --promises 50000

The rows are written with plain SQL into a migrated database (no journal): this
measures the read, not the writing. Timings never go into tests."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

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
    args = ap.parse_args()
    from sqlalchemy import text

    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.store import craft_agenda as q

    folder = tempfile.mkdtemp(prefix="craft-agenda-bench-")
    url = f"sqlite:///{folder}/k.db"
    svc = Services.open(Config(db=url, as_of=AS_OF))
    me = svc.people.set_me("Robin Owner")
    rnd = random.Random(15)
    stamp = NOW.isoformat()
    with svc.db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO people (public_id, name, name_folded, is_me, created_at, updated_at)"
            " VALUES (:p, :n, :f, 0, :t, :t)"),
            [{"p": f"per_b{i:07d}", "n": f"Person {i}", "f": f"person {i}", "t": stamp}
             for i in range(args.people)])
        me_key = conn.execute(text("SELECT id FROM people WHERE is_me = 1")).scalar_one()
        first = conn.execute(text("SELECT min(id) FROM people WHERE is_me = 0")).scalar_one()
        span = 5 * 365 * 24 * 3600
        rows = []
        for i in range(args.promises):
            closed = NOW - timedelta(seconds=rnd.randrange(span))
            rows.append({"p": f"pro_b{i:08d}", "by": me_key,
                         "to": first + rnd.randrange(args.people), "w": f"promise {i}",
                         "c": closed.isoformat(), "t": stamp})
        conn.execute(text(
            "INSERT INTO promises (public_id, owed_by_id, owed_to_id, what, status, "
            "closed_at, created_at) VALUES (:p, :by, :to, :w, 'done', :c, :t)"), rows)
    start = NOW - timedelta(days=14)

    def kept() -> None:
        with svc.db.read() as conn:
            q.kept_by_me(conn, me_key, start, NOW)

    def plan() -> str:
        with svc.db.engine.connect() as conn:
            return " | ".join(r[-1] for r in conn.execute(text(
                "EXPLAIN QUERY PLAN SELECT promises.id FROM promises WHERE owed_by_id = :m "
                "AND status = 'done' AND closed_at >= :s AND closed_at <= :e"),
                {"m": me_key, "s": start.isoformat(), "e": stamp}))

    with svc.db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    found = len(q.kept_by_me(svc.db.engine.connect(), me_key, start, NOW))
    with_index, plan_with = p50(kept), plan()
    with svc.db.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_promises_owed_by_closed"))
        conn.execute(text("ANALYZE"))
    without, plan_without = p50(kept), plan()
    print(f"promises kept by me: {args.promises:,}; in the last 14 days: {found}")
    print(f"kept_by_me p50 with the index: {with_index:.1f} ms  ({plan_with})")
    print(f"kept_by_me p50 without it:     {without:.1f} ms  ({plan_without})")
    print(f"load average: {os.getloadavg()}")
    assert me.is_me
    svc.close()


if __name__ == "__main__":
    main()
