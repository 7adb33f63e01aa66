"""The economics REST API and pages in process (docs/economics.md): a licensing deal
over HTTP (agreement, ledger, a quarter's statement in JSON, CSV and printable HTML,
issue, a partner disputing through /r/<token>), a buying group settled over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

BASE = "http://127.0.0.1:8765"
HTML = {"accept": "text/html"}


@pytest.fixture
def api(tmp_path: Path) -> Iterator[TestClient]:
    from kithbook.config import Config
    from kithbook.web.app import create_app

    with TestClient(create_app(Config(db=str(tmp_path / "k.db"), as_of=date(2027, 1, 20))),
                    base_url=BASE) as c:
        c.post("/api/v1/people", json={"name": "Ada Me"})
        from kithbook.services.app import Services

        svc = Services(c.app.state.db, c.app.state.config)  # type: ignore[attr-defined]
        svc.people.set_me("Ada Me")
        for name, org in (("Olga Oak", "Oakwood"), ("Nina North", "Northwind"),
                          ("Erin East", "Eastco")):
            assert c.post("/api/v1/people", json={"name": name, "org": org}).status_code == 201
        assert c.post("/api/v1/alliances", json={
            "name": "Widget deal", "us": "Oakwood", "partners": ["Northwind", "Eastco"]
        }).status_code == 201
        yield c


def post(c: TestClient, path: str, body: dict[str, Any], status: int = 201) -> Any:
    r = c.post("/api/v1" + path, json=body)
    assert r.status_code == status, r.text
    return r.json()


def test_a_licensing_deal_over_http(api: TestClient) -> None:
    ag = post(api, "/alliances/Widget deal/royalties", {
        "name": "Widget licence", "payer": "Northwind", "payees": ["us=10000"],
        "start": "2026-01-01", "rate": "0.10", "period_months": 3})
    a = ag["id"]
    post(api, f"/agreements/{a}/entries", {"kind": "sale", "on": "2026-02-01",
                                            "amount": "1234.56", "ref": "INV-1"})
    s = api.get(f"/api/v1/agreements/{a}/statements/1").json()
    assert s["due"] == "123.46" and s["entries"][0]["ref"] == "INV-1"
    csv_text = api.get(f"/api/v1/agreements/{a}/statements/1?format=csv&party=us").text
    assert "INV-1" in csv_text and "123.46" in csv_text
    page = api.get(f"/money/{a}/1", headers=HTML)
    assert page.status_code == 200 and "Royalty earned" in page.text
    assert "Widget licence" in api.get(f"/money/{a}", headers=HTML).text
    issued = post(api, f"/agreements/{a}/statements/issue", {})
    assert issued["status"] == "issued" and issued["verified"]
    post(api, f"/agreements/{a}/statements/issue", {}, 201)  # Q2 (ended)
    post(api, f"/agreements/{a}/statements/issue", {"period": "1"}, 409)
    from kithbook.services.app import Services

    svc = Services(api.app.state.db, api.app.state.config)  # type: ignore[attr-defined]
    svc.alliances.add_contact("Widget deal", "Northwind", "Nina North")
    link = post(api, f"/statements/{issued['id']}/links", {"to": "Nina North"})
    path = link["url"].removeprefix(BASE)
    form = api.get(path, headers=HTML)
    assert form.status_code == 200 and "123.46" in form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    data = {"verdict": "disputed", "comment": "we count 1,200"}
    if token:
        data["csrf_token"] = token.group(1)
    done = api.post(path, data=data, headers={**HTML, "origin": BASE})
    assert done.status_code == 200, done.text
    s = api.get(f"/api/v1/agreements/{a}/statements/1").json()
    assert [(x["name"], x["verdict"], x["via"]) for x in s["answers"]] == [
        ("Northwind", "disputed", "link")]
    r = post(api, f"/agreements/{a}/reconciliations", {
        "period": "1", "party": "Northwind",
        "lines": [{"key": "inv 1", "net": "1234.56", "royalty": "123.46"}]}, 200)
    assert r["agrees"] and r["verdict"].startswith("agrees")


def test_a_buying_group_over_http(api: TestClient) -> None:
    g = post(api, "/alliances/Widget deal/buying-groups", {
        "name": "Paper", "item": "paper", "members": ["us", "Northwind", "Eastco"],
        "prices": ["0=10", "100=9", "300=8"]})["id"]
    for member, price, kind in (("us", "11", "paid"), ("Northwind", "10", "quote"),
                                ("Eastco", "9.50", "list")):
        post(api, f"/agreements/{g}/baselines", {"member": member, "unit_price": price,
                                                  "kind": kind, "source": "invoices",
                                                  "dated": "2026-01-05"}, 200)
    for member, units, amount in (("us", "50", "400"), ("Northwind", "100", "800"),
                                  ("Eastco", "200", "1600")):
        post(api, f"/agreements/{g}/entries", {"kind": "order", "on": "2026-03-01",
                                                "units": units, "amount": amount,
                                                "party": member})
    s = api.get(f"/api/v1/agreements/{g}/settlement").json()["settlement"]
    assert [m["shapley"] for m in s["members"]] == ["116.67", "266.67", "266.66"]
    assert api.get("/api/v1/agreements/nope/settlement").status_code == 404


def test_a_joint_bid_and_an_exit_over_http(api: TestClient) -> None:
    """The bid and exit writes (issue 12: everywhere, the REST API too), as the CLI test
    does them: blockers before go, the price built from the members' parts, payments as
    work packages complete; the exit settlement from the contributions ledger."""
    bid = post(api, "/alliances/Widget deal/bids", {
        "name": "Harbour tender", "lead": "us", "members": ["Northwind"],
        "deadline": "2027-03-01", "contingency": "0.05"})
    a = bid["id"]
    post(api, f"/agreements/{a}/bid/decisions", {"verdict": "go", "reasons": "keen"}, 409)
    post(api, f"/agreements/{a}/bid/work-packages", {
        "code": "WP1", "name": "Crane survey", "owner": "Northwind", "budget": "40000",
        "start": "2027-04-01", "end": "2027-06-30"}, 200)
    post(api, f"/agreements/{a}/bid/price-parts", {
        "member": "Northwind", "description": "Crane hire", "cost": "30000",
        "margin": "0.12", "wp": "WP1"}, 200)
    post(api, f"/agreements/{a}/bid/price-parts", {
        "member": "us", "description": "Project management", "cost": "8000",
        "margin": "0.10", "wp": "WP1"}, 200)
    post(api, f"/agreements/{a}/bid/authorizations", {
        "member": "Northwind", "signed_by": "Nina North",
        "document": "https://x.example/auth.pdf"}, 200)
    v = api.get(f"/api/v1/agreements/{a}/bid").json()
    assert v["price"]["total"] == "44520.00"  # (30,000 x 1.12 + 8,000 x 1.10) x 1.05
    v = post(api, f"/agreements/{a}/bid/decisions", {
        "verdict": "go", "reasons": "margin fine", "force": True}, 200)
    assert v["decisions"][-1]["verdict"] == "go"
    post(api, f"/agreements/{a}/bid/work-packages", {
        "code": "WP1", "name": "Crane survey", "completed_on": "2027-06-30"}, 200)
    v = api.get(f"/api/v1/agreements/{a}/bid").json()
    assert sum(float(p[2]) for p in v["payments"]) == 40000.0
    # the exit, from the contributions ledger
    for partner, kind, amount, rate in (("us", "cash", "60000", None),
                                        ("Northwind", "hours", "400", "100")):
        body = {"partner": partner, "kind": kind, "amount": amount, "stage": "delivered"}
        if rate:
            body["rate"] = rate
        post(api, "/alliances/Widget deal/contributions", body)
    ex = post(api, "/alliances/Widget deal/exit", {"rule": "pro_rata_contributions"})
    e = ex["id"]
    post(api, f"/agreements/{e}/exit/pool", {"description": "Joint account",
                                             "amount": "90000"}, 200)
    post(api, f"/agreements/{e}/exit/pool", {"description": "Supplier invoice",
                                             "amount": "10000", "kind": "liability"}, 200)
    post(api, f"/agreements/{e}/exit/received", {"party": "Northwind", "amount": "20000"},
         200)
    post(api, f"/agreements/{e}/exit/returned", {"item": "Customer list", "kind": "data",
                                                 "to_party": "us"}, 200)
    s = api.get(f"/api/v1/agreements/{e}/exit-settlement").json()["settlement"]
    parties = {p["party"]: p for p in s["parties"]}
    assert parties["Oakwood"]["entitlement"] == "60000.00"
    assert parties["Northwind"]["payment"] == "20000.00"
    assert parties["Oakwood"]["returned"][0]["item"] == "Customer list"
    post(api, f"/agreements/{e}/exit/returned", {"item": "x", "kind": "nonsense",
                                                 "to_party": "us"}, 422)
