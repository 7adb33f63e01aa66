"""HTML pages in process: each page renders, forms keep what was typed on an error and
show it next to the field, htmx partials, quick capture, import preview, map data."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

BASE = "http://127.0.0.1:8765"
SAME = {"origin": BASE, "sec-fetch-site": "same-origin"}


def token(client: TestClient) -> str:
    return client.app.state.csrf_token  # type: ignore[attr-defined,no-any-return]


def post(client: TestClient, path: str, data: dict[str, Any], **kw: Any) -> Any:
    return client.post(path, data={"csrf_token": token(client), **data}, headers=SAME,
                       follow_redirects=False, **kw)


def person(client: TestClient, **body: Any) -> dict[str, Any]:
    r = client.post("/api/v1/people", json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_every_page_renders(client: TestClient) -> None:
    a = person(client, name="Maria Lopez", org="Acme", tier="A", tags=["vip"],
               how_met="Met at PyCon", note="Likes *tea*")
    org_id = a["roles"][0]["org_id"]
    for path in ["/", "/people", "/people/new", f"/people/{a['id']}", "/orgs",
                 f"/orgs/{org_id}", "/capture", "/import", "/map", f"/map?person={a['id']}",
                 "/api/v1/docs"]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert "<script>" not in r.text  # no inline scripts at all
    page = client.get(f"/people/{a['id']}").text
    assert "Met at PyCon" in page and "<em>tea</em>" in page and "Acme" in page


def test_missing_person_page_is_html_error(client: TestClient) -> None:
    r = client.get("/people/nobody-at-all", headers={"accept": "text/html"})
    assert r.status_code == 404
    assert "no person matches" in r.text and r.headers["content-type"].startswith("text/html")


def test_people_filters_and_htmx_partial(client: TestClient) -> None:
    person(client, name="Ann Archer", tier="A", tags=["golf"], org="Acme")
    person(client, name="Bob Baker", tier="B", stage="rapport", org="Globex")
    r = client.get("/people", params={"q": "ann"}, headers={"hx-request": "true"})
    assert "Ann Archer" in r.text and "Bob Baker" not in r.text
    assert "<html" not in r.text  # only the rows
    assert "Bob Baker" in client.get("/people", params={"stage": "rapport"}).text
    assert "Ann Archer" not in client.get("/people", params={"tier": "B"}).text
    assert "Ann Archer" in client.get("/people", params={"tag": "golf"}).text
    assert "Bob Baker" in client.get("/people", params={"org": "Globex"}).text
    assert "Ann Archer" in client.get("/people", params={"touched": "30"}).text


def test_quick_capture_logs_and_redirects_to_the_timeline(client: TestClient) -> None:
    a = person(client, name="Sam Chen")
    r = post(client, "/capture", {"kind": "interaction", "with": "Sam Chen",
                                  "text": "Coffee about hiring", "channel": "meeting"})
    assert r.status_code == 303 and r.headers["location"].startswith(f"/people/{a['id']}")
    assert "Coffee about hiring" in client.get(f"/people/{a['id']}").text
    r = post(client, "/capture", {"kind": "promise", "with": "Sam", "text": "Send the deck",
                                  "direction": "mine", "due": "2030-05-01"})
    assert r.status_code == 303
    assert "Send the deck" in client.get(f"/people/{a['id']}").text
    r = post(client, "/capture", {"kind": "note", "with": "Sam Chen", "text": "Has **two** kids"})
    assert r.status_code == 303
    assert "<strong>two</strong>" in client.get(f"/people/{a['id']}").text


def test_capture_errors_are_next_to_the_field_and_keep_input(client: TestClient) -> None:
    r = post(client, "/capture", {"kind": "interaction", "with": "Nobody Known",
                                  "text": "my long careful summary"})
    assert r.status_code == 404
    assert 'id="with-error"' in r.text and "my long careful summary" in r.text
    r = post(client, "/capture", {"kind": "promise", "with": "Me", "text": "x",
                                  "due": "not-a-date"})
    assert r.status_code == 422 and 'id="due-error"' in r.text and "not-a-date" in r.text
    person(client, name="Lee Park")
    person(client, name="Lee Park", emails=["lee2@example.com"])
    r = post(client, "/capture", {"kind": "note", "with": "Lee Park", "text": "hello"})
    assert r.status_code == 409 and "Which one?" in r.text


def test_add_person_form_validates(client: TestClient) -> None:
    r = post(client, "/people/new", {"name": "Kim", "email": "not an email", "title": "CTO"})
    assert r.status_code == 422
    assert 'id="email-error"' in r.text and 'value="CTO"' in r.text
    r = post(client, "/people/new", {"name": "Kim Lee", "email": "kim@example.com"})
    assert r.status_code == 303


def test_note_form_error_keeps_text(client: TestClient) -> None:
    a = person(client, name="Nora")
    r = post(client, f"/people/{a['id']}/notes", {"body": "   "})
    assert r.status_code == 422 and "the note is empty" in r.text


def test_autocomplete_completes_the_last_name_only(client: TestClient) -> None:
    person(client, name="Bob Smith")
    r = client.get("/suggest/people", params={"with": "Ann, Bo"})
    assert '<option value="Ann, Bob Smith">' in r.text


def test_import_preview_then_confirm(client: TestClient) -> None:
    person(client, name="Round Trip")
    from kithbook.services.app import Services

    svc = Services(client.app.state.db, client.app.state.config)  # type: ignore[attr-defined]
    data = svc.transfer.export_bytes("json")
    r = post(client, "/import/preview", {}, files={"file": ("backup.json", data)})
    assert r.status_code == 200 and 'id="import-preview"' in r.text
    tok = r.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    r = post(client, "/import/confirm", {"token": tok})
    assert r.status_code == 200 and 'id="import-done"' in r.text
    r = post(client, "/import/confirm", {"token": tok})
    assert r.status_code == 409  # a preview is used once
    r = post(client, "/import/preview", {}, files={"file": ("x.bin", b"\x00garbage")})
    assert r.status_code == 422 and 'id="file-error"' in r.text


def test_map_data_has_the_ego_network(client: TestClient) -> None:
    a = person(client, name="Hub")
    b = person(client, name="Spoke One")
    c = person(client, name="Spoke Two")
    for x, y in ((a, b), (a, c), (b, c)):
        client.post("/api/v1/ties", json={"a": x["id"], "b": y["id"], "strength": 4})
    data = client.get("/map/data", params={"person": a["id"]}).json()
    nodes = {e["data"]["id"] for e in data["elements"] if "source" not in e["data"]}
    edges = [e for e in data["elements"] if "source" in e["data"]]
    assert nodes == {a["id"], b["id"], c["id"]} and len(edges) == 3
    client.post("/api/v1/ties", json={"a": "me", "b": a["id"], "strength": 5})
    r = client.get("/map/data", params={"person": "me", "target": "Spoke Two"})
    assert r.status_code == 200, r.text
    found = r.json()
    from kithbook.services.app import Services

    if hasattr(Services, "network"):  # warm paths, once the network engine is present
        assert found["routes"], found
        on_path = {e["data"]["id"] for e in found["elements"] if e["data"].get("path")}
        assert c["id"] in on_path and a["id"] in on_path
        # a target organization is drawn, reached through the person who works there
        d = person(client, name="Spoke Three", org="Spokeworks")
        client.post("/api/v1/ties", json={"a": c["id"], "b": d["id"], "strength": 4})
        found = client.get("/map/data", params={"person": "me", "target": "Spokeworks"}).json()
        orgs = [e["data"] for e in found["elements"] if e["data"].get("org")]
        assert [o["label"] for o in orgs] == ["Spokeworks"], found
        assert any({e["data"]["source"], e["data"]["target"]} == {d["id"], orgs[0]["id"]}
                   for e in found["elements"] if "source" in e["data"]), found


def test_close_a_promise_from_the_person_page(client: TestClient) -> None:
    a = person(client, name="Pat Doe")
    pr = client.post("/api/v1/promises", json={"what": "Send slides", "to": a["id"]}).json()
    page = client.get(f"/people/{a['id']}").text
    assert f'action="/promises/{pr["id"]}/close"' in page
    r = post(client, f"/promises/{pr['id']}/close",
             {"status": "done", "next": f"/people/{a['id']}"})
    assert r.status_code == 303 and r.headers["location"] == f"/people/{a['id']}"
    assert client.get("/api/v1/promises", params={"status": "done"}).json()["total"] == 1
    pr2 = client.post("/api/v1/promises", json={"what": "Call", "to": a["id"]}).json()
    r = post(client, f"/promises/{pr2['id']}/close", {"status": "broken",
                                                       "next": "//evil.example/x"})
    assert r.headers["location"] == "/"
