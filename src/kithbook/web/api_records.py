"""REST resources other than people: organizations, ties, interactions, promises,
tags, search and import. Shared helpers for api.py live here too."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from kithbook.domain.models import as_dict
from kithbook.errors import InvalidInput
from kithbook.services.app import Services
from kithbook.services.interactions import NewInteraction
from kithbook.web.api_models import (
    READ_ONE,
    WRITE,
    InteractionIn,
    OrgIn,
    Page,
    PromiseClose,
    PromiseIn,
    TieIn,
    declared,
)
from kithbook.web.app import services

router = APIRouter()
Svc = Annotated[Services, Depends(services)]
Limit = Annotated[int, Query(ge=1, le=200, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]
Text = Annotated[str | None, Query(max_length=300)]
SEARCH_KINDS = ("person", "org", "interaction", "note")


def page(items: list[Any], total: int, limit: int, offset: int,
         **extra: Any) -> JSONResponse:
    """A list answer. Returned as a Response so FastAPI skips re-validating and
    re-encoding what the records already made JSON-ready (a third of the time)."""
    return JSONResponse({"items": as_dict(items), "total": total, "limit": limit,
                         "offset": offset, **as_dict(extra)})


def ok(data: Any) -> JSONResponse:
    return JSONResponse(as_dict(data))


def created(data: Any) -> JSONResponse:
    return JSONResponse(as_dict(data), status_code=201)


# -- organizations --------------------------------------------------------------------


@router.get(
    "/organizations", response_model=Page, tags=["organizations"], summary="List organizations"
)
def list_orgs(
    svc: Svc,
    q: Annotated[str | None, Query(max_length=100, description="Name starts with")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    orgs, total = svc.orgs.list(name_prefix=q or None, limit=limit, offset=offset)
    return page(orgs, total, limit, offset)


@router.post(
    "/organizations", status_code=201, responses=WRITE, tags=["organizations"],
    summary="Add an organization (or fill in a known one)",
)
def add_org(svc: Svc, body: OrgIn) -> JSONResponse:
    return created(svc.orgs.add(body.name, domain=body.domain, kind=body.kind, tags=body.tags))


@router.get(
    "/organizations/{org}", responses=READ_ONE, tags=["organizations"],
    summary="One organization and its people",
)
def show_org(svc: Svc, org: str) -> JSONResponse:
    return ok(svc.orgs.show(org).to_dict())


# -- ties -----------------------------------------------------------------------------


@router.post(
    "/ties", status_code=201, responses=WRITE, tags=["ties"],
    summary="Declare that two people know each other",
)
def add_tie(svc: Svc, body: TieIn) -> JSONResponse:
    return created(
        svc.ties.tie(
            body.a, body.b, kind=body.kind, strength=body.strength,
            since=svc.dates.day(body.since, field="since", past=True),
            note=body.note,
        )
    )


# -- interactions ---------------------------------------------------------------------


@router.get(
    "/interactions", response_model=Page, responses=READ_ONE, tags=["interactions"],
    summary="Interactions with a person, newest first",
)
def list_interactions(
    svc: Svc,
    person: Annotated[str, Query(min_length=1, max_length=300)],
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    items, total = svc.interactions.timeline(person, limit=limit, offset=offset)
    return page(items, total, limit, offset)


@router.post(
    "/interactions", status_code=201, responses=WRITE, tags=["interactions"],
    summary="Log an interaction",
)
def log_interaction(svc: Svc, body: InteractionIn) -> JSONResponse:
    fields = body.model_dump()
    fields["when"] = svc.dates.moment(body.when, field="when")
    return created(svc.interactions.log(NewInteraction(**fields)))


@router.get(
    "/interactions/{interaction}", responses=READ_ONE, tags=["interactions"],
    summary="One interaction",
)
def get_interaction(svc: Svc, interaction: str) -> JSONResponse:
    return ok(svc.interactions.get(interaction).to_dict())


# -- promises -------------------------------------------------------------------------


@router.get(
    "/promises", response_model=Page, responses=READ_ONE, tags=["promises"],
    summary="Promises, filtered by status, person and direction",
)
def list_promises(
    svc: Svc,
    status: Annotated[str, Query(pattern="^(open|done|broken|released|all)$")] = "open",
    person: Text = None,
    direction: Annotated[
        str | None, Query(pattern="^(mine|theirs)$", description="mine: I owe; theirs: owed me")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    items, total = svc.promises.list(
        status=None if status == "all" else status,
        person=person or None,
        direction=direction,
        limit=limit,
        offset=offset,
    )
    return page(items, total, limit, offset)


@router.post(
    "/promises", status_code=201, responses=WRITE, tags=["promises"],
    summary="Record a promise: `to` someone (I owe them) or `from` someone (they owe me)",
)
def make_promise(svc: Svc, body: PromiseIn) -> JSONResponse:
    return created(
        svc.promises.make(
            body.what, to=body.to, from_=body.from_, due=svc.dates.day(body.due, field="due"),
            interaction=body.interaction
        )
    )


@router.post(
    "/promises/{promise}/close", responses=WRITE, tags=["promises"],
    summary="Mark a promise done, broken or released",
)
def close_promise(svc: Svc, promise: str, body: PromiseClose) -> JSONResponse:
    return ok(svc.promises.close(promise, body.status, body.reason).to_dict())


@router.post(
    "/promises/{promise}/reopen", responses=WRITE, tags=["promises"], summary="Reopen a promise"
)
def reopen_promise(svc: Svc, promise: str) -> JSONResponse:
    return ok(svc.promises.reopen(promise).to_dict())


# -- tags and search ------------------------------------------------------------------


@router.get("/tags", tags=["tags"], summary="Every tag with how often it is used")
def list_tags(svc: Svc) -> JSONResponse:
    items = svc.settings.tags()
    return page(items, len(items), len(items), 0)


@router.get(
    "/search", tags=["search"], summary="One search over people, organizations, interactions "
    "and notes",
)
def search(
    svc: Svc,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    kinds: Annotated[
        str | None, Query(max_length=60, description="Comma list: person,org,interaction,note")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
) -> JSONResponse:
    wanted = tuple(k.strip() for k in (kinds or "").split(",") if k.strip()) or SEARCH_KINDS
    unknown = [k for k in wanted if k not in SEARCH_KINDS]
    if unknown:
        raise InvalidInput(
            f"unknown kind '{unknown[0]}'", field="kinds", hint=f"Use {', '.join(SEARCH_KINDS)}."
        )
    hits = svc.search.find(q, kinds=wanted, limit=limit)
    return page(hits, len(hits), limit, 0)


# -- import ---------------------------------------------------------------------------


@router.post(
    "/import", responses=declared(400, 403, 404, 409, 413, 421, 422, 503), tags=["import"],
    summary="Import a file sent as the raw body; dry_run=true (default) only previews",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def import_file(
    request: Request,
    svc: Svc,
    filename: Annotated[str, Query(min_length=1, max_length=200)] = "upload",
    format: Annotated[str | None, Query(max_length=40)] = None,
    dry_run: bool = True,
    with_content: bool = False,
) -> JSONResponse:
    """`with_content`: a LinkedIn archive's messages keep their words (default: dates,
    direction and subject only)."""
    from starlette.concurrency import run_in_threadpool

    data = await request.body()
    if not data:
        raise InvalidInput("the request body is empty; send the file's bytes.", field="body")
    opts = {"with_content": True} if with_content else {}
    report = await run_in_threadpool(
        lambda: svc.transfer.import_bytes(data, filename=filename, fmt=format or None,
                                          dry_run=dry_run, **opts))
    return ok(report)
