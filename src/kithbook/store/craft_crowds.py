"""Queries for the wisdom of crowds and for referrals (docs/networking-craft.md):
surveys and their asks, idea tests, referrals and asks for referrals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from kithbook.domain.craft_records import IdeaFeedback, Referral, Survey, SurveyAnswer
from kithbook.domain.ideas import Feedback
from kithbook.domain.referrals import ReferralFact
from kithbook.store import schema_craft as c
from kithbook.store.people import refs_by_keys
from kithbook.store.rows import utc
from kithbook.store.schema_alliances import response_links as links

# -- surveys ------------------------------------------------------------------------------


def surveys(conn: Connection, keys: Sequence[int] | None = None) -> list[Survey]:
    t, a = c.surveys, c.survey_asks
    q = select(t).where(t.c.deleted_at.is_(None))
    if keys is not None:
        q = q.where(t.c.id.in_(list(keys)))
    rows = conn.execute(q.order_by(t.c.created_at.desc(), t.c.id.desc())).all()
    if not rows:
        return []
    counts = {r.survey_id: (r.asked, r.answered) for r in conn.execute(
        select(a.c.survey_id, func.count().label("asked"),
               func.count(a.c.answered_at).label("answered"))
        .where(a.c.survey_id.in_([r.id for r in rows])).group_by(a.c.survey_id))}
    return [Survey(id=r.public_id, name=r.question, kind=r.kind, choices=list(r.choices or []),
                   segment=r.segment, asked=counts.get(r.id, (0, 0))[0],
                   answered=counts.get(r.id, (0, 0))[1], created_at=utc(r.created_at),
                   closed=r.closed_at is not None, key=r.id) for r in rows]


def asks(conn: Connection, survey: int) -> list[Any]:
    a = c.survey_asks
    return list(conn.execute(select(a).where(a.c.survey_id == survey).order_by(a.c.id)).all())


def ask_row(conn: Connection, survey: int, person: int) -> Any:
    a = c.survey_asks
    return conn.execute(select(a).where(a.c.survey_id == survey, a.c.person_id == person)
                        .order_by(a.c.id)).first()


def answers(conn: Connection, rows: Sequence[Any]) -> list[SurveyAnswer]:
    refs = refs_by_keys(conn, [r.person_id for r in rows])
    return [SurveyAnswer(id=refs[r.person_id].id, name=refs[r.person_id].name,
                         answer=r.answer, value=r.value, answered_at=utc(r.answered_at),
                         via=r.answered_via, thanked=r.thanked_at is not None)
            for r in rows if r.answered_at is not None]


def open_surveys_of(conn: Connection, person: int) -> list[tuple[str, str]]:
    """(survey id, question) of open surveys put to the person and not yet answered."""
    t, a = c.surveys, c.survey_asks
    rows = conn.execute(
        select(t.c.public_id, t.c.question).join(a, a.c.survey_id == t.c.id)
        .where(a.c.person_id == person, a.c.answered_at.is_(None), t.c.closed_at.is_(None),
               t.c.deleted_at.is_(None)).order_by(t.c.created_at.desc())).all()
    return [(r.public_id, r.question) for r in rows]


def respondents_to_thank(conn: Connection) -> list[Any]:
    t, a = c.surveys, c.survey_asks
    return list(conn.execute(
        select(a.c.person_id, a.c.answered_at, t.c.public_id, t.c.question)
        .join(t, t.c.id == a.c.survey_id)
        .where(a.c.answered_at.is_not(None), a.c.thanked_at.is_(None),
               t.c.deleted_at.is_(None)).order_by(a.c.answered_at).limit(200)).all())


def unsent_people(conn: Connection, survey: int) -> list[int]:
    """People asked in a survey who have neither answered nor been sent a link."""
    a = c.survey_asks
    sent = (select(links.c.id).where(links.c.subject_kind == "survey",
                                     links.c.subject_id == a.c.survey_id,
                                     links.c.person_id == a.c.person_id).exists())
    return [k for (k,) in conn.execute(
        select(a.c.person_id).where(a.c.survey_id == survey, a.c.answered_at.is_(None), ~sent)
        .order_by(a.c.id))]


# -- ideas --------------------------------------------------------------------------------


def live_idea_keys(conn: Connection) -> list[int]:
    """Every idea test not in the trash, newest first."""
    return [r.id for r in conn.execute(
        select(c.ideas.c.id).where(c.ideas.c.deleted_at.is_(None))
        .order_by(c.ideas.c.created_at.desc()))]


def idea_row(conn: Connection, key: int) -> Any:
    return conn.execute(select(c.ideas).where(c.ideas.c.id == key)).one()


def idea_feedback(conn: Connection, idea: int) -> tuple[list[IdeaFeedback], list[Feedback]]:
    f = c.idea_feedback
    rows = conn.execute(select(f).where(f.c.idea_id == idea).order_by(f.c.id)).all()
    latest: dict[int, Any] = {}
    for r in rows:  # one voice per panelist: the latest
        latest[r.person_id] = r
    refs = refs_by_keys(conn, list(latest))
    out = [IdeaFeedback(id=refs[k].id, name=refs[k].name, interest=r.interest,
                        would_use=r.would_use, clarity=r.clarity, liked=r.liked,
                        worries=r.worries) for k, r in latest.items()]
    return out, [Feedback(r.interest, r.would_use, r.clarity) for r in latest.values()]


# -- referrals ----------------------------------------------------------------------------


def referrals(conn: Connection, *, keys: Sequence[int] | None = None,
              person: int | None = None, status: str | None = None,
              limit: int = 10_000) -> list[Referral]:
    t = c.referrals
    q = select(t).where(t.c.deleted_at.is_(None))
    if keys is not None:
        q = q.where(t.c.id.in_(list(keys)))
    if person is not None:
        q = q.where((t.c.referrer_id == person) | (t.c.referred_id == person)
                    | (t.c.to_id == person))
    if status:
        q = q.where(t.c.status == status)
    rows = conn.execute(q.order_by(t.c.occurred_on.desc(), t.c.id.desc()).limit(limit)).all()
    refs = refs_by_keys(conn, [k for r in rows for k in (r.referrer_id, r.referred_id,
                                                          r.to_id)])
    return [Referral(
        id=r.public_id,
        name=f"{refs[r.referrer_id].name} referred {refs[r.referred_id].name} to "
             f"{refs[r.to_id].name}",
        referrer=refs[r.referrer_id], referred=refs[r.referred_id], to=refs[r.to_id],
        occurred_on=r.occurred_on, status=r.status, value=r.value, met=r.met,
        decided_on=r.decided_on, thanked_at=utc(r.thanked_at), reported_at=utc(r.reported_at),
        note=r.note) for r in rows]


def referral_facts(items: Sequence[Referral]) -> list[ReferralFact]:
    return [ReferralFact(id=r.id, referrer=r.referrer, referred=r.referred, to=r.to,
                         occurred_on=r.occurred_on, status=r.status, value=r.value,
                         met=r.met, thanked_at=r.thanked_at, reported_at=r.reported_at)
            for r in items]


def last_asks(conn: Connection) -> dict[int, date]:
    a = c.referral_asks
    return {r.person_id: r.last for r in conn.execute(
        select(a.c.person_id, func.max(a.c.asked_on).label("last")).group_by(a.c.person_id))}


def last_referred(conn: Connection) -> dict[int, date]:
    t = c.referrals
    return {r.referrer_id: r.last for r in conn.execute(
        select(t.c.referrer_id, func.max(t.c.occurred_on).label("last"))
        .where(t.c.deleted_at.is_(None)).group_by(t.c.referrer_id))}
