"""The alliance records services return (typed results; JSON through `as_dict`).

Every record carries `id` (a public id) and `name`; `key` stays private. Money and
measured values are Decimal and print as exact text in JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from kithbook.domain.models import PersonRef, Record


@dataclass
class PartyRef(Record):
    """A partner of an alliance, named by its organization."""

    id: str
    name: str
    is_us: bool = False
    key: int = 0


@dataclass
class PartnerContact(Record):
    id: str  # the person's id
    name: str
    role: str | None = None
    departed_on: date | None = None
    active: bool = True
    key: int = 0


@dataclass
class Partner(Record):
    id: str
    name: str  # the organization's name
    org_id: str
    is_us: bool = False
    role: str | None = None
    sponsor: PersonRef | None = None
    share_bp: int | None = None
    joined_on: date | None = None
    left_on: date | None = None
    contacts: list[PartnerContact] = field(default_factory=list)
    key: int = 0

    @property
    def ref(self) -> PartyRef:
        return PartyRef(self.id, self.name, self.is_us, self.key)


@dataclass
class Document(Record):
    id: str
    name: str  # the title
    location: str
    kind: str = "other"
    added_on: date | None = None
    key: int = 0


@dataclass
class Alliance(Record):
    id: str
    name: str
    type: str | None = None
    type_label: str | None = None
    purpose: str | None = None
    rationale: str | None = None
    stage: str = "explore"
    currency: str = "EUR"
    started_on: date | None = None
    planned_end_on: date | None = None
    notice_days: int | None = None
    notice_by: date | None = None  # the last day to give notice before the planned end
    decision_on: date | None = None
    sla_hours: int | None = None
    termination_code: str | None = None
    termination_reason: str | None = None
    lessons: str | None = None
    archived: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    partners: list[Partner] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    key: int = 0

    def partner(self, key: int) -> Partner | None:
        return next((p for p in self.partners if p.key == key), None)


@dataclass
class Confirmation(Record):
    id: str  # "<subject id>:<party id>:<n>"
    name: str  # the verdict
    party: PartyRef
    verdict: str
    at: datetime
    person: PersonRef | None = None
    comment: str | None = None
    via: str = "manual"


@dataclass
class Goal(Record):
    id: str
    name: str  # the goal's text
    party: PartyRef
    kpi: str | None = None
    direction: str = "increase"
    status: str = "awaiting"  # confirmed, disputed, awaiting
    awaiting: list[str] = field(default_factory=list)  # parties yet to answer
    disputed_by: list[str] = field(default_factory=list)
    confirmations: list[Confirmation] = field(default_factory=list)
    created_at: datetime | None = None
    key: int = 0


@dataclass
class RaciEntry(Record):
    id: str  # "<party id>" or "<party id>/<person id>"
    name: str  # who holds it, in words
    party: PartyRef
    letters: str
    person: PersonRef | None = None


@dataclass
class Activity(Record):
    id: str
    name: str
    deliverable: str | None = None
    joint: bool = True
    objective_id: str | None = None
    obligation_id: str | None = None
    check_in_days: int | None = None
    last_update_on: date | None = None
    done_on: date | None = None
    raci: list[RaciEntry] = field(default_factory=list)
    key: int = 0


@dataclass
class Obligation(Record):
    id: str
    name: str  # the text
    kind: str = "obligation"
    party: PartyRef | None = None
    due_on: date | None = None
    done_on: date | None = None
    key: int = 0


@dataclass
class Measurement(Record):
    id: str  # "<objective id>@<date>"
    name: str  # the value as text
    on: date
    value: Decimal
    note: str | None = None


@dataclass
class Objective(Record):
    id: str
    name: str
    metric: str | None = None
    unit: str | None = None
    kind: str = "ends"
    baseline: Decimal | None = None
    target: Decimal | None = None
    start_on: date | None = None
    deadline: date | None = None
    owner: PartyRef | None = None
    owner_person: PersonRef | None = None
    weight: int = 1
    goal_id: str | None = None
    # pacing (docs/alliance-management.md, "Pacing")
    status: str = "incomplete"
    latest_value: Decimal | None = None
    latest_on: date | None = None
    progress: float | None = None
    expected: float | None = None
    linear_ratio: float | None = None
    linear_at_risk: bool = False
    projected: Decimal | None = None
    projected_progress: float | None = None
    to_date_at_risk: bool = False
    measurements: list[Measurement] = field(default_factory=list)
    key: int = 0


@dataclass
class Contribution(Record):
    id: str
    name: str  # the description, or the kind
    party: PartyRef
    kind: str
    stage: str
    amount: Decimal
    value: Decimal
    on_date: date
    rate: Decimal | None = None
    description: str | None = None
    key: int = 0


@dataclass
class LedgerLine(Record):
    id: str  # "<party id>:<kind>"
    name: str  # the kind
    committed_amount: Decimal
    delivered_amount: Decimal
    committed_value: Decimal
    delivered_value: Decimal


@dataclass
class PartyLedger(Record):
    """One party's column of the skin-in-the-game ledger."""

    id: str  # the partner's id
    name: str
    committed: Decimal
    delivered: Decimal
    outstanding: Decimal
    ratio: float | None
    lines: list[LedgerLine] = field(default_factory=list)


@dataclass
class Forum(Record):
    id: str
    name: str
    layer: str
    cadence_days: int
    created_on: date | None = None
    ended_on: date | None = None
    meetings: int = 0
    last_held: datetime | None = None
    next_due: date | None = None
    adherence: float | None = None
    key: int = 0


@dataclass
class Meeting(Record):
    id: str
    name: str  # the summary
    at: datetime
    interaction_id: str
    forum_id: str | None = None
    forum_name: str | None = None
    attendees: list[PersonRef] = field(default_factory=list)
    minutes: str | None = None
    minutes_on: date | None = None
    key: int = 0


@dataclass
class Decision(Record):
    id: str
    name: str  # the text
    kind: str
    party: PartyRef  # who recorded it
    created_at: datetime
    person: PersonRef | None = None
    outcome: str | None = None
    decided_on: date | None = None
    meeting_id: str | None = None
    status: str = "awaiting"  # confirmed, disputed, awaiting
    awaiting: list[str] = field(default_factory=list)
    disputed_by: list[str] = field(default_factory=list)
    confirmations: list[Confirmation] = field(default_factory=list)
    key: int = 0


@dataclass
class ActionItem(Record):
    id: str  # the promise's id: `kithbook done ID` closes it
    name: str  # what
    party: PartyRef
    owner: PersonRef
    owed_to: PersonRef
    status: str = "open"
    due: date | None = None
    decision_id: str | None = None
    overdue: bool = False
    key: int = 0


@dataclass
class ExitItem(Record):
    id: str
    name: str  # the text
    kind: str
    party: PartyRef | None = None
    done_on: date | None = None
    key: int = 0


@dataclass
class StageMove(Record):
    id: str  # "<alliance id>:<n>"
    name: str  # "launch -> manage"
    at: datetime
    from_stage: str
    to_stage: str
    forced: bool = False
    unmet: list[str] = field(default_factory=list)
    reason: str | None = None


@dataclass
class SideAnswers(Record):
    id: str  # the partner's id
    name: str
    responses: int
    shown: bool
    means: dict[str, float] = field(default_factory=dict)  # only when shown


@dataclass
class PerceptionGap(Record):
    id: str  # the dimension
    name: str  # its label
    spread: float  # highest side's mean minus lowest, raw points
    low_sides: list[str] = field(default_factory=list)  # rating it 2.5 or lower
    flagged: bool = False


@dataclass
class CheckSummary(Record):
    id: str
    name: str  # "health check <date>"
    opened_on: date
    closes_on: date | None
    min_group: int
    responses: int
    held_back: int = 0
    score: float | None = None
    sides: list[SideAnswers] = field(default_factory=list)
    gaps: list[PerceptionGap] = field(default_factory=list)
    key: int = 0


@dataclass
class AllianceSummary(Record):
    """One line of the portfolio."""

    id: str
    name: str
    type: str | None
    stage: str
    partners: list[str] = field(default_factory=list)
    started_on: date | None = None
    planned_end_on: date | None = None
    decision_on: date | None = None
    notice_by: date | None = None
    archived: bool = False
    key: int = 0


@dataclass
class AllianceDate(Record):
    """A dated item of a live alliance for the calendar feed: the renewal/exit
    decision, the last day to give notice, the planned end, an objective's deadline
    (a milestone), a forum's next meeting, an open obligation's due date."""

    id: str  # stable per item: "<alliance id>:decision", "<objective id>", ...
    name: str  # the alliance's name
    alliance_id: str
    kind: str  # decision, notice, end, objective, forum, obligation
    title: str  # what falls due
    on: date
