"""The alliance vocabulary and the facts the rules are computed from.

Facts are frozen snapshots built by the store: integer keys join them, public ids and
names are carried for messages. A rule never needs more than what is here, so every
rule can be unit-tested with facts written by hand (docs/alliance-management.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

TYPES = (
    "joint_proposal",
    "joint_purchasing",
    "rd_new_product",
    "joint_marketing",
    "licensing",
    "school_partnership",
    "project_consortium",
    "new_market_entry",
    "joint_venture",
)
TYPE_LABELS = {
    "joint_proposal": "joint proposal / project",
    "joint_purchasing": "joint purchasing",
    "rd_new_product": "R&D / new product",
    "joint_marketing": "joint marketing",
    "licensing": "licensing",
    "school_partnership": "school partnership",
    "project_consortium": "project consortium",
    "new_market_entry": "new-market entry",
    "joint_venture": "joint venture / spinoff",
}
# The life of an alliance; `closed` is the end state once termination is complete.
STAGES = ("explore", "negotiate", "launch", "manage", "terminate", "closed")
LIVE_STAGES = STAGES[:5]
TERMINATION_CODES = ("structural", "process", "external")
TERMINATION_LABELS = {
    "structural": "structural deficiency",
    "process": "process deficiency",
    "external": "external circumstance",
}
RACI_LETTERS = "RACI"
CONTRIBUTION_KINDS = ("cash", "hours", "asset", "introduction")
CONTRIBUTION_STAGES = ("committed", "delivered")
FORUM_LAYERS = ("steering", "management", "operations", "other")
DECISION_KINDS = ("decision", "action_plan", "review")
REVIEW_OUTCOMES = ("continue", "restructure", "expand", "exit")
GOAL_DIRECTIONS = ("increase", "decrease", "own")
OBJECTIVE_KINDS = ("ends", "means")
OBLIGATION_KINDS = ("obligation", "exit_provision", "ip", "data")
DOCUMENT_KINDS = ("agreement", "mou", "term_sheet", "exit_provisions", "charter", "minutes",
                  "plan", "other")
EXIT_ITEM_KINDS = ("obligation", "asset", "ip", "data", "customer", "other")
VERDICTS = ("confirmed", "disputed")
SEVERITIES = ("error", "warn", "info")
SEVERITY_RANK = {"error": 0, "warn": 1, "info": 2}

# The health-check dimensions, each rated 1-5 by each party's people.
DIMENSIONS = (
    "strategic_value",
    "operational_effectiveness",
    "relationship_trust",
    "governance_effectiveness",
    "communication_quality",
    "goal_role_clarity",
    "commitment_fairness",
)
DIMENSION_LABELS = {
    "strategic_value": "strategic value",
    "operational_effectiveness": "operational effectiveness",
    "relationship_trust": "relationship and trust",
    "governance_effectiveness": "governance effectiveness",
    "communication_quality": "communication quality",
    "goal_role_clarity": "goal and role clarity",
    "commitment_fairness": "commitment and fairness",
}


def parse_letters(text: str) -> str:
    """'a/r', 'RA', 'r' -> canonical letters in RACI order ('AR' -> 'RA'); '' if none."""
    got = {c for c in text.upper() if c.isalpha()}
    bad = got - set(RACI_LETTERS)
    if bad:
        raise ValueError("".join(sorted(bad)))
    return "".join(c for c in RACI_LETTERS if c in got)


@dataclass(frozen=True)
class Finding:
    """One thing a rule found: a RACI check, a communication alert, a pacing risk."""

    code: str  # R1..R13, CADENCE_MISSED, ...
    severity: str  # error, warn, info
    title: str  # short name of the rule
    subject: str  # what it is about, in words ("activity 'Bid writing'")
    message: str  # what is wrong
    fix: str  # what to do about it
    subject_id: str | None = None  # public id of the record it is about

    @property
    def id(self) -> str:
        return f"{self.code}:{self.subject_id or self.subject}"

    @property
    def name(self) -> str:
        return self.title


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], f.code, f.subject))


@dataclass(frozen=True)
class Party:
    key: int
    id: str  # the partner record's public id
    name: str  # the organization's name
    is_us: bool = False
    sponsor_key: int | None = None
    share_bp: int | None = None  # agreed share in basis points (10,000 = all)
    left_on: date | None = None


@dataclass(frozen=True)
class Contact:
    person_key: int
    person_id: str
    name: str
    party_key: int
    active: bool = True  # False: departed, archived, or no longer at the organization


@dataclass(frozen=True)
class RaciCell:
    party_key: int
    letters: str  # canonical: subset of "RACI" in that order
    person_key: int | None = None


@dataclass(frozen=True)
class Activity:
    key: int
    id: str
    name: str
    cells: tuple[RaciCell, ...] = ()
    joint: bool = True  # needs more than one party's input
    objective_key: int | None = None
    obligation_key: int | None = None
    check_in_days: int | None = None
    last_update_on: date | None = None
    done: bool = False


@dataclass(frozen=True)
class Verdict:
    party_key: int
    verdict: str  # confirmed, disputed
    at: datetime
    comment: str | None = None


def latest_verdicts(verdicts: Iterable[Verdict]) -> dict[int, Verdict]:
    """Each party's latest word: a later confirmation replaces a dispute."""
    out: dict[int, Verdict] = {}
    for v in sorted(verdicts, key=lambda v: v.at):
        out[v.party_key] = v
    return out


@dataclass(frozen=True)
class Goal:
    key: int
    id: str
    text: str
    party_key: int
    kpi: str | None = None  # folded key of the measure the goal moves
    direction: str = "increase"
    verdicts: tuple[Verdict, ...] = ()


@dataclass(frozen=True)
class Measurement:
    on: date
    value: Decimal


@dataclass(frozen=True)
class Objective:
    key: int
    id: str
    name: str
    metric: str | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    start_on: date | None = None
    deadline: date | None = None
    owner_party_key: int | None = None
    owner_person_key: int | None = None
    weight: int = 1
    goal_key: int | None = None
    kind: str = "ends"
    unit: str | None = None
    # ascending by date; the store may pass only the points the rules read (the latest
    # on or before `now`, and the latest on or before the deadline)
    measurements: tuple[Measurement, ...] = ()

    def latest(self, on_or_before: date) -> Measurement | None:
        found = None
        for m in self.measurements:
            if m.on <= on_or_before:
                found = m
            else:
                break
        return found

    @property
    def complete(self) -> bool:
        """Owner, metric, baseline, target and deadline all recorded."""
        return (
            self.owner_party_key is not None
            and bool(self.metric)
            and self.baseline is not None
            and self.target is not None
            and self.deadline is not None
        )


@dataclass(frozen=True)
class Obligation:
    key: int
    id: str
    text: str
    kind: str = "obligation"
    party_key: int | None = None
    due_on: date | None = None
    done: bool = False


@dataclass(frozen=True)
class Contribution:
    party_key: int
    kind: str  # cash, hours, asset, introduction
    stage: str  # committed, delivered
    amount: Decimal  # money (cash, asset), hours, or number of introductions
    on: date
    rate: Decimal | None = None  # money per hour or per introduction

    @property
    def value(self) -> Decimal:
        if self.kind in ("hours", "introduction"):
            return self.amount * (self.rate or Decimal(0))
        return self.amount


@dataclass(frozen=True)
class Meeting:
    key: int
    id: str
    at: datetime
    attendee_keys: frozenset[int] = frozenset()
    forum_key: int | None = None
    minutes_on: date | None = None


@dataclass(frozen=True)
class Forum:
    key: int
    id: str
    name: str
    cadence_days: int
    layer: str = "management"
    created_on: date | None = None
    meetings: tuple[Meeting, ...] = ()  # ascending by time


@dataclass(frozen=True)
class Touch:
    """An interaction between people of the alliance (meetings included)."""

    at: datetime
    participant_keys: frozenset[int]
    initiator_key: int | None = None
    channel: str = "meeting"


@dataclass(frozen=True)
class Decision:
    key: int
    id: str
    text: str
    party_key: int  # the party that recorded it
    recorded_at: datetime
    kind: str = "decision"
    outcome: str | None = None  # for reviews: continue, restructure, expand, exit
    verdicts: tuple[Verdict, ...] = ()


@dataclass(frozen=True)
class Action:
    key: int
    id: str
    what: str
    party_key: int
    owner_key: int
    due: date | None = None
    status: str = "open"  # open, done, broken, released
    created_at: datetime | None = None
    closed_at: datetime | None = None

    def status_on(self, now: datetime) -> str | None:
        """The status as it stood at `now`; None if the action did not exist yet."""
        if self.created_at is not None and self.created_at > now:
            return None
        if self.status != "open" and (self.closed_at is None or self.closed_at <= now):
            return self.status
        return "open"


@dataclass(frozen=True)
class Response:
    party_key: int
    on: date
    ratings: tuple[tuple[str, int], ...]  # (dimension, 1..5)

    def rating(self, dimension: str) -> int | None:
        return dict(self.ratings).get(dimension)


@dataclass(frozen=True)
class HealthCheck:
    key: int
    id: str
    opened_on: date
    min_group: int = 3
    responses: tuple[Response, ...] = ()


@dataclass(frozen=True)
class ExitItem:
    key: int
    id: str
    kind: str
    text: str
    done: bool = False


@dataclass(frozen=True)
class Settings:
    """Thresholds, with the defaults of docs/alliance-management.md."""

    cadence_missed_factor: float = 1.5
    cadence_adherence_min: float = 0.75
    cadence_window_days: int = 182
    silence_min_interactions: int = 4
    silence_factor: float = 2.0
    silence_floor_days: int = 14
    one_way_min_share: float = 0.25
    one_way_window_days: int = 90
    one_way_min_interactions: int = 4
    response_sla_hours: float = 48.0
    confirm_business_days: int = 5
    minutes_business_days: int = 2
    active_pair_score: float = 30.0
    quiet_floor_days: int = 30
    raci_drag_min: int = 3
    raci_overload_a: float = 0.40
    raci_overload_r: float = 0.60
    raci_overload_min_rows: int = 5
    raci_asymmetry_points: float = 30.0
    at_risk_ratio: float = 0.9
    min_group: int = 3
    perception_lambda: float = 0.5


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class AllianceFacts:
    key: int
    id: str
    name: str
    type: str | None
    stage: str
    parties: tuple[Party, ...]
    contacts: tuple[Contact, ...] = ()
    rationale: str | None = None
    purpose: str | None = None
    started_on: date | None = None
    planned_end_on: date | None = None
    notice_days: int | None = None
    decision_on: date | None = None
    documents: tuple[str, ...] = ()  # kinds of the documents on record
    goals: tuple[Goal, ...] = ()
    activities: tuple[Activity, ...] = ()
    objectives: tuple[Objective, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    forums: tuple[Forum, ...] = ()
    touches: tuple[Touch, ...] = ()  # ascending by time
    decisions: tuple[Decision, ...] = ()
    actions: tuple[Action, ...] = ()
    checks: tuple[HealthCheck, ...] = ()  # ascending by opening date
    exit_items: tuple[ExitItem, ...] = ()
    termination_code: str | None = None
    lessons: str | None = None
    sla_hours: float | None = None
    _party_of: dict[int, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        party_of = {c.person_key: c.party_key for c in self.contacts}
        for p in self.parties:
            if p.sponsor_key is not None:
                party_of.setdefault(p.sponsor_key, p.key)
        object.__setattr__(self, "_party_of", party_of)

    def party_of(self, person_key: int | None) -> int | None:
        if person_key is None:
            return None
        return self._party_of.get(person_key)

    def party(self, key: int | None) -> Party | None:
        return next((p for p in self.parties if p.key == key), None)

    def party_name(self, key: int | None) -> str:
        p = self.party(key)
        return p.name if p else "(no party)"

    def person_name(self, key: int | None) -> str:
        for c in self.contacts:
            if c.person_key == key:
                return c.name
        return "(someone)"

    @property
    def current_parties(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.left_on is None)

    @property
    def us(self) -> Party | None:
        return next((p for p in self.parties if p.is_us), None)
