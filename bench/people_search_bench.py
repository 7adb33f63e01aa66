"""People search by name prefix, a page of 20, on an existing database.

Run: python bench/people_search_bench.py --db FILE_OR_URL [--repeat 15]

Build the data once with `kithbook --db FILE demo --size 100000` (or a
postgresql+psycopg:// URL) and reuse it. Prints one row per prefix: p50 and max of
`people.list(name_prefix=..., limit=20)`, the total it gave, and whether that total is
a lower bound. The baseline in the same process (--baseline) is the old query: the
exact count of every match through the full-text index, then the page (kept here, not
in the product). No test asserts any of these numbers."""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from typing import Any

# broad ("a"... "x": walks), a few hundred matches ("aik", "ale", "jul": narrow and keyed
# at 100,000 demo people), none ("zz"), and two words
PREFIXES = ("a", "m", "ma", "mar", "maria", "zz", "q", "x", "aik", "ale", "jul", "ana g",
            "j s")


def timed(fn: Any, n: int) -> tuple[list[float], Any]:
    out = []
    result = None
    for _ in range(n):
        t = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - t) * 1000)
    return out, result


def old_query(svc: Any, prefix: str) -> int:
    """What a page cost before issue 16, less the details of its 20 people: the count of
    every live, unarchived person whose name document matches (the full-text index),
    then the first 20 of them in name order. Kept here, not in the product."""
    from sqlalchemy import func, select

    from kithbook.store import schema as s
    from kithbook.store.search import matching_keys

    p = s.people
    with svc.db.read() as conn:
        keys = matching_keys(conn, prefix, "name")
        where = (p.c.deleted_at.is_(None), p.c.archived_at.is_(None), p.c.id.in_(keys))
        total = int(conn.execute(select(func.count()).select_from(p).where(*where)).scalar_one())
        conn.execute(select(p).where(*where).order_by(p.c.name_folded, p.c.id).limit(20)).all()
        return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="SQLite file or postgresql+psycopg:// URL")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--offset", type=int, default=0)
    ap.add_argument("--baseline", action="store_true",
                    help="also time the old query (exact count of every match, then a page)")
    args = ap.parse_args()

    from kithbook.config import Config
    from kithbook.services.app import Services

    svc = Services.open(Config(db=args.db, as_of=date(2026, 11, 27)))
    svc.people.list(name_prefix="warm", limit=20)  # connect, load the schema
    print(f"db={args.db.split('@')[-1]} load={os.getloadavg()[0]:.2f} "
          f"repeat={args.repeat} offset={args.offset}")
    print("| prefix | p50 ms | max ms | total | lower bound | old query p50 ms | exact total |")
    print("|---|---|---|---|---|---|---|")
    for prefix in PREFIXES:
        times, page = timed(lambda p=prefix: svc.people.list(
            name_prefix=p, limit=20, offset=args.offset), args.repeat)
        total = getattr(page, "total", None)
        lower = getattr(page, "total_is_lower_bound", False)
        if isinstance(page, tuple):
            total = page[1]
        base = ""
        exact: Any = ""
        if args.baseline:
            btimes, exact = timed(lambda p=prefix: old_query(svc, p), max(3, args.repeat // 3))
            base = f"{statistics.median(btimes):.1f}"
        print(f"| {prefix!r} | {statistics.median(times):.1f} | {max(times):.1f} | {total} | "
              f"{lower} | {base} | {exact} |", flush=True)
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
