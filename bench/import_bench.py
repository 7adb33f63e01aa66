"""Import and duplicate-detection benchmark (figures for bench/RESULTS.md, never a test).

    python bench/import_bench.py [--rows 30000] [--base 100000] [--out bench/RESULTS.md]
    python bench/import_bench.py --db postgresql+psycopg://postgres@127.0.0.1/postgres

Workloads:
  1. a 30,000-row LinkedIn Connections.csv into an empty database;
  2. the same file into a 100,000-person database (built by importing another file);
  3. re-importing the same file (nothing changes);
  4. duplicate detection over 100,000 people with 5% injected duplicates (precision and
     recall against the injected truth);
  5. baseline: a plain sqlite3 executemany of the same 30,000 rows (people, emails, URLs,
     roles) in the same run, for the throughput ratio.

SQLite databases are files in a temporary folder. With `--db postgresql+psycopg://...`
each database is a scratch PostgreSQL database made beside the one named and dropped at
the end (bench/_engines.py), and the baseline is a plain psycopg executemany into bare
tables in a schema of their own in the first of them (dropped before the import).
"""

from __future__ import annotations

import argparse
import platform
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _engines import engine_name, is_postgres, scratch  # noqa: E402

from kithbook.config import Config  # noqa: E402
from kithbook.services.app import Services  # noqa: E402


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words("Ada Alan Amir Anna Ben Bruno Carla Chen Chloe Dana David Diego Elena Emil Emma Eva "
         "Farah Felix Fiona Frank Grace Hana Hugo Ivan Ines Jack Jana Jonas Julia Kai Karin Kenji "
         "Lara Leo Lina Luca Maja Marco Maria Max Mia Nadia Nils Nora Olga Omar Paula Pedro Petra "
         "Priya Rafael Rosa Sami Sara Sofia Tariq Theo Tom Uma Vera Victor Wen Yara Yusuf Zoe "
         "Adrian Alice Boris Clara Dmitri Edith Fatima Georg Helga Igor Jasmin Kofi Lena Mateo "
         "Nina Oscar Pia Quentin Rita Stefan Tanja Ugo Valentina Walter Xenia Yannick Zara")
SYL = _words("ba be bi bo bu da de di do ka ke ki ko ku la le li lo lu ma me mi mo mu "
             "na ne ni no nu "
       "ra re ri ro ru sa se si so ta te ti to tu va ve vi vo za zo ber dor kin man son ton wick "
       "field berg stein holm gard")
WORDS = _words("Acme Globex Initech Umbrella Stark Wayne Hooli Vandelay Wonka Tyrell "
               "Cyberdyne Soylent "
         "Northwind Contoso Fabrikam Litware Tailspin Adatum Proseware Wingtip Alpine Blue Coho "
         "Lucerne Margie Trey Woodgrove Fourth Coffee Graphic Humongous Southridge")
TITLES = _words("CEO CTO CFO Engineer Designer Consultant Founder Partner Analyst Manager Director "
          "Buyer Recruiter Advisor")


def family_names(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(SYL) for _ in range(rng.randint(2, 3))).capitalize())
    return sorted(out)


def orgs(rng: random.Random, n: int) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        out.add(f"{rng.choice(WORDS)} {rng.choice(SYL).capitalize()}{rng.choice(SYL)} "
                f"{rng.choice(['Ltd', 'Inc', 'GmbH', 'Labs', 'Group', 'Partners'])}")
    return sorted(out)


def linkedin_csv(rng: random.Random, n: int, prefix: str, families: list[str],
                 companies: list[str]) -> str:
    lines = ["Notes:", '"When exporting your connection data, you may notice that some of the '
             'email addresses are missing."', "",
             "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    start = date(2015, 1, 1)
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(families)
        url = f"https://www.linkedin.com/in/{prefix}{first.lower()}-{last.lower()}-{i}"
        email = f"{first.lower()}.{last.lower()}.{prefix}{i}@example.com" if i % 7 == 0 else ""
        when = (start + timedelta(days=rng.randint(0, 4000))).strftime("%d %b %Y")
        lines.append(f"{first},{last},{url},{email},{rng.choice(companies)},"
                     f"{rng.choice(TITLES)},{when}")
    return "\r\n".join(lines) + "\r\n"


def timed(fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def open_svc(url: str) -> Services:
    # the base file is bigger than one import accepts by default (io/intake.py)
    return Services.open(Config(db=url, max_import_rows=1_000_000))


def pg_connect(url: str) -> Any:
    """A plain psycopg connection (no SQLAlchemy) to the database an SQLAlchemy URL names."""
    import psycopg
    from sqlalchemy.engine import make_url

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(dsn)


def engine_version(url: str) -> str:
    if not is_postgres(url):
        return sqlite3.sqlite_version
    with pg_connect(url) as con:
        return str(con.execute("SHOW server_version").fetchone()[0])


def baseline(csv_text: str, url: str) -> float:
    """Plain sqlite3 (or psycopg): the same rows into bare tables, one executemany each."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_text)))[4:]
    if is_postgres(url):
        return baseline_pg(rows, url)
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    con.executescript(
        "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, given TEXT, family TEXT, "
        "linkedin TEXT, met TEXT);"
        "CREATE TABLE emails(person_id INT, value TEXT);"
        "CREATE TABLE urls(person_id INT, value TEXT);"
        "CREATE TABLE roles(person_id INT, org TEXT, title TEXT);"
        "CREATE INDEX e ON emails(value); CREATE INDEX l ON people(linkedin);")
    t0 = time.perf_counter()
    with con:
        con.executemany("INSERT INTO people VALUES (?,?,?,?,?,?)",
                        [(i, f"{r[0]} {r[1]}", r[0], r[1], r[2], r[6])
                         for i, r in enumerate(rows, 1)])
        con.executemany("INSERT INTO emails VALUES (?,?)",
                        [(i, r[3]) for i, r in enumerate(rows, 1) if r[3]])
        con.executemany("INSERT INTO urls VALUES (?,?)", [(i, r[2]) for i, r in enumerate(rows, 1)])
        con.executemany("INSERT INTO roles VALUES (?,?,?)",
                        [(i, r[4], r[5]) for i, r in enumerate(rows, 1)])
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed


def baseline_pg(rows: list[list[str]], url: str) -> float:
    """The same bare tables and executemany on PostgreSQL, in a schema of their own in the
    scratch database (dropped afterwards, so the import still starts empty)."""
    with pg_connect(url) as con:
        for sql in ("CREATE SCHEMA baseline",
                    "CREATE TABLE baseline.people(id INTEGER PRIMARY KEY, name TEXT, "
                    "given TEXT, family TEXT, linkedin TEXT, met TEXT)",
                    "CREATE TABLE baseline.emails(person_id INT, value TEXT)",
                    "CREATE TABLE baseline.urls(person_id INT, value TEXT)",
                    "CREATE TABLE baseline.roles(person_id INT, org TEXT, title TEXT)",
                    "CREATE INDEX e ON baseline.emails(value)",
                    "CREATE INDEX l ON baseline.people(linkedin)"):
            con.execute(sql)
        con.commit()
        t0 = time.perf_counter()
        with con.transaction():
            cur = con.cursor()
            cur.executemany("INSERT INTO baseline.people VALUES (%s,%s,%s,%s,%s,%s)",
                            [(i, f"{r[0]} {r[1]}", r[0], r[1], r[2], r[6])
                             for i, r in enumerate(rows, 1)])
            cur.executemany("INSERT INTO baseline.emails VALUES (%s,%s)",
                            [(i, r[3]) for i, r in enumerate(rows, 1) if r[3]])
            cur.executemany("INSERT INTO baseline.urls VALUES (%s,%s)",
                            [(i, r[2]) for i, r in enumerate(rows, 1)])
            cur.executemany("INSERT INTO baseline.roles VALUES (%s,%s,%s)",
                            [(i, r[4], r[5]) for i, r in enumerate(rows, 1)])
        elapsed = time.perf_counter() - t0
        con.execute("DROP SCHEMA baseline CASCADE")
        con.commit()
    return elapsed


def dupes_db(url: str, n: int, rate: float, seed: int) -> tuple[Services, set[frozenset[str]]]:
    """n people, of whom `rate` are injected duplicates of others (varied), loaded directly."""
    from sqlalchemy import insert

    from kithbook import ids
    from kithbook.domain.text import fold
    from kithbook.store import schema as s

    rng = random.Random(seed)
    families = family_names(rng, 20_000)
    companies = orgs(rng, 3000)
    n_dup = int(n * rate)
    base = []
    for i in range(n - n_dup):
        first, last = rng.choice(FIRST), rng.choice(families)
        base.append({"pid": ids.new_id("person", rng), "given": first, "family": last,
                     "name": f"{first} {last}", "org": rng.choice(companies),
                     "email": f"{first.lower()}.{last.lower()}{i}@mail.example" if i % 2 else None,
                     "phone": f"+1415{rng.randint(0, 9_999_999):07d}" if i % 3 == 0 else None,
                     "li": f"https://www.linkedin.com/in/p{i}" if i % 4 == 0 else None})
    truth: set[frozenset[str]] = set()
    clusters: dict[str, list[str]] = {}
    dups = []
    for _ in range(n_dup):
        src = rng.choice(base)
        first, last = src["given"], src["family"]
        kind = rng.choice(["email", "phone", "li", "name"])
        if kind == "email" and not src["email"]:
            kind = "name"
        if kind == "phone" and not src["phone"]:
            kind = "name"
        if kind == "li" and not src["li"]:
            kind = "name"
        if kind == "name" or rng.random() < 0.5:  # a typo: swap two inner letters
            j = rng.randint(1, max(1, len(last) - 2))
            last = last[:j] + last[j + 1:j + 2] + last[j:j + 1] + last[j + 2:]
        dup = {"pid": ids.new_id("person", rng), "given": first, "family": last,
               "name": f"{first} {last}",
               "org": src["org"] if kind == "name" or rng.random() < 0.5
               else rng.choice(companies),
               "email": src["email"] if kind == "email" else None,
               "phone": src["phone"] if kind == "phone" else None,
               "li": src["li"] if kind == "li" else None}
        dups.append(dup)
        cluster = clusters.setdefault(src["pid"], [src["pid"]])
        truth.update(frozenset((other, dup["pid"])) for other in cluster)  # transitive
        cluster.append(dup["pid"])
    everyone = base + dups
    rng.shuffle(everyone)
    svc = open_svc(url)
    now = datetime.now(UTC)
    org_key = {name: i for i, name in enumerate(companies, 1)}
    with svc.db.write("bench load", record=False) as j:
        c = j.conn
        c.execute(insert(s.orgs), [{"id": k, "public_id": ids.new_id("org", rng), "name": o,
                                    "name_folded": fold(o), "created_at": now, "updated_at": now}
                                   for o, k in org_key.items()])
        c.execute(insert(s.people), [
            {"id": i, "public_id": p["pid"], "name": p["name"], "name_folded": fold(p["name"]),
             "given_name": p["given"], "family_name": p["family"], "linkedin_url": p["li"],
             "is_me": False, "created_at": now, "updated_at": now}
            for i, p in enumerate(everyone, 1)])
        c.execute(insert(s.person_emails), [
            {"person_id": i, "value": p["email"], "normalized": p["email"], "is_primary": True,
             "source": "bench", "created_at": now}
            for i, p in enumerate(everyone, 1) if p["email"]])
        c.execute(insert(s.person_phones), [
            {"person_id": i, "value": p["phone"], "e164": p["phone"], "is_primary": True,
             "source": "bench", "created_at": now}
            for i, p in enumerate(everyone, 1) if p["phone"]])
        c.execute(insert(s.roles), [
            {"person_id": i, "org_id": org_key[p["org"]], "is_current": True, "source": "bench",
             "created_at": now} for i, p in enumerate(everyone, 1)])
        if c.dialect.name == "postgresql":  # explicit keys: move the sequences on
            from sqlalchemy import text

            for table in ("orgs", "people"):
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))"))
    return svc, truth


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=30_000)
    ap.add_argument("--base", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--db", default=None,
                    help="a postgresql+psycopg:// URL (default: SQLite files in a temporary "
                         "folder)")
    args = ap.parse_args()
    if args.db and not is_postgres(args.db):
        ap.error("--db takes a postgresql+psycopg:// URL; SQLite runs in temporary files")
    pg = is_postgres(args.db)
    rng = random.Random(args.seed)
    families = family_names(rng, 20_000)
    companies = orgs(rng, 3000)
    text = linkedin_csv(rng, args.rows, "", families, companies)
    base_text = linkedin_csv(rng, args.base, "b", families, companies)
    results: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        f = t / "Connections.csv"
        f.write_text(text)
        fb = t / "Base.csv"
        fb.write_text(base_text)
        with scratch(args.db, "empty.db") as url:
            engine = f"{engine_name(url)} {engine_version(url)}"
            t_base = baseline(text, url if pg else f"sqlite:///{t / 'baseline.db'}")
            svc = open_svc(url)
            t_empty, rep = timed(lambda: svc.transfer.import_file(f, dry_run=False))
            assert rep.created == args.rows, rep
            t_re, rep2 = timed(lambda: svc.transfer.import_file(f, dry_run=False))
            assert rep2.created == 0 and rep2.skipped == args.rows, rep2
            t_preview, _ = timed(lambda: svc.transfer.import_file(f, dry_run=True))
            svc.close()
        results += [
            (f"import {args.rows:,} LinkedIn rows into an empty database", f"{t_empty:.2f} s",
             f"plain executemany: {t_base:.2f} s", f"{t_empty / t_base:.1f}×", "< 5 s"),
            ("re-import the same file (0 created, all skipped)", f"{t_re:.2f} s", "", "",
             "< 5 s"),
            ("preview (--dry-run) of the same file", f"{t_preview:.2f} s", "", "", ""),
        ]
        with scratch(args.db, "big.db") as url:
            svc = open_svc(url)
            t_setup, _ = timed(lambda: svc.transfer.import_file(fb, dry_run=False))
            t_big, rep3 = timed(lambda: svc.transfer.import_file(f, dry_run=False))
            assert rep3.created + rep3.updated == args.rows, rep3  # a few share name+company
            t_big_re, _ = timed(lambda: svc.transfer.import_file(f, dry_run=False))
            svc.close()
        results += [
            (f"(setup) import {args.base:,} rows into an empty database", f"{t_setup:.2f} s",
             "", "", ""),
            (f"import {args.rows:,} rows into a {args.base:,}-person database",
             f"{t_big:.2f} s", f"plain executemany: {t_base:.2f} s",
             f"{t_big / t_base:.1f}×", "< 15 s"),
            (f"re-import into the {args.base + args.rows:,}-person database",
             f"{t_big_re:.2f} s", "", "", "< 5 s"),
        ]
        from kithbook.services.dupes import DupesService

        with scratch(args.db, "dupes.db") as url:
            dsvc, truth = dupes_db(url, args.base, 0.05, args.seed)
            t_dupes, found = timed(lambda: DupesService(dsvc).find(limit=10**9, orgs=False))
            dsvc.close()
        pred = {frozenset((d.a.id, d.b.id)) for d in found}
        tp = len(pred & truth)
        precision = tp / len(pred) if pred else 0.0
        recall = tp / len(truth)
        results.append((
            f"dupes over {args.base:,} people, {int(args.base * 0.05):,} injected duplicates "
            f"({len(truth):,} true pairs)",
            f"{t_dupes:.2f} s", f"precision {precision:.3f}, recall {recall:.3f} "
            f"({tp} of {len(truth)} found, {len(pred) - tp} false)", "", "< 30 s; both ≥ 0.95"))
    db_arg = f" --db {args.db}" if pg else ""
    md = ["", "## import" + (" (PostgreSQL)" if pg else ""), "",
          f"Engine: {engine}. Machine: {platform.machine()}, Python "
          f"{platform.python_version()}. Command: `python bench/import_bench.py --rows "
          f"{args.rows} --base {args.base}{db_arg}`. Run {date.today().isoformat()}.", "",
          "| measure | Kithbook | baseline / quality (same run) | ratio | target |",
          "|---|---|---|---|---|"]
    md += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in results]
    print("\n".join(md))
    if args.out:
        with args.out.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
