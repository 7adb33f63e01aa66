"""Undo and issued statements (docs/economics.md, "Storage"): an issued statement never
changes, so undo refuses to take away a ledger entry it lists (reverse the entry
instead) and refuses to undo the creation of an agreement that has a ledger or issued
statements (that would delete them with it). What no issued statement rests on is
undone as before. On both engines."""

from __future__ import annotations

from typing import Any

import pytest

from kithbook.errors import Conflict


def setup(svc: Any) -> tuple[str, dict[str, str]]:
    from kithbook.services.alliances import NewAlliance
    from kithbook.services.economics_base import NewEntry, NewRoyalty
    from kithbook.services.people import NewPerson

    svc.people.set_me("Ada Me")
    svc.people.add(NewPerson(name="Olga Oak", org="Oakwood"))
    svc.people.add(NewPerson(name="Nina North", org="Northwind"))
    svc.alliances.create(NewAlliance(name="Widget deal", us="Oakwood", partners=["Northwind"]))
    batches: dict[str, str] = {}

    def latest(label: str) -> None:
        batches[label] = svc.history.recent(limit=1)[0].id

    ag = svc.economics.new_royalty("Widget deal", NewRoyalty(
        name="Widget licence", payer="Northwind", payees=["us=10000"], start="2026-01-01",
        rate="0.10", period_months=3))
    latest("create")
    svc.economics.book(ag.id, NewEntry(kind="sale", on="2026-02-10", amount="1000.00"))
    latest("q1 sale")
    svc.economics.issue(ag.id)  # 2026 Q1
    latest("issue")
    late = svc.economics.book(ag.id, NewEntry(kind="sale", on="2026-03-20", amount="50.00"))
    assert late.moved  # booked into the first open period, not the issued one
    latest("late sale")
    return ag.id, batches


def test_undo_never_changes_an_issued_statement(svc: Any) -> None:
    ag, batches = setup(svc)
    before = svc.economics.statement(ag, "1")
    assert before.status == "issued" and before.verified and before.due == 100

    with pytest.raises(Conflict) as refused:
        svc.history.undo(batches["q1 sale"])
    assert "#1 of Widget licence is on the issued statement for period 1" in str(refused.value)
    assert "Reverse entry #1 of Widget licence" in (refused.value.hint or "")
    assert refused.value.remedy == "economics.reverse"
    assert "kithbook" not in str(refused.value)  # the CLI and the API add their own words
    with pytest.raises(Conflict) as refused:
        svc.history.undo(batches["create"])
    assert "2 ledger entries and 1 issued statements" in str(refused.value)
    after = svc.economics.statement(ag, "1")
    assert after.verified and after.digest == before.digest
    assert len(svc.economics.ledger(ag)) == 2

    # what no issued statement lists is undone as before, newest first or not
    svc.history.undo(batches["late sale"])
    assert len(svc.economics.ledger(ag)) == 1
    # once the statement itself is undone, the entry behind it can go too
    svc.history.undo(batches["issue"])
    svc.history.undo(batches["q1 sale"])
    assert svc.economics.ledger(ag) == []
    svc.history.undo(batches["create"])
    assert svc.economics.agreements() == []
