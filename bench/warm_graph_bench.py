"""Benchmark: the warm graph (graph/warm.py) against a rebuild, on SQLite or PostgreSQL.

    python bench/warm_graph_bench.py --people 20000 --ties 100000
    python bench/warm_graph_bench.py --db postgresql+psycopg://postgres@127.0.0.1/postgres
    python bench/warm_graph_bench.py --existing /tmp/gb/bench.db --repeat 3

`--existing` runs on an SQLite file written by `bench/graph_bench.py` (1,000,000 people /
10,000,000 ties by default) instead of loading one; it writes a few ties into it. With
`--db postgresql+psycopg://...` as well, that file's people and ties are copied into the
scratch PostgreSQL database first.

With a PostgreSQL URL the script creates a scratch database beside the one named and
drops it at the end. Phases, all in one process (ratios, never asserted):

- cold: rebuild from the store (what every path/reach/brokers question cost on
  PostgreSQL before: the baseline);
- warm: the same question with nothing changed (one revision lookup);
- delta: the question after adding one tie through the services;
- loaded: a fresh process state loading the saved arrays;
- path after one tie: the delta and a path question that must route over the new tie;
- the whole `kithbook path` (a new Python process through `python -m kithbook`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np


def load(url: str, n: int, m: int, seed: int = 1) -> None:
    from sqlalchemy import insert

    from kithbook.store import schema as s
    from kithbook.store.db import open_database

    db = open_database(url)
    rng = np.random.default_rng(seed)
    a = rng.integers(1, n + 1, m * 2)
    b = rng.integers(1, n + 1, m * 2)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pairs = np.unique((lo * (n + 1) + hi)[lo != hi])[:m]
    lo, hi = pairs // (n + 1), pairs % (n + 1)
    st = rng.integers(1, 6, len(lo))
    now = datetime(2026, 11, 27, tzinfo=UTC)
    with db.engine.begin() as conn:
        for start in range(1, n + 1, 20000):
            conn.execute(insert(s.people), [
                {"id": k, "public_id": f"per_{k:016d}", "name": f"Person {k}",
                 "name_folded": f"person {k}", "is_me": k == 1, "created_at": now,
                 "updated_at": now} for k in range(start, min(n + 1, start + 20000))])
        rows = [{"id": i + 1, "public_id": f"tie_{i:016d}", "a_id": int(x), "b_id": int(y),
                 "kind": "knows", "strength": int(z), "source": "bench", "created_at": now}
                for i, (x, y, z) in enumerate(zip(lo.tolist(), hi.tolist(), st.tolist(),
                                                  strict=True))]
        for start in range(0, len(rows), 20000):
            conn.execute(insert(s.ties), rows[start:start + 20000])
        if conn.dialect.name == "postgresql":  # explicit keys: move the sequences on
            from sqlalchemy import text

            for table in ("people", "ties"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
    db.close()


def api_paths(url: str, g: object, n: int) -> tuple[list[float], list[float]]:
    """`GET /api/v1/paths` for n questions two hops apart: the server side (the ASGI app
    called directly on one event loop, as uvicorn calls it: routing, the service, the
    JSON; no client, no socket) and, for comparison, through FastAPI's TestClient."""
    import asyncio
    from typing import Any
    from urllib.parse import urlencode

    from fastapi.testclient import TestClient

    from kithbook import collector
    from kithbook.config import Config
    from kithbook.web.app import create_app

    app = create_app(Config(db=url, as_of=date(2026, 11, 27)))
    collector.settle()  # as a server process does once its app is built
    rng = np.random.default_rng(11)
    graph: Any = g
    questions: list[str] = []
    while len(questions) < n:
        s = int(rng.integers(0, graph.n))
        nbr, _ = graph.neighbors(s)
        if not len(nbr):
            continue
        m = int(nbr[rng.integers(0, len(nbr))])
        nbr2, _ = graph.neighbors(m)
        t_ = int(nbr2[rng.integers(0, len(nbr2))])
        if t_ != s:
            questions.append(urlencode({"to": f"per_{int(graph.ids[t_]):016d}",
                                        "from": f"per_{int(graph.ids[s]):016d}"}))

    async def serve(query: str) -> int:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "GET", "scheme": "http", "path": "/api/v1/paths",
                 "raw_path": b"/api/v1/paths", "query_string": query.encode(),
                 "root_path": "", "headers": [(b"host", b"127.0.0.1:8765")],
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8765)}
        status = 0

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])

        await app(scope, receive, send)
        return status

    async def all_of() -> list[float]:
        out = []
        await serve(questions[0])
        for q in questions:
            t0 = time.perf_counter()
            status = await serve(q)
            out.append(time.perf_counter() - t0)
            assert status == 200, status
        return out

    server = asyncio.run(all_of())
    client: list[float] = []
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        for q in questions:
            t0 = time.perf_counter()
            r = c.get(f"/api/v1/paths?{q}")
            client.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
    return server, client


def copy_from_sqlite(path: Path, url: str) -> None:
    """The people and ties of a graph_bench SQLite file into a migrated PostgreSQL
    database, by COPY (a benchmark loader, not product code)."""
    import sqlite3

    import psycopg

    from kithbook.store.db import open_database

    open_database(url).close()  # the schema, by the product's migrations
    src = sqlite3.connect(str(path))
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    tables = {
        "people": "id, public_id, name, name_folded, is_me, created_at, updated_at",
        "ties": "id, public_id, a_id, b_id, kind, strength, source, created_at",
    }
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        for table, columns in tables.items():
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in src.execute(f"SELECT {columns} FROM {table}"):
                    if table == "people":
                        row = (*row[:4], bool(row[4]), *row[5:])
                    copy.write_row(row)
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))")
        cur.execute("ANALYZE")
    src.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=20000)
    ap.add_argument("--ties", type=int, default=100000)
    ap.add_argument("--db", default=None, help="a PostgreSQL URL (default: SQLite)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--existing", default=None,
                    help="an SQLite file from bench/graph_bench.py to run on (no load)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kb-warm-"))
    os.environ["KITHBOOK_CACHE_DIR"] = str(tmp / "cache")
    admin = None
    if args.existing and not args.db:
        run(f"sqlite:///{Path(args.existing).resolve()}", args)
        return
    if args.db:
        from sqlalchemy import create_engine, text

        name = f"kb_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(args.db, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        url = f"{args.db.rsplit('/', 1)[0]}/{name}"
    else:
        url = f"sqlite:///{tmp / 'bench.db'}"
    try:
        run(url, args)
    finally:
        if admin is not None:
            from sqlalchemy import text

            with admin.connect() as c:
                c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = :n"), {"n": name})
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


def run(url: str, args: argparse.Namespace) -> None:
    from kithbook.config import Config
    from kithbook.graph import warm
    from kithbook.services.app import Services

    t0 = time.perf_counter()
    if not args.existing:
        load(url, args.people, args.ties)
    elif url.startswith("postgresql"):
        copy_from_sqlite(Path(args.existing), url)
    t_load = time.perf_counter() - t0
    svc = Services.open(Config(db=url, as_of=date(2026, 11, 27)))
    if args.existing:
        from sqlalchemy import text

        with svc.db.read() as conn:
            args.people = int(conn.execute(text("SELECT max(id) FROM people")).scalar() or 0)
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"

    def timed(fn: object) -> float:
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        return time.perf_counter() - t

    cold = []
    for _ in range(args.repeat):
        cold.append(timed(lambda: svc.network.graph(rebuild=True)))
        assert warm.LAST.how == "built"
    warm_t = []
    for _ in range(args.repeat * 20):
        warm_t.append(timed(svc.network.graph))
        assert warm.LAST.how == "warm"
    delta = []
    rng = np.random.default_rng(7)
    for _ in range(args.repeat):
        x, y = (int(v) for v in rng.integers(2, args.people, 2))
        if x == y:
            continue
        svc.ties.tie(f"per_{x:016d}", f"per_{y:016d}", strength=4, kind="colleague")
        delta.append(timed(svc.network.graph))
        assert warm.LAST.how == "delta", warm.LAST.how
    loaded = []
    for _ in range(args.repeat):
        warm.forget()
        loaded.append(timed(svc.network.graph))
    # two new people, then a tie between them and the question that needs it
    routed = []
    for i in range(args.repeat):
        from kithbook.services.people import NewPerson

        px = svc.people.add(NewPerson(name=f"Delta Source {i}")).id
        py = svc.people.add(NewPerson(name=f"Delta Target {i}")).id
        svc.network.graph()
        svc.ties.tie(px, py, strength=5)
        t = time.perf_counter()
        found = svc.network.path(py, source=px)
        routed.append(time.perf_counter() - t)
        assert warm.LAST.how == "delta" and found.routes, (warm.LAST.how, found)
    whole = []
    if args.existing:
        import subprocess
        import sys

        for _ in range(args.repeat):
            src, dst = (int(v) for v in rng.integers(2, min(args.people, 10**6), 2))
            t = time.perf_counter()
            where = url.split(":///", 1)[1] if url.startswith("sqlite") else url
            subprocess.run([sys.executable, "-m", "kithbook", "--db", where,
                            "--as-of", "2026-11-27", "--json", "path", f"per_{dst:016d}",
                            "--from", f"per_{src:016d}"], check=False, capture_output=True)
            whole.append(time.perf_counter() - t)
    server, client = api_paths(url, svc.network.graph(), args.repeat * 40)
    g = svc.network.graph()
    c50 = statistics.median(cold)
    print(f"### warm graph, {engine}: {args.people:,} people / {g.edges:,} ties "
          f"(load {t_load:.1f} s)")
    print()
    print("| question after | median | vs rebuild from the store |")
    print("|---|---|---|")
    for label, xs in (("rebuild from the store (baseline)", cold),
                      ("nothing changed (warm)", warm_t),
                      ("one tie added (delta)", delta),
                      ("new process state, saved arrays (loaded)", loaded),
                      ("one tie added, then a path over it (delta + path)", routed),
                      *((("whole `kithbook path`, new process", whole),) if whole else ())):
        med = statistics.median(xs)
        print(f"| {label} | {med * 1000:.2f} ms | {med / c50:.4f}x |")
    print()
    print(f"API path query (`GET /api/v1/paths`, {len(server)} two-hop questions, in "
          f"process): server side (the ASGI app called directly) p50 "
          f"{statistics.median(server) * 1000:.2f} ms, p90 "
          f"{sorted(server)[int(0.9 * len(server))] * 1000:.2f} ms; through TestClient p50 "
          f"{statistics.median(client) * 1000:.2f} ms")
    print()
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (2 cores)")


if __name__ == "__main__":
    main()
