"""The product's use cases over REST, in process: agenda and its actions, warm paths,
strength, reach, brokers, dormant, needs/offers and matches, the ledger, duplicates and
merge, archive, export, history and undo; one error shape, no CLI flags in messages."""

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


def get(client: TestClient, path: str, **params: Any) -> Any:
    r = client.get(API + path, params=params)
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
def net(client: TestClient) -> dict[str, str]:
    """Me - Sam - Maria (at Acme), me - Old Pal; a need, an offer, a promise."""
    from kithbook.services.app import Services

    app = client.app
    Services(app.state.db, app.state.config).people.set_me("Me Myself")  # type: ignore[attr-defined]
    ids = {"me": get(client, "/people/me")["id"]}
    for name, extra in (("Sam Chen", {}), ("Maria Lopez", {"org": "Acme"}),
                        ("Old Pal", {}), ("Bo Baker", {"tier": "A"})):
        ids[name] = post(client, "/people", {"name": name, **extra})["id"]
    post(client, "/ties", {"a": ids["me"], "b": ids["Sam Chen"], "strength": 5})
    post(client, "/ties", {"a": ids["Sam Chen"], "b": ids["Maria Lopez"], "strength": 4})
    post(client, "/ties", {"a": ids["me"], "b": ids["Old Pal"], "strength": 3})
    post(client, "/interactions", {"with_people": [ids["Old Pal"]], "channel": "meeting",
                                   "when": "2020-01-10T10:00:00Z", "summary": "Lunch"})
    ids["promise"] = post(client, "/promises", {"what": "Send the deck", "to": ids["Sam Chen"],
                                                "due": "2020-02-01"})["id"]
    return ids


def test_agenda_and_its_actions(client: TestClient, net: dict[str, str]) -> None:
    agenda = get(client, "/agenda", limit=20)
    assert {"as_of", "items", "problems", "truncated"} <= set(agenda)
    kinds = {(i["kind"], i["name"]) for i in agenda["items"]}
    assert any(name == "Sam Chen" for _, name in kinds)
    done = post(client, f"/agenda/promises/{net['promise']}/done", {}, 200)
    assert done["status"] == "done"
    snoozed = post(client, f"/people/{net['Bo Baker']}/snooze", {"duration": "2w"}, 200)
    assert snoozed["name"] == "Bo Baker" and snoozed["snoozed_until"] and snoozed["batch_id"]
    touched = post(client, "/people/Old Pal/touched", {"note": "liked a post"}, 200)
    assert touched["id"] == net["Old Pal"] and touched["interaction_id"]
    archived = post(client, "/people/Bo Baker/archive", {"reason": "moved away"}, 200)
    assert archived["archive_reason"] == "moved away"
    back = post(client, "/people/Bo Baker/unarchive", {}, 200)
    assert back["archived_at"] is None
    assert get(client, f"/people/{net['Sam Chen']}/reliability")["name"] == "Sam Chen"
    assert isinstance(get(client, "/prune"), list)
    error(client.post(API + "/people/Bo Baker/snooze", json={"duration": "soon"}), 422,
          "invalid_input")
    error(client.post(API + "/people/Bo Baker/archive", json={"reason": "  "}), 422,
          "invalid_input")


def test_paths_strength_reach_brokers_dormant(client: TestClient, net: dict[str, str]) -> None:
    found = get(client, "/paths", to="Maria Lopez")
    assert found["reachable"] and found["from"]["id"] == net["me"]
    route = found["routes"][0]
    assert [p["name"] for p in route["people"]] == ["Me Myself", "Sam Chen", "Maria Lopez"]
    assert route["ask"].startswith("Ask Sam Chen")
    assert get(client, "/paths", to="anyone at Acme")["reachable"]
    none = get(client, "/paths", to="Bo Baker")
    assert not none["reachable"] and none["message"].startswith("No route")
    err = error(client.get(API + "/paths", params={"to": "Maria Lopes"}), 404, "not_found")
    assert "Maria Lopez" in err["message"]  # the closest, as every front end says it
    error(client.get(API + "/paths", params={"to": "Maria", "k": 0}), 422, "invalid_input")

    pair = get(client, f"/people/{net['Sam Chen']}/strength")
    assert pair["from"]["id"] == net["me"] and pair["to"]["id"] == net["Sam Chen"]
    assert 0 < pair["score"] <= 1 and pair["components"]
    other = get(client, "/people/Sam Chen/strength", **{"with": "Maria Lopez"})
    assert other["from"]["name"] == "Sam Chen" and other["to"]["name"] == "Maria Lopez"
    mine = get(client, "/people/me/strength")
    assert [t["name"] for t in mine["ties"]][0] == "Sam Chen"

    reach = get(client, "/reach")
    assert reach["first_degree"] == 2 and reach["second_degree"] == 1
    assert get(client, "/brokers", person="Sam Chen")["name"] == "Sam Chen"
    dormant = get(client, "/dormant", days=365)
    assert dormant["id"] == net["me"] and isinstance(dormant["dormant"], list)


def test_needs_offers_matches_and_ledger(client: TestClient, net: dict[str, str]) -> None:
    need = post(client, "/people/Maria Lopez/needs",
                {"text": "A bookkeeper for her bakery", "tags": ["accounting"]})
    assert need["kind"] == "need" and need["person"]["id"] == net["Maria Lopez"]
    post(client, "/people/Sam Chen/offers",
         {"text": "Bookkeeping for small firms", "tags": ["accounting"]})
    found = get(client, "/matches")
    assert found["needs"] == 1 and found["offers"] == 1
    assert found["matches"][0]["need"]["id"] == need["id"]
    entry = post(client, "/ledger", {"giver": "me", "receiver": "Sam Chen", "kind": "intro",
                                     "what": "Intro to our banker", "on": "2026-11-01"})
    assert entry["giver"]["id"] == net["me"] and entry["occurred_on"] == "2026-11-01"
    ledger = get(client, "/people/Sam Chen/ledger")
    assert ledger["received"] == 1 and ledger["with_me"]["i_gave_them"] == 1
    error(client.post(API + "/ledger", json={"giver": "Sam Chen", "receiver": "Sam Chen"}),
          422, "invalid_input")


def test_duplicates_merge_export_history_undo(client: TestClient, net: dict[str, str]) -> None:
    twin = post(client, "/people", {"name": "Maria Lopez", "emails": ["m@acme.example"]})
    dupes = get(client, "/duplicates", min_score=0.5)
    assert any({d["a"]["id"], d["b"]["id"]} == {twin["id"], net["Maria Lopez"]} for d in dupes)
    merged = post(client, "/merge", {"keep": net["Maria Lopez"], "other": twin["id"]}, 200)
    assert merged["kept"]["id"] == net["Maria Lopez"]
    history = get(client, "/history", limit=3)
    assert history[0]["id"] == merged["id"] and history[0]["name"] == "merge"
    undone = post(client, "/undo", {"batch_id": merged["id"]}, 200)
    assert undone["id"] == merged["id"] and undone["changes_reversed"] > 0
    assert client.get(API + f"/people/{twin['id']}").status_code == 200
    err = error(client.post(API + "/undo", json={"batch_id": "bat_nope"}), 404, "not_found")
    assert "history" in (err["hint"] or "").lower() or "history" in err["message"].lower()

    r = client.get(API + "/export/csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "Maria Lopez" in r.text
    r = client.get(API + "/export/vcard")
    assert r.status_code == 200 and "BEGIN:VCARD" in r.text
    assert client.get(API + "/export/json").json()
    error(client.get(API + "/export/pdf"), 422, "invalid_input")


def test_every_product_route_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get(API + "/openapi.json").json()["paths"]
    for path in ("/agenda", "/paths", "/reach", "/brokers", "/dormant", "/matches",
                 "/ledger", "/duplicates", "/merge", "/export/{fmt}", "/history", "/undo",
                 "/people/{person}/strength", "/people/{person}/ledger",
                 "/people/{person}/needs", "/people/{person}/offers",
                 "/people/{person}/snooze", "/people/{person}/touched",
                 "/people/{person}/archive", "/agenda/promises/{promise}/done"):
        assert API + path in paths, path
        for op in paths[API + path].values():
            assert "422" in op["responses"], (path, sorted(op["responses"]))


def test_the_owner_s_own_work_over_http(client: TestClient) -> None:
    """Who I am, quick capture with promises both ways, an agreed item made a promise,
    tags on anything, a bulk edit previewed then applied and undone, the database's
    facts: the last of the CLI-only use cases (tests/test_parity.py)."""
    r = client.put(API + "/me", json={"name": "Robin Owner"})
    assert r.status_code == 200 and r.json()["is_me"], r.text
    for n in ("Ann Bulk", "Ben Bulk", "Cy Other"):
        post(client, "/people", {"name": n})
    cap = post(client, "/captures", {
        "with_people": ["Ann Bulk"], "summary": "Coffee about the pilot",
        "they_want": "a second supplier", "agreed": ["send the quote", "intro to Cy"],
        "promises": [{"what": "send the deck", "mine": True, "due": "2026-12-10"},
                     {"what": "pilot numbers", "mine": False}]})
    assert cap["id"].startswith("bat_") and len(cap["promises"]) == 2
    assert {p["name"] for p in cap["promises"]} == {"send the deck", "pilot numbers"}
    made = post(client, f"/interactions/{cap['interaction']['id']}/agreed/1/promise", {})
    assert [p["name"] for p in made["promises"]] == ["intro to Cy"]
    error(client.post(API + f"/interactions/{cap['interaction']['id']}/agreed/7/promise",
                      json={}), 422, "invalid_input")
    tagged = post(client, "/tags", {"target": "Cy Other", "add": ["Investor"]}, 200)
    assert tagged["name"] == "Cy Other" and "investor" in str(tagged).lower()
    preview = post(client, "/people/bulk", {
        "selection": {"search": "bulk"}, "action": "tier", "value": "B"}, 200)
    assert preview["preview"] and preview["matched"] == 2 and preview["changed"] == 0
    done = post(client, "/people/bulk", {
        "selection": {"search": "bulk"}, "action": "tier", "value": "B",
        "preview": False}, 200)
    assert done["changed"] == 2 and done["id"]
    assert {p["tier"] for p in get(client, "/people", tier="B")["items"]} == {"B"}
    post(client, "/undo", {}, 200)
    assert get(client, "/people", tier="B")["total"] == 0
    error(client.post(API + "/people/bulk", json={"selection": {}, "action": "tier",
                                                  "value": "A"}), 422, "invalid_input")
    info = get(client, "/database")
    assert info["people"] >= 4 and info["id"]
    assert get(client, "/alliances-agenda")["total"] == 0
