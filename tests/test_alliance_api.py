"""The alliance REST API and the private response page, in process: an alliance from
explore to terminate over HTTP, a partner confirming a decision and answering a health
check through /r/<token>, a revoked and an expired link refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

BASE = "http://127.0.0.1:8765"
ORIGIN = {"origin": BASE}
HTML = {"accept": "text/html"}


def make_client(db: Path, as_of: date | None = None) -> TestClient:
    from kithbook.config import Config
    from kithbook.web.app import create_app

    return TestClient(create_app(Config(db=str(db), as_of=as_of)), base_url=BASE)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path / "k.db", date(2026, 11, 27)) as c:
        c.post("/api/v1/people", json={"name": "Ada Me"})
        from kithbook.services.app import Services

        svc = Services(c.app.state.db, c.app.state.config)  # type: ignore[attr-defined]
        svc.people.set_me("Ada Me")
        for name, org in (("Olga Oak", "Oakwood"), ("Nina North", "Northwind"),
                          ("Ned North", "Northwind"), ("Nora North", "Northwind")):
            assert c.post("/api/v1/people", json={"name": name, "org": org}).status_code == 201
        yield c


def post(c: TestClient, path: str, body: dict[str, Any], status: int = 200) -> Any:
    r = c.post("/api/v1" + path, json=body)
    assert r.status_code == status, r.text
    return r.json()


def answer_page(c: TestClient, url: str, form: dict[str, str]) -> Any:
    path = url.removeprefix(BASE)
    page = c.get(path, headers=HTML)
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return c.post(path, data={"csrf_token": token.group(1), **form},
                  headers={**ORIGIN, **HTML})


def test_alliance_over_http_with_a_partner_answering(api: TestClient) -> None:
    c = api
    al = post(c, "/alliances", {"name": "Port bid", "type": "joint_proposal",
                                "us": "Oakwood", "partners": ["Northwind"],
                                "rationale": "They hold the crane licence"}, 201)
    a = f"/alliances/{al['id']}"
    post(c, a + "/partners", {"org": "us", "sponsor": "Olga Oak"}, 201)
    post(c, a + "/partners", {"org": "Northwind", "sponsor": "Nina North",
                              "contacts": ["Ned North", "Nora North"]}, 201)
    g1 = post(c, a + "/goals", {"partner": "us", "text": "Win the port tender"}, 201)
    g2 = post(c, a + "/goals", {"partner": "Northwind", "text": "Keep cranes busy"}, 201)
    assert c.get("/api/v1" + a + "/gate").json()["open"]
    assert post(c, a + "/stage", {"to": "next"})["stage"] == "negotiate"
    refused = c.post("/api/v1" + a + "/stage", json={"to": "next"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
    post(c, a + "/confirmations", {"item": g1["id"], "partner": "Northwind",
                                   "verdict": "confirmed"})
    # the partner confirms our... their goal is confirmed by us; their contact answers ours
    post(c, a + "/confirmations", {"item": g2["id"], "partner": "us", "verdict": "confirmed"})
    post(c, a + "/contributions", {"partner": "us", "kind": "cash", "amount": "20000.10"}, 201)
    contrib = post(c, a + "/contributions", {"partner": "Northwind", "kind": "hours",
                                             "amount": "120", "rate": "85.50"}, 201)
    assert contrib["value"] == "10260.00"
    post(c, a + "/forums", {"name": "Weekly ops", "cadence": "weekly"}, 201)
    post(c, a + "/documents", {"title": "Teaming agreement", "location": "https://x/ta",
                               "kind": "agreement"}, 201)
    post(c, a + "/obligations", {"text": "Six months notice", "kind": "exit_provision"}, 201)
    r = c.patch("/api/v1" + a, json={"started_on": "2026-10-01", "planned_end_on":
                                     "2027-12-31", "notice_days": 90,
                                     "decision_on": "2027-10-01"})
    assert r.status_code == 200 and r.json()["notice_by"] == "2027-10-02"
    assert post(c, a + "/stage", {"to": "next"})["stage"] == "launch"
    obj = post(c, a + "/objectives", {"name": "Sections done", "metric": "sections",
                                      "baseline": "0", "target": "10",
                                      "start_on": "2026-10-01", "deadline": "2027-01-31",
                                      "owner": "us"}, 201)
    act = post(c, a + "/activities", {"name": "Technical section", "objective": obj["id"],
                                      "raci": [{"partner": "us", "letters": "A",
                                                "person": "Olga Oak"},
                                               {"partner": "Northwind", "letters": "R",
                                                "person": "Ned North"}]}, 201)
    assert [x["letters"] for x in act["raci"]] == ["A", "R"]
    forum = c.get("/api/v1" + a + "/forums").json()[0]
    meeting = post(c, a + "/meetings", {"with_people": ["Nina North", "Ned North"],
                                        "forum": forum["id"], "minutes": "Kickoff",
                                        "decisions": ["Bid at 4.2M"]}, 201)
    assert meeting["forum_name"] == "Weekly ops"
    assert post(c, a + "/stage", {"to": "next"})["stage"] == "manage"
    post(c, a + "/objectives/" + obj["id"] + "/measurements", {"value": "4"})

    # a partner's contact confirms the meeting's decision through a private link
    decision = c.get("/api/v1" + a + "/decisions").json()[0]
    assert decision["awaiting"] == ["Northwind"]
    link = post(c, a + "/links", {"item": decision["id"], "to": "Nina North"}, 201)
    page = c.get(link["url"].removeprefix(BASE), headers=HTML)
    assert "Bid at 4.2M" in page.text
    assert "/people" not in page.text and "Port bid" in page.text  # nothing else visible
    assert page.headers["x-robots-tag"].startswith("noindex")
    done = answer_page(c, link["url"], {"verdict": "confirmed"})
    assert done.status_code == 200 and "recorded" in done.text
    answered = c.get(link["url"].removeprefix(BASE), headers=HTML)
    assert "was recorded on" in answered.text and "<form" not in answered.text
    again = c.post(link["url"].removeprefix(BASE), headers={**ORIGIN, **HTML},
                   data={"csrf_token": c.app.state.csrf_token,  # type: ignore[attr-defined]
                         "verdict": "disputed", "comment": "no"})
    assert again.status_code == 409
    decision = c.get("/api/v1" + a + "/decisions").json()[0]
    assert decision["status"] == "confirmed"
    assert decision["confirmations"][0]["person"]["name"] == "Nina North"
    history = c.get("/api/v1/history")
    if history.status_code == 200:
        body = history.json()
        items = body["items"] if isinstance(body, dict) else body
        assert any(i.get("actor") == "Nina North (private link)" for i in items)

    # ... and answers a health check on the phone page
    check = post(c, a + "/checks", {"min_group": 1}, 201)
    hlink = post(c, a + "/links", {"item": check["id"], "to": "Ned North"}, 201)
    ratings = {"strategic_value": "4", "operational_effectiveness": "3",
               "relationship_trust": "4", "governance_effectiveness": "3",
               "communication_quality": "2", "goal_role_clarity": "4",
               "commitment_fairness": "3"}
    missing = answer_page(c, hlink["url"], {"strategic_value": "4"})
    assert missing.status_code == 422 and "please answer" in missing.text.lower()
    assert answer_page(c, hlink["url"], ratings).status_code == 200
    post(c, a + f"/checks/{check['id']}/answers", {"partner": "us",
                                                    "ratings": {"strategic_value": 5}})
    checks = c.get("/api/v1" + a + "/checks").json()
    nw = next(s for s in checks[0]["sides"] if s["name"] == "Northwind")
    assert nw["means"]["communication_quality"] == 2.0

    health = c.get("/api/v1" + a + "/health").json()
    assert health["category"] and len(health["sides"]) == 2
    findings = c.get("/api/v1" + a + "/findings").json()
    assert {"total", "items"} <= set(findings)

    # wind up
    post(c, a + "/decisions", {"text": "Exit: tender cancelled", "kind": "review",
                               "outcome": "exit"}, 201)
    c.patch("/api/v1" + a, json={"termination_code": "external"})
    post(c, a + "/exit-plan", {"kind": "data", "text": "Return the documents"}, 201)
    assert post(c, a + "/stage", {"to": "terminate"})["stage"] == "terminate"
    view = c.get("/api/v1" + a).json()
    assert view["alliance"]["stage"] == "terminate" and view["exit_plan"]
    page = c.get(f"/alliances/{al['id']}/scorecard.html")
    if page.status_code == 200:
        assert "<svg" in page.text


def test_revoked_and_expired_links_are_refused(api: TestClient, tmp_path: Path) -> None:
    c = api
    al = post(c, "/alliances", {"name": "Pilot", "us": "Oakwood",
                                "partners": ["Northwind"]}, 201)
    a = f"/alliances/{al['id']}"
    post(c, a + "/partners", {"org": "Northwind", "sponsor": "Nina North"}, 201)
    d = post(c, a + "/decisions", {"text": "Go"}, 201)
    link = post(c, a + "/links", {"item": d["id"], "to": "Nina North", "days": 1}, 201)
    other = post(c, a + "/links", {"item": d["id"], "to": "Nina North"}, 201)
    revoked = post(c, f"/links/{other['id']}/revoke", {})
    assert revoked["status"] == "revoked"
    gone = c.get(other["url"].removeprefix(BASE), headers=HTML)
    assert gone.status_code == 410 and "withdrawn" in gone.text
    assert "Today" not in gone.text  # the bare error page: no navigation
    posted = c.post(other["url"].removeprefix(BASE), data={"verdict": "confirmed"},
                    headers={**ORIGIN, **HTML})
    assert posted.status_code in (403, 410)
    # two days later the one-day link has expired
    with make_client(Path(c.app.state.config.db), date(2026, 11, 29)) as later:  # type: ignore[attr-defined]
        r = later.get(link["url"].removeprefix(BASE), headers=HTML)
        assert r.status_code == 410 and "expired" in r.text
        statuses = {x["status"] for x in later.get("/api/v1/links").json()["items"]}
        assert statuses == {"expired", "revoked"}
    assert c.get("/r/not-a-real-token", headers=HTML).status_code == 404
