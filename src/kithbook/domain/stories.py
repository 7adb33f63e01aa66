"""The story bank: who heard which story, the told-twice warning, which stories land.
Pure; see docs/networking-craft.md."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from kithbook.domain.models import PersonRef, Record


@dataclass(frozen=True)
class Telling:
    story_id: str
    person: PersonRef
    told_at: datetime
    landed: bool | None = None


@dataclass
class ToldBefore(Record):
    """A warning: `name` (a person) already heard this story."""

    id: str  # the person's
    name: str
    story_id: str
    story_name: str
    times: int
    last_told_at: datetime
    landed: bool | None
    message: str


def told_twice(
    story_id: str, story_name: str, audience: Sequence[PersonRef], tellings: Iterable[Telling]
) -> list[ToldBefore]:
    """Before telling `story_id` to `audience`: one warning per listener who already
    heard it, with how often, when last and whether it landed then. Listeners are
    compared by person (key), so namesakes are never confused."""
    heard: dict[int, list[Telling]] = {}
    wanted = {p.key for p in audience}
    for t in tellings:
        if t.story_id == story_id and t.person.key in wanted:
            heard.setdefault(t.person.key, []).append(t)
    out = []
    for p in audience:
        past = heard.get(p.key)
        if not past:
            continue
        last = max(past, key=lambda t: t.told_at)
        times = len(past)
        landed = "it landed" if last.landed else "it fell flat" if last.landed is False else ""
        out.append(
            ToldBefore(
                id=p.id,
                name=p.name,
                story_id=story_id,
                story_name=story_name,
                times=times,
                last_told_at=last.told_at,
                landed=last.landed,
                message=f"{p.name} already heard '{story_name}' "
                f"{'once' if times == 1 else f'{times} times'}, last on "
                f"{last.told_at.date().isoformat()}{'; ' + landed if landed else ''}.",
            )
        )
    return out


@dataclass
class StoryStats(Record):
    id: str
    name: str
    told: int
    listeners: int
    landed: int
    flat: int
    landed_rate: float | None  # landed / (landed + flat); None before any verdict


def story_stats(story_id: str, name: str, tellings: Iterable[Telling]) -> StoryStats:
    mine = [t for t in tellings if t.story_id == story_id]
    landed = sum(1 for t in mine if t.landed is True)
    flat = sum(1 for t in mine if t.landed is False)
    return StoryStats(
        id=story_id,
        name=name,
        told=len(mine),
        listeners=len({t.person.key for t in mine}),
        landed=landed,
        flat=flat,
        landed_rate=None if landed + flat == 0 else round(landed / (landed + flat), 3),
    )
