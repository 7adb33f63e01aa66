"""Quick capture keeps everything (docs/quick-capture.md): the implicit contract and
promises both ways in one form, saved as one change with a confirmation and Undo; an
agreed item becomes a promise without being retyped (web button, CLI --promise)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kithbook.cli.main import app
from kithbook.domain.contract import read_agreed

BASE = "http://127.0.0.1:8765"
SAME = {"origin": BASE, "sec-fetch-site": "same-origin"}


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={"csrf_token": client.app.state.csrf_token, **data},  # type: ignore[attr-defined]
                       headers=SAME, follow_redirects=False)


def test_we_talked_with_i_owe_them_and_a_due_date_keeps_the_promise(client: TestClient) -> None:
    sam = client.post("/api/v1/people", json={"name": "Sam Chen"}).json()
    r = post(client, "/capture", {
        "kind": "interaction", "with": "Sam Chen", "text": "Lunch", "channel": "meeting",
        "they_want": "a packaging supplier", "i_want": "an intro to their COO",
        "agreed": "I send a quote by friday\nCoffee at the expo", "next_step": "call",
        "i_owe": "send the quote", "i_owe_due": "2030-01-04",
        "they_owe": "intro to the COO", "they_owe_due": "+3d",
    })
    assert r.status_code == 303, r.text
    where = urlparse(r.headers["location"])
    saved = parse_qs(where.query)
    assert where.path == f"/people/{sam['id']}" and saved["saved"][0].startswith("bat")
    assert "2 promises" in saved["what"][0]
    page = client.get(r.headers["location"]).text
    assert 'id="saved"' in page and "Undo" in page and "a packaging supplier" in page
    mine = client.get("/api/v1/promises", params={"direction": "mine"}).json()["items"]
    theirs = client.get("/api/v1/promises", params={"direction": "theirs"}).json()["items"]
    assert [p["what"] for p in mine] == ["send the quote"] and mine[0]["due"] == "2030-01-04"
    assert [p["what"] for p in theirs] == ["intro to the COO"] and theirs[0]["due"]
    assert mine[0]["interaction_id"]  # linked to the conversation
    # one Undo reverses the whole capture
    r = post(client, f"/undo/{saved['saved'][0]}", {})
    assert r.status_code == 200
    assert client.get("/api/v1/promises").json()["total"] == 0
    assert "Lunch" not in client.get(f"/people/{sam['id']}").text


def test_the_old_single_due_field_under_we_talked_is_not_dropped(client: TestClient) -> None:
    client.post("/api/v1/people", json={"name": "Sam Chen"})
    r = post(client, "/capture", {"kind": "interaction", "with": "Sam Chen",
                                  "text": "send the deck", "direction": "mine",
                                  "due": "2030-05-01"})
    assert r.status_code == 303
    items = client.get("/api/v1/promises").json()["items"]
    assert [(p["what"], p["due"]) for p in items] == [("send the deck", "2030-05-01")]


def test_a_due_date_without_its_promise_is_an_error_not_a_silent_drop(
        client: TestClient) -> None:
    client.post("/api/v1/people", json={"name": "Sam Chen"})
    r = post(client, "/capture", {"kind": "interaction", "with": "Sam Chen", "text": "x",
                                  "they_owe_due": "friday"})
    assert r.status_code == 422 and 'id="they_owe_due-error"' in r.text
    assert client.get("/api/v1/promises").json()["total"] == 0


def test_agreed_items_become_promises_in_the_web_form(client: TestClient) -> None:
    client.post("/api/v1/people", json={"name": "Maria Lopez"})
    r = post(client, "/capture", {"kind": "interaction", "with": "Maria Lopez",
                                  "agreed": "I send a quote by 2030-01-04\nMaria sends specs",
                                  "agreed_promises": "1"})
    assert r.status_code == 303
    items = client.get("/api/v1/promises").json()["items"]
    got = {(p["what"], p["owed_by"]["name"], p["due"]) for p in items}
    assert got == {("I send a quote by 2030-01-04", "Me", "2030-01-04"),
                   ("Maria sends specs", "Maria Lopez", None)}


def test_read_agreed() -> None:
    assert read_agreed("I send a quote by Friday").mine
    assert read_agreed("I send a quote by Friday").due_text == "Friday"
    assert not read_agreed("They send the brief by 31/12").mine
    assert read_agreed("They send the brief by 31/12").due_text == "31/12"
    assert not read_agreed("maria sends specs", ("Maria",)).mine
    assert read_agreed("Coffee at the expo").due_text is None


def test_cli_log_agreed_promise(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("KITHBOOK_CONFIG", str(tmp_path / "none.toml"))
    runner = CliRunner()

    def kb(*args: str) -> str:
        r = runner.invoke(app, ["--db", str(tmp_path / "k.db"), "--as-of", "2026-12-01", *args])
        assert r.exit_code == 0, r.output
        return r.output

    kb("add", "person", "Maria Lopez")
    out = kb("log", "--with", "Maria Lopez", "--agreed", "I send a quote by friday",
             "Maria sends specs by next week", "--promise")
    assert "Me owes Maria Lopez: I send a quote by friday by Fri 4 Dec 2026" in out
    assert "Maria Lopez owes Me: Maria sends specs by next week by Mon 7 Dec 2026" in out
    data = json.loads(kb("--json", "promises"))
    assert data["total"] == 2
    kb("undo")
    assert json.loads(kb("--json", "promises"))["total"] == 0


def test_make_an_agreed_item_a_promise_with_one_click(client: TestClient) -> None:
    maria = client.post("/api/v1/people", json={"name": "Maria Lopez"}).json()
    i = client.post("/api/v1/interactions", json={
        "with_people": ["Maria Lopez"], "agreed": ["Coffee", "They send specs by 2030-02-01"]}
    ).json()
    page = client.get(f"/people/{maria['id']}").text
    assert f"/interactions/{i['id']}/agreed/1/promise" in page
    r = post(client, f"/interactions/{i['id']}/agreed/1/promise",
             {"next": f"/people/{maria['id']}"})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/people/{maria['id']}?")
    items = client.get("/api/v1/promises").json()["items"]
    assert [(p["what"], p["owed_by"]["name"], p["due"]) for p in items] == [
        ("They send specs by 2030-02-01", "Maria Lopez", "2030-02-01")]
