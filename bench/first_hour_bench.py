"""A newcomer's first hour (issue 13, "Performance"; figures for bench/RESULTS.md, never a
test). `pip install` excluded: into an empty database, in process through the CLI
(Typer's CliRunner, as a user would type it), import

  1. a LinkedIn data-archive zip: N connections and a messages.csv (current header) of
     about 3 messages per connection, in threads, both directions, plus Invitations.csv;
  2. a Google Contacts CSV of N/2 people (a fifth of them also LinkedIn connections, by
     e-mail, so matching works);
  3. a vCard 3.0 file of N/4 people (a fifth of them in the Google file too);

then run the first `kithbook today`. Target: all of it under 10 s of wall time.

    python bench/first_hour_bench.py [--rows 2000] [--out bench/RESULTS.md]
    python bench/first_hour_bench.py --db postgresql+psycopg://postgres@127.0.0.1/postgres

--db: an SQLite file, or a PostgreSQL URL (a scratch database is made beside the one
named and dropped at the end; bench/_engines.py). Default: a new SQLite file in a
temporary folder. The section is headed "## first hour" on SQLite and
"## first hour on PostgreSQL" on PostgreSQL; --out replaces the section of that heading.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _engines import engine_name, scratch  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from kithbook.cli.main import app  # noqa: E402


def _w(text: str) -> list[str]:
    return text.split()


FIRST = _w("Ada Alan Amir Anna Ben Bruno Carla Chen Chloe Dana David Diego Elena Emil Emma Eva "
         "Farah Felix Fiona Frank Grace Hana Hugo Ivan Ines Jack Jana Jonas Julia Kai Karin "
         "Kenji Lara Leo Lina Luca Maja Marco Maria Max Mia Nadia Nils Nora Olga Omar")
SYL = _w("ba be bi bo da de di ka ke ki ko la le li lo ma me mi na ne ni ra re ri sa se ta to")
ORGS = _w("Acme Globex Initech Umbrella Stark Wayne Hooli Vandelay Wonka Tyrell Contoso")
ME_URL = "https://www.linkedin.com/in/the-owner"


def people(rng: random.Random, n: int) -> list[dict[str, str]]:
    out = []
    for i in range(n):
        first = rng.choice(FIRST)
        last = "".join(rng.choice(SYL) for _ in range(3)).capitalize()
        out.append({"first": first, "last": last, "org": rng.choice(ORGS),
                    "email": f"{first.lower()}.{last.lower()}{i}@example.com",
                    "url": f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i}",
                    "phone": f"+1 415 555 {i % 10000:04d}"})
    return out


def _csv(rows: list[list[str]]) -> str:
    import csv

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def linkedin_zip(rng: random.Random, ps: list[dict[str, str]], per_person: int = 3) -> bytes:
    start = date(2016, 1, 1)
    conns = [["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
              "Connected On"]]
    for i, p in enumerate(ps):
        when = start + timedelta(days=rng.randint(0, 3500))
        conns.append([p["first"], p["last"], p["url"], p["email"] if i % 7 == 0 else "",
                      p["org"], "Engineer", when.strftime("%d %b %Y")])
    msgs = [["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
             "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER"]]
    base = datetime(2023, 1, 1, tzinfo=UTC)
    for i, p in enumerate(ps):
        name = f"{p['first']} {p['last']}"
        at = base + timedelta(minutes=rng.randint(0, 1_400_000))
        for k in range(per_person):
            mine = (k + i) % 2 == 0
            at += timedelta(hours=rng.choice([1, 5, 30, 200]))
            frm, furl, to, turl = (("The Owner", ME_URL, name, p["url"]) if mine
                                   else (name, p["url"], "The Owner", ME_URL))
            msgs.append([f"2-conv{i}", "", frm, furl, to, turl,
                         at.strftime("%Y-%m-%d %H:%M:%S UTC"), "Catch up" if k == 0 else "",
                         "Words of the message " * 5, "INBOX"])
    invs = [["From", "To", "Sent At", "Message", "Direction"]]
    for p in ps[: len(ps) // 10]:
        when = base - timedelta(days=rng.randint(0, 900))
        invs.append(["The Owner", f"{p['first']} {p['last']}",
                     f"{when.month}/{when.day}/{when.year % 100:02d}, 9:15 AM", "", "OUTGOING"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Connections.csv", 'Notes:\n"When exporting..."\n\n' + _csv(conns))
        zf.writestr("messages.csv", _csv(msgs))
        zf.writestr("Invitations.csv", _csv(invs))
        zf.writestr("Profile.csv", "First Name,Last Name,Headline\nThe,Owner,Founder\n")
    return buf.getvalue()


def google_csv(ps: list[dict[str, str]]) -> str:
    rows = [["Name", "Given Name", "Family Name", "Group Membership", "E-mail 1 - Type",
             "E-mail 1 - Value", "Phone 1 - Type", "Phone 1 - Value",
             "Organization 1 - Name", "Organization 1 - Title", "Notes"]]
    for i, p in enumerate(ps):
        rows.append([f"{p['first']} {p['last']}", p["first"], p["last"],
                     "* myContacts ::: Friends" if i % 3 == 0 else "* myContacts", "* Work",
                     p["email"], "Mobile", p["phone"], p["org"], "Engineer",
                     "Needs an introduction to a buyer" if i % 25 == 0 else ""])
    return _csv(rows)


def vcards(ps: list[dict[str, str]]) -> str:
    out = []
    for p in ps:
        out.append("BEGIN:VCARD\r\nVERSION:3.0\r\n"
                   f"N:{p['last']};{p['first']};;;\r\nFN:{p['first']} {p['last']}\r\n"
                   f"EMAIL;TYPE=INTERNET,WORK:{p['email']}\r\nTEL;TYPE=CELL:{p['phone']}\r\n"
                   f"ORG:{p['org']}\r\nBDAY:1985-{(len(out) % 12) + 1:02d}-15\r\nEND:VCARD\r\n")
    return "".join(out)


def run(rows: int, db_arg: str | None = None) -> dict[str, object]:
    with scratch(db_arg, "kithbook.db") as db:
        return _run(rows, db, db_arg)


def _run(rows: int, db: str, db_arg: str | None) -> dict[str, object]:
    rng = random.Random(13)
    ps = people(rng, rows + rows // 2)
    li = ps[:rows]
    google = ps[rows - rows // 10: rows - rows // 10 + rows // 2]  # a fifth overlap LinkedIn
    vcf = google[-rows // 20:] + ps[rows + rows // 2 - (rows // 4 - rows // 20):]
    tmp = Path(tempfile.mkdtemp(prefix="first-hour-"))
    files = {"linkedin": tmp / "Complete_LinkedInDataExport.zip", "google": tmp / "google.csv",
             "vcard": tmp / "contacts.vcf"}
    files["linkedin"].write_bytes(linkedin_zip(rng, li))
    files["google"].write_text(google_csv(google), encoding="utf-8")
    files["vcard"].write_text(vcards(vcf), encoding="utf-8")
    runner = CliRunner()
    stages: list[tuple[str, float, dict[str, object]]] = []
    total0 = time.perf_counter()
    for name, path in files.items():
        t0 = time.perf_counter()
        res = runner.invoke(app, ["--db", db, "--json", "import", str(path)])
        took = time.perf_counter() - t0
        if res.exit_code != 0:
            raise SystemExit(f"import {name} failed: {res.output[-2000:]}")
        rep = json.loads(res.output)
        stages.append((f"import {name} ({path.stat().st_size // 1024} KB)", took, {
            "created": rep["created"], "updated": rep["updated"],
            "interactions": rep["details"].get("interactions", {}).get("created", 0),
            "messages": rep["details"].get("messages", {}).get("read", 0)}))
    t0 = time.perf_counter()
    res = runner.invoke(app, ["--db", db, "today"])
    took = time.perf_counter() - t0
    if res.exit_code != 0:
        raise SystemExit(f"today failed: {res.output[-2000:]}")
    stages.append(("first `today`", took, {"lines": len(res.output.splitlines())}))
    total = time.perf_counter() - total0
    return {"rows": rows, "engine": engine_name(db), "db_arg": db_arg,
            "stages": stages, "total": total, "load": os.getloadavg(),
            "python": platform.python_version(),
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


def markdown(r: dict[str, object]) -> str:
    stages = r["stages"]
    assert isinstance(stages, list)
    total = float(r["total"])  # type: ignore[arg-type]
    load = ", ".join(f"{x:.1f}" for x in r["load"])  # type: ignore[attr-defined]
    pg = r["engine"] == "PostgreSQL"
    where = "PostgreSQL server" if pg else "SQLite file"
    option = f" --db {r['db_arg']}" if pg else ""
    lines = [
        "## first hour on PostgreSQL" if pg else "## first hour",
        "",
        f"Command: `python bench/first_hour_bench.py --rows {r['rows']}{option}` (issue 13, "
        f"\"Performance\"). In process through the CLI (CliRunner), {where}, one empty "
        f"database; Python {r['python']} on the shared 2-core vm, {r['when']}, load average "
        f"{load} (1, 5, 15 min) when it finished.",
        "",
        "| stage | wall | what it did |",
        "|---|---|---|",
    ]
    for name, took, what in stages:
        lines.append(f"| {name} | {took:.2f} s | "
                     + ", ".join(f"{k} {v:,}" for k, v in what.items()) + " |")
    verdict = "met" if total < 10 else "**missed**"
    lines += [f"| **total** | **{total:.2f} s** | target < 10 s: {verdict} |", ""]
    return "\n".join(lines) + "\n"


def write_section(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    heading = text.split("\n", 1)[0]  # exactly this heading, not one it begins
    start = ("\n" + old).find("\n" + heading + "\n")
    if start >= 0:
        end = old.find("\n## ", start + 1)
        old = old[:start] + (old[end + 1:] if end >= 0 else "")
    path.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--db", default=None, help="an SQLite file or a PostgreSQL URL")
    args = ap.parse_args()
    result = run(args.rows, args.db)
    text = markdown(result)
    print(text)
    if args.out is not None:
        write_section(args.out, text)


if __name__ == "__main__":
    main()
