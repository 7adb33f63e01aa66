"""One alliance from explore to closed, on the web pages only (Debian's Chromium): the
owner starts it, names the partners' sponsors and contacts, writes each side's goals
and records the other side's verdicts, commits contributions, sets up a forum, files
the agreement and the exit provisions, adds an objective and a joint activity with its
RACI row, holds the kickoff, records and confirms decisions, gives the partner an action
item, reads the scorecard, then decides to exit, draws up and carries out the exit plan,
marks the action item done, records the reason and the
lessons, and closes it. Each stage is entered through its gate without forcing, and
each step checks what the page shows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from browser_kit import MARKS, free_port, serving
from test_alliance_browser import new_page

pytestmark = MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.people import NewPerson
    from kithbook.web.app import create_app

    db = tmp_path_factory.mktemp("walk") / "k.db"
    port = free_port()
    config = Config(db=str(db), as_of=date(2026, 11, 27),
                    public_url=f"http://127.0.0.1:{port}")
    svc = Services.open(config)
    svc.people.set_me("Alex Morgan")
    for name, org in (("Jo Park", "Morgan Consulting"), ("Karl Weiss", "Nordic Cranes"),
                      ("Lena Berg", "Nordic Cranes")):
        svc.people.add(NewPerson(name=name, org=org))
    svc.close()
    with serving(create_app(config), port) as base:
        yield base


def submit(pg: Any, what: str, fields: dict[str, str], *, nth: int = 0) -> None:
    """Open the page's `what` form (its <details>), fill it and send it."""
    form = pg.locator(f"form[data-form='{what}']").nth(nth)
    form.locator("xpath=..").locator("summary").click()
    for name, value in fields.items():
        field = form.locator(f"[name='{name}']")
        tag = field.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if tag.startswith("select"):
            options = field.locator("option").all_inner_texts()
            label = next((o for o in options if o.strip().startswith(value)), None)
            assert label is not None, f"{what}.{name}: no option {value!r} in {options}"
            field.select_option(label=label)
        elif tag == "input:checkbox":
            field.check()
        else:
            field.fill(value)
    with pg.expect_navigation():
        form.locator("button").click()
    assert pg.locator("[role=alert]").count() == 0, pg.inner_text("[role=alert]")


def gate(pg: Any) -> str:
    return str(pg.inner_text("#gate"))


def move(pg: Any, to: str) -> None:
    assert f"To move to {to}: every criterion is met." in gate(pg), gate(pg)
    with pg.expect_navigation():
        pg.get_by_role("button", name=f"Move to {to}").click()
    assert pg.locator("#gate b").first.inner_text() == to


def test_an_alliance_from_explore_to_closed_on_the_web(browser: Any, server: str) -> None:
    pg = new_page(browser, 1280, 900)
    pg.goto(server + "/alliances")
    assert "No alliances yet" in pg.inner_text("main")
    pg.get_by_role("link", name="Start an alliance").click()

    # explore: the record, then what the gate asks for
    pg.fill("#f-name", "Harbour crane bid")
    pg.select_option("#f-type", value="joint_proposal")
    pg.fill("#f-purpose", "Bid together for the harbour's crane tender")
    pg.fill("#f-us", "Morgan Consulting")
    pg.fill("#f-partners", "Nordic Cranes")
    pg.fill("#f-planned_end_on", "2027-12-31")
    pg.fill("#f-notice_days", "60")
    pg.fill("#f-decision_on", "2027-06-30")
    with pg.expect_navigation():
        pg.get_by_role("button", name="Start the alliance").click()
    assert pg.inner_text("h1").startswith("Harbour crane bid")
    assert "joint proposal" in pg.inner_text("h1") and "explore" in pg.inner_text("h1")
    assert "renewal/exit decision by 2027-06-30" in pg.inner_text("main")
    unmet = pg.locator("#gate li.unmet").all_inner_texts()
    assert any("rationale" in x for x in unmet) and any("sponsor" in x for x in unmet)
    assert any("goals are written" in x for x in unmet)

    submit(pg, "edit", {"rationale": "Neither of us can bid alone: they build, we plan"})
    submit(pg, "partner", {"org": "us", "sponsor": "Alex Morgan", "contacts": "Jo Park"})
    submit(pg, "partner", {"org": "Nordic Cranes", "sponsor": "Karl Weiss",
                           "contacts": "Lena Berg"})
    partners = pg.inner_text("#partners")
    assert "Karl Weiss" in partners and "Lena Berg" in partners and "Jo Park" in partners
    submit(pg, "goal", {"partner": "Morgan Consulting", "text": "Win the crane tender",
                        "kpi": "contract value", "direction": "increase"})
    submit(pg, "goal", {"partner": "Nordic Cranes", "text": "Sell four cranes",
                        "kpi": "cranes sold", "direction": "increase"})
    goals = pg.inner_text("#goals")
    assert "Win the crane tender" in goals and "awaiting Nordic Cranes" in goals
    move(pg, "negotiate")

    # negotiate: verdicts on the goals, commitments, governance, the papers
    assert any("confirmed by the others" in x for x in pg.locator("#gate li.unmet")
               .all_inner_texts())
    submit(pg, "confirm", {"item": "Morgan Consulting: Win", "partner": "Nordic Cranes",
                           "verdict": "confirmed"})
    submit(pg, "confirm", {"item": "Nordic Cranes: Sell", "partner": "Morgan Consulting",
                           "verdict": "confirmed"})
    assert "awaiting" not in pg.inner_text("#goals")
    submit(pg, "contribute", {"partner": "Morgan Consulting", "kind": "cash",
                              "stage": "committed", "amount": "20000"})
    submit(pg, "contribute", {"partner": "Nordic Cranes", "kind": "hours",
                              "stage": "committed", "amount": "200", "rate": "90"})
    ledger = pg.inner_text("#ledger")
    assert "20000" in ledger and "18000" in ledger  # 200 hours at 90
    submit(pg, "forum", {"name": "Bid steering", "cadence": "monthly", "layer": "steering"})
    assert "Bid steering" in pg.inner_text("#forums") and "30 days" in pg.inner_text("#forums")
    submit(pg, "obligation", {"kind": "exit provision",
                              "text": "Either side may leave with 60 days' notice"})
    submit(pg, "document", {"title": "Teaming agreement",
                            "location": "https://example.org/teaming.pdf",
                            "kind": "agreement"})
    assert "Teaming agreement" in pg.inner_text("#documents")
    move(pg, "launch")

    # launch: a complete objective, a RACI row that carries it, the kickoff
    assert any("objective" in x for x in pg.locator("#gate li.unmet").all_inner_texts())
    submit(pg, "objective", {"name": "Tender submitted", "metric": "% of the bid written",
                             "baseline": "0", "target": "100", "deadline": "2027-03-31",
                             "owner": "Morgan Consulting", "weight": "2"})
    submit(pg, "activity", {"name": "Write the bid", "objective": "Tender submitted",
                            "partner_1": "Morgan Consulting", "letters_1": "RA",
                            "person_1": "Jo Park", "partner_2": "Nordic Cranes",
                            "letters_2": "C", "person_2": "Lena Berg"})
    raci = pg.inner_text("#raci")
    assert "Write the bid" in raci and "RA" in raci
    submit(pg, "meeting", {"forum": "Bid steering", "with": "Karl Weiss, Lena Berg, Jo Park",
                           "minutes": "Kickoff: roles agreed, bid plan approved."})
    assert "Bid steering" in pg.inner_text("#meetings")
    submit(pg, "measure", {"objective": "Tender submitted", "value": "40"})
    assert "40" in pg.inner_text("#objectives")
    move(pg, "manage")

    # manage: a decision by the partner, confirmed by us; the scorecard
    submit(pg, "decision", {"partner": "Nordic Cranes", "kind": "decision",
                            "text": "Bid at 3.9 M EUR"})
    assert "awaiting Morgan Consulting" in pg.inner_text("#decisions")
    submit(pg, "confirm", {"item": "Bid at", "partner": "Morgan Consulting",
                           "verdict": "confirmed"}, nth=1)
    assert "awaiting" not in pg.inner_text("#decisions")
    submit(pg, "action", {"what": "Send the crane load charts", "owner": "Lena Berg",
                          "due": "2027-01-15"})
    assert "Send the crane load charts" in pg.inner_text("#actions")
    assert "the next renewal or exit decision date is ahead" in gate(pg)
    health = pg.inner_text("#health")
    assert "Morgan Consulting" in health and "Nordic Cranes" in health
    pg.get_by_role("link", name="Scorecard").click()
    card = pg.inner_text("main")
    assert "Harbour crane bid" in card and "Tender submitted" in card
    assert "Nordic Cranes" in card
    pg.go_back()
    pg.reload()

    # manage -> terminate: the decision to exit, the reason, the exit plan
    submit(pg, "decision", {"partner": "Morgan Consulting", "kind": "review",
                            "outcome": "exit", "text": "Tender lost: wind the alliance up"})
    submit(pg, "edit", {"termination_code": "external",
                        "termination_reason": "the harbour chose another bidder"}, nth=1)
    submit(pg, "exit-item", {"kind": "data", "text": "Return Nordic's crane drawings",
                             "partner": "Morgan Consulting"})
    exit_plan = pg.inner_text("#exit")
    assert "Return Nordic's crane drawings" in exit_plan and "○" in exit_plan
    assert "Reason: external" in exit_plan
    move(pg, "terminate")

    # terminate -> closed: the plan carried out, the lessons recorded
    assert any("exit plan item is done" in x for x in pg.locator("#gate li.unmet")
               .all_inner_texts())
    submit(pg, "exit-done", {"item": "data: Return"})
    assert any("action item" in x for x in pg.locator("#gate li.unmet").all_inner_texts())
    submit(pg, "action-done", {"item": "Lena Berg: Send the crane"})
    assert "Send the crane load charts" in pg.inner_text("#saved")
    assert "done" in pg.inner_text("#actions")
    assert pg.locator("form[data-form='action-done']").count() == 0  # nothing left open
    assert "✓ data: Return Nordic's crane drawings" in pg.inner_text("#exit")
    submit(pg, "edit", {"lessons": "Agree the bid price range before the kickoff."}, nth=1)
    assert "Agree the bid price range" in pg.inner_text("#exit")
    move(pg, "closed")
    history = pg.inner_text("#stage-log")
    assert "forced" not in history
    for stage in ("negotiate", "launch", "manage", "terminate", "closed"):
        assert stage in history
    assert pg.problems == []
    assert [u for u in pg.seen if not u.startswith(server)] == []


def test_a_refused_form_shows_the_reason_on_the_page(browser: Any, server: str) -> None:
    pg = new_page(browser, 1280, 900)
    pg.goto(server + "/alliances/new")
    pg.fill("#f-name", "Bad dates")
    pg.fill("#f-planned_end_on", "not a day")
    pg.get_by_role("button", name="Start the alliance").click()
    assert pg.locator("[role=alert]").count() == 1
    assert pg.input_value("#f-name") == "Bad dates"
