"""The buying group page's forms in process (web/pages_economics.py): each runs its use
case and goes back to the part of the page it changed (303), or shows the page again
with what to fix (docs/economics.md, "Buying groups")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from test_economics_settlement_links import BASE, HTML, seed


@pytest.fixture
def page(tmp_path: Path) -> Iterator[tuple[TestClient, str, str]]:
    from kithbook.config import Config
    from kithbook.services.app import Services
    from kithbook.web.app import create_app

    with TestClient(create_app(Config(db=str(tmp_path / "k.db"), as_of=date(2026, 11, 27))),
                    base_url=BASE, follow_redirects=False) as c:
        g = seed(Services(c.app.state.db, c.app.state.config))  # type: ignore[attr-defined]
        text = c.get(f"/money/{g}", headers=HTML).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', text)
        yield c, g, token.group(1) if token else ""


@pytest.mark.parametrize(("path", "form", "anchor"), [
    ("member", {"member": "Southco"}, "members"),
    ("baseline", {"member": "Southco", "unit_price": "9.90", "kind": "quote",
                  "source": "quote Q-9", "dated": "2026-02-01"}, "members"),
    ("book", {"kind": "rebate", "on": "2026-06-30", "amount": "70"}, "ledger"),
    ("agree", {"method": "pro_rata"}, "allocation"),
    ("issue-settlement", {"through": "2026-06-30"}, "settlements"),
])
def test_a_form_goes_back_to_what_it_changed(page: tuple[TestClient, str, str], path: str,
                                             form: dict[str, str], anchor: str) -> None:
    c, g, token = page
    if path == "baseline":  # a baseline is for a member
        c.post(f"/money/{g}/member", data={"member": "Southco", "csrf_token": token},
               headers={**HTML, "origin": BASE})
    r = c.post(f"/money/{g}/{path}", data={**form, "csrf_token": token},
               headers={**HTML, "origin": BASE})
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/money/{g}#{anchor}"


@pytest.mark.parametrize(("path", "form", "status", "says"), [
    ("member", {"member": "Northwind"}, 409, "already a member"),
    ("baseline", {"member": "Northwind", "unit_price": "10", "kind": "paid", "source": " ",
                  "dated": "2026-02-01"}, 422, "source"),
    ("book", {"kind": "sale", "on": "2026-06-30", "amount": "70"}, 422, "kind"),
    ("agree", {"method": "coin toss"}, 422, "method"),
    ("issue-settlement", {"through": "2026-12-31"}, 409, "once that day has ended"),
])
def test_a_refused_form_shows_the_page_with_what_to_fix(
        page: tuple[TestClient, str, str], path: str, form: dict[str, str], status: int,
        says: str) -> None:
    c, g, token = page
    r = c.post(f"/money/{g}/{path}", data={**form, "csrf_token": token},
               headers={**HTML, "origin": BASE})
    assert r.status_code == status, r.text
    alert = re.search(r'role="alert">(.*?)</p>', r.text, re.S)
    assert alert is not None and says in alert.group(1).lower(), alert
    assert "Paper 2026" in r.text


def test_the_group_page_lists_issued_settlements_and_answers(
        page: tuple[TestClient, str, str]) -> None:
    from kithbook.services.app import Services

    c, g, token = page
    svc = Services(c.app.state.db, c.app.state.config)  # type: ignore[attr-defined]
    x = svc.economics_deals.issue_settlement(g, "2026-06-30")
    svc.economics_deals.answer_settlement(x.id, "Northwind", "disputed", "our quote was 9.80")
    text = c.get(f"/money/{g}", headers=HTML).text
    section = text[text.index('id="settlements"'):]
    assert "2026-06-30" in section and "identical" in section and x.id in section
    assert "Northwind disputed: our quote was 9.80 (app)" in section
