"""The agenda commands end to end: a real database file, `--as-of`, `--json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kithbook.cli.main import app


class Kb:
    def __init__(self, db: Path) -> None:
        self.db = str(db)
        self.runner = CliRunner()

    def __call__(self, *args: str, as_of: str | None = None, ok: bool = True) -> str:
        argv = ["--db", self.db]
        if as_of:
            argv += ["--as-of", as_of]
        res = self.runner.invoke(app, [*argv, *args], env={"COLUMNS": "250"})
        if ok:
            assert res.exit_code == 0, (args, res.output, res.exception)
        return res.output

    def json(self, *args: str, as_of: str | None = None) -> object:
        return json.loads(self("--json", *args, as_of=as_of))


@pytest.fixture
def kb(tmp_path: Path) -> Kb:
    kb = Kb(tmp_path / "kb.db")
    d = "2026-11-02"  # a Monday
    kb("me", "Ann Owner", as_of=d)
    kb("add", "person", "Maria Lopez", "--tier", "A", "--stage", "rapport", as_of=d)
    kb("add", "person", "Sam Chen", "--tier", "B", "--stage", "met", as_of=d)
    kb("add", "person", "Old Pal", "--tier", "C", as_of="2023-01-02")
    kb("promise", "--to", "Maria Lopez", "send the quote", "--due", "2026-11-20", as_of=d)
    kb("promise", "--from", "Sam Chen", "intro to Bob", "--due", "2026-11-10", as_of=d)
    kb("log", "--with", "Sam Chen", "--summary", "coffee", "--next-step", "send the deck",
       "--when", "2026-11-16", as_of="2026-11-16")
    return kb


def test_today_json_is_reproducible_with_as_of(kb: Kb) -> None:
    items = kb.json("today", as_of="2026-11-27")
    assert isinstance(items, list)
    assert all({"id", "name", "kind", "why", "action"} <= set(i) for i in items)
    kinds = [(i["kind"], i["name"]) for i in items]
    assert kinds[0] == ("promise_overdue", "Maria Lopez")
    assert ("follow_up", "Sam Chen") in kinds
    assert ("nudge", "Sam Chen") in kinds
    assert ("keep_in_touch", "Old Pal") in kinds
    assert kb.json("today", as_of="2026-11-27") == items
    assert len(kb.json("today", "--limit", "2", as_of="2026-11-27")) == 2  # type: ignore[arg-type]


def test_today_for_people(kb: Kb) -> None:
    out = kb("today", as_of="2026-11-27")
    assert "Maria Lopez" in out and "send the quote" in out and "Today, 2026-11-27" in out


def test_touched_clears_the_follow_up(kb: Kb) -> None:
    rec = kb.json("touched", "Sam Chen", "--note", "sent the deck", as_of="2026-11-25")
    assert rec["name"] == "Sam Chen" and rec["id"].startswith("per_")  # type: ignore[index]
    kinds = [(i["kind"], i["name"]) for i in kb.json("today", as_of="2026-11-27")]  # type: ignore[union-attr]
    assert ("follow_up", "Sam Chen") not in kinds


def test_snooze_hides_keep_in_touch_and_nudges(kb: Kb) -> None:
    rec = kb.json("snooze", "Old Pal", "2w", as_of="2026-11-27")
    assert rec == {"id": rec["id"], "name": "Old Pal", "snoozed_until": "2026-12-11",  # type: ignore[index]
                   "batch_id": rec["batch_id"]}  # type: ignore[index]
    names = [i["name"] for i in kb.json("today", as_of="2026-11-28")]  # type: ignore[union-attr]
    assert "Old Pal" not in names
    names = [i["name"] for i in kb.json("today", as_of="2026-12-11")]  # type: ignore[union-attr]
    assert "Old Pal" in names
    kb("snooze", "Old Pal", "off", as_of="2026-11-27")
    out = kb("snooze", "Old Pal", "soon", ok=False)
    assert "not a duration" in out or "soon" in out


def test_prune_archive_unarchive_undo(kb: Kb) -> None:
    proposals = kb.json("prune", as_of="2026-11-27")
    old = next(p for p in proposals if p["name"] == "Old Pal")  # type: ignore[union-attr]
    assert old["action"] == "archive" and old["reasons"] and old["id"].startswith("per_")
    rec = kb.json("archive", "Old Pal", "--reason", "moved away", as_of="2026-11-27")
    assert rec["archive_reason"] == "moved away"  # type: ignore[index]
    names = [i["name"] for i in kb.json("today", as_of="2026-11-27")]  # type: ignore[union-attr]
    assert "Old Pal" not in names
    kb("undo", as_of="2026-11-27")
    names = [i["name"] for i in kb.json("today", as_of="2026-11-27")]  # type: ignore[union-attr]
    assert "Old Pal" in names
    kb("archive", "Old Pal", "--reason", "again", as_of="2026-11-27")
    back = kb.json("unarchive", "Old Pal", as_of="2026-11-27")
    assert back["name"] == "Old Pal" and back["archived_at"] is None  # type: ignore[index]
    out = kb("archive", "Old Pal", as_of="2026-11-27", ok=False)
    assert "--reason" in out


def test_reliability(kb: Kb) -> None:
    promises = kb.json("promises", as_of="2026-11-27")
    assert promises
    rec = kb.json("reliability", "Sam Chen", as_of="2026-11-27")
    assert rec["name"] == "Sam Chen" and rec["theirs"]["overdue"] == 1  # type: ignore[index]
    out = kb("reliability", "Sam Chen", as_of="2026-11-27")
    assert "Reliability: Sam Chen" in out


def test_unknown_person_is_a_clear_error(kb: Kb) -> None:
    res = kb.runner.invoke(app, ["--db", kb.db, "snooze", "Nobody Atall", "14d"])
    assert res.exit_code != 0


def test_help_texts_carry_examples() -> None:
    for cmd in ("today", "snooze", "touched", "prune", "archive", "unarchive", "reliability"):
        res = CliRunner().invoke(app, [cmd, "--help"])
        assert res.exit_code == 0 and "Example: kithbook" in res.output, cmd


def test_cli_module_imports_no_heavy_libraries() -> None:
    import subprocess
    import sys

    code = ("import sys, kithbook.cli.agenda; "
            "print(sorted(m for m in ('sqlalchemy', 'rich', 'icalendar') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_demo_network_agenda_is_reproducible(tmp_path: Path) -> None:
    from ical.calendar_stream import IcsCalendarStream

    kb = Kb(tmp_path / "demo.db")
    day = "2026-11-27"
    kb("demo", as_of=day)
    items = kb.json("today", "--limit", "200", as_of=day)
    assert isinstance(items, list) and items
    kinds = {i["kind"] for i in items}
    assert {"promise_overdue", "follow_up", "keep_in_touch"} <= kinds
    # every item names a person, but a survey to send or to close names the survey
    assert all(i["id"].startswith("sur_" if i["kind"] in ("send_survey", "close_survey")
                                  else "per_") and i["name"] and i["why"] and i["action"]
               for i in items)
    assert kb.json("today", "--limit", "200", as_of=day) == items
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True)
    proposals = kb.json("prune", as_of=day)
    assert all(p["reasons"] and p["action"] in ("archive", "downgrade", "slow_down")
               for p in proposals)  # type: ignore[union-attr]
    out = tmp_path / "demo.ics"
    kb("export", "ics", "-o", str(out), as_of=day)
    cal = IcsCalendarStream.calendar_from_ics(out.read_text(encoding="utf-8"))
    assert len(cal.events) >= 5 and len({e.uid for e in cal.events}) == len(cal.events)
