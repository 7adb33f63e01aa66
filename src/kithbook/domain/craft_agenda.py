"""Agenda items from the craft of networking: briefs for today's meetings, event plans,
the referral thank-you loop, asking for referrals after a kept promise, thanking survey
respondents, claims to verify, surveys to send or to close. Pure; the ranking and layout
are domain/agenda.py's. Scores (higher first):

- meeting today (read the brief)        88 + tier / 10
- event today, per planned person       72 - plan rank (tomorrow: 52 - rank)
- a claim to verify before a meeting    58 + tier / 10
- thank a referrer                      50 + up to 10 for lateness
- report back to a referrer             45
- a survey to send                      40
- thank a survey respondent             35
- a survey to close                     32
- ask for a referral after a kept promise 30 + tier / 10
- a claim to verify, unchecked 14 days  25 + a point a week past that, up to 5

Survey items are about a survey, not a person: their `id` and `name` are the survey's
id and question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kithbook.domain.agenda import TIER_WEIGHT, AgendaItem
from kithbook.domain.models import PersonRef
from kithbook.domain.referrals import KeptPromise, LoopStep
from kithbook.domain.research import PlanStep

KINDS = ("meeting", "event_plan", "verify_claim", "thank_referrer", "report_back",
         "send_survey", "thank_respondent", "close_survey", "ask_referral")
CLAIM_STALE_DAYS = 14  # an unknown claim this old is due for a check
MEETING_AHEAD_DAYS = 1  # a claim is due before a meeting today or tomorrow
SURVEY_QUIET_DAYS = 14  # no answer, no link sent for this long: the answers are in


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
        action="Read their brief before you go.",
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
            action="Read their brief.",
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
            action="Thank them, then record the thanks.",
            due=step.due, days_late=step.days_late, subject_id=r.id,
        )
    return AgendaItem(
        id=r.referrer.id, name=r.referrer.name, kind="report_back", score=45.0,
        why=f"Your referral of {r.referred.name} from {r.referrer.name} is now {r.status}.",
        action="Tell them what came of it, then record that you did.",
        due=today, subject_id=r.id,
    )


def ask_item(k: KeptPromise, *, tier: str | None) -> AgendaItem:
    return AgendaItem(
        id=k.person.id, name=k.person.name, kind="ask_referral",
        score=round(30.0 + TIER_WEIGHT.get(tier, TIER_WEIGHT[None]) / 10, 3),
        why=f"You kept your promise '{k.what}' on {k.kept_on.isoformat()}: a good moment to "
            "ask for a referral.",
        action="Ask who else could use your help, then record that you asked.",
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
        action="Thank them (and share what the crowd said), then record the thanks.",
        due=r.answered_at.date(), subject_id=r.survey_id,
    )


@dataclass(frozen=True)
class ClaimFact:
    """A claim someone made, and the next day I meet them (a meeting or an event on
    the calendar from today on), if any."""

    id: str
    text: str
    person: PersonRef
    said_on: date
    status: str = "unknown"
    meeting_on: date | None = None
    meeting: str | None = None  # what the meeting is
    tier: str | None = None
    stage: str | None = None


def _quote(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def claim_item(c: ClaimFact, *, today: date) -> AgendaItem | None:
    """An unknown claim to verify: before a meeting with them today or tomorrow, or
    once it is CLAIM_STALE_DAYS old. Checked claims and claims dated ahead are not."""
    if c.status != "unknown" or c.said_on > today:
        return None
    action = "Check it, then record whether it held and where you checked."
    ahead = None if c.meeting_on is None else (c.meeting_on - today).days
    if ahead is not None and 0 <= ahead <= MEETING_AHEAD_DAYS:
        when = "today" if ahead == 0 else "tomorrow"
        what = f" ({c.meeting})" if c.meeting else ""
        return AgendaItem(
            id=c.person.id, name=c.person.name, kind="verify_claim",
            score=round(58.0 + TIER_WEIGHT.get(c.tier, TIER_WEIGHT[None]) / 10, 3),
            why=f"You meet them {when}{what}; they said \"{_quote(c.text)}\" on "
                f"{c.said_on.isoformat()} and it is not verified yet.",
            action=action, due=c.meeting_on, subject_id=c.id, tier=c.tier, stage=c.stage,
            key=c.person.key)
    age = (today - c.said_on).days
    if age < CLAIM_STALE_DAYS:
        return None
    late = age - CLAIM_STALE_DAYS
    return AgendaItem(
        id=c.person.id, name=c.person.name, kind="verify_claim",
        score=25.0 + min(late // 7, 5),
        why=f"They said \"{_quote(c.text)}\" on {c.said_on.isoformat()}, {age} days ago; "
            "did it hold?",
        action=action, due=date.fromordinal(c.said_on.toordinal() + CLAIM_STALE_DAYS),
        days_late=late, subject_id=c.id, tier=c.tier, stage=c.stage, key=c.person.key)


@dataclass(frozen=True)
class SurveyFact:
    """An open survey: how many people it asks, how many answered, how many of those
    not answered have had no private link yet, and its last sign of life (created,
    an answer, a link sent)."""

    id: str
    question: str
    asked: int
    answered: int
    unsent: int
    created_on: date
    last_activity_on: date
    closed: bool = False


def survey_items(s: SurveyFact, *, today: date) -> list[AgendaItem]:
    """A survey to send (people in it neither answered nor sent a link), and a survey
    to close (everyone answered, or some did and nothing moved for SURVEY_QUIET_DAYS
    with nobody left to send to). Closed surveys have none."""
    if s.closed or s.asked == 0:
        return []
    out = []
    if s.unsent > 0:
        out.append(AgendaItem(
            id=s.id, name=s.question, kind="send_survey", score=40.0,
            why=f"{s.unsent} of the {s.asked} people asked have no link and no answer yet"
                f" (survey of {s.created_on.isoformat()}).",
            action="Send them the question.", due=s.created_on, subject_id=s.id))
    quiet = (today - s.last_activity_on).days
    if s.answered == s.asked or (s.answered > 0 and s.unsent == 0
                                 and quiet >= SURVEY_QUIET_DAYS):
        why = (f"All {s.asked} answered." if s.answered == s.asked else
               f"{s.answered} of {s.asked} answered; nothing new for {quiet} days.")
        out.append(AgendaItem(
            id=s.id, name=s.question, kind="close_survey", score=32.0,
            why=why + " Read what the crowd said and close it.",
            action="Read the answers, then close the survey.",
            due=s.last_activity_on, subject_id=s.id))
    return out
