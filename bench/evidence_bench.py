"""Benchmark: tie strength from interaction evidence, every pair at once (issue 16).

    python bench/evidence_bench.py --people 100000 --interactions 500000
    python bench/evidence_bench.py --people 20000 --interactions 100000 --db
    python bench/evidence_bench.py --people 20000 --interactions 100000 \
        --db postgresql+psycopg://postgres@127.0.0.1/postgres

Baseline, same process and same data: the per-pair model in Python
(`strength.evidence_by_pair`, then `strength.tie_strength` for each pair), which is what
`graph/warm.py` ran before. Against it: `strength_arrays.explode` + `scores`. The two
must agree (the largest difference is printed). With --db the same evidence is written
to an SQLite file (or, with a PostgreSQL URL, to a scratch database made beside the one
named and dropped at the end) and the whole graph is built from it
(`warm.build_from_store`), the time a cold `path`/`reach`/`brokers` pays. Timings are
informative, never asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from kithbook.domain import strength as ts
from kithbook.domain import strength_arrays as sa

NOW = datetime(2026, 12, 1, tzinfo=UTC)
CHANNELS = ["meeting", "call", "video", "email", "message", "event", "social", "note"]


def synth(people: int, interactions: int, seed: int = 7) -> tuple[list, list]:
    """Interaction rows (key, when, channel, initiator, participants) and declared ties:
    most interactions 1:1, some small groups, partners drawn within communities of 50."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice([2, 2, 2, 2, 2, 2, 3, 4, 6, 10], interactions)
    days = rng.exponential(400, interactions)
    chans = rng.choice(len(CHANNELS), interactions)
    rows = []
    for k in range(interactions):
        first = int(rng.integers(1, people + 1))
        community = (first - 1) // 50 * 50
        others = rng.integers(community + 1, min(people, community + 50) + 1, sizes[k] - 1)
        ppl = sorted({first, *others.tolist()})
        init = first if rng.random() < 0.7 else None
        rows.append((k + 1, NOW - timedelta(days=float(days[k])), CHANNELS[chans[k]], init, ppl))
    ties = []
    for k, ppl in enumerate(r[4] for r in rows[: interactions // 3]):
        if len(ppl) >= 2:
            ties.append((ppl[0], ppl[1], "colleague" if k % 3 else "knows", int(k % 5) + 1,
                         None if k % 2 else (NOW - timedelta(days=2000)).date()))
    return rows, ties


def per_pair(rows: list, ties: list) -> dict[tuple[int, int], float]:
    declared: dict[tuple[int, int], list] = {}
    for a, b, kind, strength, since in ties:
        declared.setdefault((min(a, b), max(a, b)), []).append((kind, strength, since))
    return {pair: ts.tie_strength(NOW, events, ts.declared_from_rows(declared.get(pair, []))).score
            for pair, events in ts.evidence_by_pair(rows).items()}


def arrays(rows: list, ties: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    counts = np.array([len(r[4]) for r in rows])
    inter = np.repeat(np.array([r[0] for r in rows], np.int64), counts)
    person = np.array([p for r in rows for p in r[4]], np.int64)
    at = np.repeat(np.array([r[1].timestamp() for r in rows]), counts)
    chan = np.repeat(sa.channel_codes([r[2] for r in rows]), counts)
    init = np.repeat(np.array([-1 if r[3] is None else r[3] for r in rows], np.int64), counts)
    t0 = time.perf_counter()
    ev = sa.explode(inter, person, at, chan, init)
    declared = sa.declared_ties(
        np.array([t[0] for t in ties], np.int64), np.array([t[1] for t in ties], np.int64),
        np.array([t[3] for t in ties], np.int64), np.array([t[2] for t in ties], object),
        np.array([t[4] for t in ties], "datetime64[D]"))
    out = sa.scores(NOW.timestamp(), ev, declared)
    arrays.seconds = time.perf_counter() - t0  # type: ignore[attr-defined]
    return out


def build_db(rows: list, ties: list, people: int, url: str | None) -> float:
    from _engines import scratch

    with scratch(url, "kb.db") as where:
        return _build_db(rows, ties, people, where)


def _build_db(rows: list, ties: list, people: int, url: str) -> float:
    from sqlalchemy import insert, text

    from kithbook.graph import warm
    from kithbook.store import graph_queries as gq
    from kithbook.store import schema as s
    from kithbook.store.db import open_database

    tmp = Path(tempfile.mkdtemp(prefix="kb-evidence-"))
    os.environ["KITHBOOK_CACHE_DIR"] = str(tmp / "cache")
    db = open_database(url)
    with db.engine.begin() as conn:
        conn.execute(insert(s.people), [
            {"id": k, "public_id": f"per_{k:016d}", "name": f"Person {k}",
             "name_folded": f"person {k}", "is_me": k == 1, "created_at": NOW,
             "updated_at": NOW} for k in range(1, people + 1)])
        seen = set()
        tie_rows = []
        for a, b, kind, strength, since in ties:
            key = (min(a, b), max(a, b), kind)
            if key not in seen:
                seen.add(key)
                tie_rows.append({"public_id": f"tie_{len(tie_rows):016d}", "a_id": key[0],
                                 "b_id": key[1], "kind": kind, "strength": strength,
                                 "since": since, "source": "bench", "created_at": NOW})
        conn.execute(insert(s.ties), tie_rows)
        conn.execute(insert(s.interactions), [
            {"id": k, "public_id": f"int_{k:016d}", "occurred_at": at, "channel": ch,
             "initiated_by_id": init, "summary": "", "created_at": NOW}
            for k, at, ch, init, _ in rows])
        conn.execute(insert(s.interaction_participants), [
            {"interaction_id": k, "person_id": p} for k, _, _, _, ppl in rows for p in ppl])
        if conn.dialect.name == "postgresql":  # explicit keys: move the sequences on
            for table in ("people", "interactions"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
    t0 = time.perf_counter()
    with db.engine.connect() as conn:
        g = warm.build_from_store(conn, NOW, gq.graph_stamp(conn))
    seconds = time.perf_counter() - t0
    print(f"graph built from {db.engine.dialect.name}: {seconds:.2f} s, {g.n} people, "
          f"{len(g.indices) // 2} edges")
    db.close()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=20000)
    ap.add_argument("--interactions", type=int, default=100000)
    ap.add_argument("--db", nargs="?", const="sqlite", default=None,
                    help="also build the graph from the database: SQLite, or a PostgreSQL URL")
    args = ap.parse_args()
    rows, ties = synth(args.people, args.interactions)
    t0 = time.perf_counter()
    want = per_pair(rows, ties)
    base = time.perf_counter() - t0
    lo, hi, score = arrays(rows, ties)
    fast = arrays.seconds  # type: ignore[attr-defined]
    got = dict(zip(zip(lo.tolist(), hi.tolist(), strict=True), score.tolist(), strict=True))
    assert set(got) == set(want)
    worst = max(abs(got[p] - want[p]) for p in want)
    print(f"{args.people} people, {args.interactions} interactions, {len(want)} pairs")
    print(f"per pair in Python (baseline): {base:.2f} s")
    print(f"arrays: {fast:.3f} s ({fast / base:.3f}x the baseline), "
          f"largest difference {worst:.1e}")
    if args.db:
        build_db(rows, ties, args.people, None if args.db == "sqlite" else args.db)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
