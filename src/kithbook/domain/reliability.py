"""Reliability records: how promises between me and a person turned out, counted for
both sides (theirs to me and mine to them). Pure: `today` is passed in.

A promise counts as

- kept on time: done on or before its due date (or done, with no due date);
- kept late: done after its due date;
- broken: marked broken (with a reason);
- overdue: still open past its due date (not yet a verdict, but shown);
- open: still open, not yet due; released: let go by mutual agreement (no verdict).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from kithbook.domain.models import PersonRef, Promise, Record


@dataclass
class Tally(Record):
    kept_on_time: int = 0
    kept_late: int = 0
    broken: int = 0
    overdue: int = 0
    open: int = 0
    released: int = 0
    broken_reasons: list[str] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return self.kept_on_time + self.kept_late + self.broken

    @property
    def on_time_rate(self) -> float | None:
        """Share of decided promises kept on time; None before any verdict."""
        return self.kept_on_time / self.decided if self.decided else None

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        rate = self.on_time_rate
        out["on_time_rate"] = None if rate is None else round(rate, 3)
        return out


def classify(pr: Promise, today: date) -> str:
    """One of: kept_on_time, kept_late, broken, overdue, open, released."""
    if pr.status == "done":
        if pr.due is None or pr.closed_at is None or pr.closed_at.date() <= pr.due:
            return "kept_on_time"
        return "kept_late"
    if pr.status == "broken":
        return "broken"
    if pr.status == "released":
        return "released"
    if pr.due is not None and pr.due < today:
        return "overdue"
    return "open"


def tally(promises: Iterable[Promise], today: date) -> Tally:
    t = Tally()
    for pr in promises:
        verdict = classify(pr, today)
        setattr(t, verdict, getattr(t, verdict) + 1)
        if verdict == "broken" and pr.status_reason:
            t.broken_reasons.append(pr.status_reason)
    return t


@dataclass
class Reliability(Record):
    """`theirs`: promises they made (to me or anyone recorded); `mine`: promises I made
    to them."""

    id: str
    name: str
    theirs: Tally
    mine: Tally
    key: int = 0


def reliability(
    person: PersonRef, promises: Iterable[Promise], *, me_key: int | None, today: date
) -> Reliability:
    """Split the promises by direction and count them. With no `me` recorded, every
    promise made to the person counts as mine."""
    theirs: list[Promise] = []
    mine: list[Promise] = []
    for pr in promises:
        if pr.owed_by.key == person.key:
            theirs.append(pr)
        elif pr.owed_to.key == person.key and (me_key is None or pr.owed_by.key == me_key):
            mine.append(pr)
    return Reliability(
        id=person.id,
        name=person.name,
        theirs=tally(theirs, today),
        mine=tally(mine, today),
        key=person.key,
    )
