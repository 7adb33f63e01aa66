"""The craft of networking in Debian's Chromium on a phone-sized screen: the brief reads
without sideways scrolling, and a pitch added through /craft shows in the bank; no
request leaves the app's origin, no console or CSP error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser_kit import MARKS, free_port, serving

pytestmark = MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
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
    with serving(app, port) as base:
        yield {"base": base, "maria": maria, "svc": svc}


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


def test_survey_page_and_time_report_on_a_phone(page: Any, server: dict[str, Any]) -> None:
    """A survey's aggregates and its links, then the monthly report with its charts and
    month picker: all on a phone's width, nothing scrolling sideways."""
    from datetime import timedelta

    from kithbook.services.people import NewPerson

    svc, maria = server["svc"], server["maria"]
    others = [svc.people.add(NewPerson(name=n, org="Port Authority")).id
              for n in ("Ana Silva", "Bo Berg", "Cy Diaz", "Di Ek")]
    survey = svc.surveys.create("How many containers a week?", people=[maria.id, *others])
    for who, answer in zip([maria.id, *others[:3]], ("300", "320", "310", "2000"),
                           strict=True):
        svc.surveys.answer(survey.id, who, answer)
    svc.timevalue.log_time(90, "meetings", person=maria.id)
    svc.timevalue.log_time(40, "preparation", person=others[0])
    svc.timevalue.log_value("deal", amount="2500", person=maria.id)
    last = svc.today.replace(day=1) - timedelta(days=1)
    svc.timevalue.log_time(30, "follow_up", person=others[1],
                           at=svc.now.replace(year=last.year, month=last.month, day=15))

    page.goto(server["base"] + "/craft/surveys")
    page.click("a:has-text('How many containers a week?')")
    page.wait_for_selector("#results svg")
    results = page.inner_text("#results")
    assert "median" in results and "Di Ek" not in results
    assert "Cy Diaz 2000 (high)" in results  # the outlier, named
    assert page.locator("#waiting li.waiting").count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    box = page.locator("#results svg").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.click("#send-all button[type=submit]")
    page.wait_for_selector("#issued")
    url = page.input_value("#link-1")
    assert "/r/" in url and "Di Ek" in page.inner_text("#issued")
    assert page.locator("#waiting").inner_text().count("link sent") == 1
    page.goto(server["base"] + "/r/" + url.rsplit("/r/", 1)[1])  # the link works
    assert "How many containers a week?" in page.inner_text("body")

    page.goto(server["base"] + "/craft")
    page.click("nav.subnav a:has-text('Time and value')")
    page.wait_for_selector("#totals svg")
    totals = page.inner_text("#totals")
    assert "2 h 10" in totals and "2,500" in totals
    assert "Maria Lopez" in page.inner_text("#people")
    assert "Bo Berg" not in page.inner_text("#people")  # last month's
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    for chart in ("#totals", "#people", "#orgs", "#values", "#trend"):
        b = page.locator(f"{chart} svg").first.bounding_box()
        assert b is not None and b["width"] > 200 and b["x"] + b["width"] <= 390, chart
    page.click("a[rel=prev]")
    page.wait_for_url(f"**/craft/time?month={last:%Y-%m}")
    assert "Bo Berg" in page.inner_text("#people")
    page.fill("#month", f"{svc.today:%Y-%m}")
    page.click("#month-picker button[type=submit]")
    page.wait_for_url(f"**/craft/time?month={svc.today:%Y-%m}")
    assert "Maria Lopez" in page.inner_text("#people")
