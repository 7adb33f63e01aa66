"""The REST API in process: resources, pagination, filters, one error shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kithbook.config import Config
from kithbook.web.app import create_app

BASE = "http://127.0.0.1:8765"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Config(db=str(tmp_path / "k.db")))
    with TestClient(app, base_url=BASE) as c:
        yield c


def add(client: TestClient, **body: Any) -> dict[str, Any]:
    r = client.post("/api/v1/people", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def assert_error(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) >= {"code", "message", "hint", "field"}
    assert err["code"] == code
    return err  # type: ignore[no-any-return]


def test_people_crud_and_pagination(client: TestClient) -> None:
    for i in range(7):
        add(client, name=f"Person {i:02d}", tier="A" if i % 2 else "B", tags=["golf"] * (i < 3),
            org="Acme" if i < 4 else "Globex")
    page = client.get("/api/v1/people", params={"limit": 3, "offset": 2}).json()
    assert page["total"] >= 7 and page["limit"] == 3 and page["offset"] == 2
    assert len(page["items"]) == 3
    assert client.get("/api/v1/people", params={"tier": "A"}).json()["total"] == 3
    assert client.get("/api/v1/people", params={"tag": "golf"}).json()["total"] == 3
    assert client.get("/api/v1/people", params={"org": "Globex"}).json()["total"] == 3
    assert client.get("/api/v1/people", params={"q": "person 0"}).json()["total"] == 7
    p = client.get("/api/v1/people", params={"q": "Person 05"}).json()["items"][0]
    shown = client.get(f"/api/v1/people/{p['id']}").json()
    assert shown["name"] == "Person 05" and "timeline" in shown and "ties" in shown
    edited = client.patch(f"/api/v1/people/{p['id']}", json={"stage": "rapport"}).json()
    assert edited["stage"] == "rapport"
    gone = client.delete(f"/api/v1/people/{p['id']}").json()
    assert gone["undo_batch"]
    assert_error(client.get(f"/api/v1/people/{p['id']}"), 404, "not_found")


def test_interactions_promises_notes_ties_orgs(client: TestClient) -> None:
    client.post("/api/v1/people", json={"name": "Me Myself"})
    a = add(client, name="Maria Lopez", emails=["maria@example.com"])
    b = add(client, name="Sam Chen")
    r = client.post("/api/v1/interactions", json={
        "with_people": [a["id"]], "channel": "call", "summary": "Talked hiring",
        "agreed": ["send deck"]})
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    assert client.get(f"/api/v1/interactions/{iid}").json()["summary"] == "Talked hiring"
    tl = client.get(f"/api/v1/people/{a['id']}/timeline").json()
    assert tl["total"] == 1 and tl["items"][0]["id"] == iid
    assert client.get("/api/v1/interactions", params={"person": "maria@example.com"}).json()[
        "total"] == 1
    pr = client.post("/api/v1/promises", json={"what": "Send the deck", "to": a["id"],
                                               "due": "2030-01-01"})
    assert pr.status_code == 201, pr.text
    owed = client.post("/api/v1/promises", json={"what": "Intro to Bo", "from": a["id"]})
    assert owed.status_code == 201 and owed.json()["owed_by"]["id"] == a["id"]
    mine = client.get("/api/v1/promises", params={"direction": "mine"}).json()
    assert [x["what"] for x in mine["items"]] == ["Send the deck"]
    closed = client.post(f"/api/v1/promises/{pr.json()['id']}/close", json={"status": "done"})
    assert closed.json()["status"] == "done"
    assert_error(client.post(f"/api/v1/promises/{pr.json()['id']}/close",
                             json={"status": "done"}), 409, "conflict")
    reopened = client.post(f"/api/v1/promises/{pr.json()['id']}/reopen",
                           headers={"content-type": "application/json"})
    assert reopened.json()["status"] == "open"
    n = client.post(f"/api/v1/people/{a['id']}/notes", json={"body": "Likes **tea**"})
    assert n.status_code == 201
    assert client.get(f"/api/v1/people/{a['id']}/notes").json()["total"] == 1
    t = client.post("/api/v1/ties", json={"a": a["id"], "b": b["id"], "kind": "colleague",
                                          "strength": 4})
    assert t.status_code == 201, t.text
    assert client.get(f"/api/v1/people/{b['id']}/ties").json()["items"][0]["kind"] == "colleague"
    o = client.post("/api/v1/organizations", json={"name": "Acme", "domain": "acme.example"})
    assert o.status_code == 201
    assert client.get("/api/v1/organizations", params={"q": "ac"}).json()["total"] == 1
    assert client.get(f"/api/v1/organizations/{o.json()['id']}").json()["name"] == "Acme"


def test_tags_and_search(client: TestClient) -> None:
    add(client, name="Ada Lovelace", tags=["math", "vip"])
    tags = {t["name"]: t["count"] for t in client.get("/api/v1/tags").json()["items"]}
    assert tags["math"] == 1
    hits = client.get("/api/v1/search", params={"q": "lovelace"}).json()["items"]
    assert hits and hits[0]["name"] == "Ada Lovelace"
    assert_error(client.get("/api/v1/search", params={"q": "x", "kinds": "ships"}), 422,
                 "invalid_input")


def test_error_shapes(client: TestClient) -> None:
    add(client, name="Alex Kim")
    add(client, name="Alex Kim", emails=["other@example.com"])
    err = assert_error(client.get("/api/v1/people/Alex Kim"), 409, "ambiguous")
    assert len(err["candidates"]) == 2
    err = assert_error(client.post("/api/v1/people", json={"name": "   "}), 422, "invalid_input")
    assert err["field"] == "name"
    err = assert_error(client.post("/api/v1/people", json={"nom": "x"}), 422, "invalid_input")
    assert_error(client.post("/api/v1/people", content=b"{not json",
                             headers={"content-type": "application/json"}), 422, "invalid_input")
    assert_error(client.get("/api/v1/people", params={"limit": 0}), 422, "invalid_input")
    assert_error(client.get("/api/v1/nowhere"), 404, "not_found")
    assert_error(client.put("/api/v1/people"), 405, "method_not_allowed")
    add(client, name="Dup", emails=["dup@example.com"])
    dup = {"name": "Dup2", "emails": ["dup@example.com"]}
    assert_error(client.post("/api/v1/people", json=dup), 409, "conflict")


def test_import_preview_then_commit_over_the_api(client: TestClient) -> None:
    add(client, name="Exported Person")
    from kithbook.services.app import Services

    app = client.app
    svc = Services(app.state.db, app.state.config)  # type: ignore[attr-defined]
    data = svc.transfer.export_bytes("json")
    r = client.post("/api/v1/import", params={"filename": "backup.json"}, content=data,
                    headers={"content-type": "application/octet-stream"})
    assert r.status_code == 200, r.text
    assert r.json()["dry_run"] is True
    assert_error(client.post("/api/v1/import", params={"filename": "x.bin"}, content=b"\x00\x01",
                             headers={"content-type": "application/octet-stream"}),
                 422, "import_failed")


def test_openapi_and_docs_are_local(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for p in ("/api/v1/people", "/api/v1/organizations", "/api/v1/interactions",
              "/api/v1/promises", "/api/v1/tags", "/api/v1/search", "/api/v1/ties"):
        assert p in paths
    for path, ops in paths.items():
        for method, op in ops.items():
            assert "422" in op["responses"], (method, path)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and "/api/v1/people" in docs.text
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text


def test_calendar_feed_serves_the_export(client: TestClient) -> None:
    from kithbook.services.app import Services
    from kithbook.web import feeds

    client.post("/api/v1/people", json={"name": "Me"})
    a = add(client, name="Zed")
    client.post("/api/v1/promises", json={"what": "Send notes", "to": a["id"],
                                          "due": "2031-02-03"})
    svc = Services(client.app.state.db, client.app.state.config)  # type: ignore[attr-defined]
    token = feeds.feed_token(svc)
    r = client.get(f"/feeds/{token}.ics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in r.content
    def stable(ics: bytes) -> list[bytes]:
        return [ln for ln in ics.split(b"\r\n") if not ln.startswith(b"DTSTAMP")]

    assert stable(r.content) == stable(feeds.calendar_bytes(svc))
    assert b"Send notes" in r.content
    assert_error(client.get("/feeds/guess.ics"), 404, "not_found")
