"""Benchmark workload `ties import`: a ties CSV declaring who knows whom in bulk
(issue 16: "ties import of 183,831 ties under 10 s, at least 20,000 ties a second").

The people come from the demo loader (`load_demo`, no ties file involved); the CSV names
them by email, as an owner's export would, and declares random pairs among them. The
import is timed as the user runs it: the preview, then the write, then the same file
again (nothing new), then the undo. The baseline, measured in the same process on the
same database, is a plain executemany of as many rows into a scratch table. Timings
never go into tests (tests/test_imports.py checks behaviour only).

    python bench/ties_import_bench.py                          # 36,692 people, 183,831 ties
    python bench/ties_import_bench.py --people 5000 --ties 20000
    python bench/ties_import_bench.py --db postgresql+psycopg://postgres@127.0.0.1/postgres
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import date


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=36_692)
    parser.add_argument("--ties", type=int, default=183_831)
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (the run uses a "
                        "scratch database beside it); default: a temporary SQLite file")
    parser.add_argument("--frozen", action="store_true",
                        help="freeze the objects made before the import out of the cyclic "
                        "collector's way, as the kithbook script does once its services "
                        "are open")
    args = parser.parse_args()
    from _engines import scratch
    from sqlalchemy import Column, Integer, MetaData, Table, select

    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.demo import load_demo
    from kithbook.store import schema as s

    with scratch(args.db) as url:
        # a file this size passes the default row limit (50,000), as its owner would allow in
        # the config file: max_import_rows
        svc = Services.open(Config(db=url, as_of=date(2026, 11, 27),
                                   max_import_rows=max(50_000, args.ties + 1)))
        load_demo(svc, args.people, alliances=False, craft=False)
        with svc.db.read() as conn:
            emails = sorted(set(conn.execute(select(s.person_emails.c.value)).scalars()))
        rng = random.Random(16)
        pairs: set[tuple[str, str]] = set()
        while len(pairs) < args.ties:
            a, b = rng.sample(emails, 2)
            pairs.add((min(a, b), max(a, b)))
        lines = ["person_a,person_b,strength"]
        lines += [f"{a},{b},{rng.randint(1, 5)}" for a, b in sorted(pairs)]
        data = ("\n".join(lines) + "\n").encode()
        print(f"engine {svc.db.engine.dialect.name}; people {len(emails):,}; "
              f"ties in the file {len(pairs):,}; {len(data) / 1e6:.1f} MB; "
              f"load average {os.getloadavg()[0]:.1f}")

        scratch = Table("bench_scratch", MetaData(), Column("id", Integer, primary_key=True),
                        Column("a", Integer), Column("b", Integer), Column("k", Integer))
        with svc.db.write("bench", record=False, now=svc.now) as j:
            scratch.create(j.conn)
        t = time.perf_counter()
        with svc.db.write("bench", record=False, now=svc.now) as j:
            j.conn.execute(scratch.insert(), [{"a": i, "b": i + 1, "k": 3}
                                              for i in range(len(pairs))])
        base = time.perf_counter() - t
        print(f"baseline (plain executemany of {len(pairs):,} rows): {base:.2f} s")

        def timed(label: str, fn: object) -> None:
            t0 = time.perf_counter()
            out = fn()  # type: ignore[operator]
            dt = time.perf_counter() - t0
            what = getattr(out, "created", None)
            rate = f"{len(pairs) / dt:9,.0f} ties/s" if what else ""
            print(f"{label:<20} {dt:7.2f} s  ({dt / base:5.1f}x baseline) {rate} "
                  f"created {what}")

        if args.frozen:  # as `kithbook import` has it (cli/entry.py): start-up frozen
            from kithbook import collector

            collector.settle()
        timed("preview", lambda: svc.transfer.import_bytes(data, filename="ties.csv",
                                                           dry_run=True))
        timed("import", lambda: svc.transfer.import_bytes(data, filename="ties.csv",
                                                          dry_run=False))
        timed("import again", lambda: svc.transfer.import_bytes(data, filename="ties.csv",
                                                                dry_run=False))
        svc.history.undo()  # the second import's bookkeeping row
        timed("undo the import", lambda: svc.history.undo())
        with svc.db.read() as conn:
            left = conn.execute(select(s.ties.c.id).where(
                s.ties.c.source == "ties:ties.csv")).all()
        print(f"ties from the file after the undo: {len(left)}")
        svc.close()


if __name__ == "__main__":
    main()
