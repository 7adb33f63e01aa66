"""The money pages in Debian's Chromium (issue 12): a licensing deal through a year of
quarterly statements, read on the desk (agreement page, a printable statement per
party, its CSV) and confirmed by the partner's contact on a phone through a private
link; no request leaves the app's origin."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from browser_kit import MARKS, free_port, serving
from test_alliance_browser import new_page

pytestmark = MARKS


@pytest.fixture(scope="module")
def deal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from kithbook.config import Config
    from kithbook.services.alliances import NewAlliance
    from kithbook.services.app import Services
    from kithbook.services.economics_base import NewEntry, NewRoyalty
    from kithbook.services.people import NewPerson
    from kithbook.web.app import create_app

    db = tmp_path_factory.mktemp("money") / "k.db"
    port = free_port()
    config = Config(db=str(db), as_of=date(2027, 1, 20), public_url=f"http://127.0.0.1:{port}")
    svc = Services.open(config)
    svc.people.set_me("Ada Me")
    svc.people.add(NewPerson(name="Olga Oak", org="Oakwood"))
    svc.people.add(NewPerson(name="Nina North", org="Northwind"))
    svc.alliances.create(NewAlliance(name="Widget deal", us="Oakwood", partners=["Northwind"]))
    svc.alliances.add_contact("Widget deal", "Northwind", "Nina North")
    ag = svc.economics.new_royalty("Widget deal", NewRoyalty(
        name="Widget licence", payer="Northwind", payees=["us=10000"], start="2026-01-01",
        rate="0.10", period_months=3))
    for month, amount in ((2, "1000.00"), (5, "2500.00"), (8, "1999.99"), (11, "4000.50")):
        svc.economics.book(ag.id, NewEntry(kind="sale", on=f"2026-{month:02d}-10",
                                           amount=amount, ref=f"INV-{month}"))
    issued = [svc.economics.issue(ag.id) for _ in range(4)]  # the year's four quarters
    link = svc.economics.send(issued[-1].id, to="Nina North")
    svc.close()
    with serving(create_app(config), port) as base:
        yield {"base": base, "agreement": ag.id, "link": link.url,
           "db": db}


def test_a_year_of_statements_read_and_confirmed(browser: Any, deal: dict[str, Any]) -> None:
    base = deal["base"]
    desk = new_page(browser, 1280, 900)
    desk.goto(base + "/money")
    desk.get_by_role("link", name="Widget licence").click()
    desk.wait_for_selector("h1:has-text('Widget licence')")
    rows = desk.locator("tbody tr")
    assert rows.count() == 5  # 2026's four quarters, issued, and 2027's first, open
    table = desk.inner_text("tbody")
    for due in ("100.00", "250.00", "200.00", "400.05"):  # 10% of each quarter's sales
        assert due in table, table
    assert table.count("issued") == 4 and "open" in rows.nth(4).inner_text()
    rows.nth(3).get_by_role("link", name="printable").click()
    desk.wait_for_load_state("load")
    page = desk.inner_text("body")
    assert "INV-11" in page and "400.05" in page, page
    assert "Royalty earned" in page
    # the partner's contact, on a phone, through the link (no account)
    phone = new_page(browser, 390, 844)
    phone.goto(deal["link"])
    assert "400.05" in phone.inner_text("body")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.check("input[value='confirmed']")
    phone.click("button[type=submit]")
    phone.wait_for_load_state("load")
    assert "thank" in phone.inner_text("body").lower()
    answers = desk.request.get(
        f"{base}/api/v1/agreements/{deal['agreement']}/statements/4").json()["answers"]
    assert [(a["name"], a["verdict"], a["via"]) for a in answers] == [
        ("Northwind", "confirmed", "link")]
    # the same link does not take a second answer
    again = new_page(browser, 390, 844)
    again.goto(deal["link"])
    assert "answer was recorded" in again.inner_text("body")
    assert again.locator("button[type=submit]").count() == 0
    for pg in (desk, phone, again):
        assert not pg.problems, pg.problems
        assert all(u.startswith(base) for u in pg.seen), [u for u in pg.seen
                                                          if not u.startswith(base)]


def test_an_unknown_link_is_refused(browser: Any, deal: dict[str, Any]) -> None:
    pg = new_page(browser, 390, 844)
    response = pg.goto(deal["base"] + "/r/not-a-real-token-at-all")
    assert response is not None and response.status in (404, 410)
    assert Path(deal["db"]).exists()
