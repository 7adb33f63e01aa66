"""Core workload: demo load, `find` and `show` latency, CLI start-up.

Run: python bench/core_bench.py [--size 100000] [--out bench/RESULTS.md] [--db URL]

Every figure is reported beside a baseline measured in the same process on the same
machine (plain sqlite3 doing the least possible work for the same question), so the
ratio stays meaningful on a noisy machine. No test asserts any of these numbers.

With `--db postgresql+psycopg://...` the workload runs in a scratch PostgreSQL database
made beside the one named and dropped at the end (bench/_engines.py); the baselines are
then plain psycopg on that same database (executemany into a bare table in a schema of
its own, a raw tsvector match, a raw SELECT by id), and the section is titled
"## core (PostgreSQL)" so it sits beside the SQLite one in RESULTS.md."""

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
from typing import Any

from _engines import engine_name, is_postgres, scratch


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


def pg_connect(url: str) -> Any:
    """A plain psycopg connection (no SQLAlchemy) to the database an SQLAlchemy URL names."""
    import psycopg
    from sqlalchemy.engine import make_url

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(dsn, autocommit=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")))
    ap.add_argument("--db", default=None,
                    help="an SQLite path or a postgresql+psycopg:// URL (default: a temporary "
                         "SQLite file)")
    args = ap.parse_args()
    with scratch(args.db, "core.db") as url:
        run(args, url)


def run(args: argparse.Namespace, url: str) -> None:
    from kithbook.config import Config
    from kithbook.domain.text import fold
    from kithbook.services.app import Services
    from kithbook.services.demo import load_demo

    pg = is_postgres(url)
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    svc = Services.open(Config(db=url, as_of=date(2026, 11, 27)))
    t = time.perf_counter()
    result = load_demo(svc, args.size, seed=7)
    load_s = time.perf_counter() - t

    # baseline: the same number of people rows, plain executemany, one transaction
    # (sqlite3 into a file of its own; psycopg into a bare table of the same database)
    rows = [(i, f"per_{i:016d}", f"Person {i}", f"p{i}@x.example")
            for i in range(result.people + result.ties + result.interactions)]
    if pg:
        base = pg_connect(url)
        base.execute("CREATE SCHEMA baseline")
        base.execute("CREATE TABLE baseline.p (id INTEGER PRIMARY KEY, public_id TEXT UNIQUE, "
                     "name TEXT, email TEXT)")
        t = time.perf_counter()
        with base.transaction():
            base.cursor().executemany("INSERT INTO baseline.p VALUES (%s,%s,%s,%s)", rows)
        base_load_s = time.perf_counter() - t
        base.execute("DROP SCHEMA baseline CASCADE")
        base.close()
    else:
        base = sqlite3.connect(tmp / "base.db", isolation_level=None)
        base.execute("PRAGMA journal_mode=WAL")
        base.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, public_id TEXT UNIQUE, "
                     "name TEXT, email TEXT)")
        t = time.perf_counter()
        base.execute("BEGIN")
        base.executemany("INSERT INTO p VALUES (?,?,?,?)", rows)
        base.execute("COMMIT")
        base_load_s = time.perf_counter() - t

    if pg:
        raw = pg_connect(url)
        version = str(raw.execute("SHOW server_version").fetchone()[0])
        # the same raw prefix match on the store's own full-text column and GIN index
        find_sql = "SELECT id FROM search_docs WHERE tsv @@ to_tsquery('simple', %s) LIMIT 30"
        find_label = "raw tsvector @@ to_tsquery"
        show_sql = "SELECT * FROM people WHERE public_id = %s"

        def find_arg(term: str) -> str:  # bodies are stored folded; FTS5 folds its query
            return "'" + fold(term).replace("\\", "").replace("'", "''") + "':*"
    else:
        raw = sqlite3.connect(url.removeprefix("sqlite:///"))
        version = sqlite3.sqlite_version
        find_sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT 30"
        find_label = "raw FTS5 MATCH"
        show_sql = "SELECT * FROM people WHERE public_id = ?"

        def find_arg(term: str) -> str:
            return f'"{term.lower()}"*'
    names = [r[0] for r in raw.execute("SELECT name FROM people ORDER BY id LIMIT 5000")]
    pids = [r[0] for r in raw.execute("SELECT public_id FROM people ORDER BY id LIMIT 5000")]
    rng = random.Random(1)
    terms = [rng.choice(names).split()[-1] for _ in range(args.queries // 2)] + [
        rng.choice(("acme", "northwind", "packaging", "muller", "consulting", "garcia"))
        for _ in range(args.queries // 2)]
    it = iter(terms * 2)
    find_ms = timed(lambda: svc.search.find(next(it), limit=30), len(terms))
    it2 = iter(terms * 2)
    base_find_ms = timed(lambda: raw.execute(find_sql, (find_arg(next(it2)),)).fetchall(),
                         len(terms))
    sample = [rng.choice(pids) for _ in range(args.queries)]
    it3 = iter(sample)
    show_ms = timed(lambda: svc.people.show(next(it3)), len(sample))
    it4 = iter(sample)
    base_show_ms = timed(lambda: raw.execute(show_sql, (next(it4),)).fetchall(), len(sample))
    raw.close()
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

    title = "## core" + (" (PostgreSQL)" if pg else "")
    db_arg = f" --db {args.db}" if pg else ""
    lines = [
        title,
        "",
        f"Engine: {engine_name(url)} {version}. "
        f"Machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. "
        f"Command: `python bench/core_bench.py --size {args.size}{db_arg}`. "
        f"Run {date.today()}.",
        "",
        "| measure | Kithbook | baseline (same run) | ratio | target |",
        "|---|---|---|---|---|",
        f"| demo load, {result.people:,} people, {result.ties:,} ties, "
        f"{result.interactions:,} interactions | {load_s:.1f} s | plain executemany of as "
        f"many rows: {base_load_s:.2f} s | {load_s / base_load_s:.0f}× | < 60 s |",
        f"| `find` p50 (p99), {len(terms)} queries | {p50(find_ms):.2f} ms ({p99(find_ms):.1f})"
        f" | {find_label}: {p50(base_find_ms):.2f} ms | {p50(find_ms) / p50(base_find_ms):.1f}×"
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
    if title + "\n" in old:
        start = old.index(title + "\n")
        nxt = old.find("\n## ", start + 1)
        old = old[:start] + (old[nxt + 1:] if nxt != -1 else "")
    out.write_text(old.rstrip("\n") + "\n\n" + text)


if __name__ == "__main__":
    main()
