"""Benchmark workload `agenda`: `kithbook today` over 100,000 people, 2,000,000
interactions and 100,000 promises, in process, on SQLite or PostgreSQL.

Reported as p50 milliseconds and as a ratio against a baseline measured in the same
process on the same database: a plain indexed SELECT (the 20 people touched longest ago,
by the `last_touch_at` index). Timings never go into tests.

    python bench/agenda_bench.py                    # builds /tmp/kithbook-agenda-bench.db once
    python bench/agenda_bench.py --people 10000 --interactions 200000 --promises 10000
    python bench/agenda_bench.py --with-alliances   # adds the demo's four alliances once
                                                    # and times the alliance work too
    python bench/agenda_bench.py --people 10000 --interactions 200000 --promises 10000 \
        --db postgresql+psycopg://postgres@127.0.0.1/postgres

With a PostgreSQL URL the same rows are written by COPY into a scratch database made
beside the one named (built in a child process, measured in this one, dropped at the end).

With `--with-alliances` the demo alliance portfolio (services/demo_alliances.py) is
written into the database once (its people, meetings and promises join the network),
and `kithbook today` is timed as the CLI runs it: the people agenda plus the alliance
work (services/alliance_agenda.py).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from _engines import engine_name, is_postgres, scratch

if TYPE_CHECKING:
    from sqlalchemy import Connection, Table

AS_OF = date(2026, 11, 27)
START = datetime(2021, 1, 1, tzinfo=UTC)
STAGES = ["target", "met", "rapport", "mutual_help", "advocate", "dormant", None]
CHANNELS = ["meeting", "call", "email", "message", "video"]
_ALPHA = "0123456789abcdefghjkmnpqrstvwxyz"


def _pid(prefix: str, n: int) -> str:
    chars = []
    for _ in range(16):
        chars.append(_ALPHA[n & 31])
        n >>= 5
    return f"{prefix}_{''.join(chars)}"


def _ts(d: datetime) -> str:
    return d.strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, people: int, interactions: int, promises: int, seed: int = 7) -> None:
    from kithbook.store.db import open_database

    if path.exists():
        path.unlink()
    open_database(f"sqlite:///{path}").close()  # schema via the real migrations
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    _generate(_SQLiteSink(con), _ts, people, interactions, promises, seed)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()


def build_pg(url: str, people: int, interactions: int, promises: int, seed: int = 7) -> None:
    """The same rows into a PostgreSQL database, by COPY (store/pg_copy.py)."""
    from sqlalchemy import text

    from kithbook.store.db import open_database

    db = open_database(url)  # schema via the real migrations
    with db.engine.begin() as conn:
        _generate(_PgSink(conn), lambda d: d, people, interactions, promises, seed)
        for table in ("people", "interactions", "promises"):  # explicit keys
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    db.close()


class _SQLiteSink:
    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def people(self, rows: list[tuple[object, ...]]) -> None:
        self.con.executemany(
            "INSERT INTO people (id, public_id, name, name_folded, is_me, tier, stage,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)", rows)

    def interactions(self, bi: list[tuple[object, ...]], bp: list[tuple[int, int]]) -> None:
        self.con.executemany(
            "INSERT INTO interactions (id, public_id, occurred_at, channel, agreed,"
            " initiated_by_id, source, created_at) VALUES (?,?,?,?,?,?,?,?)", bi)
        self.con.executemany(
            "INSERT INTO interaction_participants (interaction_id, person_id) VALUES (?,?)",
            bp)

    def touches(self, last: dict[int, datetime]) -> None:
        self.con.executemany("UPDATE people SET last_touch_at = ? WHERE id = ?",
                             [(_ts(t), k) for k, t in last.items()])

    def promises(self, rows: list[tuple[object, ...]]) -> None:
        self.con.executemany(
            "INSERT INTO promises (id, public_id, owed_by_id, owed_to_id, what, due, status,"
            " closed_at, created_at) VALUES (?,?,?,?,?,?,?,?,?)", rows)


class _PgSink:
    """The same rows as _SQLiteSink, written with COPY inside one transaction."""

    PEOPLE = ("id", "public_id", "name", "name_folded", "is_me", "tier", "stage",
              "created_at", "updated_at")
    INTERACTIONS = ("id", "public_id", "occurred_at", "channel", "agreed", "initiated_by_id",
                    "source", "created_at")
    PROMISES = ("id", "public_id", "owed_by_id", "owed_to_id", "what", "due", "status",
                "closed_at", "created_at")

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _copy(self, table: Table, cols: tuple[str, ...],
              rows: Sequence[tuple[object, ...]]) -> None:
        from kithbook.store.pg_copy import copy_insert

        copy_insert(self.conn, table, [dict(zip(cols, r, strict=True)) for r in rows])

    def people(self, rows: list[tuple[object, ...]]) -> None:
        from kithbook.store import schema as s

        self._copy(s.people, self.PEOPLE, [(*r[:4], bool(r[4]), *r[5:]) for r in rows])

    def interactions(self, bi: list[tuple[object, ...]], bp: list[tuple[int, int]]) -> None:
        from kithbook.store import schema as s

        self._copy(s.interactions, self.INTERACTIONS, bi)
        self._copy(s.interaction_participants, ("interaction_id", "person_id"), bp)

    def touches(self, last: dict[int, datetime]) -> None:
        from sqlalchemy import text

        self.conn.execute(text(
            "UPDATE people SET last_touch_at = v.t FROM (SELECT unnest(CAST(:ids AS integer[]))"
            " AS id, unnest(CAST(:ts AS timestamptz[])) AS t) AS v WHERE people.id = v.id"),
            {"ids": list(last), "ts": list(last.values())})

    def promises(self, rows: list[tuple[object, ...]]) -> None:
        from kithbook.store import schema as s

        self._copy(s.promises, self.PROMISES, rows)


def _generate(sink: _SQLiteSink | _PgSink, ts: Callable[[datetime], object], people: int,
              interactions: int, promises: int, seed: int) -> None:
    """The dataset, the same for every seed on either engine; `ts` writes a timestamp
    (text for raw sqlite3, the datetime itself for PostgreSQL)."""
    rng = random.Random(seed)
    span = (datetime.combine(AS_OF, datetime.min.time(), tzinfo=UTC) - START).total_seconds()
    created = ts(START - timedelta(days=30))
    rows = [(1, _pid("per", 1), "Me", "me", 1, None, None, created, created)]
    for k in range(2, people + 2):
        tier = rng.choices(["A", "B", "C", None], [5, 20, 40, 35])[0]
        name = f"Person {k}"
        rows.append((k, _pid("per", k), name, name.lower(), 0, tier, rng.choice(STAGES),
                     created, created))
    sink.people(rows)
    last: dict[int, datetime] = {}
    batch_i: list[tuple[object, ...]] = []
    batch_p: list[tuple[int, int]] = []
    # Logged in time order, as people log them (ids grow with occurred_at).
    whens = sorted(START + timedelta(seconds=rng.random() * span) for _ in range(interactions))
    for n, when in enumerate(whens, 1):
        other = rng.randint(2, people + 1)
        agreed = "send the deck" if rng.random() < 0.1 else None
        by = rng.choice([1, other])
        batch_i.append((n, _pid("int", n), ts(when), rng.choice(CHANNELS), agreed, by,
                        "manual", ts(when)))
        batch_p.extend(((n, 1), (n, other)))
        if other not in last or when > last[other]:
            last[other] = when
        if len(batch_i) >= 50_000:
            _flush(sink, batch_i, batch_p)
    _flush(sink, batch_i, batch_p)
    sink.touches(last)
    prows = []
    for n in range(1, promises + 1):
        other = rng.randint(2, people + 1)
        by, to = (1, other) if rng.random() < 0.5 else (other, 1)
        made = START + timedelta(seconds=rng.random() * span)
        due = (made + timedelta(days=rng.randint(1, 60))).date()
        status = rng.choices(["open", "done", "broken", "released"], [40, 45, 10, 5])[0]
        closed = None if status == "open" else ts(made + timedelta(days=rng.randint(1, 90)))
        prows.append((n, _pid("pro", n), by, to, f"promise {n}", due.isoformat(), status,
                      closed, ts(made)))
    sink.promises(prows)


def _flush(sink: _SQLiteSink | _PgSink, bi: list[tuple[object, ...]],
           bp: list[tuple[int, int]]) -> None:
    sink.interactions(bi, bp)
    bi.clear()
    bp.clear()


def p50(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", default="/tmp/kithbook-agenda-bench.db",
                    help="an SQLite path (built once), or a PostgreSQL URL (a scratch "
                         "database beside it, built and dropped every run)")
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--interactions", type=int, default=2_000_000)
    ap.add_argument("--promises", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--with-alliances", action="store_true")
    ap.add_argument("--build-into", help=argparse.SUPPRESS)  # PostgreSQL: the build's child
    args = ap.parse_args()

    if args.build_into:
        build_pg(args.build_into, args.people, args.interactions, args.promises)
        return
    with scratch(args.db) as url:
        if is_postgres(url):
            # Build in a child process, measure here: the build leaves a large, GC-heavy
            # heap behind, and the scratch database lives as long as this process.
            t0 = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--build-into", url,
                            "--people", str(args.people), "--interactions",
                            str(args.interactions), "--promises", str(args.promises)],
                           check=True)
            print(f"built a scratch PostgreSQL database in {time.perf_counter() - t0:.0f} s",
                  flush=True)
        else:
            path = Path(args.db)
            if args.rebuild or not path.exists():
                t0 = time.perf_counter()
                build(path, args.people, args.interactions, args.promises)
                print(f"built {path} in {time.perf_counter() - t0:.0f} s", flush=True)
                # Measure in a fresh process: the build leaves a large, GC-heavy heap behind.
                argv = [a for a in sys.argv if a != "--rebuild"]
                os.execv(sys.executable, [sys.executable, *argv, "--db", str(path)])
        measure(url, args)


def measure(url: str, args: argparse.Namespace) -> None:
    from sqlalchemy import func, select

    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.store import schema as s

    svc = Services.open(Config(db=url, as_of=AS_OF))
    if args.with_alliances and not svc.alliances.list(limit=1).items:
        from kithbook.services.demo_alliances import load_alliances

        t0 = time.perf_counter()
        load_alliances(svc)
        print(f"added the demo alliances in {time.perf_counter() - t0:.1f} s", flush=True)

    def baseline() -> object:
        with svc.db.read() as conn:
            return conn.execute(
                select(s.people.c.id, s.people.c.public_id, s.people.c.name)
                .where(s.people.c.last_touch_at.is_not(None))
                .order_by(s.people.c.last_touch_at)
                .limit(20)
            ).all()

    def scan() -> object:
        with svc.db.read() as conn:
            return conn.execute(
                select(func.count()).select_from(s.people).where(s.people.c.tier == "A")
            ).scalar()

    base = p50(baseline, args.runs)
    full = p50(scan, args.runs)
    today = p50(lambda: svc.agenda.today(20), args.runs)
    today100 = p50(lambda: svc.agenda.today(100), args.runs)
    items = svc.agenda.today(20).items
    kinds: dict[str, int] = {}
    for i in items:
        kinds[i.kind] = kinds.get(i.kind, 0) + 1
    print(f"dataset: {args.people} people, {args.interactions} interactions, "
          f"{args.promises} promises ({engine_name(url)}, as of {AS_OF})")
    print(f"baseline (indexed SELECT, 20 rows) p50: {base:.2f} ms")
    print(f"reference (one full scan of people) p50: {full:.1f} ms")
    print(f"today --limit 20 p50: {today:.1f} ms  ratio {today / base:.0f}x baseline, "
          f"{today / full:.1f}x one scan")
    print(f"today --limit 100 p50: {today100:.1f} ms  ratio {today100 / base:.0f}x baseline")
    print(f"items: {kinds}")
    if args.with_alliances:
        work = p50(lambda: svc.alliance_agenda.today(20), args.runs)
        both = p50(lambda: (svc.agenda.today(20), svc.alliance_agenda.today(20)), args.runs)
        n = len(svc.alliances.list(limit=1000).items)
        print(f"alliance work ({n} alliances, `ally today`) p50: {work:.1f} ms  "
              f"ratio {work / base:.0f}x baseline")
        print(f"`today` (people agenda + alliance work) p50: {both:.1f} ms  "
              f"ratio {both / base:.0f}x baseline, {both / full:.1f}x one scan")
    svc.close()


if __name__ == "__main__":
    main()
