"""Doing the research: targets (people, or kinds of people, I want to meet), events to
meet them at with a plan, research notes with their sources. Pure; see
docs/networking-craft.md."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from kithbook.domain.models import PersonRef, Record
from kithbook.domain.text import fold

PRIORITIES = {"high": 1, "medium": 2, "low": 3}
PRIORITY_NAMES = {v: k for k, v in PRIORITIES.items()}
TARGET_STATUSES = ("open", "met", "dropped")
EVENT_KINDS = ("meeting", "conference", "meetup", "fair", "talk", "dinner", "other")
ATTENDEE_ROLES = ("attendee", "speaker", "host", "organizer")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:h.]([0-5]\d)$")


def parse_priority(text: str | int | None) -> int:
    """high/medium/low or 1/2/3 (1 is the highest); default medium."""
    if text is None or text == "":
        return 2
    raw = fold(str(text))
    if raw in PRIORITIES:
        return PRIORITIES[raw]
    if raw in ("1", "2", "3"):
        return int(raw)
    raise ValueError(f"'{text}' is not a priority (high, medium, low or 1-3)")


def parse_time(text: str | None) -> str | None:
    """'9:30', '09h30', '14.05' -> 'HH:MM' (local time of the event)."""
    if text is None or not text.strip():
        return None
    m = _TIME.match(text.strip().lower())
    if not m:
        raise ValueError(f"'{text}' is not a time (HH:MM)")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def parse_sources(raw: Sequence[str]) -> list[str]:
    """Sources of a research note: URLs or citations, one per item, trimmed, no repeats."""
    out: list[str] = []
    for item in raw:
        for part in item.split("\n"):
            text = " ".join(part.split())
            if text and text not in out:
                out.append(text)
    return out


@dataclass
class PlanStep(Record):
    """Meet `name` (at position `rank`), through `via`, opening with `opener`."""

    id: str  # the person's
    name: str
    rank: int
    via: PersonRef | None = None
    opener: str | None = None
    met: bool = False
    target_id: str | None = None


@dataclass
class EventAttendee(Record):
    id: str
    name: str
    role: str = "attendee"
    target: bool = False
    plan_rank: int | None = None
    met: bool = False  # I recorded meeting them there (in my plan or not)


@dataclass
class Event(Record):
    id: str
    name: str
    kind: str
    on_date: date
    start_time: str | None = None
    place: str | None = None
    url: str | None = None
    attendees: list[EventAttendee] = field(default_factory=list)
    plan: list[PlanStep] = field(default_factory=list)
    key: int = 0


@dataclass
class Target(Record):
    id: str
    name: str  # the person's name, or the kind of person
    person: PersonRef | None
    why: str | None
    priority: str
    how: str | None
    status: str
    org: str | None = None
    events: list[str] = field(default_factory=list)  # upcoming events where they attend
    created_at: datetime | None = None
    key: int = 0


def order_plan(steps: Sequence[PlanStep]) -> list[PlanStep]:
    """The plan in order: by rank, people not met yet first among equal ranks."""
    return sorted(steps, key=lambda s: (s.rank, s.met, fold(s.name), s.id))


def next_plan_rank(ranks: Sequence[int | None]) -> int:
    return max((r for r in ranks if r is not None), default=0) + 1


def is_upcoming(on: date, today: date, days: int) -> bool:
    return 0 <= (on - today).days <= days
