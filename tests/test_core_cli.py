"""The README tour, end to end through the CLI, in-process."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kithbook.cli.main import app

runner = CliRunner()


def kb(db: Path, *args: str, ok: bool = True):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["--db", str(db), "--as-of", "2026-11-27", *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_tour(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    kb(db, "demo")
    found = json.loads(kb(db, "--json", "find", "acme").stdout)
    assert found and all("id" in h and "name" in h for h in found)
    kb(
        db,
        "add",
        "person",
        "Maria Lopez",
        "--email",
        "maria@northwind.example",
        "--org",
        "Northwind",
        "--title",
        "CFO",
        "--tier",
        "A",
        "--cadence",
        "monthly",
        "--met-via",
        "Sam Chen",
        "--how-met",
        "Chamber of Commerce breakfast",
    )
    kb(db, "add", "org", "Northwind", "--domain", "northwind.example", "--kind", "customer")
    kb(db, "tie", "Maria Lopez", "Sam Chen", "--kind", "colleague", "--strength", "4")
    logged = json.loads(
        kb(
            db,
            "--json",
            "log",
            "--with",
            "Maria Lopez",
            "--with",
            "Sam Chen",
            "--channel",
            "meeting",
            "--minutes",
            "45",
            "--they-want",
            "a second supplier for packaging",
            "--i-want",
            "an intro to their COO",
            "--agreed",
            "I send a quote by Friday",
            "Coffee at the expo",
        ).stdout
    )
    assert logged["agreed"] == ["I send a quote by Friday", "Coffee at the expo"]
    p1 = json.loads(
        kb(
            db,
            "--json",
            "promise",
            "--to",
            "Maria Lopez",
            "send the packaging quote",
            "--due",
            "2026-12-04",
        ).stdout
    )
    kb(db, "promise", "--from", "Sam Chen", "intro to the Northwind COO", "--due", "2026-12-10")
    kb(db, "done", p1["id"])
    shown = json.loads(kb(db, "--json", "show", "Maria Lopez").stdout)
    assert shown["name"] == "Maria Lopez" and shown["id"].startswith("per_")
    assert shown["timeline"][0]["they_want"] == "a second supplier for packaging"
    assert shown["promises_owed_to_them"] == []
    backup = tmp_path / "backup.json"
    kb(db, "export", "json", "-o", str(backup))
    other = tmp_path / "other.db"
    kb(other, "import", str(backup))
    again = tmp_path / "again.json"
    kb(other, "export", "json", "-o", str(again))
    a = json.loads(backup.read_text())
    b = json.loads(again.read_text())
    a.pop("exported_at")
    b.pop("exported_at")
    assert a == b


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    kb(db, "add", "person", "Maria Lopez")
    kb(db, "add", "person", "Maria Schmidt")
    r = kb(db, "show", "maria", ok=False)
    assert r.exit_code == 4
    assert "Maria Lopez" in r.output and "Maria Schmidt" in r.output
    assert "Traceback" not in r.output
    r = kb(db, "show", "Nobody Here", ok=False)
    assert r.exit_code == 3 and "no person or organization matches" in r.output
    r = kb(db, "promise", "x", "--to", "Maria Lopez", "--due", "soon", ok=False)
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
    r = kb(db, "import", str(tmp_path / "missing.json"), ok=False)
    assert r.exit_code != 0 and "does not exist" in r.output


def test_demo_refuses_over_user_data(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    kb(db, "add", "person", "Real Person")
    r = kb(db, "demo", ok=False)
    assert r.exit_code == 5 and "--force" in r.output


def test_demo_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    kb(a, "demo", "--size", "120", "--seed", "3")
    kb(b, "demo", "--size", "120", "--seed", "3")
    ea = json.loads(kb(a, "export", "json").stdout)
    eb = json.loads(kb(b, "export", "json").stdout)
    ea.pop("exported_at")
    eb.pop("exported_at")
    assert ea == eb
    # me, Sam Chen, 120 others and the 20 people of the sample alliances' partners
    assert len(ea["tables"]["people"]) == 142


def test_every_command_has_help_with_an_example() -> None:
    import typer

    group = typer.main.get_command(app)
    assert hasattr(group, "commands")

    def walk(cmd, path: list[str]) -> None:  # type: ignore[no-untyped-def]
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])
            return
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.output, f"{' '.join(path)} --help has no example"

    walk(group, [])


def test_usage_errors_from_the_real_entry_point(tmp_path: Path) -> None:
    import subprocess
    import sys

    for args in (["--bogus"], ["show"], ["--db", str(tmp_path / "k.db"), "show", "Nobody"]):
        r = subprocess.run([sys.executable, "-m", "kithbook", *args], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode in (2, 3), r.stderr
        assert "unexpected error" not in r.stderr and "Traceback" not in r.stderr
