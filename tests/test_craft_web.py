"""The craft of networking on the web, in process: a person's brief, /craft with its
pitch, story and target forms (CSRF token, errors next to the field with what was typed
kept), and the craft items on the today page with their links and buttons."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

BASE = "http://127.0.0.1:8765"
SAME = {"origin": BASE, "sec-fetch-site": "same-origin"}


def token(client: TestClient) -> str:
    return client.app.state.csrf_token  # type: ignore[attr-defined,no-any-return]


def post(client: TestClient, path: str, data: dict[str, Any], **kw: Any) -> Any:
    return client.post(path, data={"csrf_token": token(client), **data}, headers=SAME,
                       follow_redirects=False, **kw)


def api(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/api/v1" + path, json=body)
    assert r.status_code in (200, 201), r.text
    return r.json()  # type: ignore[no-any-return]


def test_brief_page_and_link_from_the_person(client: TestClient) -> None:
    maria = api(client, "/people", {"name": "Maria Lopez", "org": "Acme", "tier": "A",
                                    "phones": ["+49 30 1234567"]})
    api(client, "/research", {"about": "Maria Lopez", "text": "Runs procurement at Acme.",
                              "sources": ["acme.example/team"]})
    api(client, "/claims", {"person": "Maria Lopez", "text": "Budget approved for Q1"})
    api(client, "/pitches", {"name": "Short intro", "audience": "buyers",
                             "text": "We keep your promises for you."})
    assert f'href="/people/{maria["id"]}/brief"' in client.get(f"/people/{maria['id']}").text
    r = client.get(f"/people/{maria['id']}/brief")
    assert r.status_code == 200 and "<script>" not in r.text
    page = r.text
    for text in ("Maria Lopez", "Acme", "Runs procurement at Acme.", "acme.example/team",
                 "Budget approved for Q1", "Short intro", "tel:+49 30 1234567",
                 "You have not met yet."):
        assert text in page, text
    missing = client.get("/people/Maria Lopes/brief", headers={"accept": "text/html"})
    assert missing.status_code == 404 and "Did you mean Maria Lopez" in missing.text


def test_craft_page_lists_and_adds_pitches_stories_targets(client: TestClient) -> None:
    api(client, "/people", {"name": "Sam Chen"})
    page = client.get("/craft")
    assert page.status_code == 200 and "<script>" not in page.text
    assert 'name="csrf_token"' in page.text and "No pitches yet." in page.text

    r = post(client, "/craft/pitches", {"name": "Investor intro", "audience": "investors",
                                        "text": " ".join(["word"] * 80)})
    assert r.status_code == 303 and r.headers["location"].startswith("/craft?saved=")
    r = post(client, "/craft/stories", {"title": "The rainy launch", "theme": "grit",
                                        "text": "It rained on launch day and we shipped."})
    assert r.status_code == 303
    r = post(client, "/craft/targets", {"who": "Sam Chen", "why": "knows rail buyers",
                                        "priority": "high"})
    assert r.status_code == 303
    r = post(client, "/craft/targets", {"who": "a CFO in retail", "kind": "1"})
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    for text in ("Saved: target", "Investor intro", "32 s", "Over 30 seconds", "The rainy launch",
                 "grit", "Sam Chen", "knows rail buyers", "a CFO in retail"):
        assert text in page, text

    # events ahead with their plans, each person linked to their brief
    sam = client.get("/api/v1/people/Sam Chen").json()
    ev = api(client, "/events", {"name": "Port Expo", "on": "2999-01-01", "kind": "fair"})
    assert "Port Expo" not in client.get("/craft").text  # beyond the next 30 days
    today = client.get("/api/v1/agenda").json()["as_of"]
    ev = api(client, "/events", {"name": "Port Meetup", "on": today, "at": "18:30"})
    api(client, f"/events/{ev['id']}/attendees", {"person": "Sam Chen", "plan": True,
                                                  "opener": "ask about rail"})
    page = client.get("/craft").text
    assert "Port Meetup" in page and "ask about rail" in page
    assert f'href="/people/{sam["id"]}/brief"' in page

    # errors: next to the field, what was typed kept, the status of the error
    r = post(client, "/craft/pitches", {"name": "Investor intro", "audience": "angels",
                                        "text": "Another text"})
    assert r.status_code == 422
    assert 'id="pitch_name-error"' in r.text and "exists already" in r.text
    assert 'value="angels"' in r.text and "Another text" in r.text
    r = post(client, "/craft/targets", {"who": "Sam Chn", "why": "typo"})
    assert r.status_code == 404 and 'id="target_who-error"' in r.text
    assert "Did you mean Sam Chen" in r.text and 'value="typo"' in r.text
    # no token, no change
    r = client.post("/craft/stories", data={"title": "x", "text": "y"}, headers=SAME,
                    follow_redirects=False)
    assert r.status_code == 403
    assert client.get("/api/v1/stories").json()["total"] == 1


def test_today_links_the_brief_and_thanks_referrers(tmp_path: Path) -> None:
    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.interactions import NewInteraction
    from kithbook.web.app import create_app

    app = create_app(Config(db=str(tmp_path / "k.db"), as_of=date(2026, 11, 27)))
    with TestClient(app, base_url=BASE) as client:
        svc = Services(app.state.db, app.state.config)
        svc.people.set_me("Me")
        maria = api(client, "/people", {"name": "Maria Lopez"})
        api(client, "/people", {"name": "Sam Chen"})
        svc.interactions.log(NewInteraction(  # later today: --as-of is noon
            with_people=["Maria Lopez"], channel="meeting",
            when=datetime(2026, 11, 27, 16, 0, tzinfo=UTC), summary="Coffee"))
        ref = api(client, "/referrals", {"referrer": "Sam Chen", "referred": "Maria Lopez"})
        page = client.get("/").text
        assert f'href="/people/{maria["id"]}/brief"' in page
        assert "Meeting today at 16:00: Coffee" in page
        assert f'action="/craft/referrals/{ref["id"]}/thanked"' in page
        r = post(client, f"/craft/referrals/{ref['id']}/thanked", {"next": "/"})
        assert r.status_code == 303 and r.headers["location"] == "/"
        assert f'/craft/referrals/{ref["id"]}/thanked' not in client.get("/").text
        r = post(client, f"/craft/referrals/{ref['id']}/nonsense", {})
        assert r.status_code == 404
