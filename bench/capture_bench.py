"""Benchmark workload `capture`: an mbox of realistic mail captured into a database of
100,000 people, on SQLite or PostgreSQL.

Generates (once, under bench/out/, git-ignored) an mbox with `--messages` messages in
threads (about 3 messages each) with `--correspondents` distinct correspondents, half of
them people in the database; bodies of `--body-kb` KB on average, one message in ten with
a base64 attachment. Then measures, each in a fresh process (wall time and peak RSS):

1. the parse rate of Python's own `mailbox` module (table of contents, each message's
   bytes, headers parsed) over the same file: the baseline;
2. Kithbook's streaming reader and header judge over the same file (no database);
3. `capture run` of that mbox (reading, judging, threading, writing, journal);
4. the same run again (nothing new);
5. `today` p50 afterwards.

    python bench/capture_bench.py                              # full size: about 2 GB
    python bench/capture_bench.py --messages 20000 --body-kb 4 # a quick look
    python bench/capture_bench.py --messages 20000 --body-kb 4 \
        --db postgresql+psycopg://postgres@127.0.0.1/postgres

With a PostgreSQL URL the same people are written by COPY into a scratch database made
beside the one named, which every step uses and which is dropped at the end.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _engines import engine_name, is_postgres, scratch

OUT = Path(__file__).parent / "out"
AS_OF = date(2026, 11, 27)
ME = "me@owner.example"
_ALPHA = "0123456789abcdefghjkmnpqrstvwxyz"
WORDS = ["the", "quote", "pallets", "shipping", "invoice", "meeting", "agenda", "board",
         "deck", "draft", "contract", "review", "budget", "forecast", "partner", "launch",
         "schedule", "timeline", "feedback", "proposal", "warehouse", "supplier",
         "packaging", "pricing", "thanks", "regards", "next", "week", "friday"]


def _pid(prefix: str, n: int) -> str:
    chars = []
    for _ in range(16):
        chars.append(_ALPHA[n & 31])
        n >>= 5
    return f"{prefix}_{''.join(chars)}"


def address(k: int) -> str:
    return f"person{k}@corp{k % 997}.example"


def build_db(path: Path, people: int) -> None:
    from kithbook.store.db import open_database

    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(f"sqlite:///{path}").close()  # the real migrations
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    created = "2025-01-01 00:00:00.000000"
    rows = [(1, _pid("per", 1), "Me", "me", 1, None, created, created)]
    rows += [(k, _pid("per", k), f"Person {k}", f"person {k}", 0,
              ("A", "B", "C", None)[k % 4], created, created) for k in range(2, people + 2)]
    con.executemany("INSERT INTO people (id, public_id, name, name_folded, is_me, tier, "
                    "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)", rows)
    emails = [(1, ME, ME, 1, "manual", created)]
    emails += [(k, address(k), address(k), 1, "manual", created) for k in range(2, people + 2)]
    con.executemany("INSERT INTO person_emails (person_id, value, normalized, is_primary, "
                    "source, created_at) VALUES (?,?,?,?,?,?)", emails)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()


def build_pg(url: str, people: int) -> None:
    """The same rows as build_db, into a (scratch) PostgreSQL database, by COPY."""
    from sqlalchemy import text

    from kithbook.store import schema as s
    from kithbook.store.db import open_database
    from kithbook.store.pg_copy import copy_insert

    db = open_database(url)  # the real migrations
    created = datetime(2025, 1, 1, tzinfo=UTC)
    with db.engine.begin() as conn:
        copy_insert(conn, s.people, [
            {"id": k, "public_id": _pid("per", k), "name": "Me" if k == 1 else f"Person {k}",
             "name_folded": "me" if k == 1 else f"person {k}", "is_me": k == 1,
             "tier": None if k == 1 else ("A", "B", "C", None)[k % 4], "created_at": created,
             "updated_at": created} for k in range(1, people + 2)])
        copy_insert(conn, s.person_emails, [
            {"person_id": k, "value": ME if k == 1 else address(k),
             "normalized": ME if k == 1 else address(k), "is_primary": True,
             "source": "manual", "created_at": created} for k in range(1, people + 2)])
        # explicit keys: move the sequence on
        conn.execute(text("SELECT setval(pg_get_serial_sequence('people', 'id'), "
                          "(SELECT max(id) FROM people))"))
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    db.close()


def _body(rng: random.Random, size: int) -> str:
    words = []
    n = 0
    while n < size:
        w = rng.choice(WORDS)
        words.append(w)
        n += len(w) + 1
    lines = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    return "\n".join(lines)


def build_mbox(path: Path, messages: int, correspondents: int, people: int, body_kb: float,
               seed: int = 11) -> None:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 11, 26, tzinfo=UTC) - start).total_seconds()
    # half the correspondents are people in the database, half are strangers
    known = rng.sample(range(2, people + 2), min(people, correspondents // 2))
    strangers = [f"stranger{k}@else{k % 331}.example" for k in range(correspondents - len(known))]
    pool = [address(k) for k in known] + strangers
    attachment = base64.encodebytes(rng.randbytes(int(body_kb * 1024 * 4))).decode()
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        n = 0
        thread = 0
        while n < messages:
            thread += 1
            other = pool[thread % len(pool)] if thread <= len(pool) else rng.choice(pool)
            cc = rng.choice(pool) if rng.random() < 0.2 else None
            when = start + timedelta(seconds=rng.random() * span)
            root = f"<t{thread}.0@bench.example>"
            for reply in range(min(rng.choice((1, 2, 3, 3, 4, 5)), messages - n)):
                mine = (reply % 2 == 1) if rng.random() < 0.5 else (reply % 2 == 0)
                frm, to = (ME, other) if mine else (other, ME)
                mid = f"<t{thread}.{reply}@bench.example>"
                refs = (f"In-Reply-To: <t{thread}.{reply - 1}@bench.example>\n"
                        f"References: {root}\n") if reply else ""
                stamp = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
                subject = ("Re: " if reply else "") + f"{rng.choice(WORDS)} {thread}"
                head = (f"From {frm} {when.strftime('%a %b %d %H:%M:%S %Y')}\n"
                        f"Return-Path: <{frm}>\n"
                        f"Received: from mx{thread % 7}.bench.example (mx.bench.example "
                        f"[192.0.2.{thread % 250}])\n\tby mail.owner.example with ESMTPS id "
                        f"{thread:x}{reply}\n\tfor <{to}>; {stamp}\n"
                        f"DKIM-Signature: v=1; a=rsa-sha256; d=bench.example; s=s1; "
                        f"h=from:to:subject:date;\n\tbh={'A' * 44}=;\n\tb={'B' * 170}\n"
                        f"Message-ID: {mid}\n{refs}Date: {stamp}\nFrom: Someone <{frm}>\n"
                        f"To: {to}\n" + (f"Cc: {cc}\n" if cc else "") +
                        f"Subject: {subject}\nMIME-Version: 1.0\n")
                text = _body(rng, int(rng.uniform(0.2, 1.8) * body_kb * 1024))
                if rng.random() < 0.1:
                    fh.write(head + 'Content-Type: multipart/mixed; boundary="b1"\n\n'
                             f"--b1\nContent-Type: text/plain\n\n{text}\n--b1\n"
                             "Content-Type: application/pdf\nContent-Transfer-Encoding: "
                             f"base64\n\n{attachment}--b1--\n\n")
                else:
                    fh.write(head + f"Content-Type: text/plain; charset=us-ascii\n\n{text}\n\n")
                when += timedelta(hours=rng.uniform(0.5, 30))
                n += 1


# -- measured steps, each in its own process ----------------------------------------------


def step_stdlib(mbox: str) -> dict[str, object]:
    import email.policy
    import mailbox
    from email.parser import BytesHeaderParser

    parser = BytesHeaderParser(policy=email.policy.compat32)
    box = mailbox.mbox(mbox, create=False)
    n = 0
    for key in box.iterkeys():
        raw = box.get_bytes(key)
        msg = parser.parsebytes(raw)
        n += msg.get("Message-ID") is not None
    box.close()
    return {"messages": n}


def step_reader(mbox: str) -> dict[str, object]:
    from kithbook.domain.capture import DEFAULT_NEVER, judge_mail
    from kithbook.io import mail

    me = frozenset({ME})
    n = kept = 0
    for raw in mail.iter_mbox(Path(mbox)):
        n += 1
        kept += judge_mail(mail.facts(raw), me, DEFAULT_NEVER).keep
    return {"messages": n, "kept": kept}


def step_capture(db: str, mbox: str, add: bool) -> dict[str, object]:
    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.capture import NewSource

    svc = Services.open(Config(db=db, as_of=AS_OF))
    if add:
        svc.capture.add(NewSource(kind="mbox", name="bench", location=mbox, me=[ME]))
    [r] = svc.capture.run(["bench"])
    return {k: v for k, v in r.to_dict().items() if k not in ("problems",)}


def step_today(db: str) -> dict[str, object]:
    from kithbook.config import Config
    from kithbook.services.app import Services

    svc = Services.open(Config(db=db, as_of=AS_OF))
    svc.agenda.today(20)
    times = []
    for _ in range(11):
        t0 = time.perf_counter()
        svc.agenda.today(20)
        times.append((time.perf_counter() - t0) * 1000)
    return {"p50_ms": round(statistics.median(times), 1)}


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries
    ru_maxrss across exec, so a child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(step: str, *args: str) -> dict[str, object]:
    """Run one step in a child process: its own time and peak RSS, and the wall time."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--step", step, *args],
                            stdout=subprocess.PIPE, env={**os.environ})
    out = proc.stdout.read() if proc.stdout else b""
    status = proc.wait()
    wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"step {step} failed")
    result: dict[str, object] = json.loads(out)
    result["wall_s"] = round(wall, 2)  # with interpreter start-up and imports
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--correspondents", type=int, default=50_000)
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--body-kb", type=float, default=18.0)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--db", default=None,
                    help="an SQLite path (default: bench/out/capture-<people>p.db) or a "
                         "PostgreSQL URL (a scratch database beside it, dropped at the end)")
    ap.add_argument("--step")
    ap.add_argument("rest", nargs="*")
    args = ap.parse_args()
    if args.step:
        fn = {"stdlib": step_stdlib, "reader": step_reader, "today": step_today,
              "capture": lambda db, mbox, add: step_capture(db, mbox, add == "1")}[args.step]
        t0 = time.perf_counter()
        result = fn(*args.rest)  # type: ignore[operator]
        result["step_s"] = round(time.perf_counter() - t0, 2)
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result, default=str))
        return
    OUT.mkdir(exist_ok=True)
    tag = f"{args.messages}m-{args.correspondents}c-{args.body_kb:g}kb"
    mbox = OUT / f"capture-{tag}.mbox"
    if args.rebuild or not mbox.exists():
        t0 = time.perf_counter()
        build_mbox(mbox, args.messages, args.correspondents, args.people, args.body_kb)
        print(f"generated {mbox} ({mbox.stat().st_size / 1e9:.2f} GB) in "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
    path = Path(args.db) if args.db and not is_postgres(args.db) else \
        OUT / f"capture-{args.people}p.db"
    with scratch(args.db if is_postgres(args.db) else str(path)) as url:
        engine = engine_name(url)
        t0 = time.perf_counter()
        if is_postgres(url):
            build_pg(url, args.people)
            db, where = "a scratch PostgreSQL database", url
        else:
            build_db(path, args.people)
            db = where = str(path)
        print(f"built {db} ({args.people} people, {engine}) in "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
        load = os.getloadavg()[0]
        results = {
            "stdlib mailbox (baseline)": measure("stdlib", str(mbox)),
            "kithbook reader (no database)": measure("reader", str(mbox)),
            "capture run": measure("capture", where, str(mbox), "1"),
            "capture re-run (nothing new)": measure("capture", where, str(mbox), "0"),
            "today after capture": measure("today", where),
        }
    size = mbox.stat().st_size
    print(json.dumps({"engine": engine, "mbox_bytes": size, "load": load, **results},
                     indent=1, default=str))
    base = float(str(results["stdlib mailbox (baseline)"]["step_s"]))
    ours = float(str(results["kithbook reader (no database)"]["step_s"]))
    print(f"parse rate: stdlib {size / base / 1e6:.0f} MB/s, kithbook {size / ours / 1e6:.0f}"
          f" MB/s, ratio {base / ours:.2f}x")


if __name__ == "__main__":
    main()
