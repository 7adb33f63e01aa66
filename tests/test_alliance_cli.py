"""`kithbook ally ...` and `kithbook link ...` end to end with --json: an alliance
from explore to terminate, a gate refused then forced, a private link revoked."""

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


def test_alliance_from_explore_to_terminate(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    kb(db, "me", "Ada Me")
    for name, org in (("Olga Oak", "Oakwood"), ("Nina North", "Northwind"),
                      ("Ned North", "Northwind")):
        kb(db, "add", "person", name, "--org", org)
    al = kbj(db, "ally", "new", "Port bid", "--type", "joint_proposal", "--us", "Oakwood",
             "-p", "Northwind", "--rationale", "They hold the crane licence")
    assert al["stage"] == "explore" and [p["name"] for p in al["partners"]] == [
        "Oakwood", "Northwind"]
    kb(db, "ally", "partner", "Port bid", "us", "--sponsor", "Olga Oak")
    p = kbj(db, "ally", "partner", "Port bid", "Northwind", "--sponsor", "Nina North",
            "-c", "Ned North")
    assert p["sponsor"]["name"] == "Nina North" and len(p["contacts"]) == 2
    g1 = kbj(db, "ally", "goal", "Port bid", "us", "Win the port tender")["id"]
    g2 = kbj(db, "ally", "goal", "Port bid", "Northwind", "Keep the cranes busy")["id"]
    gate = kbj(db, "ally", "gate", "Port bid")
    assert gate["open"] and gate["next"] == "negotiate"
    kb(db, "ally", "stage", "Port bid", "next")
    # the negotiate gate is shut: refused with the reasons and exit code 5
    refused = kb(db, "ally", "stage", "Port bid", "next", code=5)
    assert "not met" in refused.stderr and "--force" in refused.stderr
    kb(db, "ally", "confirm", "Port bid", g1, "--by", "Northwind")
    kb(db, "ally", "confirm", "Port bid", g2, "--by", "us")
    kb(db, "ally", "contribute", "Port bid", "us", "cash", "20000")
    kb(db, "ally", "contribute", "Port bid", "Northwind", "hours", "120", "--rate", "85.50")
    kb(db, "ally", "forum", "Port bid", "Weekly ops", "--cadence", "weekly")
    kb(db, "ally", "doc", "Port bid", "Teaming agreement", "https://x.example/ta",
       "--kind", "agreement")
    kb(db, "ally", "obligation", "Port bid", "Six months notice", "--kind", "exit_provision")
    kb(db, "ally", "edit", "Port bid", "--start", "2026-10-01", "--end", "2027-12-31",
       "--notice", "90", "--decision-date", "2027-10-01")
    moved = kbj(db, "ally", "stage", "Port bid", "next")
    assert (moved["stage"], moved["forced"]) == ("launch", False)
    obj = kbj(db, "ally", "objective", "Port bid", "Sections done", "--metric", "sections",
              "--baseline", "0", "--target", "10", "--start", "2026-10-01",
              "--deadline", "2027-01-31", "--owner", "us")["id"]
    act = kbj(db, "ally", "activity", "Port bid", "Technical section", "--objective", obj,
              "-r", "us:Olga Oak=A", "-r", "Northwind:Ned North=R")
    assert [(r["name"], r["letters"]) for r in act["raci"]] == [
        ("Olga Oak (Oakwood)", "A"), ("Ned North (Northwind)", "R")]
    raci = kbj(db, "ally", "raci", "Port bid")
    assert raci["total"] == 1 and {"items", "findings"} <= set(raci)
    # launch -> manage forced (no kickoff yet) and journaled
    forced = kbj(db, "ally", "stage", "Port bid", "next", "--force", "--reason", "urgent")
    assert forced["forced"] and any("kickoff" in c["text"] for c in forced["unmet"])
    hist = kbj(db, "history")
    assert hist[0]["name"] == "ally stage"
    measured = kbj(db, "ally", "measure", "Port bid", obj, "3")
    assert measured["latest_value"] == "3" and measured["status"] == "at_risk"
    ledger = kbj(db, "ally", "ledger", "Port bid")
    assert [x["committed"] for x in ledger["items"]] == ["20000", "10260.00"]
    health = kbj(db, "ally", "health", "Port bid")
    assert {"score", "category", "weakest", "coverage", "sides", "components"} <= set(health)
    findings = kbj(db, "ally", "findings", "Port bid")
    assert any(f["code"] == "DEADLINE_AT_RISK" for f in findings["items"])
    assert all({"id", "name", "severity", "fix"} <= set(f) for f in findings["items"])
    dec = kbj(db, "ally", "decide", "Port bid", "Exit: tender cancelled", "--kind", "review",
              "--outcome", "exit")
    assert dec["awaiting"] == ["Northwind"]
    link = kbj(db, "ally", "send", "Port bid", dec["id"], "--to", "Nina North")
    assert link["url"].startswith("http://127.0.0.1:8765/r/") and "Nina" in link["email_text"]
    assert kbj(db, "link", "revoke", link["id"])["status"] == "revoked"
    assert kbj(db, "link", "list")["items"][0]["status"] == "revoked"
    kb(db, "ally", "edit", "Port bid", "--reason-code", "external")
    kb(db, "ally", "exit", "Port bid", "data", "Return the tender documents")
    assert kbj(db, "ally", "stage", "Port bid", "terminate")["stage"] == "terminate"
    gate = kbj(db, "ally", "gate", "Port bid")
    assert gate["next"] == "closed" and not gate["open"]
    out = tmp_path / "card.html"
    kb(db, "ally", "scorecard", "Port bid", "-o", str(out))
    page = out.read_text()
    assert page.count("<svg") == 4 and "Port bid" in page
    # self-contained and printable: nothing fetched from anywhere, no script
    assert "<script" not in page and "<link" not in page and 'src="' not in page
    listed = kbj(db, "ally", "list")
    assert listed["total"] == 1 and listed["items"][0]["stage"] == "terminate"
    shown = kbj(db, "ally", "show", "Port bid")
    assert shown["alliance"]["stage"] == "terminate" and shown["exit_plan"]


def test_errors_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    kb(db, "me", "Ada Me")
    r = kb(db, "ally", "show", "nowhere", code=3)
    assert r.stderr.count("\n") == 1 and "no alliance matches" in r.stderr
    r = kb(db, "ally", "new", "X", code=2)
    assert "which organization is us" in r.stderr
