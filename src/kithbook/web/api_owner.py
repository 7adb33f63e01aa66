"""REST routes for the owner's own work (issue 9: the whole product over the API): who
I am, bulk edits of people, tags on anything, quick capture with promises both ways, an
agreed item made a promise, the alliance work of the day, the RACI findings, and the
database's own facts. Thin translation over the services, like every api_* module."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from kithbook.services.bulk_edit import ACTIONS, PeopleSelection
from kithbook.services.interactions import NewInteraction, NewPromise
from kithbook.web.api_models import READ_ONE, WRITE, InteractionIn, Strict
from kithbook.web.api_records import Svc, created, ok

router = APIRouter()


class MeIn(Strict):
    name: str = Field(min_length=1, max_length=300, description="A person, or a new name")


@router.put("/me", responses=WRITE, tags=["people"], summary="Set who you are")
def set_me(svc: Svc, body: MeIn) -> JSONResponse:
    return ok(svc.people.set_me(body.name))


class SelectionIn(Strict):
    search: str | None = Field(default=None, max_length=300)
    tag: str | None = Field(default=None, max_length=100)
    tier: str | None = Field(default=None, max_length=10)
    stage: str | None = Field(default=None, max_length=20)
    org: str | None = Field(default=None, max_length=300)
    untouched_days: int | None = Field(default=None, ge=1, le=36500)
    ids: list[str] = Field(default_factory=list, max_length=10_000)


class BulkIn(Strict):
    selection: SelectionIn
    action: str = Field(min_length=1, max_length=10,
                        description="One of: " + ", ".join(ACTIONS))
    value: str | None = Field(default=None, max_length=300)
    preview: bool = Field(default=True, description="False applies it, as one change")


@router.post("/people/bulk", responses=WRITE, tags=["people"],
             summary="Tag, untag, set tier, stage or cadence, or archive many people")
def bulk_edit(svc: Svc, body: BulkIn) -> JSONResponse:
    selection = PeopleSelection(**body.selection.model_dump())
    return ok(svc.bulk.edit(selection, body.action, body.value, preview=body.preview))


class TagIn(Strict):
    target: str = Field(min_length=1, max_length=300,
                        description="A person, organization or interaction (name or id)")
    add: list[str] = Field(default_factory=list, max_length=50)
    remove: list[str] = Field(default_factory=list, max_length=50)


@router.post("/tags", responses=WRITE, tags=["tags"],
             summary="Tag (or untag) a person, an organization or an interaction")
def tag(svc: Svc, body: TagIn) -> JSONResponse:
    return ok(svc.annotate.tag(body.target, [t[:100] for t in body.add],
                               [t[:100] for t in body.remove]))


class CapturedPromiseIn(Strict):
    what: str = Field(min_length=1, max_length=2000)
    mine: bool = Field(default=True, description="True: I owe them; false: they owe me")
    due: date | None = None


class CaptureIn(InteractionIn):
    promises: list[CapturedPromiseIn] = Field(default_factory=list, max_length=20)
    agreed_promises: bool = Field(
        default=False, description="Each agreed item also becomes a promise I owe")


@router.post("/captures", status_code=201, responses=WRITE, tags=["interactions"],
             summary="Quick capture: a conversation, its contract and promises both ways")
def capture(svc: Svc, body: CaptureIn) -> JSONResponse:
    fields = body.model_dump(exclude={"promises", "agreed_promises"})
    fields["when"] = svc.dates.moment(body.when, field="when")
    promises = [NewPromise(p.what, p.mine, p.due) for p in body.promises]
    return created(svc.interactions.capture(NewInteraction(**fields), promises,
                                            agreed_promises=body.agreed_promises))


@router.post("/interactions/{interaction}/agreed/{index}/promise", status_code=201,
             responses=WRITE, tags=["interactions"],
             summary="Make an agreed item of a conversation a promise I owe")
def promise_agreed(svc: Svc, interaction: str,
                   index: Annotated[int, Path(ge=0, le=49)]) -> JSONResponse:
    return created(svc.interactions.promise_agreed(interaction, index))


@router.get("/alliances-agenda", responses=READ_ONE, tags=["alliances"],
            summary="Alliance work due: decisions, check-ins, forums, objectives")
def alliance_agenda(svc: Svc, limit: Annotated[int, Query(ge=1, le=500)] = 20
                    ) -> JSONResponse:
    items = svc.alliance_agenda.today(limit)
    return ok({"total": len(items), "items": items})


@router.get("/alliances/{alliance}/raci/findings", responses=READ_ONE, tags=["alliances"],
            summary="The RACI checks that fail, each with its reason")
def raci_findings(svc: Svc, alliance: str) -> JSONResponse:
    items = svc.alliance_views.raci_findings(alliance)
    return ok({"total": len(items), "items": items})


@router.get("/database", responses=READ_ONE, tags=["database"],
            summary="Where the database is and what it holds")
def database_info(svc: Svc) -> JSONResponse:
    return ok(svc.database.info())
