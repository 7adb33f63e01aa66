"""`kithbook ally money ...` end to end with --json (docs/economics.md): a licensing
deal through a year of quarterly statements (tiers, a payment, a minimum-guarantee
shortfall, a late sale after issue, a reversal), per-party files in HTML, CSV and JSON,
a partner's report reconciled, a statement disputed through a private link."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from kithbook.cli.main import app

runner = CliRunner()


def kb(db: Path, *args: str, code: int = 0, as_of: str = "2027-01-20") -> Any:
    result = runner.invoke(app, ["--db", str(db), "--as-of", as_of, *args])
    assert result.exit_code == code, (result.output, result.exception)
    return result


def kbj(db: Path, *args: str, as_of: str = "2027-01-20") -> Any:
    return json.loads(kb(db, "--json", *args, as_of=as_of).stdout)


def licensing(db: Path) -> str:
    kb(db, "me", "Ada Me")
    kb(db, "add", "person", "Olga Oak", "--org", "Oakwood")
    kb(db, "add", "person", "Nina North", "--org", "Northwind")
    kb(db, "add", "person", "Ivan Inventor", "--org", "Inventio")
    kb(db, "ally", "new", "Widget deal", "--type", "licensing", "--us", "Oakwood",
       "-p", "Northwind", "-p", "Inventio")
    kb(db, "ally", "partner", "Widget deal", "Northwind", "-c", "Nina North")
    ag = kbj(db, "ally", "money", "royalty", "Widget deal", "Widget licence",
             "--payer", "Northwind", "--payee", "us=7000", "--payee", "Inventio=3000",
             "--start", "2026-01-01", "--tier", "0=0.05", "--tier", "10000=0.08",
             "--minimum", "2000")
    assert ag["kind"] == "royalty" and ag["royalty"]["payer"] == "Northwind"
    assert [p["party"] for p in ag["royalty"]["payees"]] == ["Oakwood", "Inventio"]
    return str(ag["id"])


def test_a_licensing_deal_through_a_year_of_quarterly_statements(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    agr = licensing(db)
    for on, amount, ref in (("2026-02-10", "6000", "INV-1"), ("2026-05-10", "12000", "INV-2"),
                            ("2026-08-10", "4000", "INV-3"), ("2026-11-10", "3000", "INV-4")):
        kb(db, "ally", "money", "book", "Widget licence", "sale", amount, "--on", on,
           "--ref", ref)
    kb(db, "ally", "money", "book", "Widget licence", "payment", "200", "--on", "2026-05-02",
       "--party", "us")
    wrong = kbj(db, "ally", "money", "book", "Widget licence", "sale", "999", "--on",
                "2026-06-01", "--ref", "INV-X")
    rev = kbj(db, "ally", "money", "reverse", "Widget licence", str(wrong["seq"]),
               "--booked", "2026-06-30")
    assert rev["reverses"] == wrong["seq"] and rev["amount"] == "-999"
    items = kbj(db, "ally", "money", "statements", "Widget licence", "--through",
                "2026-12-31")["items"]
    # Q1: 6000 x 5% = 300; Q2 marginal: 10000 x 5% + 2000 x 8% = 660 (the reversal nets
    # out); Q3 200; Q4 150 + the minimum's shortfall 2000 - 1310 = 690 -> 840
    assert [s["due"] for s in items] == ["300.00", "660.00", "200.00", "840.00"]
    q2 = items[1]
    oak = next(p for p in q2["parties"] if p["party"] == "Oakwood")
    assert (oak["opening"], oak["share"], oak["paid"], oak["closing"]) == (
        "210.00", "462.00", "200.00", "472.00")
    # every figure says how, from which entries, under which rate version
    earned = next(ln for ln in q2["lines"] if ln["code"] == "earned")
    assert earned["amount"] == "660.00"
    assert q2["rules"][0]["version"] == 1 and len(q2["entries"]) == 4
    # issue the four quarters in order; a late sale for Q1 goes to the open period
    kb(db, "ally", "money", "issue", "Widget licence", "2", code=5)  # Q1 first
    issued = [kbj(db, "ally", "money", "issue", "Widget licence") for _ in range(4)]
    assert all(s["status"] == "issued" and s["verified"] for s in issued)
    late = kbj(db, "ally", "money", "book", "Widget licence", "sale", "1000", "--on",
               "2026-03-01", "--ref", "INV-L")
    assert late["moved"] and late["booked"] == "2027-01-01"
    again = kbj(db, "ally", "money", "statement", "Widget licence", "1")
    assert again["digest"] == issued[0]["digest"] and again["verified"]
    assert kbj(db, "ally", "money", "statement", "Widget licence", "5")["due"] == "50.00"
    # a new rate card cannot reach back into issued periods
    kb(db, "ally", "money", "rate", "Widget licence", "--from", "2026-06-01", "--rate",
       "0.09", code=5)
    ag = kbj(db, "ally", "money", "rate", "Widget licence", "--from", "2027-02-01", "--rate",
             "0.09")
    assert [v["effective_to"] for v in ag["royalty"]["versions"]] == ["2027-01-31", None]

    # files for one party: HTML printable, CSV, JSON, each with the inputs
    html_out, csv_out = tmp_path / "q2.html", tmp_path / "q2.csv"
    kb(db, "ally", "money", "statement", "Widget licence", "2", "--party", "Inventio",
       "--out", str(html_out))
    page = html_out.read_text()
    assert "Inventio" in page and "INV-2" in page and "<script" not in page
    assert "Oakwood (7000" not in page
    kb(db, "ally", "money", "statement", agr, "2", "--party", "Inventio", "--out",
       str(csv_out))
    rows = list(csv.reader(io.StringIO(csv_out.read_text())))
    party_row = next(r for r in rows if r[:1] == ["party"])
    assert party_row[:7] == ["party", "Inventio", "3000", "90.00", "198.00", "0.00", "288.00"]
    assert any(r[:2] == ["entry", "2"] for r in rows)

    # the licensee's own report, reconciled line by line
    report = tmp_path / "theirs.csv"
    report.write_text("ref,units,net,royalty\ninv 2,0,12000.00,650.00\nINV-9,0,10,1\n")
    r = kbj(db, "ally", "money", "reconcile", "Widget licence", "2", "Northwind",
            str(report))
    assert not r["kept"] and not r["agrees"]
    assert [(d["id"], d["kind"]) for d in r["differences"]] == [
        ("INV-2", "rate"), ("INV-9", "only_theirs")]
    assert kbj(db, "ally", "money", "reconcile", "Widget licence", "2", "Northwind",
               str(report), "--keep")["id"].startswith("rpt_")

    # the partner disputes Q2 through a private link; we confirm Q1 ourselves
    stm = issued[1]["id"]
    link = kbj(db, "ally", "money", "send", stm, "--to", "Nina North")
    assert "/r/" in link["url"]
    kb(db, "ally", "money", "answer", issued[0]["id"], "Inventio", "confirmed")
    kb(db, "ally", "money", "answer", stm, "Northwind", "disputed", code=2)  # says what
    out = kbj(db, "ally", "money", "answer", stm, "Northwind", "disputed", "--comment",
              "INV-2 was 11,000")
    assert out["answers"][0]["verdict"] == "disputed"

    # the ledger is append-only and every write is undoable
    ledger = kbj(db, "ally", "money", "ledger", "Widget licence")["items"]
    assert [e["reversed"] for e in ledger].count(True) == 1
    kb(db, "undo")
    assert kbj(db, "ally", "money", "statement", "Widget licence", "2")["answers"] == []
    listed = kbj(db, "ally", "money", "list", "Widget deal")
    assert listed["total"] == 1 and re.match(r"agr_", listed["items"][0]["id"])


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    licensing(db)
    for args in (("book", "Widget licence", "sale", "1.5e99"),
                 ("book", "Widget licence", "refund", "10"),
                 ("book", "Nope", "sale", "10"),
                 ("royalty", "Widget deal", "Bad", "--payer", "Northwind", "--payee",
                  "us=9000", "--start", "2026-01-01", "--rate", "0.1"),
                 ("book", "Widget licence", "sale", "10", "--on", "2025-01-01")):
        r = kb(db, "ally", "money", *args, code=2 if args[1] != "Nope" else 3)
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
