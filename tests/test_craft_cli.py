"""The craft-of-networking commands in process (docs/craft-of-networking.md): each
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
