"""REST API for the craft's crowd and return keys (docs/networking-craft.md): surveys
and idea tests, referrals and advocates, time invested and value returned. Split from
web/api_craft.py (research, pitches, stories, honesty), whose page helpers it shares."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, Field

from kithbook.domain.craft_records import (
    Idea,
    MonthReport,
    Referral,
    Survey,
    SurveyResults,
    TimeEntry,
    ValueEntry,
)
from kithbook.domain.models import PersonRef
from kithbook.domain.referrals import Advocate
from kithbook.web.api_craft import Amount, Long, Paged, Short, Who, paged
from kithbook.web.api_models import READ_ONE, WRITE, Strict
from kithbook.web.api_records import Limit, Offset, Svc, Text, created, ok

router = APIRouter()
CROWDS: list[str | Enum] = ["craft: surveys and ideas"]
REFERRALS: list[str | Enum] = ["craft: referrals"]
TIME: list[str | Enum] = ["craft: time and value"]


class SurveyIn(Strict):
    question: str = Field(min_length=1, max_length=1000)
    kind: Literal["estimate", "choice", "open"] = "estimate"
    choices: list[str] = Field(default_factory=list, max_length=20)
    tag: str | None = Short
    tier: str | None = Field(default=None, max_length=10)
    org: str | None = Short
    stage: str | None = Field(default=None, max_length=40)
    people: list[str] = Field(default_factory=list, max_length=200)


class AnswerIn(Strict):
    person: str = Who
    answer: str = Field(min_length=1, max_length=2000)


class PersonIn(Strict):
    person: str = Who


class IdeaIn(Strict):
    title: str = Who
    text: str | None = Field(default=None, max_length=10_000)


class FeedbackIn(Strict):
    person: str = Who
    interest: int = Field(ge=1, le=5)
    would_use: int = Field(ge=1, le=5)
    clarity: int = Field(ge=1, le=5)
    liked: str | None = Long
    worries: str | None = Long


class VerdictIn(Strict):
    verdict: Literal["go", "refine", "drop"] | None = Field(
        default=None, description="Empty: computed from the feedback")


class ReferralIn(Strict):
    referrer: str = Who
    referred: str = Who
    to: str | None = Field(default=None, max_length=300, description="Default: me")
    on: date | None = None
    note: str | None = Long


class ReferralOutcomeIn(Strict):
    status: Literal["open", "met", "won", "lost"]
    value: Amount = Field(default=None, description="Money, exact: \"1200.50\"")


class TimeIn(Strict):
    minutes: int = Field(ge=1, le=1440)
    kind: Literal["preparation", "meetings", "follow_up", "events"]
    person: str | None = Short
    org: str | None = Short
    at: AwareDatetime | None = None
    note: str | None = Long


class ValueIn(Strict):
    kind: Literal["deal", "referral", "hire", "answer", "saving"]
    amount: Amount = None
    person: str | None = Short
    org: str | None = Short
    on: date | None = None
    note: str | None = Long


def _text(value: Amount) -> str | None:
    return None if value is None else str(value)


# -- wisdom of crowds -----------------------------------------------------------------


@router.get("/surveys", response_model=Paged[Survey], responses=READ_ONE, tags=CROWDS,
            summary="Surveys, newest first, with how many were asked and answered")
def surveys(svc: Svc, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.surveys.list(), limit, offset)


@router.post("/surveys", status_code=201, response_model=Survey, responses=WRITE,
             tags=CROWDS, summary="A one-question survey to a segment of my network")
def add_survey(svc: Svc, body: SurveyIn) -> JSONResponse:
    return created(svc.surveys.create(body.question, kind=body.kind, choices=body.choices,
                                      tag=body.tag, tier=body.tier, org=body.org,
                                      stage=body.stage, people=list(body.people) or None))


@router.get("/surveys/{survey}", response_model=SurveyResults, responses=READ_ONE,
            tags=CROWDS, summary="A survey's answers and aggregates, and whom to thank")
def survey_results(svc: Svc, survey: str) -> JSONResponse:
    return ok(svc.surveys.results(survey))


@router.post("/surveys/{survey}/answers", response_model=SurveyResults, responses=WRITE,
             tags=CROWDS, summary="Record someone's answer")
def survey_answer(svc: Svc, survey: str, body: AnswerIn) -> JSONResponse:
    return ok(svc.surveys.answer(survey, body.person, body.answer))


class SurveySendIn(Strict):
    to: str = Field(min_length=1, max_length=300)
    days: int = Field(default=14, ge=1, le=180)


@router.post("/surveys/{survey}/links", status_code=201, responses=WRITE, tags=CROWDS,
             summary="A private link for someone asked to answer the survey (shown once)")
def survey_send(svc: Svc, survey: str, body: SurveySendIn) -> JSONResponse:
    return created(svc.surveys.send(survey, body.to, days=body.days))


@router.post("/surveys/{survey}/thanks", response_model=SurveyResults, responses=WRITE,
             tags=CROWDS, summary="Record that I thanked a respondent")
def survey_thank(svc: Svc, survey: str, body: PersonIn) -> JSONResponse:
    return ok(svc.surveys.thank(survey, body.person))


@router.post("/surveys/{survey}/close", response_model=Survey, responses=WRITE,
             tags=CROWDS, summary="Close a survey")
def survey_close(svc: Svc, survey: str) -> JSONResponse:
    return ok(svc.surveys.close(survey))


@router.get("/ideas", response_model=Paged[Idea], responses=READ_ONE, tags=CROWDS,
            summary="Idea tests with their verdicts")
def ideas(svc: Svc, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.surveys.ideas(), limit, offset)


@router.post("/ideas", status_code=201, response_model=Idea, responses=WRITE, tags=CROWDS,
             summary="An idea to put to a panel")
def add_idea(svc: Svc, body: IdeaIn) -> JSONResponse:
    return created(svc.surveys.idea(body.title, text=body.text))


@router.post("/ideas/{idea}/feedback", response_model=Idea, responses=WRITE, tags=CROWDS,
             summary="A panelist's feedback (1-5 scores, liked, worries)")
def feedback(svc: Svc, idea: str, body: FeedbackIn) -> JSONResponse:
    return ok(svc.surveys.feedback(idea, body.person, interest=body.interest,
                                   would_use=body.would_use, clarity=body.clarity,
                                   liked=body.liked, worries=body.worries))


@router.post("/ideas/{idea}/verdict", response_model=Idea, responses=WRITE, tags=CROWDS,
             summary="Set the verdict by hand, or clear it to compute it")
def verdict(svc: Svc, idea: str, body: VerdictIn) -> JSONResponse:
    return ok(svc.surveys.set_verdict(idea, body.verdict))


# -- referrals and advocates ----------------------------------------------------------


@router.get("/referrals", response_model=Paged[Referral], responses=READ_ONE,
            tags=REFERRALS, summary="Referrals, newest first (all, or one person's)")
def referrals(svc: Svc, person: Text = None,
              status: Literal["open", "met", "won", "lost"] | None = None,
              limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.referrals.list(person or None, status=status), limit, offset)


@router.post("/referrals", status_code=201, response_model=Referral, responses=WRITE,
             tags=REFERRALS, summary="Someone referred someone to me (or to someone else)")
def add_referral(svc: Svc, body: ReferralIn) -> JSONResponse:
    return created(svc.referrals.add(body.referrer, body.referred, to=body.to, on=body.on,
                                     note=body.note))


@router.get("/referrals/loop", response_model=Paged[Referral], responses=READ_ONE,
            tags=REFERRALS, summary="The thank-you loop: referrals to thank or report on")
def loop(svc: Svc, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.referrals.loop(), limit, offset)


@router.get("/advocates", response_model=Paged[Advocate], responses=READ_ONE,
            tags=REFERRALS, summary="Advocates ranked by what their referrals brought")
def advocates(svc: Svc, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.referrals.advocates(limit=offset + limit), limit, offset)


@router.post("/referrals/{referral}/outcome", response_model=Referral, responses=WRITE,
             tags=REFERRALS, summary="What came of a referral: met, won (with value), lost")
def referral_outcome(svc: Svc, referral: str, body: ReferralOutcomeIn) -> JSONResponse:
    return ok(svc.referrals.outcome(referral, body.status, value=_text(body.value)))


@router.post("/referrals/{referral}/thanked", response_model=Referral, responses=WRITE,
             tags=REFERRALS, summary="Record that I thanked the referrer")
def referral_thanked(svc: Svc, referral: str) -> JSONResponse:
    return ok(svc.referrals.thank(referral))


@router.post("/referrals/{referral}/reported", response_model=Referral, responses=WRITE,
             tags=REFERRALS, summary="Record that I told the referrer what came of it")
def referral_reported(svc: Svc, referral: str) -> JSONResponse:
    return ok(svc.referrals.reported(referral))


@router.post("/people/{person}/referral-asks", response_model=PersonRef, responses=WRITE,
             tags=REFERRALS, summary="Record that I asked someone for a referral")
def referral_asked(svc: Svc, person: str) -> JSONResponse:
    return ok(svc.referrals.asked(person))


# -- time and value -------------------------------------------------------------------


@router.post("/time", status_code=201, response_model=TimeEntry, responses=WRITE, tags=TIME,
             summary="Time spent on relationships outside logged interactions")
def log_time(svc: Svc, body: TimeIn) -> JSONResponse:
    return created(svc.timevalue.log_time(body.minutes, body.kind, person=body.person,
                                          org=body.org, at=body.at, note=body.note))


@router.post("/value", status_code=201, response_model=ValueEntry, responses=WRITE,
             tags=TIME, summary="Value a relationship returned (deal, referral, hire, ...)")
def log_value(svc: Svc, body: ValueIn) -> JSONResponse:
    return created(svc.timevalue.log_value(body.kind, amount=_text(body.amount),
                                           person=body.person, org=body.org, on=body.on,
                                           note=body.note))


@router.get("/time/report", response_model=MonthReport, responses=READ_ONE, tags=TIME,
            summary="Where relationship time went in a month and what it returned")
def time_report(svc: Svc, month: Annotated[
        str | None, Query(max_length=7, description="YYYY-MM (default: this month)")] = None,
                months: Annotated[int, Query(ge=1, le=36)] = 12) -> JSONResponse:
    return ok(svc.timevalue.report(month or None, months=months))
