"""The one-page briefing before a meeting: its shape, and the rule that picks a
question to ask. Pure; the service fills it from the store. See
docs/networking-craft.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from kithbook.domain.models import PersonRef, Record
from kithbook.domain.pitches import PitchSuggestion
from kithbook.domain.reliability import Tally

STAGE_QUESTION = {
    "target": "What are you most focused on this quarter?",
    "met": "What would make this year a great one for you?",
    "rapport": "What is the hardest problem on your desk right now?",
    "mutual_help": "Who is the one person you would most like to meet this month?",
    "advocate": "Who else should I be talking to, and may I mention your name?",
    "dormant": "What has changed for you since we last spoke?",
}
DEFAULT_QUESTION = "What are you working on that excites you most right now?"


@dataclass
class Line(Record):
    """Anything shown as one line: `id` of the record, `name` its text."""

    id: str
    name: str
    on: date | None = None
    detail: str | None = None


@dataclass
class HowWeMet(Record):
    how_met: str | None = None
    met_via: PersonRef | None = None
    first_met_on: date | None = None
    tie_kinds: list[str] = field(default_factory=list)
    tie_strength: int | None = None  # declared, 1 to 5


@dataclass
class History(Record):
    interactions: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    minutes: int = 0
    recent: list[Line] = field(default_factory=list)


@dataclass
class Contract(Record):
    """The latest implicit contract: what they want, what I want, what we agreed."""

    interaction_id: str | None = None
    on: date | None = None
    they_want: str | None = None
    i_want: str | None = None
    agreed: list[str] = field(default_factory=list)
    next_step: str | None = None


@dataclass
class Mutual(Record):
    id: str
    name: str
    strength_with_me: int
    strength_with_them: int


@dataclass
class WarmPath(Record):
    people: list[PersonRef]
    score: float
    ask: str


@dataclass
class Question(Record):
    text: str
    why: str


@dataclass
class BriefPitch(Record):
    id: str
    name: str
    audience: str
    why: str
    text: str
    seconds: int


@dataclass
class Brief(Record):
    """Everything to know about a person before meeting them, on one page."""

    id: str
    name: str
    as_of: date
    title: str | None = None
    org: str | None = None
    org_id: str | None = None
    tier: str | None = None
    stage: str | None = None
    tags: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    linkedin_url: str | None = None
    met: bool = False
    how_we_met: HowWeMet = field(default_factory=HowWeMet)
    history: History = field(default_factory=History)
    contract: Contract = field(default_factory=Contract)
    promises_they_owe: list[Line] = field(default_factory=list)
    promises_i_owe: list[Line] = field(default_factory=list)
    reliability_theirs: Tally = field(default_factory=Tally)
    reliability_mine: Tally = field(default_factory=Tally)
    needs: list[Line] = field(default_factory=list)
    offers: list[Line] = field(default_factory=list)
    stories_told: list[Line] = field(default_factory=list)
    claims: list[Line] = field(default_factory=list)
    told: list[Line] = field(default_factory=list)
    mutual: list[Mutual] = field(default_factory=list)
    mutual_total: int = 0
    warm_path: WarmPath | None = None
    research: list[Line] = field(default_factory=list)
    targets: list[Line] = field(default_factory=list)
    events: list[Line] = field(default_factory=list)
    pitch: BriefPitch | None = None
    stories_to_tell: list[Line] = field(default_factory=list)
    question: Question = field(default_factory=lambda: Question(DEFAULT_QUESTION, "a good "
                                                                "opener with anyone"))
    key: int = 0


def question_to_ask(
    *,
    open_surveys: Sequence[tuple[str, str]] = (),
    they_want: tuple[str, date] | None = None,
    needs: Sequence[str] = (),
    stage: str | None = None,
    met: bool = True,
) -> Question:
    """The question for this meeting, most specific first:

    1. a survey question I put to them that they have not answered yet;
    2. what they wanted last time ("how is it going?");
    3. an open need of theirs ("can I help?");
    4. a question for the stage of the relationship (a first meeting if we never met).
    """
    if open_surveys:
        sid, q = open_surveys[0]
        return Question(text=q, why=f"your survey {sid}: they have not answered yet")
    if they_want:
        want, on = they_want
        return Question(
            text=f"Last time you wanted {want.rstrip('.')}: how is that going?",
            why=f"what they wanted on {on.isoformat()}",
        )
    if needs:
        return Question(text=f"How is it going with {needs[0].rstrip('.')}? Can I help?",
                        why="an open need of theirs")
    key = "target" if not met else (stage or "")
    if key in STAGE_QUESTION:
        return Question(text=STAGE_QUESTION[key],
                        why="a first meeting" if not met else f"the relationship is at "
                        f"'{key.replace('_', ' ')}'")
    return Question(text=DEFAULT_QUESTION, why="a good opener with anyone")


__all__ = ["Brief", "PitchSuggestion", "question_to_ask"]
