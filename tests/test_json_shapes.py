"""The --json contract: every command that prints data prints JSON whose records carry
`id` and `name` (lists as a list or as {"total", "items"})."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kithbook.cli.main import app

runner = CliRunner()

COMMANDS = [
    "find acme", "show 'Sam Chen'", "show 'Acme Supply'", "people --limit 3", "orgs --limit 3",
    "promises --limit 3", "today --limit 5", "prune --limit 3", "reliability 'Sam Chen'",
    "strength 'Sam Chen'", "strength 'Sam Chen' --with me", "reach", "brokers", "dormant",
    "history --limit 3", "info", "dupes", "me", "ledger 'Sam Chen'",
]


def _records(doc: Any) -> list[dict[str, Any]]:
    if isinstance(doc, dict) and "items" in doc:
        return list(doc["items"])
    if isinstance(doc, list):
        return doc
    return [doc]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("json") / "k.db"
    result = runner.invoke(app, ["--db", str(db), "--as-of", "2026-11-27", "demo", "--size",
                                 "80"])
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize("command", COMMANDS)
def test_records_carry_id_and_name(demo_db: Path, command: str) -> None:
    result = runner.invoke(app, ["--db", str(demo_db), "--as-of", "2026-11-27", "--json",
                                 *shlex.split(command)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for record in _records(doc):
        if isinstance(record, dict):
            assert "id" in record and "name" in record, (command, sorted(record))
