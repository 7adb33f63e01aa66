"""The craft of networking over REST, in process: the brief, pitches, stories, research
notes, targets, referrals; list answers are pages ({items, total, limit, offset}); an
unknown person is a 404 in the one error shape with the did-you-mean line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kithbook.config import Config
from kithbook.web.app import create_app

BASE = "http://127.0.0.1:8765"
API = "/api/v1"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Config(db=str(tmp_path / "k.db")))
    with TestClient(app, base_url=BASE) as c:
        yield c


def post(client: TestClient, path: str, body: dict[str, Any], status: int = 201) -> Any:
    r = client.post(API + path, json=body)
    assert r.status_code == status, r.text
    return r.json()


def get(client: TestClient, route: str, **params: Any) -> Any:
    r = client.get(API + route, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def error(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    err: dict[str, Any] = r.json()["error"]
    assert err["code"] == code and set(err) >= {"code", "message", "hint", "field"}
    text = " ".join(str(err[k] or "") for k in ("message", "hint"))
    assert "--" not in text and "kithbook " not in text, text  # no CLI words over HTTP
    return err


@pytest.fixture
def ids(client: TestClient) -> dict[str, str]:
    from kithbook.services.app import Services

    app = client.app
    Services(app.state.db, app.state.config).people.set_me("Me Myself")  # type: ignore[attr-defined]
    out = {"me": get(client, "/people/me")["id"]}
    for name, extra in (("Sam Chen", {"tags": ["investor"]}),
                        ("Maria Lopez", {"org": "Acme", "tier": "A", "tags": ["investor"]})):
        out[name] = post(client, "/people", {"name": name, **extra})["id"]
    return out


def test_pitches_add_list_page_and_use(client: TestClient, ids: dict[str, str]) -> None:
    words = " ".join(["word"] * 80)
    first = post(client, "/pitches", {"name": "Investor intro", "audience": "investors",
                                      "text": words, "goal": "a second meeting"})
    assert first["version"] == 1 and first["words"] == 80 and first["seconds"] == 32
    assert first["warnings"], "past 30 seconds is warned"
    post(client, "/pitches", {"name": "Buyer intro", "audience": "buyers",
                              "text": "We keep your promises for you."})
    listed = get(client, "/pitches", limit=1, offset=0)
    assert listed["total"] == 2 and len(listed["items"]) == 1
    assert (listed["limit"], listed["offset"]) == (1, 0)
    rest = get(client, "/pitches", limit=1, offset=1)
    assert {listed["items"][0]["name"], rest["items"][0]["name"]} == {"Investor intro",
                                                                      "Buyer intro"}
    assert get(client, "/pitches", audience="buyers")["total"] == 1
    used = post(client, f"/pitches/{first['id']}/uses",
                {"person": "Maria Lopez", "outcome": "advanced"})
    assert used["uses"][0]["person"]["id"] == ids["Maria Lopez"]
    best = get(client, "/pitches/best")
    assert {b["audience"] for b in best["items"]} == {"investors", "buyers"}
    dup = client.post(API + "/pitches", json={"name": "Buyer intro", "audience": "x",
                                              "text": "y"})
    assert error(dup, 422, "invalid_input")["field"] == "name"


def test_stories_and_the_told_twice_conflict(client: TestClient, ids: dict[str, str]) -> None:
    s = post(client, "/stories", {"title": "The rainy launch", "theme": "grit",
                                  "text": "It rained on launch day and we still shipped."})
    assert s["words"] == 9 and s["theme"] == "grit"
    assert get(client, "/stories")["total"] == 1
    post(client, f"/stories/{s['id']}/tellings", {"people": ["Sam Chen"], "landed": True})
    again = client.post(API + f"/stories/{s['id']}/tellings", json={"people": ["Sam Chen"]})
    err = error(again, 409, "conflict")
    assert "Sam Chen" in err["message"]
    ok = post(client, f"/stories/{s['id']}/tellings", {"people": ["Sam Chen"], "again": True})
    assert ok["warnings"] and ok["recorded"]
    shown = get(client, f"/stories/{s['id']}")
    assert len(shown["tellings"]) == 2


def test_research_targets_and_the_brief(client: TestClient, ids: dict[str, str]) -> None:
    note = post(client, "/research", {"about": "Maria Lopez", "text": "Runs procurement.",
                                      "sources": ["https://acme.example/team"]})
    assert note["person"]["id"] == ids["Maria Lopez"]
    assert get(client, "/research", about="Maria Lopez")["items"][0]["id"] == note["id"]
    t = post(client, "/targets", {"who": "Maria Lopez", "why": "knows the buyers",
                                  "priority": "high"})
    assert t["priority"] == "high" and t["status"] == "open"
    kind = post(client, "/targets", {"who": "a CFO in retail", "kind": True})
    assert kind["person"] is None
    assert get(client, "/targets")["total"] == 2
    done = post(client, f"/targets/{kind['id']}/status", {"status": "dropped"}, 200)
    assert done["status"] == "dropped"
    assert get(client, "/targets")["total"] == 1
    assert get(client, "/targets", status="all")["total"] == 2
    post(client, "/claims", {"person": "Maria Lopez", "text": "Budget is approved"})
    b = get(client, f"/people/{ids['Maria Lopez']}/brief", path=False)
    assert (b["id"], b["name"], b["org"], b["tier"]) == (ids["Maria Lopez"], "Maria Lopez",
                                                         "Acme", "A")
    assert [r["id"] for r in b["research"]] == [note["id"]]
    assert [x["name"] for x in b["targets"]] == ["knows the buyers"]
    assert [c["name"] for c in b["claims"]] == ["Budget is approved"]
    assert b["question"]["text"] and "key" not in b


def test_a_referral_its_outcome_and_advocates(client: TestClient,
                                              ids: dict[str, str]) -> None:
    r = post(client, "/referrals", {"referrer": "Sam Chen", "referred": "Maria Lopez"})
    assert r["referrer"]["id"] == ids["Sam Chen"] and r["to"]["id"] == ids["me"]
    assert get(client, "/referrals/loop")["total"] == 1  # thank Sam
    won = post(client, f"/referrals/{r['id']}/outcome", {"status": "won", "value": "1200.50"},
               200)
    assert won["value"] == "1200.50"
    post(client, f"/referrals/{r['id']}/thanked", {}, 200)
    again = client.post(API + f"/referrals/{r['id']}/thanked", json={})
    error(again, 409, "conflict")
    adv = get(client, "/advocates")
    assert adv["items"][0]["id"] == ids["Sam Chen"] and adv["items"][0]["value"] == "1200.50"
    same = client.post(API + "/referrals", json={"referrer": "Sam Chen",
                                                 "referred": "Sam Chen"})
    error(same, 422, "invalid_input")


def test_unknown_person_is_a_404_with_did_you_mean(client: TestClient,
                                                   ids: dict[str, str]) -> None:
    err = error(client.get(API + "/people/Maria Lopes/brief"), 404, "not_found")
    assert "Did you mean Maria Lopez" in err["message"] and ids["Maria Lopez"] in err["message"]
    assert err["suggestions"][0]["id"] == ids["Maria Lopez"]
    err = error(client.post(API + "/research", json={"about": "Nobody Atall", "text": "x"}),
                404, "not_found")
    err = error(client.post(API + "/referrals", json={"referrer": "Sam Chen",
                                                      "referred": "Maria Lopes"}),
                404, "not_found")
    assert err["field"] == "referred" and "Did you mean Maria Lopez" in err["message"]
    error(client.get(API + "/pitches/pit_nothing"), 404, "not_found")
    error(client.get(API + "/pitches", params={"limit": 0}), 422, "invalid_input")
