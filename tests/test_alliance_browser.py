"""Alliance pages in Debian's Chromium (never a downloaded browser): the portfolio, an
alliance page, a private link made on the page and answered by the partner's contact
on a phone-sized page (a decision confirmed, a health check rated), an unknown token
refused; no request leaves the app's origin."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from browser_kit import MARKS, free_port, serving

pytestmark = MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.demo_alliances import load_alliances
    from kithbook.web.app import create_app

    db = tmp_path_factory.mktemp("ally") / "k.db"
    port = free_port()
    config = Config(db=str(db), as_of=date(2026, 11, 27),
                    public_url=f"http://127.0.0.1:{port}")
    svc = Services.open(config)
    svc.people.set_me("Alex Morgan")
    load_alliances(svc)
    svc.close()
    with serving(create_app(config), port) as base:
        yield base


def new_page(browser: Any, width: int, height: int) -> Any:
    pg = browser.new_context(viewport={"width": width, "height": height}).new_page()
    pg.seen = []
    pg.problems = []
    pg.on("request", lambda r: pg.seen.append(r.url))
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    return pg


def test_partner_answers_through_links_made_on_the_page(browser: Any, server: str) -> None:
    desk = new_page(browser, 1280, 900)
    desk.goto(server + "/alliances")
    desk.get_by_role("link", name="Harbour crane tender").click()
    desk.wait_for_selector("#health")
    assert "awaiting Baltic Lift" in desk.inner_text("#decisions")
    desk.select_option("#send select[name=item]", label=desk.locator(
        "#send select[name=item] option", has_text="decision: Bid at").inner_text())
    desk.select_option("select[name=to]", label="Karl Weiss (Baltic Lift)")
    desk.get_by_role("button", name="Make the link").click()
    url = desk.input_value("input.link-url")
    assert "/r/" in url and "Karl Weiss" in desk.inner_text("#sent")

    phone = new_page(browser, 390, 844)
    phone.goto(url)
    assert "Bid at 3,850 kEUR" in phone.inner_text("body")
    assert "Helio" not in phone.content()
    phone.get_by_label("Confirm").check()
    phone.get_by_role("button").click()
    phone.wait_for_load_state()
    assert "recorded" in phone.inner_text("body").lower()

    desk.goto(server + "/alliances")
    desk.get_by_role("link", name="Harbour crane tender").click()
    assert "awaiting Baltic Lift" not in desk.inner_text("#decisions")
    assert "answered" in desk.inner_text("#send")

    # a health check of the buying group, answered by one of Riverside Bakery's people
    desk.goto(server + "/alliances")
    desk.get_by_role("link", name="Office supplies buying group").click()
    desk.select_option("#send select[name=item]", label=desk.locator(
        "#send select[name=item] option", has_text="health check").first.inner_text())
    desk.select_option("select[name=to]", label="Rui Costa (Riverside Bakery)")
    desk.get_by_role("button", name="Make the link").click()
    check_url = desk.input_value("input.link-url")
    phone.goto(check_url)
    for fieldset in phone.locator("fieldset.rating").all():
        fieldset.get_by_label("4").check()
    phone.get_by_role("button").click()
    phone.wait_for_load_state()
    assert "recorded" in phone.inner_text("body").lower()

    refused = phone.goto(server + "/r/not-a-real-token")
    assert refused is not None and refused.status in (404, 410)
    assert "Harbour" not in phone.content()
    for pg in (desk, phone):
        assert pg.problems == []
        assert [u for u in pg.seen if not u.startswith(server)] == []
