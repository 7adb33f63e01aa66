"""Bulk edit in Debian's Chromium: tag fifty people found by a search from the people
list, then undo it as one change (docs/bulk-edit.md)."""

from __future__ import annotations

from typing import Any

from test_browser import page, pytestmark, server  # noqa: F401  (shared fixtures)


def test_bulk_tag_fifty_people_from_a_search_and_undo(page: Any,  # noqa: F811
                                                      server: dict[str, Any]) -> None:  # noqa: F811
    from kithbook.services.people import NewPerson

    svc = server["svc"]
    for i in range(50):
        svc.people.add(NewPerson(name=f"Zebulon Fifty{i:02d}", org="Fiftyco"))
    page.goto(server["base"] + "/people?q=fiftyco")
    page.check("#bulk-all")
    page.select_option("#bulk-action", "tag")
    page.fill("#bulk-value", "fifty")
    page.click("#bulk-preview")
    page.wait_for_selector("#bulk-apply")
    assert "50 people" in page.inner_text("h1")
    assert svc.people.list(tag="fifty").total == 0  # the preview wrote nothing
    page.click("#bulk-apply")
    page.wait_for_selector("#bulk-done")
    assert svc.people.list(tag="fifty").total == 50
    page.click("#bulk-undo")
    page.wait_for_selector("h1:has-text('Undone')")
    assert svc.people.list(tag="fifty").total == 0
