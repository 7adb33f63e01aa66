"""Benchmark workload `bulk edit`: tag, set tier, archive and undo 10,000 people at once
(issue 13: "bulk edit of 10,000 people under 2 s"), in process, on SQLite or PostgreSQL.

The database is the demo network at 10,000 people (`load_demo`). Reported as wall
seconds per operation and as a ratio against a baseline measured in the same process on
the same database: reading the same 10,000 people's tier column with one SELECT.
Timings never go into tests (tests/test_bulk_edit.py checks behaviour only).

    python bench/bulk_edit_bench.py                 # 10,000 people
    python bench/bulk_edit_bench.py --people 2000
    python bench/bulk_edit_bench.py --db postgresql+psycopg://postgres@127.0.0.1/postgres

--db: an SQLite file, or a PostgreSQL URL (a scratch database is made beside the one
named and dropped at the end; bench/_engines.py). Default: a new SQLite file in a
temporary folder.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from _engines import engine_name, scratch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--db", default=None, help="an SQLite file or a PostgreSQL URL")
    args = parser.parse_args()
    from sqlalchemy import select

    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.bulk_edit import PeopleSelection
    from kithbook.services.demo import load_demo
    from kithbook.store import schema as s

    with scratch(args.db) as url:
        print(f"engine: {engine_name(url)}")
        svc = Services.open(Config(db=url, as_of=date(2026, 11, 27)))
        load_demo(svc, args.people, alliances=False)
        with svc.db.read() as conn:
            ids = list(conn.execute(select(s.people.c.public_id).where(
                s.people.c.is_me.isnot(True))).scalars())
        everyone = PeopleSelection(ids=ids)
        t = time.perf_counter()
        with svc.db.read() as conn:
            conn.execute(select(s.people.c.id, s.people.c.tier).where(
                s.people.c.public_id.in_(ids))).all()
        base = time.perf_counter() - t
        print(f"people: {len(ids):,}; baseline (one SELECT of their tiers): {base:.3f} s")

        def timed(label: str, fn: object) -> None:
            t0 = time.perf_counter()
            out = fn()  # type: ignore[operator]
            dt = time.perf_counter() - t0
            changed = getattr(out, "changes_reversed", None)
            if changed is None:
                changed = out.changed
            print(f"{label:<28} {dt:6.2f} s  ({dt / base:6.0f}x baseline)  changed {changed}")

        timed("preview tag", lambda: svc.bulk.edit(everyone, "tag", "bench"))
        timed("tag", lambda: svc.bulk.edit(everyone, "tag", "bench", preview=False))
        timed("set tier A", lambda: svc.bulk.edit(everyone, "tier", "A", preview=False))
        timed("undo set tier", lambda: svc.history.undo())
        timed("archive", lambda: svc.bulk.edit(everyone, "archive", "bench", preview=False))
        timed("undo archive", lambda: svc.history.undo())
        timed("untag", lambda: svc.bulk.edit(everyone, "untag", "bench", preview=False))
        timed("undo untag", lambda: svc.history.undo())
        svc.close()


if __name__ == "__main__":
    main()
