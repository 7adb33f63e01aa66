"""Editing a person in the browser, moving them to the trash and undoing it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

BASE = "http://127.0.0.1:8765"
SAME = {"origin": BASE, "sec-fetch-site": "same-origin"}


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    token = client.app.state.csrf_token  # type: ignore[attr-defined]
    return client.post(path, data={"csrf_token": token, **data}, headers=SAME,
                       follow_redirects=False)


def test_edit_person_changes_fields_and_moves_org(client: TestClient) -> None:
    p = client.post("/api/v1/people", json={"name": "Maria Lopez", "org": "Acme",
                                            "tags": ["vip", "old"]}).json()
    form = client.get(f"/people/{p['id']}/edit")
    assert form.status_code == 200 and 'value="Maria Lopez"' in form.text
    r = post(client, f"/people/{p['id']}/edit", {
        "name": "María López", "email": "maria@northwind.example", "org": "Northwind",
        "title": "CFO", "tier": "A", "stage": "rapport", "cadence": "monthly",
        "how_met": "Expo", "tags": "vip, investor"})
    assert r.status_code == 303, r.text
    got = client.get(f"/api/v1/people/{p['id']}").json()
    assert got["name"] == "María López" and got["tier"] == "A" and got["cadence_days"] == 30
    assert got["emails"][0]["value"] == "maria@northwind.example"
    assert sorted(got["tags"]) == ["investor", "vip"]
    current = [r for r in got["roles"] if r["is_current"]]
    assert [(r["org_name"], r["title"]) for r in current] == [("Northwind", "CFO")]


def test_edit_error_keeps_what_was_typed(client: TestClient) -> None:
    p = client.post("/api/v1/people", json={"name": "Sam Chen"}).json()
    r = post(client, f"/people/{p['id']}/edit", {"name": "Sam Chen", "cadence": "soonish",
                                                 "how_met": "kept text"})
    assert r.status_code == 422
    assert "soonish" in r.text and "kept text" in r.text and 'id="cadence-error"' in r.text


def test_trash_and_undo_from_the_browser(client: TestClient) -> None:
    p = client.post("/api/v1/people", json={"name": "Old Contact"}).json()
    r = post(client, f"/people/{p['id']}/delete", {})
    assert r.status_code == 200 and "Undo" in r.text
    assert client.get(f"/api/v1/people/{p['id']}").status_code == 404
    batch = r.text.split('action="/undo/')[1].split('"')[0]
    assert post(client, f"/undo/{batch}", {}).status_code == 200
    assert client.get(f"/api/v1/people/{p['id']}").json()["name"] == "Old Contact"


def test_edit_needs_the_form_token(client: TestClient) -> None:
    p = client.post("/api/v1/people", json={"name": "Guarded"}).json()
    r = client.post(f"/people/{p['id']}/edit", data={"name": "Hacked"}, headers=SAME)
    assert r.status_code == 403
    assert client.get(f"/api/v1/people/{p['id']}").json()["name"] == "Guarded"


def test_today_quick_actions(client: TestClient) -> None:
    p = client.post("/api/v1/people", json={"name": "Due Friend", "tier": "A"}).json()
    long_ago = (datetime.now(UTC) - timedelta(days=90)).isoformat()
    r = client.post("/api/v1/interactions", json={"with_people": [p["id"]], "when": long_ago})
    assert r.status_code == 201, r.text
    page = client.get("/").text
    assert f'action="/people/{p["id"]}/touched"' in page
    assert post(client, f"/people/{p['id']}/touched", {}).status_code == 303
    got = client.get(f"/api/v1/people/{p['id']}").json()
    assert got["last_touch_at"] is not None
    assert f'action="/people/{p["id"]}/touched"' not in client.get("/").text
    other = client.post("/api/v1/people", json={"name": "Later Friend", "tier": "A"}).json()
    client.post("/api/v1/interactions", json={"with_people": [other["id"]], "when": long_ago})
    assert f'/people/{other["id"]}/touched' in client.get("/").text
    assert post(client, f"/people/{other['id']}/snooze", {"duration": "2w"}).status_code == 303
    assert client.get(f"/api/v1/people/{other['id']}").json()["snoozed_until"] is not None
    assert f'/people/{other["id"]}/touched' not in client.get("/").text


def test_today_promise_items_can_be_closed(client: TestClient) -> None:
    p = client.post("/api/v1/people", json={"name": "Owed Friend"}).json()
    r = client.post("/api/v1/promises", json={"what": "send the deck", "to": p["id"],
                                               "due": "2020-01-01"})
    assert r.status_code == 201, r.text
    promise = r.json()
    assert f'action="/promises/{promise["id"]}/close"' in client.get("/").text
    assert post(client, f"/promises/{promise['id']}/close",
                {"status": "done", "next": "/"}).status_code == 303
    done = client.get("/api/v1/promises", params={"status": "done"}).json()["items"]
    assert promise["id"] in {x["id"] for x in done}
