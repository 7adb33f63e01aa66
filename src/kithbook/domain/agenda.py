"""The daily agenda: one ranked queue of "next best relationship actions".

Pure rules over facts the store hands in; `today` / `now` are passed, never read. Each
item says why it is there and what to do. Anything that cannot be computed for a
person becomes a `problem` item instead of silently vanishing.

Ranking (higher score first):

- problems                       100
- promises I owe, overdue         80 + up to 15 for lateness
- promises I owe, due today       80 (above any follow-up or keep-in-touch item)
- follow-ups after meetings       60 + tier
- promises I owe, due soon        55 - days until due
- birthdays                       58 on the day, 30 - days ahead (domain/triage.py)
- anniversaries                   56 on the day, 28 - days ahead (domain/triage.py)
- nudges (owed to me, overdue)    40 + up to 9 for lateness
- undated promises I owe          25
- keep in touch                   tier + stage + 10 per cadence overdue (capped at 3)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kithbook.domain.cadence import (
    KIND_CADENCE_DAYS,
    Cadence,
    CadenceStatus,
    add_working_days,
    cadence_status,
    describe_days,
    effective_cadence,
)
from kithbook.domain.models import PersonRef, Promise, Record
from kithbook.domain.text import count
from kithbook.domain.triage import Triage

TIER_WEIGHT: dict[str | None, float] = {"A": 30.0, "B": 20.0, "C": 10.0, None: 5.0}
STAGE_WEIGHT: dict[str | None, float] = {
    "advocate": 6.0,
    "mutual_help": 5.0,
    "rapport": 4.0,
    "met": 3.0,
    "target": 2.0,
    "dormant": 0.0,
    None: 1.0,
}
LATENESS_WEIGHT = 10.0
LATENESS_CAP = 3.0
DUE_SOON_DAYS = 3
UNDATED_AFTER_DAYS = 14
FOLLOW_UP_WORKING_DAYS = 2
FOLLOW_UP_WINDOW_DAYS = 60

KINDS = (
    "problem",
    "promise_overdue",
    "follow_up",
    "promise_due",
    "nudge",
    "promise_undated",
    "keep_in_touch",
    # the craft of networking (domain/craft_agenda.py)
    "meeting",
    "event_plan",
    "verify_claim",
    "thank_referrer",
    "report_back",
    "send_survey",
    "thank_respondent",
    "close_survey",
    "ask_referral",
    "birthday",  # domain/triage.py
    "anniversary",  # domain/triage.py
)

STAGE_ACTION = {
    "target": "Make first contact: ask for an introduction or send a short note.",
    "met": "Build rapport: send something useful to them, ask how their work is going.",
    "rapport": "Check in: share news, ask what they need right now.",
    "mutual_help": "Offer help with a current need, or ask for the help you need.",
    "advocate": "Thank them and keep them posted; ask who else you should meet.",
    "dormant": "Revive the tie: mention what you last talked about and ask for news.",
}


@dataclass
class AgendaItem(Record):
    """One action. `id` / `name` are the person's (for a survey to send or to close,
    the survey's id and question); `subject_id` is the promise, interaction, claim,
    survey or referral the action is about, if any."""

    id: str
    name: str
    kind: str
    score: float
    why: str
    action: str
    due: date | None = None
    days_late: int = 0
    subject_id: str | None = None
    tier: str | None = None
    stage: str | None = None
    key: int = 0

    def sort_key(self) -> tuple[float, int, str, str, str]:
        return (
            -self.score,
            KINDS.index(self.kind),
            self.name.casefold(),
            self.id,
            self.subject_id or "",
        )


@dataclass(frozen=True)
class PersonFacts:
    """What the agenda needs to know about one person."""

    key: int
    id: str
    name: str
    created_at: datetime
    tier: str | None = None
    stage: str | None = None
    cadence_days: int | None = None
    snoozed_until: date | None = None
    last_touch_at: datetime | None = None  # the verified latest touch at or before now
    kinds: tuple[str, ...] = ()  # relationship kinds between me and them

    @property
    def ref(self) -> PersonRef:
        return PersonRef(id=self.id, name=self.name, key=self.key)

    def snoozed(self, today: date) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > today


@dataclass(frozen=True)
class FollowUpFact:
    interaction_id: str
    occurred_at: datetime
    person: PersonFacts
    agreed: tuple[str, ...] = ()
    next_step: str | None = None
    summary: str | None = None


@dataclass
class Agenda(Record):
    as_of: date
    items: list[AgendaItem] = field(default_factory=list)
    problems: int = 0
    truncated: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # items shown, by kind
    triage: Triage | None = None  # day one: people never touched or never ranked


def _problem(person: PersonFacts | PersonRef, what: str, exc: Exception) -> AgendaItem:
    return AgendaItem(
        id=person.id,
        name=person.name,
        kind="problem",
        score=100.0,
        why=f"Could not compute {what}: {exc}",
        action="Fix this person's record, then look at the agenda again.",
        key=person.key,
    )


def guarded(
    person: PersonFacts | PersonRef, what: str, build: Callable[[], AgendaItem | None]
) -> AgendaItem | None:
    """Run one rule for one person; a failure becomes a problem item, never silence."""
    try:
        return build()
    except Exception as exc:  # noqa: BLE001 - any failure must surface in the agenda
        return _problem(person, what, exc)


# -- keep in touch --------------------------------------------------------------------


def keep_in_touch_score(tier: str | None, stage: str | None, lateness: float) -> float:
    return (
        TIER_WEIGHT.get(tier, TIER_WEIGHT[None])
        + STAGE_WEIGHT.get(stage, STAGE_WEIGHT[None])
        + LATENESS_WEIGHT * min(lateness, LATENESS_CAP)
    )


def person_cadence(
    p: PersonFacts,
    tier_days: Mapping[str, int],
    kind_days: Mapping[str, int] = KIND_CADENCE_DAYS,
) -> Cadence | None:
    return effective_cadence(
        cadence_days=p.cadence_days,
        tier=p.tier,
        kinds=p.kinds,
        tier_days=tier_days,
        kind_days=kind_days,
    )


def person_status(
    p: PersonFacts,
    *,
    today: date,
    tier_days: Mapping[str, int],
    kind_days: Mapping[str, int] = KIND_CADENCE_DAYS,
) -> CadenceStatus | None:
    cadence = person_cadence(p, tier_days, kind_days)
    if cadence is None:
        return None
    return cadence_status(
        cadence,
        last_touch_at=p.last_touch_at,
        created_at=p.created_at,
        snoozed_until=p.snoozed_until,
        today=today,
    )


def keep_in_touch_item(
    p: PersonFacts,
    *,
    today: date,
    tier_days: Mapping[str, int],
    kind_days: Mapping[str, int] = KIND_CADENCE_DAYS,
) -> AgendaItem | None:
    status = person_status(p, today=today, tier_days=tier_days, kind_days=kind_days)
    if status is None or not status.is_due:
        return None
    every = describe_days(status.cadence.days)
    if status.touched:
        since = f"last touch {status.base.date().isoformat()}"
    else:
        since = f"never touched since added {status.base.date().isoformat()}"
    late = ("due today" if status.days_overdue == 0
            else f"{count(status.days_overdue, 'day')} overdue")
    why = f"Keep in touch {every} ({status.cadence.source}); {since}; {late}."
    action = STAGE_ACTION.get(p.stage or "", "Get in touch: a short note, call or coffee.")
    return AgendaItem(
        id=p.id,
        name=p.name,
        kind="keep_in_touch",
        score=round(keep_in_touch_score(p.tier, p.stage, status.lateness), 3),
        why=why,
        action=action,
        due=status.due_on,
        days_late=status.days_overdue,
        tier=p.tier,
        stage=p.stage,
        key=p.key,
    )


# -- promises -----------------------------------------------------------------------------


def promise_item(
    pr: Promise, *, me_key: int, today: date, other: PersonFacts | None = None
) -> AgendaItem | None:
    """An open promise I owe (or one owed to me that is overdue) as an agenda item."""
    if pr.status != "open":
        return None
    mine = pr.owed_by.key == me_key
    counterpart = pr.owed_to if mine else pr.owed_by
    if not mine and pr.owed_to.key != me_key:
        return None
    if not mine and other is not None and other.snoozed(today):
        return None
    tier = other.tier if other else None
    stage = other.stage if other else None
    if pr.due is None:
        created = pr.created_at.date() if pr.created_at else today
        if not mine or (today - created).days < UNDATED_AFTER_DAYS:
            return None
        return AgendaItem(
            id=counterpart.id,
            name=counterpart.name,
            kind="promise_undated",
            score=25.0,
            why=f"You promised '{pr.what}' on {created.isoformat()} with no due date.",
            action="Do it, give it a due date, or release it.",
            subject_id=pr.id,
            tier=tier,
            stage=stage,
            key=counterpart.key,
        )
    days_late = (today - pr.due).days
    if mine and days_late > 0:
        return AgendaItem(
            id=counterpart.id,
            name=counterpart.name,
            kind="promise_overdue",
            score=80.0 + min(days_late, 30) / 2,
            why=f"You promised '{pr.what}', due {pr.due.isoformat()}: "
            f"{count(days_late, 'day')} late.",
            action="Deliver it today, or tell them when it will come (and re-date it).",
            due=pr.due,
            days_late=days_late,
            subject_id=pr.id,
            tier=tier,
            stage=stage,
            key=counterpart.key,
        )
    if mine and -days_late <= DUE_SOON_DAYS:
        when = "today" if days_late == 0 else f"in {count(-days_late, 'day')}"
        return AgendaItem(
            id=counterpart.id,
            name=counterpart.name,
            kind="promise_due",
            score=80.0 if days_late == 0 else 55.0 + days_late,
            why=f"You promised '{pr.what}', due {when} ({pr.due.isoformat()}).",
            action="Deliver it, then mark it done.",
            due=pr.due,
            days_late=days_late,
            subject_id=pr.id,
            tier=tier,
            stage=stage,
            key=counterpart.key,
        )
    if not mine and days_late > 0:
        return AgendaItem(
            id=counterpart.id,
            name=counterpart.name,
            kind="nudge",
            score=round(40.0 + min(days_late, 30) * 0.3, 3),
            why=f"They promised you '{pr.what}', due {pr.due.isoformat()}: "
            f"{count(days_late, 'day')} late.",
            action="Send a friendly nudge; offer help if something is in the way.",
            due=pr.due,
            days_late=days_late,
            subject_id=pr.id,
            tier=tier,
            stage=stage,
            key=counterpart.key,
        )
    return None


# -- follow-ups after meetings ------------------------------------------------------------


def follow_up_due_on(occurred_at: datetime) -> date:
    """The day after the grace period: two working days after the meeting."""
    return add_working_days(occurred_at.date(), FOLLOW_UP_WORKING_DAYS) + timedelta(days=1)


def follow_up_item(f: FollowUpFact, *, today: date) -> AgendaItem | None:
    """A meeting that agreed something or set a next step, with no later touch."""
    if not f.agreed and not (f.next_step or "").strip():
        return None
    p = f.person
    if p.snoozed(today):
        return None
    if p.last_touch_at is not None and p.last_touch_at > f.occurred_at:
        return None
    due = follow_up_due_on(f.occurred_at)
    if today < due:
        return None
    days_late = (today - due).days
    met = f.occurred_at.date().isoformat()
    parts = []
    if f.agreed:
        parts.append("agreed: " + "; ".join(f.agreed))
    if f.next_step:
        parts.append(f"next step: {f.next_step}")
    what = f"; {' / '.join(parts)}" if parts else ""
    return AgendaItem(
        id=p.id,
        name=p.name,
        kind="follow_up",
        score=round(60.0 + TIER_WEIGHT.get(p.tier, TIER_WEIGHT[None]) / 3, 3),
        why=f"Met {met} ({f.summary or 'interaction'}){what}; no touch since.",
        action="Follow up: recap what was agreed and take the next step.",
        due=due,
        days_late=days_late,
        subject_id=f.interaction_id,
        tier=p.tier,
        stage=p.stage,
        key=p.key,
    )


# -- the queue ------------------------------------------------------------------------------


def rank(items: Iterable[AgendaItem | None], *, limit: int | None = None) -> list[AgendaItem]:
    """Most important first; one keep-in-touch item per person at most."""
    out = sorted((i for i in items if i is not None), key=AgendaItem.sort_key)
    seen: set[tuple[str, str, str]] = set()
    unique: list[AgendaItem] = []
    for item in out:
        k = (item.kind, item.id, item.subject_id or "")
        if k in seen:
            continue
        seen.add(k)
        unique.append(item)
    return unique if limit is None else unique[:limit]


# -- day one: never contacted, birthdays (domain/triage.py) --------------------------------


def first_contact_item(p: PersonFacts, *, today: date) -> AgendaItem | None:
    """A ranked person with no touch on record is due now, not a cadence after they
    were added: nothing is known about the relationship yet."""
    if p.last_touch_at is not None or p.snoozed(today) or p.tier is None:
        return None
    return AgendaItem(
        id=p.id,
        name=p.name,
        kind="keep_in_touch",
        score=round(keep_in_touch_score(p.tier, p.stage, 1.0), 3),
        why=f"Tier {p.tier}, never contacted since added {p.created_at.date().isoformat()}: "
        "due now.",
        action=STAGE_ACTION.get(p.stage or "", "Make first contact: a short personal note."),
        due=today,
        tier=p.tier,
        stage=p.stage,
        key=p.key,
    )


# On the day, then counting down: (score on the day, score a day ahead, the action)
_OCCASION = {
    "birthday": (58.0, 29.0, "Send a short personal note on the day."),
    "anniversary": (56.0, 27.0, "Congratulate them on the day."),
}


def occasion_item(kind: str, person_id: str, name: str, key: int, day: date, why: str, *,
                  today: date) -> AgendaItem:
    """A birthday or an anniversary on the agenda (domain/triage.py finds them)."""
    on_day, ahead, action = _OCCASION[kind]
    days = (day - today).days
    return AgendaItem(
        id=person_id,
        name=name,
        kind=kind,
        score=on_day if days == 0 else round(ahead + 1 - days, 3),
        why=why,
        action=action,
        due=day,
        key=key,
    )


def birthday_item(person_id: str, name: str, key: int, day: date, why: str, *,
                  today: date) -> AgendaItem:
    return occasion_item("birthday", person_id, name, key, day, why, today=today)


def anniversary_item(person_id: str, name: str, key: int, day: date, why: str, *,
                     today: date) -> AgendaItem:
    return occasion_item("anniversary", person_id, name, key, day, why, today=today)
