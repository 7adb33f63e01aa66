"""Core workload: demo load, `find` and `show` latency, CLI start-up.

Run: python bench/core_bench.py [--size 100000] [--out bench/RESULTS.md]

Every figure is reported beside a baseline measured in the same process on the same
machine (plain sqlite3 doing the least possible work for the same question), so the
ratio stays meaningful on a noisy machine. No test asserts any of these numbers."""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def p50(xs: list[float]) -> float:
    return statistics.median(xs)


def p99(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * 0.99))]


def timed(fn, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")))
    args = ap.parse_args()

    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.demo import load_demo

    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    db_path = tmp / "core.db"
    svc = Services.open(Config(db=str(db_path), as_of=date(2026, 11, 27)))
    t = time.perf_counter()
    result = load_demo(svc, args.size, seed=7)
    load_s = time.perf_counter() - t

    # baseline: the same number of people rows, plain sqlite3 executemany, one transaction
    base = sqlite3.connect(tmp / "base.db", isolation_level=None)
    base.execute("PRAGMA journal_mode=WAL")
    base.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, public_id TEXT UNIQUE, name TEXT, "
                 "email TEXT)")
    rows = [(i, f"per_{i:016d}", f"Person {i}", f"p{i}@x.example")
            for i in range(result.people + result.ties + result.interactions)]
    t = time.perf_counter()
    base.execute("BEGIN")
    base.executemany("INSERT INTO p VALUES (?,?,?,?)", rows)
    base.execute("COMMIT")
    base_load_s = time.perf_counter() - t

    raw = sqlite3.connect(db_path)
    names = [r[0] for r in raw.execute("SELECT name FROM people ORDER BY id LIMIT 5000")]
    pids = [r[0] for r in raw.execute("SELECT public_id FROM people ORDER BY id LIMIT 5000")]
    rng = random.Random(1)
    terms = [rng.choice(names).split()[-1] for _ in range(args.queries // 2)] + [
        rng.choice(("acme", "northwind", "packaging", "muller", "consulting", "garcia"))
        for _ in range(args.queries // 2)]
    it = iter(terms * 2)
    find_ms = timed(lambda: svc.search.find(next(it), limit=30), len(terms))
    it2 = iter(terms * 2)
    base_find_ms = timed(lambda: raw.execute(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT 30",
        (f'"{next(it2).lower()}"*',)).fetchall(), len(terms))
    sample = [rng.choice(pids) for _ in range(args.queries)]
    it3 = iter(sample)
    show_ms = timed(lambda: svc.people.show(next(it3)), len(sample))
    it4 = iter(sample)
    base_show_ms = timed(lambda: raw.execute("SELECT * FROM people WHERE public_id = ?",
                                             (next(it4),)).fetchall(), len(sample))
    svc.close()

    def startup(cmd: list[str]) -> float:
        xs = []
        for _ in range(7):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            xs.append(time.perf_counter() - t)
        return p50(xs)

    help_s = startup([sys.executable, "-m", "kithbook", "--help"])
    py_s = startup([sys.executable, "-c", "pass"])

    lines = [
        "## core",
        "",
        f"Machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}. "
        f"Command: `python bench/core_bench.py --size {args.size}`. Run {date.today()}.",
        "",
        "| measure | Kithbook | baseline (same run) | ratio | target |",
        "|---|---|---|---|---|",
        f"| demo load, {result.people:,} people, {result.ties:,} ties, "
        f"{result.interactions:,} interactions | {load_s:.1f} s | plain executemany of as "
        f"many rows: {base_load_s:.2f} s | {load_s / base_load_s:.0f}× | < 60 s |",
        f"| `find` p50 (p99), {len(terms)} queries | {p50(find_ms):.2f} ms ({p99(find_ms):.1f})"
        f" | raw FTS5 MATCH: {p50(base_find_ms):.2f} ms | {p50(find_ms) / p50(base_find_ms):.1f}×"
        " | < 50 ms |",
        f"| `show` p50 (p99), {len(sample)} people | {p50(show_ms):.2f} ms ({p99(show_ms):.1f})"
        f" | raw SELECT by id: {p50(base_show_ms):.3f} ms | "
        f"{p50(show_ms) / p50(base_show_ms):.0f}× | < 50 ms |",
        f"| `kithbook --help` start-up | {help_s * 1000:.0f} ms | `python -c pass`: "
        f"{py_s * 1000:.0f} ms | {help_s / py_s:.1f}× | < 300 ms |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    out = Path(args.out)
    old = out.read_text() if out.exists() else "# Benchmark results\n\n"
    if "## core\n" in old:
        start = old.index("## core\n")
        nxt = old.find("\n## ", start + 1)
        old = old[:start] + (old[nxt + 1:] if nxt != -1 else "")
    out.write_text(old.rstrip("\n") + "\n\n" + text)


if __name__ == "__main__":
    main()
