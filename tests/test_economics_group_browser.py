"""A buying group through a season of orders on the web `/money` pages, in Debian's
Chromium (issue 12): the members and their documented baselines, a baseline, orders, a
rebate and a cost recorded through the page's forms, the gain allocated by equal
price, pro rata and Shapley side by side with every figure explained, the method the
members agreed and each member's transfer; a refused entry says what to fix; no
request leaves the app's origin. The figures are those of the worked example in
tests/test_economics_deals_cli.py (computed by hand there)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from browser_kit import MARKS, free_port, serving
from test_alliance_browser import new_page

pytestmark = MARKS


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from kithbook.config import Config
    from kithbook.services.alliances import NewAlliance
    from kithbook.services.app import Services
    from kithbook.services.economics_base import NewEntry
    from kithbook.services.people import NewPerson
    from kithbook.web.app import create_app

    db = tmp_path_factory.mktemp("group") / "k.db"
    port = free_port()
    config = Config(db=str(db), as_of=date(2026, 11, 27), public_url=f"http://127.0.0.1:{port}")
    svc = Services.open(config)
    svc.people.set_me("Ada Me")
    for person, org in (("Olga Oak", "Oakwood"), ("Nina North", "Northwind"),
                        ("Erin East", "Eastco")):
        svc.people.add(NewPerson(name=person, org=org))
    svc.people.add(NewPerson(name="Sara South", org="Southco"))
    svc.alliances.create(NewAlliance(name="Buyers", us="Oakwood",
                                     partners=["Northwind", "Eastco", "Southco"]))
    g = svc.economics_deals.new_group("Buyers", "Paper 2026", "A4 paper",
                                      ["us", "Northwind", "Eastco"],
                                      ["0=10", "100=9", "300=8"])
    svc.economics_deals.baseline(g.id, "us", "11", "paid", "our 2025 invoices", "2026-01-05")
    svc.economics_deals.baseline(g.id, "Northwind", "10", "quote", "Paperco quote Q-17",
                                 "2026-01-20", volume="100")
    svc.economics.book(g.id, NewEntry(kind="order", on="2026-03-01", amount="400",
                                      units="50", party="us"))
    svc.close()
    with serving(create_app(config), port) as base:
        yield {"base": base, "id": g.id, "config": config}


def column(pg: Any, header: str) -> list[str]:
    """One column of the allocation table, member by member."""
    heads = [h.strip() for h in pg.locator("#allocations thead th").all_inner_texts()]
    i = heads.index(header)
    return [r.locator("td").nth(i).inner_text().strip()
            for r in pg.locator("#allocations tbody tr").all()]


def record(pg: Any, kind: str, amount: str, *, member: str = "", units: str = "",
           on: str = "2026-03-01") -> None:
    form = pg.locator("form[aria-label='Record an entry']")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("select[name=party]").select_option(member)
    form.locator("input[name=units]").fill(units)
    form.locator("input[name=amount]").fill(amount)
    form.locator("input[name=on]").fill(on)
    form.get_by_role("button", name="Record it").click()
    pg.wait_for_load_state("load")


def test_a_season_of_orders_allocated_three_ways(browser: Any, group: dict[str, Any]) -> None:
    base = group["base"]
    desk = new_page(browser, 1280, 900)
    desk.goto(base + "/money")
    desk.get_by_role("link", name="Paper 2026").click()
    desk.wait_for_selector("h1:has-text('Paper 2026')")
    assert "Buying A4 paper together" in desk.inner_text("main")
    members = desk.inner_text("#members tbody")
    assert "Oakwood" in members and "our 2025 invoices" in members
    assert "Paperco quote Q-17" in members
    # Eastco has no baseline yet: the allocation says what to do instead of guessing
    assert "no documented baseline yet" in desk.inner_text("#members")
    assert "no documented baseline" in desk.inner_text("#allocation")
    assert desk.locator("#allocations").count() == 0

    form = desk.locator("form[aria-label='Record a baseline']")
    form.locator("select[name=member]").select_option("Eastco")
    form.locator("input[name=unit_price]").fill("9.50")
    form.locator("select[name=kind]").select_option("list")
    form.locator("input[name=source]").fill("Paperco list price")
    form.locator("input[name=dated]").fill("2026-01-01")
    form.get_by_role("button", name="Record the baseline").click()
    desk.wait_for_load_state("load")
    assert "Paperco list price" in desk.inner_text("#members")

    record(desk, "order", "800", member="Northwind", units="100")
    record(desk, "order", "1600", member="Eastco", units="200", on="2026-03-02")
    ledger = desk.inner_text("#ledger tbody")
    assert ledger.count("order") == 3 and "1600" in ledger

    alloc = desk.inner_text("#allocation")
    assert "650.00 EUR" in alloc and "not yet" in desk.inner_text("main")
    assert "exact over all 8 coalitions" in alloc
    assert column(desk, "Member") == ["Oakwood", "Northwind", "Eastco"]
    assert column(desk, "Equal price") == ["150.00", "200.00", "300.00"]
    assert column(desk, "Pro rata") == ["92.86", "185.71", "371.43"]
    assert column(desk, "Shapley") == ["116.67", "266.67", "266.66"]
    # every figure carries its arithmetic
    desk.locator("#explained summary").click()
    explained = desk.inner_text("#explained")
    assert "Group gain to allocate" in explained and "Equal price − Shapley" in explained

    # end of season: the supplier's rebate and the coordination cost, then the method
    record(desk, "rebate", "70", on="2026-06-30")
    record(desk, "cost", "35", on="2026-06-30")
    desk.locator("form[aria-label='Agree the method'] select").select_option("equal_price")
    desk.get_by_role("button", name="Record the agreed method").click()
    desk.wait_for_load_state("load")
    assert "685.00 EUR" in desk.inner_text("#allocation")
    assert "allocation agreed: equal_price" in desk.inner_text("main")
    assert column(desk, "Transfer") == ["5.00", "10.00", "20.00"]
    assert column(desk, "Allocated") == column(desk, "Equal price")

    # a refused entry names what to fix and changes nothing
    record(desk, "order", "ten", member="Eastco", units="5")
    assert "'ten' is not a number" in desk.inner_text("[role=alert]")
    assert desk.inner_text("#ledger tbody").count("order") == 3

    # the page's figures are the settlement the REST API gives
    api = desk.request.get(f"{base}/api/v1/agreements/{group['id']}/settlement").json()
    assert [m["transfer"] for m in api["settlement"]["members"]] == ["5.00", "10.00", "20.00"]

    # a member reads the same page on a phone: it fits the screen's width
    phone = new_page(browser, 390, 844)
    phone.goto(f"{base}/money/{group['id']}")
    assert "685.00 EUR" in phone.inner_text("#allocation")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # a partner joins late: listed last, measured once its baseline is documented
    join = desk.locator("form[aria-label='Add a member']")
    join.locator("input[name=member]").fill("Eastco")
    join.get_by_role("button", name="Add to the group").click()
    desk.wait_for_load_state("load")
    assert "Eastco is already a member" in desk.inner_text("[role=alert]")
    desk.goto(f"{base}/money/{group['id']}")
    join = desk.locator("form[aria-label='Add a member']")
    join.locator("input[name=member]").fill("Southco")
    join.get_by_role("button", name="Add to the group").click()
    desk.wait_for_load_state("load")
    assert "Southco" in desk.inner_text("#members tbody")
    assert "no documented baseline" in desk.inner_text("#allocation")
    form = desk.locator("form[aria-label='Record a baseline']")
    form.locator("select[name=member]").select_option("Southco")
    form.locator("input[name=unit_price]").fill("10")
    form.locator("input[name=source]").fill("Southco invoices")
    form.locator("input[name=dated]").fill("2026-02-01")
    form.get_by_role("button", name="Record the baseline").click()
    desk.wait_for_load_state("load")
    assert column(desk, "Member") == ["Oakwood", "Northwind", "Eastco", "Southco"]
    assert column(desk, "Units")[-1] == "0"
    assert "685.00 EUR" in desk.inner_text("#allocation")
    for pg in (desk, phone):
        assert not pg.problems, pg.problems
        assert all(u.startswith(base) for u in pg.seen), [u for u in pg.seen
                                                          if not u.startswith(base)]

