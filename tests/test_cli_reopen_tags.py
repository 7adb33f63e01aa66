"""`kithbook reopen` (promises.reopen) and `kithbook tags` (settings.tags): the two
use cases the parity test found missing from the CLI among the core records."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kithbook.cli.main import app

runner = CliRunner()


def kb(db: Path, *args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["--db", str(db), "--as-of", "2026-11-27", *args])
    return r.exit_code, r.stdout, r.stderr


def test_reopen_a_closed_promise_and_list_tags(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    assert kb(db, "me", "Ann Owner")[0] == 0
    assert kb(db, "add", "person", "Maria Lopez", "--tag", "investor", "--tag", "[vip]")[0] == 0
    code, out, err = kb(db, "--json", "promise", "--to", "Maria Lopez", "send the quote")
    assert code == 0, err
    pid = json.loads(out)["id"]
    assert kb(db, "done", pid)[0] == 0
    code, out, err = kb(db, "--json", "reopen", pid)
    assert code == 0, err
    assert json.loads(out)["status"] == "open"
    code, _, err = kb(db, "reopen", "pro_zzzzzzzz")
    assert code != 0 and "pro_zzzzzzzz" in err

    code, out, err = kb(db, "tags", "--json")
    assert code == 0, err
    listed = json.loads(out)
    assert listed["total"] == 2
    assert {(t["id"], t["name"], t["count"]) for t in listed["items"]} == {
        ("investor", "investor", 1), ("[vip]", "[vip]", 1)}
    code, out, _ = kb(db, "tags")
    assert code == 0 and "[vip]" in out and "2 tags" in out
