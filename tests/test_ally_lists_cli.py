"""`kithbook ally goals|obligations|forums|meetings|actions|exit-plan|contributions|links|
stages`: each facet of an alliance as a list, for people and as `{"total", "items"}`
JSON whose records carry id and name, on the demo's alliances."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kithbook.cli.main import app

FACETS = ["goals", "obligations", "forums", "meetings", "actions", "exit-plan",
          "contributions", "links", "stages"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ally-lists") / "k.db"
    r = CliRunner().invoke(app, ["--db", str(db), "--as-of", "2026-11-27", "demo",
                                 "--size", "60"])
    assert r.exit_code == 0, r.output
    return db


def run(db: Path, *args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["--db", str(db), "--as-of", "2026-11-27", *args])
    return r.exit_code, r.output


def test_every_facet_lists_with_ids_as_text_and_json(demo: Path) -> None:
    code, out = run(demo, "--json", "ally", "list")
    assert code == 0, out
    alliances = [a["name"] for a in json.loads(out)["items"]]
    assert len(alliances) == 4
    filled: dict[str, int] = {}
    for facet in FACETS:
        for name in alliances:
            code, out = run(demo, "ally", facet, name, "--json")
            assert code == 0, (facet, name, out)
            data = json.loads(out)
            assert data["total"] == len(data["items"])
            for item in data["items"]:
                assert "id" in item and "name" in item, (facet, item)
            filled[facet] = filled.get(facet, 0) + data["total"]
            code, text = run(demo, "ally", facet, name)
            assert code == 0 and text.strip(), (facet, name)
            if data["items"]:
                first = str(data["items"][0]["id"])
                assert first in text.replace("\n", "") or first in text, (facet, text)
    # the demo fills most facets somewhere across its four alliances
    assert sum(1 for n in filled.values() if n) >= 6, filled
    code, out = run(demo, "ally", "goals", "No Such Alliance")
    assert code != 0 and out.count("\n") <= 2
