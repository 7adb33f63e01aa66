"""The alliance pages over the demo portfolio: the list, each alliance page, the RACI
grid, the scorecard and its printable file; the stage form (forced past unmet
criteria, journaled) and a private link sent from the page and answered by the
partner's contact (docs/alliance-management.md, docs/private-links.md)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

BASE = "http://127.0.0.1:8765"
HTML = {"accept": "text/html"}
POST = {**HTML, "origin": BASE}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.services.demo_alliances import load_alliances
    from kithbook.web.app import create_app

    db = Path(tmp_path_factory.mktemp("web")) / "k.db"
    config = Config(db=str(db), as_of=date(2026, 11, 27))
    svc = Services.open(config)
    svc.people.set_me("Alex Morgan")
    load_alliances(svc)
    svc.close()
    with TestClient(create_app(config), base_url=BASE) as c:
        yield c


def ids(c: TestClient) -> dict[str, str]:
    page = c.get("/alliances", headers=HTML)
    assert page.status_code == 200
    found = re.findall(r'href="/alliances/(all_[a-z0-9]+)">([^<]+)</a>', page.text)
    return {html.unescape(name): aid for aid, name in found}


def token(page: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m is not None
    return m.group(1)


def test_portfolio_lists_every_alliance_weakest_first(web: TestClient) -> None:
    found = ids(web)
    assert list(found)[0] == "Helio rooftop solar JV"
    assert set(found) == {"Helio rooftop solar JV", "Harbour crane tender",
                          "Office supplies buying group", "Loomwork scheduling licence"}
    page = web.get("/alliances?stage=explore", headers=HTML).text
    assert "No alliances yet" in page
    assert 'href="/alliances"' in web.get("/", headers=HTML).text  # in the navigation


def test_every_alliance_view_renders(web: TestClient) -> None:
    for name, aid in ids(web).items():
        page = web.get(f"/alliances/{aid}", headers=HTML)
        assert page.status_code == 200 and html.escape(name) in page.text
        for section in ("health", "gate", "findings", "partners", "goals", "raci",
                        "objectives", "ledger", "forums", "meetings", "decisions",
                        "actions", "obligations", "checks", "send", "exit", "documents"):
            assert f'id="{section}"' in page.text, (name, section)
        raci = web.get(f"/alliances/{aid}/raci", headers=HTML)
        assert raci.status_code == 200 and "<table class=\"list raci\">" in raci.text
        card = web.get(f"/alliances/{aid}/scorecard", headers=HTML)
        assert card.status_code == 200 and card.text.count("<svg") >= 3
        printable = web.get(f"/alliances/{aid}/scorecard?download=1")
        assert printable.status_code == 200
        assert "attachment" in printable.headers["content-disposition"]
        assert "@page" in printable.text and "<svg" in printable.text


def test_raci_grid_marks_the_failing_rows(web: TestClient) -> None:
    jv = ids(web)["Helio rooftop solar JV"]
    page = web.get(f"/alliances/{jv}/raci", headers=HTML).text
    assert "R1 no owner" in page and "R2 diffused accountability" in page
    assert page.count('class="raci-error"') == 2


def test_unknown_alliance_is_a_page_saying_so(web: TestClient) -> None:
    page = web.get("/alliances/no-such-alliance", headers=HTML)
    assert page.status_code == 404 and "alliance" in page.text.lower()


def test_stage_form_refuses_then_forces_and_journals(web: TestClient) -> None:
    jv = ids(web)["Helio rooftop solar JV"]
    page = web.get(f"/alliances/{jv}", headers=HTML).text
    refused = web.post(f"/alliances/{jv}/stage", headers=POST,
                       data={"csrf_token": token(page), "to": "terminate"})
    assert refused.status_code == 409 and "force" in refused.text.lower()
    moved = web.post(f"/alliances/{jv}/stage", headers=POST, follow_redirects=False,
                     data={"csrf_token": token(page), "to": "terminate", "force": "1",
                           "reason": "the board ran out of patience"})
    assert moved.status_code == 303
    after = web.get(f"/alliances/{jv}", headers=HTML).text
    assert "manage -&gt; terminate" in after or "manage → terminate" in after
    assert "forced" in after and "the board ran out of patience" in after
    no_token = web.post(f"/alliances/{jv}/stage", headers=POST, data={"to": "manage"})
    assert no_token.status_code == 403


def test_link_sent_from_the_page_and_answered_by_the_partner(web: TestClient) -> None:
    bid = ids(web)["Harbour crane tender"]
    page = web.get(f"/alliances/{bid}", headers=HTML).text
    decision = re.search(r'<option value="(dec_[a-z0-9]+)">decision: Bid at', page)
    karl = re.search(r'<option value="(per_[a-z0-9]+)">Karl Weiss', page)
    assert decision and karl
    assert "awaiting Baltic Lift" in page
    sent = web.post(f"/alliances/{bid}/send", headers=POST, data={
        "csrf_token": token(page), "item": decision.group(1), "to": karl.group(1)})
    assert sent.status_code == 200
    url = re.search(r'value="(http://[^"]+/r/[^"]+)"', sent.text)
    assert url and "Karl Weiss" in sent.text
    path = url.group(1).removeprefix(BASE)
    link_page = web.get(path, headers=HTML)
    assert link_page.status_code == 200 and "Bid at 3,850 kEUR" in link_page.text
    assert "Helio" not in link_page.text  # nothing else is visible through a link
    done = web.post(path, headers=POST, data={"csrf_token": token(link_page.text),
                                              "verdict": "confirmed"})
    assert done.status_code == 200
    after = web.get(f"/alliances/{bid}", headers=HTML).text
    assert "awaiting Baltic Lift" not in after
    assert "answered" in after  # the link's status in the list of links sent
    wrong = web.post(f"/alliances/{bid}/send", headers=POST, data={
        "csrf_token": token(page), "item": decision.group(1), "to": "Alex Morgan"})
    assert wrong.status_code in (409, 422) and 'role="alert"' in wrong.text


def test_the_page_forms_write_through_the_use_cases_and_refuse_clearly(
        web: TestClient) -> None:
    aid = ids(web)["Office supplies buying group"]
    page = web.get(f"/alliances/{aid}", headers=HTML).text
    for what in ("goal", "confirm", "activity", "objective", "contribute", "forum",
                 "meeting", "decision", "document", "obligation", "exit-item", "edit"):
        assert f'data-form="{what}"' in page, what
    csrf = token(page)
    done = web.post(f"/alliances/{aid}/do/forum", headers=POST, follow_redirects=False,
                    data={"csrf_token": csrf, "name": "Supplier review",
                          "cadence": "quarterly", "layer": "management"})
    assert done.status_code == 303 and done.headers["location"].endswith("#forums")
    assert "Supplier review" in web.get(f"/alliances/{aid}", headers=HTML).text
    refused = web.post(f"/alliances/{aid}/do/forum", headers=POST,
                       data={"csrf_token": csrf, "name": "No cadence", "cadence": "often"})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert "No cadence" not in web.get(f"/alliances/{aid}", headers=HTML).text
    assert web.post(f"/alliances/{aid}/do/forum", headers=POST,
                    data={"name": "x", "cadence": "weekly"}).status_code == 403
    assert web.post(f"/alliances/{aid}/do/nonsense", headers=POST,
                    data={"csrf_token": csrf}).status_code == 404


def test_an_action_item_closed_from_the_page_says_so_and_undo_reopens_it(
        web: TestClient) -> None:
    from kithbook.config import Config
    from kithbook.services.app import Services

    bid = ids(web)["Harbour crane tender"]
    page = web.get(f"/alliances/{bid}", headers=HTML).text
    assert 'data-form="action-done"' in page
    item = re.search(r'<option value="(pro_[a-z0-9]+)">Alex Morgan: Send the final price',
                     page)
    assert item is not None
    done = web.post(f"/alliances/{bid}/do/action-done", headers=POST, follow_redirects=False,
                    data={"csrf_token": token(page), "item": item.group(1)})
    assert done.status_code == 303 and done.headers["location"].endswith("#actions")
    after = web.get(done.headers["location"], headers=HTML).text
    saved = re.search(r'<div class="saved" role="status" id="saved">(.*?)</div>', after, re.S)
    assert saved and "Send the final price sheet to Northwind" in html.unescape(saved.group(1))
    actions = after.split('id="actions"', 1)[1].split("</section>", 1)[0]
    assert f'<option value="{item.group(1)}">' not in actions  # no longer offered
    assert re.search(r"Send the final price sheet to Northwind.*?<span class=\"tag\">done",
                     actions)
    # journaled as one change, which the page's Undo button reverses, and only it
    config: Config = web.app.state.config  # type: ignore[attr-defined]
    svc = Services.open(config)
    try:
        latest = svc.history.recent(1)[0]
        assert latest.name == "ally action done" and latest.changes >= 1
    finally:
        svc.close()
    undo = re.search(r'<form method="post" action="/undo/(bat_[a-z0-9]{16})">', saved.group(1))
    assert undo is not None and undo.group(1) == latest.id
    undone = web.post(f"/undo/{undo.group(1)}", headers=POST,
                      data={"csrf_token": token(after), "back": f"/alliances/{bid}"})
    assert undone.status_code == 200 and "Undone" in undone.text
    assert f'<a href="/alliances/{bid}">' in undone.text
    svc = Services.open(config)
    try:
        again = {a.id: a.status for a in svc.alliance_work.actions(bid)}
        assert again[item.group(1)] == "open"
    finally:
        svc.close()
    # a "back" that would leave the site is not offered
    again_done = web.post(f"/alliances/{bid}/do/action-done", headers=POST,
                          data={"csrf_token": token(page), "item": item.group(1)})
    second = re.search(r'action="/undo/(bat_[a-z0-9]{16})"', again_done.text)
    assert second is not None and second.group(1) != undo.group(1)
    away = web.post(f"/undo/{second.group(1)}", headers=POST,
                    data={"csrf_token": token(after), "back": "//evil.example/x"})
    assert away.status_code == 200 and "Undone" in away.text
    assert "evil.example" not in away.text
    # only this alliance's items close here: another alliance's is refused on the page
    jv = ids(web)["Helio rooftop solar JV"]
    foreign = re.search(r'<option value="(pro_[a-z0-9]+)">[^<]*: Hire the second install',
                        web.get(f"/alliances/{jv}", headers=HTML).text)
    assert foreign is not None
    refused = web.post(f"/alliances/{bid}/do/action-done", headers=POST,
                       data={"csrf_token": token(page), "item": foreign.group(1)})
    assert refused.status_code == 404 and 'role="alert"' in refused.text
    assert "no such action item" in refused.text
