"""A buying group's settlement, issued and confirmed or disputed by each member, in the
app or by the member's contact through a private response link (docs/economics.md,
"Settlement statements"; docs/private-links.md): on both engines at the service level,
and the link page over HTTP; a revoked or expired link is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kithbook.errors import Conflict, InvalidInput, LinkClosed, NotFound

BASE = "http://127.0.0.1:8765"
HTML = {"accept": "text/html"}


def token_of(url: str) -> str:
    return url.rsplit("/r/", 1)[1]


def seed(svc: Any) -> str:
    """The worked three-member group of docs/economics.md: gain 650."""
    from kithbook.services.alliances import NewAlliance
    from kithbook.services.economics_base import NewEntry
    from kithbook.services.people import NewPerson

    svc.people.set_me("Ada Me")
    for person, org in (("Olga Oak", "Oakwood"), ("Nina North", "Northwind"),
                        ("Erin East", "Eastco"), ("Sara South", "Southco")):
        svc.people.add(NewPerson(name=person, org=org))
    svc.alliances.create(NewAlliance(name="Buyers", us="Oakwood",
                                     partners=["Northwind", "Eastco", "Southco"]))
    svc.alliances.add_contact("Buyers", "Northwind", "Nina North")
    svc.alliances.add_contact("Buyers", "Southco", "Sara South")
    g = svc.economics_deals.new_group("Buyers", "Paper 2026", "A4 paper",
                                      ["us", "Northwind", "Eastco"],
                                      ["0=10", "100=9", "300=8"])
    for member, price, kind in (("us", "11", "paid"), ("Northwind", "10", "quote"),
                                ("Eastco", "9.50", "list")):
        svc.economics_deals.baseline(g.id, member, price, kind, "invoices", "2026-01-05")
    for member, units, amount in (("us", "50", "400"), ("Northwind", "100", "800"),
                                  ("Eastco", "200", "1600")):
        svc.economics.book(g.id, NewEntry(kind="order", on="2026-03-01", units=units,
                                          amount=amount, party=member))
    return str(g.id)


def test_a_member_confirms_an_issued_settlement_through_a_private_link(svc: Any) -> None:
    from kithbook.services.economics_base import NewEntry

    g = seed(svc)
    x = svc.economics_deals.issue_settlement(g, "2026-06-30")
    assert x.number == 1 and x.verified and x.through == date(2026, 6, 30)
    assert x.settlement.gain == 650 and x.id.startswith("mst_")
    with pytest.raises(Conflict, match="already runs through 2026-06-30"):
        svc.economics_deals.issue_settlement(g, "2026-06-01")
    with pytest.raises(Conflict, match="once that day has ended"):
        svc.economics_deals.issue_settlement(g, svc.today)
    # an order booked inside the issued settlement goes to the day after: it never changes
    late = svc.economics.book(g, NewEntry(kind="order", on="2026-05-02", units="10",
                                          amount="80", party="Eastco"))
    assert late.moved and late.booked == date(2026, 7, 1)
    link = svc.economics.send(x.id, to="Nina North")
    assert link.purpose == "econ_settlement" and "Paper 2026" in link.email_text
    with pytest.raises(InvalidInput, match="not a contact of a member"):
        svc.economics.send(x.id, to="Sara South")  # Southco is a partner, not a member
    page = svc.links.view(token_of(link.url)).page
    text = "\n".join(page.lines)
    assert "Your figures, Northwind:" in text and "Group gain to allocate: 650.00" in text
    assert "Shapley value: 266.67" in text and "identical" in text
    assert "Eastco" not in text and "Oakwood" not in text  # no other member's figures
    with pytest.raises(InvalidInput, match="dispute needs a comment"):
        svc.links.answer(token_of(link.url), {"verdict": "disputed"})
    done = svc.links.answer(token_of(link.url), {"verdict": "confirmed"})
    assert "Northwind" in done.name
    with pytest.raises(Conflict):
        svc.links.answer(token_of(link.url), {"verdict": "confirmed"})
    # a member answers in the app too; the group's view lists the answers, oldest first
    svc.economics_deals.answer_settlement(x.id, "Eastco", "disputed", "we count 190 units")
    with pytest.raises(InvalidInput, match="not a member"):
        svc.economics_deals.answer_settlement(x.id, "Southco", "confirmed")
    with pytest.raises(InvalidInput, match="answers it as a settlement"):
        svc.economics.answer(x.id, "Northwind", "confirmed")
    with pytest.raises(NotFound):
        svc.economics_deals.answer_settlement("mst_nope", "Eastco", "confirmed")
    view = svc.economics_deals.settle(g)
    issued = view.issued[0]
    assert issued.verified and issued.settlement.gain == 650
    assert [(a.name, a.verdict, a.via) for a in issued.answers] == [
        ("Northwind", "confirmed", "link"), ("Eastco", "disputed", "app")]
    assert view.settlement.gain == 665  # the late order (10 x 9.50 - 80) counts, open


def test_a_revoked_or_expired_settlement_link_is_refused(svc: Any) -> None:
    from kithbook.services.app import Services

    g = seed(svc)
    x = svc.economics_deals.issue_settlement(g)  # through yesterday
    assert x.through == svc.today - timedelta(days=1)
    revoked = svc.economics.send(x.id, to="Nina North")
    svc.links.revoke(revoked.id)
    with pytest.raises(LinkClosed, match="withdrawn"):
        svc.links.view(token_of(revoked.url))
    with pytest.raises(LinkClosed):
        svc.links.answer(token_of(revoked.url), {"verdict": "confirmed"})
    short = svc.economics.send(x.id, to="Nina North", days=1)
    future = Services(svc.db, replace(svc.config, as_of=svc.today + timedelta(days=3)))
    with pytest.raises(LinkClosed, match="expired"):
        future.links.answer(token_of(short.url), {"verdict": "confirmed"})
    assert svc.economics_deals.settle(g).issued[0].answers == []


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.web.app import create_app

    with TestClient(create_app(Config(db=str(tmp_path / "k.db"), as_of=date(2026, 11, 27))),
                    base_url=BASE) as c:
        svc = Services(c.app.state.db, c.app.state.config)  # type: ignore[attr-defined]
        yield c, seed(svc)


def test_the_settlement_link_page_over_http(api: tuple[TestClient, str]) -> None:
    c, g = api
    r = c.post(f"/api/v1/agreements/{g}/settlement/issue", json={"through": "2026-06-30"})
    assert r.status_code == 201, r.text
    x = r.json()
    assert x["verified"] and x["settlement"]["gain"] == "650.00"
    link = c.post(f"/api/v1/statements/{x['id']}/links", json={"to": "Nina North"})
    assert link.status_code == 201, link.text
    path = link.json()["url"].removeprefix(BASE)
    form = c.get(path, headers=HTML)
    assert form.status_code == 200 and "Your figures, Northwind" in form.text
    assert "266.67" in form.text and "Eastco" not in form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    data = {"verdict": "disputed", "comment": "our quote was 9.80"}
    if token:
        data["csrf_token"] = token.group(1)
    done = c.post(path, data=data, headers={**HTML, "origin": BASE})
    assert done.status_code == 200, done.text
    r = c.post(f"/api/v1/settlements/{x['id']}/answers",
               json={"member": "Eastco", "verdict": "confirmed"})
    assert r.status_code == 200, r.text
    issued = c.get(f"/api/v1/agreements/{g}/settlement").json()["issued"]
    assert [(a["name"], a["verdict"], a["via"]) for a in issued[0]["answers"]] == [
        ("Northwind", "disputed", "link"), ("Eastco", "confirmed", "app")]
    # a withdrawn link answers 410 with the bare error page
    other = c.post(f"/api/v1/statements/{x['id']}/links", json={"to": "Nina North"}).json()
    assert c.post(f"/api/v1/links/{other['id']}/revoke", json={}).status_code == 200
    gone = c.get(other["url"].removeprefix(BASE), headers=HTML)
    assert gone.status_code == 410 and "withdrawn" in gone.text


def test_undo_never_changes_an_issued_settlement(svc: Any) -> None:
    from kithbook.services.economics_base import NewEntry

    g = seed(svc)
    svc.economics.book(g, NewEntry(kind="rebate", on="2026-06-30", amount="70"))
    rebate = svc.history.recent(limit=1)[0].id
    svc.economics_deals.issue_settlement(g, "2026-06-30")
    issue = svc.history.recent(limit=1)[0].id
    with pytest.raises(Conflict, match="issued statement"):
        svc.history.undo(rebate)
    assert svc.economics_deals.settle(g).issued[0].verified
    svc.history.undo(issue)  # the settlement itself can be undone, then the entry
    svc.history.undo(rebate)
    assert svc.economics_deals.settle(g).issued == []
