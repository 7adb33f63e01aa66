"""The main flows in Debian's Chromium (never a downloaded browser): search and open a
person, quick capture onto the timeline, import a vCard through the preview, the
network map; no request leaves the app's origin, no script from a hostile name runs,
and a page on another local port cannot submit a form to us."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_kit import MARKS, free_port, serving

pytestmark = MARKS
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vera Cardholder\r\nN:Cardholder;Vera;;;\r\n"
    "EMAIL;TYPE=work:vera@example.com\r\nORG:Cardco\r\nEND:VCARD\r\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.people import NewPerson
    from kithbook.web.app import create_app

    db = tmp_path_factory.mktemp("web") / "k.db"
    app = create_app(Config(db=str(db)))
    svc = Services(app.state.db, app.state.config)
    svc.people.set_me("Me Myself")
    maria = svc.people.add(NewPerson(name="Maria Lopez", org="Acme", tags=["vip"]))
    sam = svc.people.add(NewPerson(name="Sam Chen", org="Globex"))
    evil = svc.people.add(NewPerson(name='<img src=x onerror=alert("xss")> Evil',
                                    note='<script>alert("note")</script> [x](javascript:alert(1))'))
    svc.ties.tie("me", maria.id, kind="colleague", strength=4)
    svc.ties.tie(maria.id, sam.id, kind="friend", strength=3)
    port = free_port()
    with serving(app, port) as base:
        yield {"base": base, "maria": maria, "sam": sam, "evil": evil, "svc": svc}


@pytest.fixture
def page(browser: Any, server: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    pg = context.new_page()
    pg.requests_seen = []  # type: ignore[attr-defined]
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requests_seen.append(r.url))
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    yield pg
    base = server["base"]
    foreign = [u for u in pg.requests_seen if not u.startswith(base) and not u.startswith("data:")]
    assert foreign == [], f"requests left the app's origin: {foreign}"
    assert pg.problems == [], pg.problems
    context.close()


def test_search_a_person_and_open_them(page: Any, server: dict[str, Any]) -> None:
    page.goto(server["base"] + "/people")
    page.fill("#q", "Mar")
    page.wait_for_function(
        "() => !document.querySelector('#people-rows').textContent.includes('Sam Chen')")
    page.click("text=Maria Lopez")
    page.wait_for_selector("h1:has-text('Maria Lopez')")
    assert "Acme" in page.inner_text("header.person-head")


def test_a_filter_menu_narrows_the_list(page: Any, server: dict[str, Any]) -> None:
    page.goto(server["base"] + "/people")
    page.select_option("select[name='touched']", index=1)
    page.wait_for_function("() => location.search.includes('touched=')")
    page.fill("input[name='tag']", "vip")
    page.press("input[name='tag']", "Tab")
    page.wait_for_function(
        "() => !document.querySelector('#people-rows').textContent.includes('Sam Chen')")
    assert "Maria Lopez" in page.inner_text("#people-rows")


def test_quick_capture_shows_on_the_timeline(page: Any, server: dict[str, Any]) -> None:
    page.goto(server["base"] + "/capture")
    page.fill("#with", "Sam")
    page.wait_for_selector("#people-options option[value='Sam Chen']", state="attached")
    page.fill("#with", "Sam Chen")
    page.fill("#text", "Lunch about the Globex pilot")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Sam Chen')")
    assert "Lunch about the Globex pilot" in page.inner_text("#timeline")


def test_import_a_vcard_through_the_preview(
    page: Any, server: dict[str, Any], tmp_path: Path
) -> None:
    card = tmp_path / "vera.vcf"
    card.write_text(VCARD)
    page.goto(server["base"] + "/import")
    page.set_input_files("#file", str(card))
    page.click("button[type=submit]")
    page.wait_for_selector("#import-preview")
    assert server["svc"].people.list(name_prefix="Vera").total == 0  # preview wrote nothing
    page.click("#confirm-import")
    page.wait_for_selector("#import-done")
    page.goto(server["base"] + "/people?q=vera")
    page.click("text=Vera Cardholder")
    page.wait_for_selector("text=vera@example.com")


def test_network_map_draws(page: Any, server: dict[str, Any]) -> None:
    page.goto(server["base"] + f"/map?person={server['maria'].id}")
    page.wait_for_selector("#cy[data-ready='1']", timeout=15000)
    assert page.locator("#cy canvas").count() >= 1
    page.goto(server["base"] + "/map?target=Sam+Chen")
    page.wait_for_selector("#cy[data-ready='1']", timeout=15000)
    # on a phone: a legend, the organization asked for drawn, nothing wider than the screen
    page.goto(server["base"] + "/map?target=Globex")
    page.wait_for_selector("#cy[data-ready='1']", timeout=15000)
    assert page.get_attribute("#cy", "data-orgs") == "1"
    assert page.locator(".map-legend").is_visible()
    assert "organization you want to reach" in page.inner_text(".map-legend")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "Warm paths" in page.inner_text("#map-message")


def test_hostile_name_and_note_do_not_run(page: Any, server: dict[str, Any]) -> None:
    for path in ["/people", f"/people/{server['evil'].id}", "/", "/people?q=%3Cimg"]:
        page.goto(server["base"] + path)
        page.wait_for_load_state("load")
    hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href') || '')")
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))]


def test_form_from_another_local_port_is_refused(browser: Any, server: dict[str, Any],
                                                 tmp_path: Path) -> None:
    base = server["base"]
    (tmp_path / "evil.html").write_text(
        f'<form id="f" method="post" action="{base}/people/new">'
        '<input name="name" value="Planted"><input name="csrf_token" value="guess"></form>'
        '<form id="g" method="post" action="' + base + '/api/v1/people" '
        'enctype="text/plain"><input name=\'{"name":"Planted2","x":"\' value=\'"}\'></form>'
        '<script>document.getElementById("f").submit()</script>'
    )
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(tmp_path))
    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        context = browser.new_context()
        pg = context.new_page()
        statuses: list[int] = []
        pg.on("response", lambda r: r.url.startswith(base) and statuses.append(r.status))
        pg.goto(f"http://127.0.0.1:{evil.server_address[1]}/evil.html")
        pg.wait_for_load_state("load")
        pg.wait_for_timeout(500)
        assert statuses and all(s == 403 for s in statuses), statuses
        context.close()
    finally:
        evil.shutdown()
    assert server["svc"].people.list(name_prefix="Planted").total == 0
