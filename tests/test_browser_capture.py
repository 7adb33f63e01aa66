"""Quick capture on a phone (390×844) in Debian's Chromium: the implicit contract and a
promise each way in one form end with both promises on the today page, and the saved
capture says what was saved with Undo (docs/quick-capture.md)."""

from __future__ import annotations

from typing import Any

from test_browser import page, pytestmark, server  # noqa: F401  (shared fixtures)


def test_capture_with_contract_and_a_promise_each_way(page: Any,  # noqa: F811
                                                      server: dict[str, Any]) -> None:  # noqa: F811
    page.goto(server["base"] + "/capture")
    assert page.viewport_size == {"width": 390, "height": 844}
    page.fill("#with", "Maria Lopez")
    page.fill("#text", "Coffee about the packaging tender")
    page.fill("#they_want", "a second supplier")
    page.fill("#i_want", "an intro to their COO")
    page.fill("#agreed", "Coffee at the expo")
    page.fill("#i_owe", "send the packaging quote")
    page.fill("#i_owe_due", "tomorrow")
    page.fill("#they_owe", "intro to the Acme COO")
    page.fill("#they_owe_due", "+3d")
    # the form fits the phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("button[type=submit]")
    page.wait_for_selector("#saved")
    assert "2 promises" in page.inner_text("#saved")
    assert "a second supplier" in page.inner_text("#timeline")
    page.goto(server["base"] + "/")
    body = page.inner_text("main")
    assert "send the packaging quote" in body and "intro to the Acme COO" in body
