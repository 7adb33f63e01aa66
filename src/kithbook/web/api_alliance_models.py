"""Request bodies of the alliance API (pydantic at the HTTP edge: lengths, strict
fields). Money and measured values travel as strings ("1200.50") and become Decimal
in the services; a JSON number is accepted too, never read through a float."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from kithbook.web.api_models import Strict

Name = Field(min_length=1, max_length=300)
Short = Field(default=None, max_length=300)
Long = Field(default=None, max_length=20_000)
Amount = str | Decimal


class AllianceIn(Strict):
    name: str = Name
    type: str | None = Field(default=None, max_length=40)
    purpose: str | None = Long
    rationale: str | None = Long
    us: str | None = Short
    partners: list[str] = Field(default_factory=list, max_length=8)
    started_on: date | None = None
    planned_end_on: date | None = None
    notice_days: int | None = Field(default=None, ge=0, le=3650)
    decision_on: date | None = None
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    sla_hours: int | None = Field(default=None, ge=1, le=8760)


class AlliancePatch(Strict):
    name: str | None = Short
    type: str | None = Field(default=None, max_length=40)
    purpose: str | None = Long
    rationale: str | None = Long
    started_on: date | None = None
    planned_end_on: date | None = None
    notice_days: int | None = Field(default=None, ge=0, le=3650)
    decision_on: date | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    sla_hours: int | None = Field(default=None, ge=1, le=8760)
    termination_code: str | None = Field(default=None, max_length=20)
    termination_reason: str | None = Long
    lessons: str | None = Long


class PartnerIn(Strict):
    org: str = Name
    sponsor: str | None = Short
    contacts: list[str] = Field(default_factory=list, max_length=50)
    role: str | None = Field(default=None, max_length=40)
    share_bp: int | None = Field(default=None, ge=0, le=10_000)
    us: bool = False


class PartnerPatch(Strict):
    sponsor: str | None = Short
    role: str | None = Field(default=None, max_length=40)
    share_bp: int | None = Field(default=None, ge=0, le=10_000)
    left_on: date | None = None


class ContactIn(Strict):
    person: str = Name
    role: str | None = Field(default=None, max_length=100)


class DepartureIn(Strict):
    person: str = Name
    on: date | None = None


class DocumentIn(Strict):
    title: str = Name
    location: str = Field(min_length=1, max_length=2000)
    kind: str | None = Field(default=None, max_length=20)


class StageIn(Strict):
    to: str = Field(min_length=1, max_length=20, description="next, or a stage name")
    force: bool = False
    reason: str | None = Field(default=None, max_length=2000)


class GoalIn(Strict):
    partner: str = Name
    text: str = Field(min_length=1, max_length=2000)
    kpi: str | None = Field(default=None, max_length=200)
    direction: str | None = Field(default=None, max_length=10)


class ConfirmIn(Strict):
    item: str = Field(min_length=1, max_length=40, description="A goal or decision id")
    partner: str = Name
    verdict: str = Field(pattern="^(confirmed|disputed)$")
    comment: str | None = Field(default=None, max_length=4000)
    person: str | None = Short


class RaciCellIn(Strict):
    partner: str = Name
    letters: str = Field(max_length=8, description="Any of R, A, C, I; empty clears")
    person: str | None = Short


class ActivityIn(Strict):
    name: str = Name
    deliverable: str | None = Field(default=None, max_length=2000)
    joint: bool = True
    objective: str | None = Field(default=None, max_length=40)
    obligation: str | None = Field(default=None, max_length=40)
    check_in_days: int | None = Field(default=None, ge=1, le=3650)
    raci: list[RaciCellIn] = Field(default_factory=list, max_length=50)


class RaciIn(Strict):
    cells: list[RaciCellIn] = Field(min_length=1, max_length=50)


class ActivityPatch(Strict):
    done: bool | None = None
    deliverable: str | None = Field(default=None, max_length=2000)


class ObligationIn(Strict):
    text: str = Field(min_length=1, max_length=2000)
    partner: str | None = Short
    kind: str | None = Field(default=None, max_length=20)
    due_on: date | None = None


class DoneIn(Strict):
    on: date | None = None


class ForumIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    cadence: str = Field(min_length=1, max_length=20, description="weekly, monthly, 14d...")
    layer: str | None = Field(default=None, max_length=20)


class MeetingIn(Strict):
    with_people: list[str] = Field(min_length=1, max_length=50)
    forum: str | None = Field(default=None, max_length=40)
    when: datetime | None = None
    summary: str | None = Field(default=None, max_length=2000)
    minutes: str | None = Field(default=None, max_length=100_000)
    minutes_count: int | None = Field(default=None, ge=0, le=1440)
    me_attended: bool = True
    decisions: list[str] = Field(default_factory=list, max_length=50)


class MinutesIn(Strict):
    minutes: str = Field(min_length=1, max_length=100_000)


class DecisionIn(Strict):
    text: str = Field(min_length=1, max_length=4000)
    kind: str | None = Field(default=None, max_length=20)
    partner: str = Field(default="us", min_length=1, max_length=300)
    person: str | None = Short
    outcome: str | None = Field(default=None, max_length=20)
    meeting: str | None = Field(default=None, max_length=40)
    decided_on: date | None = None


class ActionIn(Strict):
    what: str = Field(min_length=1, max_length=2000)
    owner: str = Name
    due: date | None = None
    to: str | None = Short
    decision: str | None = Field(default=None, max_length=40)


class ObjectiveIn(Strict):
    name: str = Name
    metric: str | None = Field(default=None, max_length=200)
    unit: str | None = Field(default=None, max_length=40)
    kind: str | None = Field(default=None, max_length=10)
    baseline: Amount | None = None
    target: Amount | None = None
    start_on: date | None = None
    deadline: date | None = None
    owner: str | None = Short
    owner_person: str | None = Short
    weight: int = Field(default=1, ge=1, le=100)
    goal: str | None = Field(default=None, max_length=40)


class MeasurementIn(Strict):
    value: Amount
    on: date | None = None
    note: str | None = Field(default=None, max_length=2000)


class ContributionIn(Strict):
    partner: str = Name
    kind: str = Field(min_length=1, max_length=20)
    amount: Amount
    stage: str | None = Field(default=None, max_length=12)
    rate: Amount | None = None
    on: date | None = None
    description: str | None = Field(default=None, max_length=2000)


class CheckIn(Strict):
    min_group: int = Field(default=3, ge=1, le=50)
    closes_on: date | None = None


class AnswerIn(Strict):
    partner: str = Name
    ratings: dict[str, int] = Field(min_length=1, max_length=7)
    comment: str | None = Field(default=None, max_length=4000)


class ExitItemIn(Strict):
    kind: str = Field(min_length=1, max_length=20)
    text: str = Field(min_length=1, max_length=2000)
    partner: str | None = Short


class LinkIn(Strict):
    item: str = Field(min_length=1, max_length=40, description="A goal, decision or check id")
    to: str = Name
    days: int = Field(default=14, ge=1, le=180)
