"""Workload `alliances` (docs/alliance-management.md): a portfolio of alliances, each with 5
partners, 50 activities with a RACI row, 20 objectives with weekly measurements over 3
years, 3 forums; then the portfolio health view, `ally gate` for every alliance and the
alliance agenda, each beside a baseline run in the same process (the plain portfolio
list: one query over the alliances).

The record is written through the use cases (partners, activities, objectives); the
measurements, 156 per objective, go in with one multi-row insert (writing them one
use case at a time would measure the journal, not the views).

Run: python bench/alliance_bench.py [--alliances 200] [--runs 3] [--db FILE]
     python bench/alliance_bench.py --db postgresql+psycopg://postgres@127.0.0.1/postgres

--db: an SQLite file (reused if it exists), or a PostgreSQL URL (a scratch database is
made beside the one named and dropped at the end; bench/_engines.py). Default: a new
SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from _engines import engine_name, is_postgres, scratch

from kithbook.config import Config
from kithbook.services.alliance_measures import NewObjective
from kithbook.services.alliance_work import RaciAssignment
from kithbook.services.alliances import NewAlliance
from kithbook.services.app import Services
from kithbook.services.people import NewPerson

TODAY = date(2026, 11, 27)
WEEKS = 156


def build(svc: Services, n: int, *, activities: int = 50, objectives: int = 20) -> None:
    from sqlalchemy import insert, select

    from kithbook.store import schema_alliances as a

    orgs = ["Bench Us", "Bench North", "Bench South", "Bench East", "Bench West"]
    people = {o: [svc.people.add(NewPerson(name=f"{o} {r}", org=o)).id for r in ("Lead", "Ops")]
              for o in orgs}
    start = TODAY - timedelta(weeks=WEEKS)
    for i in range(n):
        name = f"Bench alliance {i:04d}"
        svc.alliances.create(NewAlliance(name, type="joint_proposal", us=orgs[0],
                                         partners=orgs[1:], started_on=start,
                                         planned_end_on=TODAY + timedelta(days=200 + i),
                                         notice_days=90, decision_on=TODAY + timedelta(days=i)))
        for o in orgs:
            svc.alliances.add_partner(name, "us" if o == orgs[0] else o, sponsor=people[o][0],
                                      contacts=people[o][1:])
        for f, cadence in (("Ops", "weekly"), ("Management", "monthly"),
                           ("Steering", "quarterly")):
            svc.alliance_work.add_forum(name, f, cadence, layer="management")
        objs = [svc.alliance_measures.add_objective(name, NewObjective(
            f"Objective {k}", metric="units", baseline="0", target="1000", start_on=start,
            deadline=TODAY + timedelta(days=365), owner=orgs[k % 5] if k % 5 else "us",
            weight=1 + k % 5)).id for k in range(objectives)]
        for k in range(activities):
            owner = orgs[k % 5]
            other = orgs[(k + 1) % 5]
            svc.alliance_work.add_activity(
                name, f"Activity {k}", objective=objs[k] if k < objectives else None,
                check_in_days=30, raci=[
                    RaciAssignment("us" if owner == orgs[0] else owner, "RA", people[owner][0]),
                    RaciAssignment("us" if other == orgs[0] else other, "C", people[other][1])])
    now = datetime.now().astimezone()
    with svc.db.write("bench measurements", record=False, now=now) as j:
        keys = [r[0] for r in j.conn.execute(select(a.alliance_objectives.c.id))]
        rows: list[dict[str, Any]] = []
        for key in keys:
            for w in range(WEEKS):
                rows.append({"objective_id": key, "measured_on": start + timedelta(weeks=w),
                             "value": Decimal(5 * w + key % 7), "created_at": now})
            if len(rows) >= 50_000:
                j.conn.execute(insert(a.alliance_measurements), rows)
                rows = []
        if rows:
            j.conn.execute(insert(a.alliance_measurements), rows)


def timed(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--alliances", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", default=None,
                    help="an SQLite file (reused if it exists) or a PostgreSQL URL")
    args = ap.parse_args()
    fresh = is_postgres(args.db) or not (args.db and Path(args.db).exists())
    with scratch(args.db) as url:
        run(url, args, fresh)


def run(url: str, args: argparse.Namespace, fresh: bool) -> None:
    where = url.rsplit("/", 1)[-1] if is_postgres(url) else url.removeprefix("sqlite:///")
    print(f"engine: {engine_name(url)}")
    svc = Services.open(Config(db=url, as_of=TODAY))
    if fresh:
        svc.people.set_me("Bench Me")
        t = time.perf_counter()
        build(svc, args.alliances)
        print(f"built {args.alliances} alliances in {time.perf_counter() - t:.1f} s ({where})")
    lines = svc.alliances.list(limit=1000).items
    base = timed(lambda: svc.alliances.list(limit=1000), args.runs)
    portfolio = timed(lambda: svc.alliance_views.portfolio(), args.runs)
    gates = timed(lambda: [svc.alliances.gate(x.id) for x in lines], args.runs)
    agenda = timed(lambda: svc.alliance_agenda.today(20), args.runs)
    people = timed(lambda: svc.agenda.today(20), args.runs)
    # as a server worker (kithbook/collector.settle) or a CLI run (cli/entry.py) has it:
    # the objects made at start-up frozen out of the collector's way
    from kithbook import collector

    collector.settle()
    served = timed(lambda: svc.alliance_views.portfolio(), args.runs)
    served_agenda = timed(lambda: svc.alliance_agenda.today(20), args.runs)
    n = len(lines)
    print(f"alliances: {n}; baseline (portfolio list) {base * 1000:.1f} ms")
    for label, v in (("portfolio health view", portfolio), (f"ally gate x{n}", gates),
                     ("alliance agenda", agenda), ("people agenda", people),
                     ("portfolio health view, start-up frozen", served),
                     ("alliance agenda, start-up frozen", served_agenda)):
        print(f"{label}: {v * 1000:.0f} ms total, {v / max(n, 1) * 1000:.2f} ms per "
              f"alliance, {v / base:.0f}x baseline")
    svc.close()


if __name__ == "__main__":
    main()
