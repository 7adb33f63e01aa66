"""REST API for the product's reason to exist: the agenda and its actions, warm paths,
tie strength, reach, brokers, dormant ties, needs/offers and matches, the give/ask
ledger, duplicates and merge, archive, export, history and undo. Each route calls one
service use case and answers with that use case's typed result (docs/architecture.md,
"Adding a use case to every front end"); errors have the one shape of every route."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from kithbook.domain.agenda import Agenda
from kithbook.domain.models import PersonRef, Promise
from kithbook.domain.prune import Proposal
from kithbook.domain.reliability import Reliability
from kithbook.services.dupes import DupeSuggestion, MergeBatch, MergeResult
from kithbook.services.network_results import (
    FROM,
    Brokers,
    DormantTies,
    Ledger,
    LedgerEntry,
    Matches,
    NeedOffer,
    PathResult,
    Reach,
    StrongestTies,
    TieStrength,
)
from kithbook.services.results import Archived, ChangeBatch, Snoozed, Touched, Undone
from kithbook.web.api_models import READ_ONE, WRITE, Strict, declared
from kithbook.web.api_records import Svc, Text, created, ok

router = APIRouter()
AGENDA: list[str | Enum] = ["agenda"]
NETWORK: list[str | Enum] = ["network"]
HELP: list[str | Enum] = ["needs, offers, ledger"]
DATA: list[str | Enum] = ["duplicates, export, history"]
Rows = Annotated[int, Query(ge=1, le=100, description="How many rows per list")]


# -- result models whose JSON key is a Python keyword ("from") ------------------------


@dataclass
class TieStrengthModel(TieStrength):
    from_: Annotated[PersonRef, Field(alias="from")] = field(metadata=FROM)


@dataclass
class PathResultModel(PathResult):
    from_: Annotated[PersonRef, Field(alias="from")] = field(metadata=FROM)


# -- request bodies -------------------------------------------------------------------


class SnoozeIn(Strict):
    duration: str = Field(min_length=1, max_length=20, description="14d, 2w, 3m, 1y or off")


class TouchedIn(Strict):
    note: str | None = Field(default=None, max_length=2000)


class ArchiveIn(Strict):
    reason: str = Field(min_length=1, max_length=2000, description="Why (kept on record)")


class PromiseOutcome(Strict):
    reason: str | None = Field(default=None, max_length=2000)


class ItemIn(Strict):
    text: str = Field(min_length=1, max_length=2000, description="What, in a sentence")
    tags: list[str] = Field(default_factory=list, max_length=20)


class GaveIn(Strict):
    giver: str = Field(min_length=1, max_length=300, description="Who gave ('me' for you)")
    receiver: str = Field(min_length=1, max_length=300)
    kind: Literal["favour", "intro", "advice", "referral"] = "favour"
    what: str | None = Field(default=None, max_length=2000)
    on: date | None = None


class MergeIn(Strict):
    keep: str = Field(min_length=1, max_length=300, description="The record that stays")
    other: str = Field(min_length=1, max_length=300, description="The record folded into it")


class MergeManyIn(Strict):
    pairs: list[Annotated[str, Field(min_length=3, max_length=130)]] = Field(
        min_length=1, max_length=20_000,
        description='"KEEP+OTHER" pairs of person ids, as /duplicates gives them')


class UndoIn(Strict):
    batch_id: str | None = Field(
        default=None, max_length=100, description="A batch id from /history (default: the latest)"
    )


# -- the agenda -----------------------------------------------------------------------


@router.get("/agenda", response_model=Agenda, responses=READ_ONE, tags=AGENDA,
            summary="Today's ranked agenda: what you owe, who to follow up, who is due a touch")
def agenda(svc: Svc, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> JSONResponse:
    return ok(svc.agenda.today(limit))


@router.post("/agenda/promises/{promise}/done", response_model=Promise, responses=WRITE,
             tags=AGENDA, summary="Mark a promise on the agenda done")
def promise_done(svc: Svc, promise: str) -> JSONResponse:
    return ok(svc.promises.close(promise, "done"))


@router.post("/agenda/promises/{promise}/broken", response_model=Promise, responses=WRITE,
             tags=AGENDA, summary="Mark a promise on the agenda broken, with a reason")
def promise_broken(svc: Svc, promise: str, body: PromiseOutcome) -> JSONResponse:
    return ok(svc.promises.close(promise, "broken", body.reason))


@router.post("/people/{person}/snooze", response_model=Snoozed, responses=WRITE, tags=AGENDA,
             summary="Defer a person's reminders without recording a touch")
def snooze(svc: Svc, person: str, body: SnoozeIn) -> JSONResponse:
    return ok(svc.agenda.snooze(person, body.duration))


@router.post("/people/{person}/touched", response_model=Touched, responses=WRITE,
             tags=AGENDA, summary="Record a quick touch: resets the keep-in-touch clock")
def touched(svc: Svc, person: str, body: TouchedIn) -> JSONResponse:
    return ok(svc.agenda.touched(person, body.note))


@router.get("/prune", response_model=list[Proposal], responses=READ_ONE, tags=AGENDA,
            summary="Pruning review: who to downgrade, slow down or archive, with reasons")
def prune(svc: Svc, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> JSONResponse:
    return ok(svc.agenda.prune(limit))


@router.post("/people/{person}/archive", response_model=Archived, responses=WRITE,
             tags=AGENDA, summary="Archive a person with a reason (kept in full; undoable)")
def archive(svc: Svc, person: str, body: ArchiveIn) -> JSONResponse:
    return ok(svc.agenda.archive(person, body.reason))


@router.post("/people/{person}/unarchive", response_model=Archived, responses=WRITE,
             tags=AGENDA, summary="Bring an archived person back")
def unarchive(svc: Svc, person: str) -> JSONResponse:
    return ok(svc.agenda.unarchive(person))


@router.get("/people/{person}/reliability", response_model=Reliability, responses=READ_ONE,
            tags=AGENDA, summary="Promises a person kept and broke, both ways")
def reliability(svc: Svc, person: str) -> JSONResponse:
    return ok(svc.agenda.reliability(person))


# -- the network ----------------------------------------------------------------------


@router.get("/people/{person}/strength", response_model=TieStrengthModel | StrongestTies,
            responses=READ_ONE, tags=NETWORK,
            summary="Tie strength and why; without `with`, your tie to the person "
            "(yourself: your ties, strongest first)")
def strength(svc: Svc, person: str, with_: Annotated[
        str | None, Query(alias="with", max_length=300,
                          description="Score the person's tie with this person instead")] = None,
             ) -> JSONResponse:
    return ok(svc.network.strength(person, with_ or None))


@router.get("/paths", response_model=PathResultModel, responses=READ_ONE, tags=NETWORK,
            summary="Warm-introduction routes to a person or to anyone at an organization")
def paths(
    svc: Svc,
    to: Annotated[str, Query(min_length=1, max_length=300,
                             description="A person, or an organization ('anyone at Acme')")],
    from_: Annotated[str | None, Query(alias="from", max_length=300,
                                       description="Start from this teammate instead of you")]
    = None,
    k: Annotated[int, Query(ge=1, le=50, description="How many routes")] = 3,
    max_hops: Annotated[int, Query(ge=1, le=6, description="Most ties on a route")] = 3,
    beta: Annotated[float, Query(gt=0, le=1, description="Forwarding factor per hop")] = 0.6,
) -> JSONResponse:
    return ok(svc.network.path(to, source=from_ or None, k=k, max_hops=max_hops, beta=beta))


@router.get("/reach", response_model=Reach, responses=READ_ONE, tags=NETWORK,
            summary="Second-degree reach through whom, and people worth meeting")
def reach(svc: Svc, person: Text = None, limit: Rows = 10) -> JSONResponse:
    return ok(svc.network.reach(person or None, limit=limit))


@router.get("/brokers", response_model=Brokers, responses=READ_ONE, tags=NETWORK,
            summary="Brokers among your contacts, your own brokerage and local bridges")
def brokers(svc: Svc, person: Text = None, limit: Rows = 10) -> JSONResponse:
    return ok(svc.network.brokers(person or None, limit=limit))


@router.get("/dormant", response_model=DormantTies, responses=READ_ONE, tags=NETWORK,
            summary="Dormant ties worth reviving, with the reason")
def dormant(
    svc: Svc,
    days: Annotated[int, Query(ge=1, le=36_500, description="Out of touch at least")] = 365,
    limit: Rows = 10,
) -> JSONResponse:
    return ok(svc.network.dormant(days=days, limit=limit))


# -- listen and help ------------------------------------------------------------------


@router.post("/people/{person}/needs", status_code=201, response_model=NeedOffer,
             responses=WRITE, tags=HELP, summary="Record what a person needs")
def add_need(svc: Svc, person: str, body: ItemIn) -> JSONResponse:
    return created(svc.network.add_item(person, "need", body.text, body.tags))


@router.post("/people/{person}/offers", status_code=201, response_model=NeedOffer,
             responses=WRITE, tags=HELP, summary="Record what a person offers")
def add_offer(svc: Svc, person: str, body: ItemIn) -> JSONResponse:
    return created(svc.network.add_item(person, "offer", body.text, body.tags))


@router.get("/matches", response_model=Matches, responses=READ_ONE, tags=HELP,
            summary="Introductions to make: whose need meets whose offer")
def matches(svc: Svc, limit: Rows = 20) -> JSONResponse:
    return ok(svc.network.match(limit=limit))


@router.get("/people/{person}/ledger", response_model=Ledger, responses=READ_ONE, tags=HELP,
            summary="Favours, intros and advice given and received, with the balance")
def ledger(svc: Svc, person: str) -> JSONResponse:
    return ok(svc.network.ledger(person))


@router.post("/ledger", status_code=201, response_model=LedgerEntry, responses=WRITE,
             tags=HELP, summary="Record a favour, intro, advice or referral")
def gave(svc: Svc, body: GaveIn) -> JSONResponse:
    return created(svc.network.gave(body.giver, body.receiver, body.kind, body.what, body.on))


# -- duplicates, export, history ------------------------------------------------------


@router.get("/duplicates", response_model=list[DupeSuggestion], responses=READ_ONE,
            tags=DATA, summary="Likely duplicate people and organizations, best first")
def duplicates(
    svc: Svc,
    min_score: Annotated[float, Query(ge=0, le=1)] = 0.6,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> JSONResponse:
    return ok(svc.dupes.find(min_score=min_score, limit=limit))


@router.post("/merge", response_model=MergeResult, responses=WRITE, tags=DATA,
             summary="Fold one record into another (one change: undo reverses it)")
def merge(svc: Svc, body: MergeIn) -> JSONResponse:
    return ok(svc.dupes.merge(body.keep, body.other))


@router.post("/merge/many", response_model=MergeBatch, responses=WRITE, tags=DATA,
             summary="Merge many pairs of people as one change (one undo reverses all)")
def merge_many(svc: Svc, body: MergeManyIn) -> JSONResponse:
    return ok(svc.dupes.merge_many(list(body.pairs)))


EXPORT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "ties": "text/csv; charset=utf-8",
    "vcard": "text/vcard; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
}
ExportFormat = Literal["json", "csv", "ties", "vcard", "ics"]


@router.get(
    "/export/{fmt}", response_class=Response, tags=DATA,
    responses={
        200: {"description": "The file", "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/csv": {"schema": {"type": "string"}},
            "text/vcard": {"schema": {"type": "string"}},
            "text/calendar": {"schema": {"type": "string"}},
        }},
        **declared(404, 409, 413, 421, 422, 503),
    },
    summary="Export everything (or one tag): json backup, csv, ties, vcard or ics",
)
def export(svc: Svc, fmt: ExportFormat, tag: Text = None) -> Response:
    data = svc.transfer.export_bytes(fmt, tag=tag or None)
    ext = {"vcard": "vcf", "ties": "csv"}.get(fmt, fmt)
    return Response(
        data, media_type=EXPORT_TYPES[fmt],
        headers={"content-disposition": f'attachment; filename="kithbook-{fmt}.{ext}"'},
    )


@router.get("/history", response_model=list[ChangeBatch], responses=READ_ONE, tags=DATA,
            summary="The audit trail, newest first, with the ids undo takes")
def history(svc: Svc, limit: Annotated[int, Query(ge=1, le=500)] = 20) -> JSONResponse:
    return ok(svc.history.recent(limit))


@router.post("/undo", response_model=Undone, responses=WRITE, tags=DATA,
             summary="Reverse the latest change, or the batch given")
def undo(svc: Svc, body: UndoIn) -> JSONResponse:
    return ok(svc.history.undo(body.batch_id or None))
