"""`kithbook ally money ...` for a buying group through a season of orders, a joint bid
from members' parts to go, and an exit settlement from the contributions ledger
(docs/economics.md), all with --json; the numbers are the worked examples of
test_economics_rules.py, now through storage and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from kithbook.cli.main import app

runner = CliRunner()


def kb(db: Path, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, ["--db", str(db), "--as-of", "2026-11-27", *args])
    assert result.exit_code == code, (result.output, result.exception)
    return result


def kbj(db: Path, *args: str) -> Any:
    return json.loads(kb(db, "--json", *args).stdout)


def setup(db: Path, name: str) -> None:
    kb(db, "me", "Ada Me")
    for person, org in (("Olga Oak", "Oakwood"), ("Nina North", "Northwind"),
                        ("Erin East", "Eastco")):
        kb(db, "add", "person", person, "--org", org)
    kb(db, "ally", "new", name, "--us", "Oakwood", "-p", "Northwind", "-p", "Eastco")


def test_a_buying_group_through_a_season_of_orders(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    setup(db, "Buyers")
    g = kbj(db, "ally", "money", "group", "Buyers", "Paper 2026", "--item", "A4 paper",
            "--member", "us", "--member", "Northwind", "--member", "Eastco",
            "--price", "0=10", "--price", "100=9", "--price", "300=8")
    assert g["buying"]["members"] == ["Oakwood", "Northwind", "Eastco"]
    assert g["buying"]["item"] == "A4 paper"
    # no baselines yet: the settlement says what to do
    kb(db, "ally", "money", "book", "Paper 2026", "order", "400", "--units", "50",
       "--party", "us", "--on", "2026-03-01")
    refused = kb(db, "ally", "money", "settle", "Paper 2026", code=2)
    assert "no documented baseline" in refused.stderr
    kb(db, "ally", "money", "baseline", "Paper 2026", "us", "11", "--source",
       "our 2025 invoices", "--dated", "2026-01-05")
    kb(db, "ally", "money", "baseline", "Paper 2026", "Northwind", "10", "--kind", "quote",
       "--source", "Paperco quote Q-17", "--dated", "2026-01-20", "--volume", "100")
    kb(db, "ally", "money", "baseline", "Paper 2026", "Eastco", "9.50", "--kind", "list",
       "--source", "Paperco list price", "--dated", "2026-01-01")
    kb(db, "ally", "money", "baseline", "Paper 2026", "Eastco", "9.50", "--kind", "list",
       "--source", " ", "--dated", "2026-01-01", code=2)  # a baseline needs its source
    # an order of no units (or of nobody) pays money in that no allocation can attribute
    zero = kb(db, "ally", "money", "book", "Paper 2026", "order", "800", "--units", "0",
              "--party", "Northwind", "--on", "2026-03-01", code=2)
    assert "an order is for some units" in zero.stderr
    assert len(zero.stderr.strip().splitlines()) <= 2
    nobody = kb(db, "ally", "money", "book", "Paper 2026", "order", "800", "--units", "10",
                "--on", "2026-03-01", code=2)
    assert "names the member" in nobody.stderr
    kb(db, "ally", "money", "book", "Paper 2026", "order", "800", "--units", "100",
       "--party", "Northwind", "--on", "2026-03-01")
    kb(db, "ally", "money", "book", "Paper 2026", "order", "1600", "--units", "200",
       "--party", "Eastco", "--on", "2026-03-02")
    s = kbj(db, "ally", "money", "settle", "Paper 2026")["settlement"]
    assert s["gain"] == "650.00" and not s["agreed"]
    assert [m["equal_price"] for m in s["members"]] == ["150.00", "200.00", "300.00"]
    assert [m["pro_rata"] for m in s["members"]] == ["92.86", "185.71", "371.43"]
    assert [m["shapley"] for m in s["members"]] == ["116.67", "266.67", "266.66"]
    assert s["shapley_how"] == "exact over all 8 coalitions"
    # end of season: a rebate and the coordination cost, then the agreed method
    kb(db, "ally", "money", "book", "Paper 2026", "rebate", "70", "--on", "2026-06-30")
    kb(db, "ally", "money", "book", "Paper 2026", "cost", "35", "--on", "2026-06-30")
    kb(db, "ally", "money", "agree", "Paper 2026", "equal_price")
    s = kbj(db, "ally", "money", "settle", "Paper 2026")["settlement"]
    assert s["gain"] == "685.00" and s["agreed"] and s["method"] == "equal_price"
    assert [m["transfer"] for m in s["members"]] == ["5.00", "10.00", "20.00"]
    # the agreement is undoable like everything else
    kb(db, "undo")
    assert not kbj(db, "ally", "money", "settle", "Paper 2026")["settlement"]["agreed"]
    kb(db, "ally", "money", "agree", "Paper 2026", "fairest", code=2)
    # a partner of the alliance joins late; one already in, or not a partner, is refused
    kb(db, "ally", "money", "member", "Paper 2026", "Eastco", code=5)
    kb(db, "ally", "money", "member", "Paper 2026", "Nobody Inc", code=3)


def test_a_joint_bid_from_parts_to_go(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    setup(db, "Port")
    v = kbj(db, "ally", "money", "bid", "Port", "Harbour tender", "--lead", "us",
            "--member", "Northwind", "--deadline", "2027-03-01", "--contingency", "0.05")
    codes = {f["code"] for f in v["findings"] if f["severity"] == "blocker"}
    assert codes  # no authorization, no liability model, no parts yet
    kb(db, "ally", "money", "decide", "Harbour tender", "go", "--reasons", "keen", code=5)
    kb(db, "ally", "money", "wp", "Harbour tender", "WP1", "Crane survey", "--owner",
       "Northwind", "--budget", "40000", "--start", "2027-04-01", "--end", "2027-06-30")
    kb(db, "ally", "money", "part", "Harbour tender", "Northwind", "Crane hire", "30000",
       "--margin", "0.12", "--wp", "WP1")
    kb(db, "ally", "money", "part", "Harbour tender", "us", "Project management", "8000",
       "--margin", "0.10", "--wp", "WP1")
    kb(db, "ally", "money", "authorize", "Harbour tender", "Northwind", "--signed-by",
       "Nina North", "--document", "https://x.example/auth.pdf")
    # 30,000 x 1.12 + 8,000 x 1.10 = 42,400; + 5% contingency = 44,520
    v = kbj(db, "ally", "money", "bid-show", "Harbour tender")
    assert v["price"]["total"] == "44520.00"
    v = kbj(db, "ally", "money", "decide", "Harbour tender", "go", "--reasons",
            "margin fine, crane licence secured", "--force")
    assert v["decisions"][-1]["verdict"] == "go"
    kb(db, "ally", "money", "wp", "Harbour tender", "WP1", "--completed", "2027-06-30")
    v = kbj(db, "ally", "money", "bid-show", "Harbour tender")
    assert sum(float(p[2]) for p in v["payments"]) == 40000.0


def test_exit_settlement_from_the_contributions_ledger(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    setup(db, "JV")
    kb(db, "ally", "contribute", "JV", "us", "cash", "60000", "--delivered")
    kb(db, "ally", "contribute", "JV", "Northwind", "hours", "400", "--rate", "100",
       "--delivered")
    kb(db, "ally", "contribute", "JV", "Eastco", "cash", "5000")
    kb(db, "ally", "money", "exit-rule", "JV", "pro_rata_contributions")
    kb(db, "ally", "money", "exit-pool", "Exit settlement", "Joint account", "90000")
    kb(db, "ally", "money", "exit-pool", "Exit settlement", "Supplier invoice", "10000",
       "--kind", "liability")
    kb(db, "ally", "money", "exit-received", "Exit settlement", "Northwind", "20000")
    kb(db, "ally", "money", "exit-returned", "Exit settlement", "Customer list", "data",
       "--to", "us")
    s = kbj(db, "ally", "money", "exit-statement", "Exit settlement")["settlement"]
    parties = {p["party"]: p for p in s["parties"]}
    # contributions 60,000 and 40,000 (Eastco only committed); value = 80,000 + 20,000
    assert parties["Oakwood"]["contributed"] == "60000.00"
    assert parties["Northwind"]["contributed"] == "40000.00"
    assert parties["Oakwood"]["entitlement"] == "60000.00"
    assert parties["Northwind"]["payment"] == "20000.00"  # 40,000 less 20,000 received
    assert sum(float(p["payment"]) for p in s["parties"]) == 80000.0
    assert parties["Oakwood"]["returned"][0]["item"] == "Customer list"


def test_a_schedule_not_starting_at_zero_is_named_with_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    setup(db, "Buyers")
    base = ("ally", "money", "group", "Buyers", "Paper", "--item", "A4 paper", "--member", "us",
            "--member", "Northwind")
    out = kb(db, *base, "--price", "0=10", "--rebate", "300=0.20", code=2).stderr
    assert "the rebates: the first band must start at 0" in out and "0=0" in out
    assert "rates v1" not in out and len(out.strip().splitlines()) == 1
    out = kb(db, *base, "--price", "10=10", code=2).stderr
    assert "the unit prices: the first band must start at 0" in out
    g = kbj(db, *base, "--price", "0=10", "--rebate", "0=0", "--rebate", "300=0.20")
    assert g["buying"]["schedule"]["rebate_bands"][1]["rate"] == "0.20"
    assert g["buying"]["item"] == "A4 paper"
