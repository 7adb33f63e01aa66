"""REST API for the craft of networking (docs/networking-craft.md): the brief,
targets, events and research notes, pitches, stories, claims and what I told whom,
surveys and idea tests, referrals and advocates, time and value. Each route calls one
service use case (services/craft_*.py) and answers with its typed result; lists are
pages ({items, total, limit, offset}); errors have the one shape of every route."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, Field

from kithbook.domain.briefing import Brief
from kithbook.domain.craft_records import (
    Claim,
    Pitch,
    ResearchNote,
    SaidResult,
    Statement,
    Story,
    TellResult,
)
from kithbook.domain.models import Page as Listed
from kithbook.domain.pitches import PitchScore
from kithbook.domain.research import Event, Target
from kithbook.domain.speech import SpokenLength
from kithbook.domain.statements import Conflict
from kithbook.web.api_models import READ_ONE, WRITE, Strict
from kithbook.web.api_records import Limit, Offset, Svc, Text, created, ok, page

router = APIRouter()
RESEARCH: list[str | Enum] = ["craft: research"]
PITCHES: list[str | Enum] = ["craft: pitches"]
STORIES: list[str | Enum] = ["craft: stories"]
HONESTY: list[str | Enum] = ["craft: honesty"]

T = TypeVar("T")
Who = Field(min_length=1, max_length=300)
Short = Field(default=None, max_length=300)
Long = Field(default=None, max_length=2000)
People = Field(min_length=1, max_length=50)
Amount = Decimal | str | None


class Paged(BaseModel, Generic[T]):
    """A page of a list: the items from `offset`, at most `limit`, of `total`."""

    items: list[T]
    total: int
    limit: int
    offset: int


def paged(listed: Listed[Any], limit: int, offset: int) -> JSONResponse:
    """A service's whole list, answered one page at a time."""
    return page(listed.items[offset:offset + limit], listed.total, limit, offset)


# -- request bodies -------------------------------------------------------------------


class TargetIn(Strict):
    who: str = Who
    kind: bool = Field(default=False, description="`who` is a kind of person, not someone "
                       "in the network")
    why: str | None = Long
    priority: Literal["high", "medium", "low"] | None = None
    how: str | None = Long
    org: str | None = Short


class TargetStatusIn(Strict):
    status: Literal["open", "met", "dropped"]


class EventIn(Strict):
    name: str = Who
    on: date
    kind: Literal["meeting", "conference", "meetup", "fair", "talk", "dinner", "other"] = \
        "other"
    at: str | None = Field(default=None, max_length=10, description="Local time, HH:MM")
    place: str | None = Short
    url: str | None = Long


class AttendIn(Strict):
    person: str = Who
    role: Literal["attendee", "speaker", "host", "organizer"] = "attendee"
    plan: bool = Field(default=False, description="Meeting them is in my plan")
    rank: int | None = Field(default=None, ge=1, le=1000, description="Position in the plan")
    via: str | None = Short
    opener: str | None = Long


class MetIn(Strict):
    person: str = Who


class NoteIn(Strict):
    about: str = Field(min_length=1, max_length=300, description="A person or organization")
    text: str = Field(min_length=1, max_length=10_000)
    sources: list[str] = Field(default_factory=list, max_length=20)


class PitchIn(Strict):
    name: str = Who
    audience: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=5000)
    goal: str | None = Long


class TextIn(Strict):
    text: str = Field(min_length=1, max_length=5000)


class RehearsalIn(Strict):
    on: date | None = None
    seconds: int | None = Field(default=None, ge=1, le=3600)
    rating: int | None = Field(default=None, ge=1, le=5)
    notes: str | None = Long


Outcome = Literal["advanced", "interested", "neutral", "declined", "unknown"]


class UseIn(Strict):
    person: str = Who
    outcome: Outcome = "unknown"
    on: date | None = None
    interaction: str | None = Field(default=None, max_length=100)
    note: str | None = Long


class OutcomeIn(Strict):
    outcome: Outcome


class StoryIn(Strict):
    title: str = Who
    text: str = Field(min_length=1, max_length=20_000)
    theme: str | None = Field(default=None, max_length=200)
    audience: str | None = Field(default=None, max_length=200)


class CheckIn(Strict):
    people: list[str] = People


class TellIn(Strict):
    people: list[str] = People
    at: AwareDatetime | None = None
    landed: bool | None = None
    again: bool = Field(default=False, description="Record it even if someone heard it")


class LandedIn(Strict):
    landed: bool


class ClaimIn(Strict):
    person: str = Who
    text: str = Field(min_length=1, max_length=2000)
    topic: str | None = Field(default=None, max_length=200)
    on: date | None = None
    status: Literal["verified", "false", "unknown"] = "unknown"
    source: str | None = Long


class ClaimCheckIn(Strict):
    status: Literal["verified", "false", "unknown"]
    source: str | None = Long


class SaidIn(Strict):
    person: str = Who
    topic: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=2000)
    value: str | None = Field(default=None, max_length=200)
    on: date | None = None


# -- key 1: research, the brief -------------------------------------------------------


@router.get("/people/{person}/brief", response_model=Brief, responses=READ_ONE,
            tags=RESEARCH, summary="The one-page briefing on a person before a meeting")
def brief(svc: Svc, person: str, path: Annotated[
        bool, Query(description="Look for a warm path if we have not met")] = True,
          ) -> JSONResponse:
    return ok(svc.briefs.brief(person, path=path))


@router.get("/targets", response_model=Paged[Target], responses=READ_ONE, tags=RESEARCH,
            summary="Targets: who I want to meet, most important first")
def targets(svc: Svc, status: Literal["open", "met", "dropped", "all"] = "open",
            limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.research.targets(status=None if status == "all" else status),
                 limit, offset)


@router.post("/targets", status_code=201, response_model=Target, responses=WRITE,
             tags=RESEARCH, summary="A person (or a kind of person) I want to meet")
def add_target(svc: Svc, body: TargetIn) -> JSONResponse:
    return created(svc.research.add_target(body.who, person=not body.kind, why=body.why,
                                           priority=body.priority, how=body.how,
                                           org=body.org))


@router.post("/targets/{target}/status", response_model=Target, responses=WRITE,
             tags=RESEARCH, summary="Mark a target met or dropped (or open again)")
def target_status(svc: Svc, target: str, body: TargetStatusIn) -> JSONResponse:
    return ok(svc.research.set_target_status(target, body.status))


@router.get("/events", response_model=Paged[Event], responses=READ_ONE, tags=RESEARCH,
            summary="Upcoming (or past) events with attendees and plans")
def events(svc: Svc, days: Annotated[int, Query(ge=0, le=3650)] = 90, past: bool = False,
           limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.research.events(days=days, past=past), limit, offset)


@router.post("/events", status_code=201, response_model=Event, responses=WRITE,
             tags=RESEARCH, summary="An event where I can meet people")
def add_event(svc: Svc, body: EventIn) -> JSONResponse:
    return created(svc.research.add_event(body.name, body.on, kind=body.kind, at=body.at,
                                          place=body.place, url=body.url))


@router.get("/events/{event}", response_model=Event, responses=READ_ONE, tags=RESEARCH,
            summary="One event: attendees and the plan in order")
def show_event(svc: Svc, event: str) -> JSONResponse:
    return ok(svc.research.event(event))


@router.post("/events/{event}/attendees", response_model=Event, responses=WRITE,
             tags=RESEARCH, summary="Someone attends; optionally meeting them is in my plan")
def attend(svc: Svc, event: str, body: AttendIn) -> JSONResponse:
    return ok(svc.research.attend(event, body.person, role=body.role, plan=body.plan,
                                  rank=body.rank, via=body.via, opener=body.opener))


@router.post("/events/{event}/met", response_model=Event, responses=WRITE, tags=RESEARCH,
             summary="I met this person at the event: the plan step is done")
def met_at(svc: Svc, event: str, body: MetIn) -> JSONResponse:
    return ok(svc.research.met_at(event, body.person))


@router.get("/research", response_model=Paged[ResearchNote], responses=READ_ONE,
            tags=RESEARCH, summary="Research notes, newest first (of one person or org)")
def notes(svc: Svc, about: Text = None, limit: Limit = 50, offset: Offset = 0
          ) -> JSONResponse:
    return paged(svc.research.notes(about or None), limit, offset)


@router.post("/research", status_code=201, response_model=ResearchNote, responses=WRITE,
             tags=RESEARCH, summary="A research note on a person or organization")
def add_note(svc: Svc, body: NoteIn) -> JSONResponse:
    return created(svc.research.add_note(body.about, body.text, sources=body.sources))


# -- key 2: pitches -------------------------------------------------------------------


@router.get("/pitches", response_model=Paged[Pitch], responses=READ_ONE, tags=PITCHES,
            summary="The pitch bank, with length and score within the audience")
def pitches(svc: Svc, audience: Text = None, limit: Limit = 50, offset: Offset = 0
            ) -> JSONResponse:
    return paged(svc.pitches.list(audience=audience or None), limit, offset)


@router.post("/pitches", status_code=201, response_model=Pitch, responses=WRITE,
             tags=PITCHES, summary="A new pitch for an audience and a goal")
def add_pitch(svc: Svc, body: PitchIn) -> JSONResponse:
    return created(svc.pitches.add(body.name, body.audience, body.text, goal=body.goal))


@router.post("/pitches/length", response_model=SpokenLength, responses=WRITE,
             tags=PITCHES, summary="How long a text takes to say, with warnings")
def length(svc: Svc, body: TextIn) -> JSONResponse:
    return ok(svc.pitches.length(body.text))


@router.get("/pitches/best", response_model=Paged[PitchScore], responses=READ_ONE,
            tags=PITCHES, summary="The pitch that works best for each audience")
def best(svc: Svc, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.pitches.best(), limit, offset)


@router.get("/pitches/{pitch}", response_model=Pitch, responses=READ_ONE, tags=PITCHES,
            summary="One pitch: versions, rehearsals, uses and score")
def show_pitch(svc: Svc, pitch: str) -> JSONResponse:
    return ok(svc.pitches.show(pitch))


@router.post("/pitches/{pitch}/versions", status_code=201, response_model=Pitch,
             responses=WRITE, tags=PITCHES, summary="A new version of a pitch")
def revise(svc: Svc, pitch: str, body: TextIn) -> JSONResponse:
    return created(svc.pitches.revise(pitch, body.text))


@router.post("/pitches/{pitch}/rehearsals", status_code=201, response_model=Pitch,
             responses=WRITE, tags=PITCHES, summary="Log a rehearsal")
def rehearse(svc: Svc, pitch: str, body: RehearsalIn) -> JSONResponse:
    return created(svc.pitches.rehearse(pitch, on=body.on, seconds=body.seconds,
                                        rating=body.rating, notes=body.notes))


@router.post("/pitches/{pitch}/uses", status_code=201, response_model=Pitch,
             responses=WRITE, tags=PITCHES,
             summary="I used a pitch with someone, and what came of it")
def use(svc: Svc, pitch: str, body: UseIn) -> JSONResponse:
    return created(svc.pitches.use(pitch, body.person, outcome=body.outcome, on=body.on,
                                   interaction=body.interaction, note=body.note))


@router.post("/pitch-uses/{use}/outcome", response_model=Pitch, responses=WRITE,
             tags=PITCHES, summary="What came of one use of a pitch, once I know")
def use_outcome(svc: Svc, use: str, body: OutcomeIn) -> JSONResponse:
    return ok(svc.pitches.set_outcome(use, body.outcome))


# -- key 8: stories -------------------------------------------------------------------


@router.get("/stories", response_model=Paged[Story], responses=READ_ONE, tags=STORIES,
            summary="The story bank, with how often each was told and how it landed")
def stories(svc: Svc, theme: Text = None, audience: Text = None,
            max_seconds: Annotated[int | None, Query(ge=1, le=36_000)] = None,
            limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.stories.list(theme=theme or None, audience=audience or None,
                                  max_seconds=max_seconds), limit, offset)


@router.post("/stories", status_code=201, response_model=Story, responses=WRITE,
             tags=STORIES, summary="A story for the bank")
def add_story(svc: Svc, body: StoryIn) -> JSONResponse:
    return created(svc.stories.add(body.title, body.text, theme=body.theme,
                                   audience=body.audience))


@router.get("/stories/{story}", response_model=Story, responses=READ_ONE, tags=STORIES,
            summary="One story: its text, length, and everyone who heard it")
def show_story(svc: Svc, story: str) -> JSONResponse:
    return ok(svc.stories.show(story))


@router.post("/stories/{story}/check", response_model=TellResult, responses=WRITE,
             tags=STORIES, summary="Before telling a story: who among these heard it")
def check(svc: Svc, story: str, body: CheckIn) -> JSONResponse:
    return ok(svc.stories.check(story, list(body.people)))


@router.post("/stories/{story}/tellings", status_code=201, response_model=TellResult,
             responses=WRITE, tags=STORIES,
             summary="I told a story to these people (409 if someone heard it, unless again)")
def tell(svc: Svc, story: str, body: TellIn) -> JSONResponse:
    return created(svc.stories.tell(story, list(body.people), at=body.at,
                                    landed=body.landed, again=body.again))


@router.post("/tellings/{telling}/landed", response_model=Story, responses=WRITE,
             tags=STORIES, summary="Whether a telling landed (or fell flat)")
def landed(svc: Svc, telling: str, body: LandedIn) -> JSONResponse:
    return ok(svc.stories.landed(telling, body.landed))


# -- key 5: honesty -------------------------------------------------------------------


@router.get("/claims", response_model=Paged[Claim], responses=READ_ONE, tags=HONESTY,
            summary="Claims people made, newest first")
def claims(svc: Svc, person: Text = None,
           status: Literal["verified", "false", "unknown"] | None = None,
           limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.honesty.claims(person or None, status=status), limit, offset)


@router.post("/claims", status_code=201, response_model=Claim, responses=WRITE,
             tags=HONESTY, summary="A claim someone made, to check later")
def add_claim(svc: Svc, body: ClaimIn) -> JSONResponse:
    return created(svc.honesty.claim(body.person, body.text, topic=body.topic, on=body.on,
                                     status=body.status, source=body.source))


@router.post("/claims/{claim}/check", response_model=Claim, responses=WRITE, tags=HONESTY,
             summary="Whether a claim held: verified, false or unknown")
def check_claim(svc: Svc, claim: str, body: ClaimCheckIn) -> JSONResponse:
    return ok(svc.honesty.check_claim(claim, body.status, source=body.source))


@router.get("/told", response_model=Paged[Statement], responses=READ_ONE,
            tags=HONESTY, summary="What I told whom, newest first")
def statements(svc: Svc, person: Text = None, topic: Text = None, limit: Limit = 50,
               offset: Offset = 0) -> JSONResponse:
    return paged(svc.honesty.told(person or None, topic=topic or None), limit, offset)


@router.post("/told", status_code=201, response_model=SaidResult, responses=WRITE,
             tags=HONESTY, summary="What I told someone on a topic, with any conflicts")
def said(svc: Svc, body: SaidIn) -> JSONResponse:
    return created(svc.honesty.said(body.person, body.topic, body.text, value=body.value,
                                    on=body.on))


@router.get("/told/conflicts", response_model=Paged[Conflict], responses=READ_ONE,
            tags=HONESTY, summary="My statements to different people that do not agree")
def conflicts(svc: Svc, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    return paged(svc.honesty.conflicts(), limit, offset)


@router.post("/told/{statement}/withdraw", response_model=Statement,
             responses=WRITE, tags=HONESTY, summary="Withdraw a statement I corrected")
def withdraw(svc: Svc, statement: str) -> JSONResponse:
    return ok(svc.honesty.withdraw(statement))
