"""Benchmark workload `labelled contacts`: a Google Contacts CSV whose contacts carry
labels (each becomes a tag on the person), imported and undone as the owner would.

Issue 16 asks bulk paths to write one journal entry per batch: an import's taggings
share one keyed entry per tag (store/keyed_changes.inserted_entries), where each was a
journal row of its own. The run prints the import and undo times, the journal rows the
import wrote for its taggings, and a baseline measured in the same process on the same
database: a plain executemany of as many rows into a scratch table. Timings never go
into tests (tests/test_journal_keyed.py checks the behaviour).

    python bench/labels_import_bench.py                     # 20,000 contacts
    python bench/labels_import_bench.py --contacts 5000
    python bench/labels_import_bench.py --db postgresql+psycopg://postgres@127.0.0.1/postgres
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date

LABELS = ["Clients", "Suppliers", "Friends", "Family", "Expo 2025", "Golf"]


def labelled_csv(n: int) -> bytes:
    """n contacts; each has one label, every other one a second."""
    rows = [f"Given{i},Family{i},p{i}@corp{i % 977}.example,* myContacts ::: {LABELS[i % 6]}"
            + (f" ::: {LABELS[(i // 6) % 6]}" if i % 2 else "") for i in range(n)]
    return ("First Name,Last Name,E-mail 1 - Value,Labels\n" + "\n".join(rows) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (the run uses a "
                        "scratch database beside it); default: a temporary SQLite file")
    args = parser.parse_args()
    from _engines import scratch
    from sqlalchemy import Column, Integer, MetaData, Table, func, select

    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.store import schema as s

    data = labelled_csv(args.contacts)
    with scratch(args.db) as url:
        svc = Services.open(Config(db=url, as_of=date(2026, 11, 27),
                                   max_import_rows=max(50_000, args.contacts + 1)))
        svc.people.set_me("Alex Owner")
        scratch_t = Table("bench_scratch", MetaData(), Column("id", Integer, primary_key=True),
                          Column("a", Integer), Column("b", Integer))
        with svc.db.write("bench", record=False, now=svc.now) as j:
            scratch_t.create(j.conn)
        t = time.perf_counter()
        with svc.db.write("bench", record=False, now=svc.now) as j:
            j.conn.execute(scratch_t.insert(), [{"a": i, "b": i % 6}
                                                for i in range(args.contacts)])
        base = time.perf_counter() - t
        print(f"engine {svc.db.engine.dialect.name}; contacts {args.contacts:,}; "
              f"{len(data) / 1e6:.1f} MB; load average {os.getloadavg()[0]:.1f}")
        print(f"baseline (plain executemany of {args.contacts:,} rows): {base:.2f} s")
        t = time.perf_counter()
        report = svc.transfer.import_bytes(data, filename="contacts.csv", dry_run=False)
        took = time.perf_counter() - t
        ch = s.changes
        with svc.db.read() as conn:
            tagged = conn.execute(select(func.count()).select_from(s.taggings)).scalar_one()
            entries = conn.execute(select(func.count(), func.sum(ch.c.row_count)).where(
                ch.c.batch_id == report.id, ch.c.table_name == "taggings")).one()
            batch = conn.execute(select(func.count()).where(ch.c.batch_id == report.id)
                                 ).scalar_one()
        print(f"import               {took:7.2f} s  ({took / base:5.1f}x baseline)  "
              f"people {report.created:,}, taggings {tagged:,}")
        print(f"journal rows: taggings {entries[0]:,} covering {entries[1] or 0:,} rows; "
              f"the whole import {batch:,}")
        t = time.perf_counter()
        undone = svc.history.undo(report.id)
        took = time.perf_counter() - t
        print(f"undo the import      {took:7.2f} s  ({took / base:5.1f}x baseline)  "
              f"rows reversed {undone.changes_reversed:,}")
        svc.close()


if __name__ == "__main__":
    main()
