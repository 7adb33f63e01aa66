"""Hand-written alliance facts for the rule tests: two firms (us = Acme, partner =
Northwind) plus an optional third, with people whose keys read as their party."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from kithbook.domain.alliances.facts import (
    Activity,
    AllianceFacts,
    Contact,
    Party,
    RaciCell,
    Touch,
)

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
US, NW, GX = 1, 2, 3
# people: 11, 12 of us; 21, 22 of Northwind; 31 of Globex
ALICE, ANDY, BEN, BETH, CARL = 11, 12, 21, 22, 31
NAMES = {ALICE: "Alice", ANDY: "Andy", BEN: "Ben", BETH: "Beth", CARL: "Carl"}


def party(key: int, **kw: Any) -> Party:
    name = {US: "Acme", NW: "Northwind", GX: "Globex"}[key]
    return Party(key=key, id=f"par_{key}", name=name, is_us=key == US, **kw)


def contact(person: int, *, active: bool = True) -> Contact:
    return Contact(person, f"per_{person}", NAMES[person], person // 10, active)


def facts(*, three: bool = False, **kw: Any) -> AllianceFacts:
    parties = [party(US, sponsor_key=ALICE), party(NW, sponsor_key=BEN)]
    contacts = [contact(ALICE), contact(ANDY), contact(BEN), contact(BETH)]
    if three:
        parties.append(party(GX, sponsor_key=CARL))
        contacts.append(contact(CARL))
    base: dict[str, Any] = dict(
        key=1, id="all_1", name="Joint bid", type="joint_proposal", stage="explore",
        parties=tuple(parties), contacts=tuple(contacts),
    )
    base.update(kw)
    return AllianceFacts(**base)


def cell(party_key: int, letters: str, person: int | None = None) -> RaciCell:
    return RaciCell(party_key, letters, person)


def activity(key: int, *cells: RaciCell, **kw: Any) -> Activity:
    return Activity(key=key, id=f"act_{key}", name=kw.pop("name", f"Activity {key}"),
                    cells=tuple(cells), **kw)


def good_row(key: int, **kw: Any) -> Activity:
    """A valid joint row: Acme's Alice A/R, Northwind's Ben R."""
    return activity(key, cell(US, "RA", ALICE), cell(NW, "R", BEN), **kw)


def touch(days_ago: float, *people: int, by: int | None = None,
          channel: str = "email") -> Touch:
    return Touch(NOW - timedelta(days=days_ago), frozenset(people), by, channel)


def at(days_ago: float) -> datetime:
    return NOW - timedelta(days=days_ago)


def d(x: str | int) -> Decimal:
    return Decimal(str(x))


def with_(f: AllianceFacts, **kw: Any) -> AllianceFacts:
    return replace(f, **kw)
