"""LinkedIn connections of both export vintages (figures for bench/RESULTS.md, never a
test): the cost of recognising a connection by name and "Connected On" day.

    PYTHONPATH=src python bench/linkedin_vintage_bench.py [--rows 10000] [--runs 3]
    python bench/linkedin_vintage_bench.py --db postgresql+psycopg://postgres@127.0.0.1/postgres

Stages, in process, one fresh SQLite file per run (or, with a PostgreSQL URL, one scratch
database per run made beside the one named and dropped after it), CPU seconds of this
process (time.process_time; on PostgreSQL the server's work is in wall time only) and
wall seconds:
  1. a current Connections.csv (URL column) into an empty database;
  2. the same file again (nothing changes);
  3. the 2018 export of the same connections (no URL column, `1/8/18, 6:14 PM`, member
     ids where an e-mail should be), a fifth of them at another company since.
Run it with PYTHONPATH pointing at another checkout's src for the code before a change.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from _engines import engine_name, is_postgres, scratch

from kithbook.config import Config
from kithbook.services.app import Services

_NAMES = ("Ada Alan Amir Anna Ben Bruno Carla Chen Chloe Dana David Diego Elena Emil Emma Eva "
          "Farah Felix Fiona Frank Grace Hana Hugo Ivan Ines Jack Jana Jonas Julia Kai")
FIRST = _NAMES.split()
SYL = "ba be bi bo bu da de di do ka ke ki ko ku la le li lo lu ma me mi mo mu".split()  # noqa: SIM905
ORGS = "Acme Globex Initech Umbrella Stark Wayne Hooli Vandelay Wonka Tyrell".split()  # noqa: SIM905


def people(rng: random.Random, n: int) -> list[tuple[str, str, str, str, date]]:
    out = []
    start = date(2012, 1, 1)
    for i in range(n):
        last = "".join(rng.choice(SYL) for _ in range(3)).capitalize()
        out.append((rng.choice(FIRST), last, f"{rng.choice(ORGS)} {i % 97}",
                    rng.choice(["CEO", "CTO", "Engineer", "Partner"]),
                    start + timedelta(days=rng.randint(0, 2300))))
    return out


def current(rows: list[tuple[str, str, str, str, date]]) -> bytes:
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    lines += [f"{f},{la},https://www.linkedin.com/in/{f.lower()}-{la.lower()}-{i},,{o},{t},"
              f"{d:%d %b %Y}" for i, (f, la, o, t, d) in enumerate(rows)]
    return ("\n".join(lines) + "\n").encode()


def of_2018(rows: list[tuple[str, str, str, str, date]]) -> bytes:
    lines = ["First Name,Last Name,Email Address,Company,Position,Connected On"]
    lines += [f"{f},{la},urn:li:member:{i},{'Old ' + o if i % 5 == 0 else o},{t},"
              f'"{d.month}/{d.day}/{d.year % 100:02d}, 6:14 PM"'
              for i, (f, la, o, t, d) in enumerate(rows)]
    return ("\n".join(lines) + "\n").encode()


def stage(svc: Services, data: bytes, name: str) -> tuple[float, float, str]:
    c0, w0 = time.process_time(), time.perf_counter()
    r = svc.transfer.import_bytes(data, filename=name, dry_run=False)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    known = r.details["people"].get("recognised_by_name_and_connected_on", "-")
    return cpu, wall, f"created {r.created}, updated {r.updated}, recognised {known}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", default=None,
                    help="a PostgreSQL URL: a scratch database beside it per run (default: "
                         "a fresh SQLite file per run)")
    args = ap.parse_args()
    if args.db and not is_postgres(args.db):
        ap.error("--db takes a PostgreSQL URL; every run has its own fresh SQLite file")
    rows = people(random.Random(7), args.rows)
    files = [("current", current(rows)), ("current again", current(rows)),
             ("2018 export", of_2018(rows))]
    print(f"linkedin vintages, {engine_name(args.db or '')}: {args.rows} rows, "
          f"{args.runs} runs", flush=True)
    for run in range(args.runs):
        with scratch(args.db, "k.db") as url:
            svc = Services.open(Config(db=url))
            try:
                for label, data in files:
                    cpu, wall, what = stage(svc, data, label + ".csv")
                    print(f"run {run} {label}: cpu {cpu:.2f} s, wall {wall:.2f} s ({what})",
                          flush=True)
            finally:
                svc.close()


if __name__ == "__main__":
    main()
