"""The craft of networking in Debian's Chromium on a phone-sized screen: the brief reads
without sideways scrolling, and a pitch added through /craft shows in the bank; no
request leaves the app's origin, no console or CSP error."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from tests.test_browser import ARGS, CHROMIUM, free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium "
                       "(apt-get install chromium); Playwright must not download one"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    import uvicorn

    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.people import NewPerson
    from kithbook.web.app import create_app

    db = tmp_path_factory.mktemp("craft-web") / "k.db"
    app = create_app(Config(db=str(db)))
    svc = Services(app.state.db, app.state.config)
    svc.people.set_me("Me Myself")
    maria = svc.people.add(NewPerson(name="Maria Lopez", org="Acme Logistics International",
                                     title="Head of Procurement", tier="A",
                                     emails=["maria.lopez@acme-logistics.example"]))
    svc.research.add_note(maria.id, "Runs procurement for the whole northern region; "
                          "prefers short written proposals over calls.",
                          sources=["https://acme-logistics.example/about/leadership-team"])
    svc.honesty.claim(maria.id, "Budget for the rail pilot is approved for Q1")
    svc.pitches.add("Buyer intro", "buyers", "We keep the promises your team makes.")
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield {"base": f"http://127.0.0.1:{port}", "maria": maria, "svc": svc}
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    pg = context.new_page()
    seen: list[str] = []
    problems: list[str] = []
    pg.on("request", lambda r: seen.append(r.url))
    pg.on("console", lambda m: m.type == "error" and problems.append(m.text))
    pg.on("pageerror", lambda e: problems.append(str(e)))
    yield pg
    base = server["base"]
    foreign = [u for u in seen if not u.startswith(base) and not u.startswith("data:")]
    assert foreign == [], f"requests left the app's origin: {foreign}"
    assert problems == [], problems
    context.close()


def test_brief_on_a_phone_screen(page: Any, server: dict[str, Any]) -> None:
    maria = server["maria"]
    page.goto(server["base"] + f"/people/{maria.id}")
    page.click("a:has-text('Brief')")
    page.wait_for_selector("h1:has-text('Maria Lopez')")
    assert page.url.endswith(f"/people/{maria.id}/brief")
    text = page.inner_text("article.brief")
    for want in ("Head of Procurement", "Runs procurement", "rail pilot", "Buyer intro"):
        assert want in text, want
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= 390, f"the brief scrolls sideways on a phone ({wide}px)"
    box = page.locator("#brief-ask").bounding_box()
    assert box is not None and box["width"] <= 390


def test_add_a_pitch_on_the_craft_page(page: Any, server: dict[str, Any]) -> None:
    page.goto(server["base"] + "/craft")
    page.click("summary:has-text('Add a pitch')")
    page.fill("#pitch-name", "Investor intro")
    page.fill("#pitch-audience", "investors")
    page.fill("#pitch-text", "Small teams lose deals on forgotten promises; we fix that.")
    page.click("#pitch-form button[type=submit]")
    page.wait_for_selector("#saved")
    assert "Investor intro" in page.inner_text("#pitches")
    assert [p.name for p in server["svc"].pitches.list(audience="investors").items] == [
        "Investor intro"]
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= 390, f"/craft scrolls sideways on a phone ({wide}px)"


def test_a_survey_answered_through_its_link_on_a_phone(page: Any,
                                                       server: dict[str, Any]) -> None:
    """The issue's browser test: a survey answered through its private link."""
    svc, maria = server["svc"], server["maria"]
    survey = svc.surveys.create("How many trucks will you run in 2027?",
                                people=[maria.id])
    link = svc.surveys.send(survey.id, maria.id)
    page.goto(server["base"] + "/r/" + link.url.rsplit("/r/", 1)[1])
    assert "How many trucks will you run in 2027?" in page.inner_text("body")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.fill("input[name=answer]", "120")
    page.click("button[type=submit]")
    page.wait_for_selector("text=answer was recorded")
    r = svc.surveys.results(survey.id)
    assert [(a.name, a.value, a.via) for a in r.answers] == [("Maria Lopez", 120, "link")]
