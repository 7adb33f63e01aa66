"""Bulk edit (docs/bulk-edit.md): from a search or a filter, previewed (nothing written),
applied as one change, reversed by one undo; CLI and the web people list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kithbook.cli.main import app


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: Any):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KITHBOOK_CONFIG", str(tmp_path / "none.toml"))
    runner = CliRunner()

    def run(*args: str, expect: int = 0) -> str:
        r = runner.invoke(app, ["--db", str(tmp_path / "k.db"), "--as-of", "2026-12-01", *args])
        assert r.exit_code == expect, r.output
        return r.output

    return run


def people(kb: Any, *args: str) -> list[dict[str, Any]]:
    return json.loads(kb("--json", "people", "--limit", "500", *args))["items"]  # type: ignore[no-any-return]


def test_bulk_tag_tier_archive_preview_apply_undo(kb: Any) -> None:
    for i in range(12):
        kb("add", "person", f"Acme Person {i}", "--org", "Acme")
    kb("add", "person", "Other Body", "--org", "Globex")
    out = kb("bulk", "tag", "prospect", "--search", "acme")
    assert "Preview: tag 'prospect' for 12 people" in out and "--apply" in out
    assert people(kb, "--tag", "prospect") == []  # a preview writes nothing
    done = json.loads(kb("--json", "bulk", "tag", "prospect", "--search", "acme", "--apply"))
    assert done["changed"] == 12 and done["id"].startswith("bat")
    assert len(people(kb, "--tag", "prospect")) == 12
    done = json.loads(kb("--json", "bulk", "tier", "B", "--tag", "prospect", "--apply"))
    assert done["changed"] == 12
    assert len(people(kb, "--tier", "B")) == 12
    kb("undo")  # the tier change, whole
    assert people(kb, "--tier", "B") == []
    kb("undo")  # the tagging, whole
    assert people(kb, "--tag", "prospect") == []
    out = kb("--json", "bulk", "archive", "gone quiet", "--org", "Globex", "--apply")
    assert json.loads(out)["changed"] == 1
    assert all(p["name"] != "Other Body" for p in people(kb))
    kb("undo")
    assert any(p["name"] == "Other Body" for p in people(kb))


def test_bulk_needs_a_selection_and_a_known_action(kb: Any) -> None:
    kb("add", "person", "Ann")
    assert "say which people" in kb("bulk", "tag", "x", expect=2)
    assert "not a bulk action" in kb("bulk", "explode", "--search", "ann", expect=2)


def test_web_bulk_ticked_rows_preview_apply(client: Any) -> None:
    base = "http://127.0.0.1:8765"
    same = {"origin": base, "sec-fetch-site": "same-origin"}
    a = client.post("/api/v1/people", json={"name": "Ann Archer"}).json()
    b = client.post("/api/v1/people", json={"name": "Bob Baker"}).json()
    client.post("/api/v1/people", json={"name": "Cy Cole"})
    page = client.get("/people").text
    assert 'name="ids"' in page and 'id="bulk-form"' in page
    tok = client.app.state.csrf_token
    data = {"csrf_token": tok, "ids": [a["id"], b["id"]], "action": "tier", "value": "A"}
    r = client.post("/people/bulk", data=data, headers=same)
    assert r.status_code == 200 and "2 people" in r.text and 'id="bulk-apply"' in r.text
    r = client.post("/people/bulk", data={**data, "apply": "1"}, headers=same)
    assert r.status_code == 200 and 'id="bulk-undo"' in r.text
    assert client.get("/people", params={"tier": "A"}).text.count("person-link") == 2
