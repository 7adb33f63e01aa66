"""Agenda items from the craft of networking: briefs for today's meetings, event plans,
the referral thank-you loop, asking for referrals after a kept promise, thanking survey
respondents. Pure; the ranking and layout are domain/agenda.py's. Scores (higher first):

- meeting today (read the brief)        88 + tier / 10
- event today, per planned person       72 - plan rank (tomorrow: 52 - rank)
- thank a referrer                      50 + up to 10 for lateness
- report back to a referrer             45
- thank a survey respondent             35
- ask for a referral after a kept promise 30 + tier / 10
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kithbook.domain.agenda import TIER_WEIGHT, AgendaItem
from kithbook.domain.models import PersonRef
from kithbook.domain.referrals import KeptPromise, LoopStep
from kithbook.domain.research import PlanStep

KINDS = ("meeting", "event_plan", "thank_referrer", "report_back", "thank_respondent",
         "ask_referral")


def brief_command(person: PersonRef) -> str:
    return f"kithbook brief {person.id}"


@dataclass(frozen=True)
class MeetingFact:
    person: PersonRef
    subject_id: str  # the interaction or the event
    title: str
    day: date
    at: str | None = None  # local HH:MM
    tier: str | None = None
    stage: str | None = None


def meeting_item(m: MeetingFact, *, today: date) -> AgendaItem | None:
    if m.day != today:
        return None
    when = f" at {m.at}" if m.at else ""
    return AgendaItem(
        id=m.person.id, name=m.person.name, kind="meeting",
        score=round(88.0 + TIER_WEIGHT.get(m.tier, TIER_WEIGHT[None]) / 10, 3),
        why=f"Meeting today{when}: {m.title}.",
        action=f"Read the brief before you go: {brief_command(m.person)}",
        due=m.day, subject_id=m.subject_id, tier=m.tier, stage=m.stage, key=m.person.key,
    )


@dataclass(frozen=True)
class EventFact:
    id: str
    name: str
    day: date
    place: str | None
    start_time: str | None
    steps: tuple[PlanStep, ...]


def event_items(e: EventFact, *, today: date) -> list[AgendaItem]:
    days = (e.day - today).days
    if days not in (0, 1):
        return []
    when = "today" if days == 0 else "tomorrow"
    at = f" at {e.start_time}" if e.start_time else ""
    where = f", {e.place}" if e.place else ""
    out = []
    for s in e.steps:
        if s.met:
            continue
        via = f" through {s.via.name}" if s.via else ""
        opener = f"; opener: {s.opener}" if s.opener else ""
        out.append(AgendaItem(
            id=s.id, name=s.name, kind="event_plan",
            score=float((72 if days == 0 else 52) - min(s.rank, 20)),
            why=f"{e.name} {when}{at}{where}: meet them (#{s.rank} in your plan){via}{opener}.",
            action=f"Read the brief: kithbook brief {s.id}",
            due=e.day, subject_id=e.id,
        ))
    return out


def loop_item(step: LoopStep, *, today: date) -> AgendaItem:
    r = step.referral
    if step.kind == "thank":
        return AgendaItem(
            id=r.referrer.id, name=r.referrer.name, kind="thank_referrer",
            score=50.0 + min(step.days_late, 10),
            why=f"{r.referrer.name} referred {r.referred.name} to you on "
                f"{r.occurred_on.isoformat()}; no thanks recorded yet.",
            action=f"Thank them, then record it: kithbook referral thank {r.id}",
            due=step.due, days_late=step.days_late, subject_id=r.id,
        )
    return AgendaItem(
        id=r.referrer.id, name=r.referrer.name, kind="report_back", score=45.0,
        why=f"Your referral of {r.referred.name} from {r.referrer.name} is now {r.status}.",
        action=f"Tell them what came of it, then: kithbook referral reported {r.id}",
        due=today, subject_id=r.id,
    )


def ask_item(k: KeptPromise, *, tier: str | None) -> AgendaItem:
    return AgendaItem(
        id=k.person.id, name=k.person.name, kind="ask_referral",
        score=round(30.0 + TIER_WEIGHT.get(tier, TIER_WEIGHT[None]) / 10, 3),
        why=f"You kept your promise '{k.what}' on {k.kept_on.isoformat()}: a good moment to "
            "ask for a referral.",
        action=f"Ask who else could use your help; then: kithbook referral asked {k.person.id}",
        due=k.kept_on, subject_id=k.promise_id, tier=tier, stage=k.stage,
    )


@dataclass(frozen=True)
class RespondentFact:
    person: PersonRef
    survey_id: str
    question: str
    answered_at: datetime


def thank_respondent_item(r: RespondentFact) -> AgendaItem:
    return AgendaItem(
        id=r.person.id, name=r.person.name, kind="thank_respondent", score=35.0,
        why=f"They answered your survey '{r.question}' on {r.answered_at.date().isoformat()}.",
        action=f"Thank them (and share what the crowd said); then: kithbook survey thank "
               f"{r.survey_id} {r.person.id}",
        due=r.answered_at.date(), subject_id=r.survey_id,
    )
