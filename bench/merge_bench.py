"""Merging many pairs of people: one by one (`dupes.merge` per pair, each its own
change) against one batch (`dupes.merge_many`, one change), on two copies of the same
database, plus the undo of the batch.

Run: python bench/merge_bench.py --db FILE_OR_URL [--pairs 2000] [--one-by-one 2000]

The database is not changed: a SQLite file is copied twice into a temporary folder, a
PostgreSQL database is copied twice with CREATE DATABASE ... TEMPLATE (nobody may be
connected to it) and the copies are dropped at the end. The pairs are disjoint pairs of
live people drawn with a fixed seed (real people of the demo, so each merge moves real
ties, roles, interactions and tags). No test asserts any of these numbers."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any


@contextmanager
def copies(db: str, n: int) -> Iterator[list[str]]:
    if not db.startswith("postgresql"):
        tmp = Path(tempfile.mkdtemp(prefix="kb-merge-bench-"))
        try:
            out = []
            for i in range(n):
                shutil.copy(db, tmp / f"c{i}.db")
                out.append(str(tmp / f"c{i}.db"))
            yield out
        finally:
            shutil.rmtree(tmp)
        return
    from sqlalchemy import create_engine, text

    base, _, name = db.rpartition("/")
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    names = [f"{name}_mb{i}" for i in range(n)]
    with admin.connect() as conn:
        for copy in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{copy}"'))
            conn.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"'))
    try:
        yield [f"{base}/{copy}" for copy in names]
    finally:
        with admin.connect() as conn:
            for copy in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{copy}"'))
        admin.dispose()


def pairs_of(svc: Any, n: int, seed: int) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from kithbook.store import schema as s

    with svc.db.read() as conn:
        ids = list(conn.execute(select(s.people.c.public_id).where(
            s.people.c.deleted_at.is_(None), s.people.c.is_me.is_(False))
            .order_by(s.people.c.id)).scalars())
    rng = random.Random(seed)
    chosen = rng.sample(ids, 2 * n)
    return list(zip(chosen[:n], chosen[n:], strict=True))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--one-by-one", type=int, default=None,
                    help="merge only this many pairs one by one (default: all of them)")
    ap.add_argument("--seed", type=int, default=16)
    args = ap.parse_args()

    from kithbook.config import Config
    from kithbook.services.app import Services

    def open_(url: str) -> Services:
        return Services.open(Config(db=url, as_of=date(2026, 11, 27)))

    with copies(args.db, 2) as (one_url, many_url):
        one, many = open_(one_url), open_(many_url)
        pairs = pairs_of(one, args.pairs, args.seed)
        n_one = args.one_by_one or len(pairs)
        print(f"db={args.db.split('@')[-1]} pairs={len(pairs)} load={os.getloadavg()[0]:.2f}")
        t = time.perf_counter()
        for keep, gone in pairs[:n_one]:
            one.dupes.merge(keep, gone)
        one_s = time.perf_counter() - t
        print(f"one by one: {n_one} pairs in {one_s:.1f} s ({1000 * one_s / n_one:.1f} ms a "
              f"pair) load={os.getloadavg()[0]:.2f}", flush=True)
        t = time.perf_counter()
        result = many.dupes.merge_many([f"{k}+{g}" for k, g in pairs])
        many_s = time.perf_counter() - t
        print(f"one batch: {result.merged} pairs in {many_s:.1f} s "
              f"({1000 * many_s / len(pairs):.1f} ms a pair) load={os.getloadavg()[0]:.2f}; "
              f"moved {dict(sorted(result.moved.items()))}", flush=True)
        t = time.perf_counter()
        undone = many.history.undo(result.id)
        undo_s = time.perf_counter() - t
        print(f"undo of the batch: {undo_s:.1f} s ({undone.changes_reversed:,} changes) "
              f"load={os.getloadavg()[0]:.2f}")
        per_pair_ratio = (one_s / n_one) / (many_s / len(pairs))
        print(f"per pair, one by one / batch: {per_pair_ratio:.1f}x")
        one.close()
        many.close()


if __name__ == "__main__":
    main()
