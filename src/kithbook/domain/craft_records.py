"""Records of the craft of networking that the services return: pitches and their
versions, stories and tellings, claims and statements, research notes, surveys and
idea tests, referrals, time and value entries, the monthly report. The rules live in
research.py, pitches.py, speech.py, stories.py, statements.py, surveys.py, ideas.py,
referrals.py and timevalue.py (docs/networking-craft.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from kithbook.domain.ideas import Verdict
from kithbook.domain.models import PersonRef, Record
from kithbook.domain.pitches import PitchScore
from kithbook.domain.statements import Conflict
from kithbook.domain.stories import StoryStats, ToldBefore
from kithbook.domain.surveys import EstimateSummary, Tally
from kithbook.domain.timevalue import KindValue, MonthTotals, Share


@dataclass
class ResearchNote(Record):
    id: str
    name: str  # the first line
    text: str
    sources: list[str] = field(default_factory=list)
    person: PersonRef | None = None
    org: str | None = None
    created_at: datetime | None = None


@dataclass
class PitchVersion(Record):
    id: str  # pit_...@v2
    name: str
    version: int
    text: str
    words: int
    seconds: int
    created_at: datetime | None = None


@dataclass
class Rehearsal(Record):
    id: str
    name: str  # the pitch's name
    version: int
    on: date
    seconds: int | None = None
    rating: int | None = None
    notes: str | None = None


@dataclass
class PitchUse(Record):
    id: str
    name: str  # the person's name
    pitch_id: str
    person: PersonRef
    version: int
    used_on: date
    outcome: str = "unknown"
    note: str | None = None
    interaction_id: str | None = None


@dataclass
class Pitch(Record):
    id: str
    name: str
    audience: str
    goal: str | None
    version: int
    text: str
    words: int
    seconds: int
    warnings: list[str] = field(default_factory=list)
    versions: list[PitchVersion] = field(default_factory=list)
    rehearsals: list[Rehearsal] = field(default_factory=list)
    uses: list[PitchUse] = field(default_factory=list)
    score: PitchScore | None = None
    created_at: datetime | None = None
    key: int = 0


@dataclass
class Telling(Record):
    id: str
    name: str  # the person's name
    story_id: str
    story_name: str
    person: PersonRef
    told_at: datetime
    landed: bool | None = None


@dataclass
class Story(Record):
    id: str
    name: str  # the title
    text: str
    theme: str | None
    audience: str | None
    words: int
    seconds: int
    stats: StoryStats | None = None
    tellings: list[Telling] = field(default_factory=list)
    key: int = 0


@dataclass
class TellResult(Record):
    """Tellings recorded (or, for a check, none) and the told-twice warnings."""

    id: str  # the story's
    name: str
    recorded: list[Telling] = field(default_factory=list)
    warnings: list[ToldBefore] = field(default_factory=list)


@dataclass
class Claim(Record):
    id: str
    name: str  # the claim's text
    person: PersonRef
    topic: str | None = None
    status: str = "unknown"  # verified, false, unknown
    source: str | None = None
    said_on: date | None = None
    checked_on: date | None = None


@dataclass
class Statement(Record):
    id: str
    name: str  # what I said
    person: PersonRef  # to whom
    topic: str
    value: str | None = None
    said_on: date | None = None
    withdrawn: bool = False


@dataclass
class SaidResult(Record):
    id: str
    name: str
    statement: Statement
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class Survey(Record):
    id: str
    name: str  # the question
    kind: str
    choices: list[str] = field(default_factory=list)
    segment: str | None = None
    asked: int = 0
    answered: int = 0
    created_at: datetime | None = None
    closed: bool = False
    key: int = 0


@dataclass
class SurveyAnswer(Record):
    id: str  # the person's
    name: str
    answer: str | None = None
    value: Decimal | None = None
    answered_at: datetime | None = None
    via: str | None = None
    thanked: bool = False


@dataclass
class SurveyResults(Record):
    id: str
    name: str
    survey: Survey
    estimates: EstimateSummary | None = None
    tallies: list[Tally] = field(default_factory=list)
    answers: list[SurveyAnswer] = field(default_factory=list)
    waiting: list[PersonRef] = field(default_factory=list)
    to_thank: list[PersonRef] = field(default_factory=list)
    unsent: list[PersonRef] = field(default_factory=list)  # waiting, and sent no link yet


@dataclass
class IdeaFeedback(Record):
    id: str  # the person's
    name: str
    interest: int
    would_use: int
    clarity: int
    liked: str | None = None
    worries: str | None = None


@dataclass
class Idea(Record):
    id: str
    name: str
    text: str | None
    verdict: Verdict
    feedback: list[IdeaFeedback] = field(default_factory=list)


@dataclass
class Referral(Record):
    id: str
    name: str  # "A referred B to C"
    referrer: PersonRef
    referred: PersonRef
    to: PersonRef
    occurred_on: date
    status: str = "open"
    value: Decimal | None = None
    met: bool = False
    decided_on: date | None = None
    thanked_at: datetime | None = None
    reported_at: datetime | None = None
    note: str | None = None


@dataclass
class TimeEntry(Record):
    id: str
    name: str
    at: datetime
    minutes: int
    kind: str
    person: PersonRef | None = None
    org: str | None = None
    note: str | None = None


@dataclass
class ValueEntry(Record):
    id: str
    name: str
    on: date
    kind: str
    amount: Decimal | None = None
    person: PersonRef | None = None
    org: str | None = None
    note: str | None = None


@dataclass
class MonthReport(Record):
    """Where relationship time went in a month and what it returned."""

    id: str  # YYYY-MM
    name: str
    timezone: str
    minutes: dict[str, float] = field(default_factory=dict)
    total_minutes: float = 0.0
    unattributed_minutes: float = 0.0
    values: list[KindValue] = field(default_factory=list)
    value_count: int = 0
    value_amount: Decimal = Decimal(0)
    per_hour: Decimal | None = None
    people: list[Share] = field(default_factory=list)
    orgs: list[Share] = field(default_factory=list)
    trend: list[MonthTotals] = field(default_factory=list)
