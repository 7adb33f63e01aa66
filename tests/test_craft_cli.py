"""The craft-of-networking commands in process (docs/networking-craft.md): each
prints for people and as JSON with ids and names."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kithbook.cli.main import app


def run(db: Path, *args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["--db", str(db), "--as-of", "2026-11-27", *args])
    return r.exit_code, r.output


def test_craft_commands_end_to_end(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    for args in (["me", "Robin Owner"], ["add", "person", "Ana Silva", "--org", "Acme"],
                 ["add", "person", "Ben Okafor"], ["add", "person", "Cy Tran"]):
        assert run(db, *args)[0] == 0
    code, out = run(db, "--json", "pitch", "add", "Rail", "We move freight by rail.",
                    "--audience", "buyers")
    assert code == 0 and json.loads(out)["words"] == 5
    assert run(db, "pitch", "use", "Rail", "Ana Silva", "--outcome", "advanced")[0] == 0
    code, out = run(db, "story", "add", "Night shift", "We moved a factory in a night.")
    assert code == 0
    assert run(db, "story", "tell", "Night shift", "Ana Silva", "--landed")[0] == 0
    code, out = run(db, "story", "tell", "Night shift", "Ana Silva")
    assert code != 0 and "already heard" in out
    assert run(db, "claim", "add", "Ana Silva", "We tender every March")[0] == 0
    assert run(db, "told", "add", "Ana Silva", "team", "We are 12", "--value", "12")[0] == 0
    code, out = run(db, "told", "add", "Ben Okafor", "team", "We are 20", "--value", "20")
    assert code == 0 and "conflicts" in out
    assert run(db, "target", "add", "Cy Tran", "--why", "port buyer")[0] == 0
    assert run(db, "event", "add", "Port summit", "--on", "2026-12-03", "--at", "9:30")[0] == 0
    assert run(db, "event", "attend", "Port summit", "Cy Tran", "--via", "Ben Okafor")[0] == 0
    assert run(db, "research", "add", "Ana Silva", "Joined in 2024", "--source", "web")[0] == 0
    code, out = run(db, "--json", "survey", "new", "Trucks in 2027?", "--person", "Ana Silva",
                    "Ben Okafor")
    sid = json.loads(out)["id"]
    assert code == 0 and run(db, "survey", "answer", sid, "Ana Silva", "120")[0] == 0
    code, out = run(db, "survey", "results", sid)
    assert code == 0 and "no link yet: Ben Okafor" in out
    code, out = run(db, "--json", "survey", "results", sid)
    assert [p["name"] for p in json.loads(out)["unsent"]] == ["Ben Okafor"]
    code, out = run(db, "--json", "today")
    [send] = [i for i in json.loads(out) if i["kind"] == "send_survey"]
    assert send["id"] == sid and send["name"] == "Trucks in 2027?"
    code, out = run(db, "today")
    assert code == 0 and "a survey to send" in out
    assert run(db, "referral", "add", "Ana Silva", "Cy Tran")[0] == 0
    assert run(db, "time", "log", "30", "preparation", "--person", "Ana Silva")[0] == 0
    code, out = run(db, "--json", "time", "report", "--month", "2026-11")
    assert code == 0 and json.loads(out)["id"] == "2026-11"
    code, out = run(db, "brief", "Ana Silva")
    assert code == 0 and "Brief: Ana Silva" in out and "Night shift" in out
    code, out = run(db, "--json", "brief", "Ana Silva")
    data = json.loads(out)
    assert code == 0 and data["name"] == "Ana Silva" and data["claims"][0]["name"] == \
        "We tender every March"
    for args in (["pitch", "list"], ["pitch", "best"], ["story", "list"], ["told", "conflicts"],
                 ["claim", "list"], ["target", "list"], ["event", "list"], ["survey", "list"],
                 ["referral", "advocates"], ["referral", "list"], ["research", "list"]):
        code, out = run(db, "--json", *args)
        assert code == 0, (args, out)
        assert "total" in json.loads(out)
    code, out = run(db, "brief", "Nobody Atall")
    assert code != 0 and out.count("\n") <= 2


def test_surveys_ideas_referrals_and_tellings_from_the_cli(tmp_path: Path) -> None:
    """The craft verbs that were API-only: survey send/close, idea new/feedback/verdict/
    list, referral asked/loop, story landed."""
    db = tmp_path / "k.db"
    for args in (["me", "Robin Owner"], ["add", "person", "Ana Silva"],
                 ["add", "person", "Ben Okafor"], ["add", "person", "Cy Tran"]):
        assert run(db, *args)[0] == 0
    code, out = run(db, "--json", "survey", "new", "Rail or road?", "--person", "Ana Silva")
    sid = json.loads(out)["id"]
    code, out = run(db, "--json", "survey", "send", sid, "Ana Silva")
    assert code == 0 and "/r/" in json.loads(out)["url"]
    code, out = run(db, "survey", "send", sid, "Cy Tran")
    assert code != 0 and "not asked" in out
    code, out = run(db, "--json", "survey", "close", sid)
    assert code == 0 and json.loads(out)["closed"] is True
    code, out = run(db, "--json", "idea", "new", "Night deliveries", "--text", "22:00 to 6:00")
    assert code == 0 and json.loads(out)["verdict"]["verdict"] == "too_early"
    for who in ("Ana Silva", "Ben Okafor", "Cy Tran"):
        code, out = run(db, "idea", "feedback", "Night deliveries", who, "--interest", "5",
                        "--would-use", "4", "--clarity", "4")
        assert code == 0, out
    code, out = run(db, "--json", "idea", "list")
    assert code == 0 and json.loads(out)["items"][0]["verdict"]["verdict"] == "go"
    code, out = run(db, "--json", "idea", "verdict", "Night deliveries", "drop")
    assert code == 0 and json.loads(out)["verdict"]["by_hand"] is True
    code, out = run(db, "idea", "feedback", "Night deliveries", "Ana Silva", "--interest",
                    "9", "--would-use", "4", "--clarity", "4")
    assert code != 0  # 1 to 5
    assert run(db, "referral", "add", "Ana Silva", "Cy Tran")[0] == 0
    code, out = run(db, "--json", "referral", "loop")
    assert code == 0 and json.loads(out)["total"] == 1  # to thank Ana
    code, out = run(db, "--json", "referral", "asked", "Ben Okafor")
    assert code == 0 and json.loads(out)["name"] == "Ben Okafor"
    assert run(db, "story", "add", "Night shift", "We moved a factory in a night.")[0] == 0
    code, out = run(db, "--json", "story", "tell", "Night shift", "Ana Silva", "--landed")
    telling = json.loads(out)["recorded"][0]["id"]
    code, out = run(db, "--json", "story", "landed", telling, "--flat")
    assert code == 0, out


def test_event_list_past_most_recent_first_with_whom_i_met(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    for args in (["me", "Robin Owner"], ["add", "person", "Ana Silva"],
                 ["event", "add", "Old fair", "--on", "2026-10-02"],
                 ["event", "add", "Harbour dinner", "--on", "2026-11-20"],
                 ["event", "add", "Port summit", "--on", "2026-12-03"],
                 ["event", "attend", "Harbour dinner", "Ana Silva"],
                 ["event", "met", "Harbour dinner", "Ana Silva"]):
        assert run(db, *args)[0] == 0, args
    code, out = run(db, "--json", "event", "list", "--past")
    assert code == 0
    got = json.loads(out)
    assert [e["name"] for e in got["items"]] == ["Harbour dinner", "Old fair"]
    assert got["items"][0]["attendees"][0]["met"] is True
    code, out = run(db, "event", "list", "--past")
    assert code == 0 and "Ana Silva met" in out and "Port summit" not in out
