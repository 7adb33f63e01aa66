"""REST API under /api/v1: people and notes here; organizations, ties, interactions,
promises, tags, search and import in api_records.py. Thin translation over services."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from kithbook.services.people import NewPerson
from kithbook.web import (
    api_alliance_work,
    api_alliances,
    api_capture,
    api_craft,
    api_crowds,
    api_economics,
    api_network,
    api_owner,
    api_records,
)
from kithbook.web.api_models import (
    COMMON,
    READ_ONE,
    WRITE,
    NoteIn,
    Page,
    PeoplePage,
    PersonIn,
    PersonPatch,
)
from kithbook.web.api_records import Limit, Offset, Svc, Text, created, ok, page
from kithbook.web.prefix_router import PrefixRouter

router = PrefixRouter(prefix="/api/v1", responses=COMMON)


@router.get(
    "/people", response_model=PeoplePage, responses=READ_ONE, tags=["people"],
    summary="List people",
)
def list_people(
    svc: Svc,
    q: Annotated[str | None, Query(
        max_length=100, description="A word of the name starts with each word typed")] = None,
    tag: Text = None,
    tier: Annotated[str | None, Query(pattern="^[ABCabc]$")] = None,
    stage: Annotated[
        str | None, Query(pattern="^(target|met|rapport|mutual_help|advocate|dormant)$")
    ] = None,
    org: Text = None,
    touched_before: Annotated[
        datetime | None, Query(description="Last touched before (or never)")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    found = svc.people.list(
        name_prefix=q or None,
        tag=tag or None,
        tier=tier,
        stage=stage,
        org=org or None,
        touched_before=touched_before,
        limit=limit,
        offset=offset,
    )
    return page(found.items, found.total, limit, offset,
                total_is_lower_bound=found.total_is_lower_bound)


@router.post(
    "/people", status_code=201, responses=WRITE, tags=["people"], summary="Add a person"
)
def add_person(svc: Svc, body: PersonIn) -> JSONResponse:
    return created(svc.people.add(NewPerson(**body.model_dump())))


@router.get(
    "/people/{person}", responses=READ_ONE, tags=["people"],
    summary="Everything about one person (by id, email or name)",
)
def show_person(
    svc: Svc, person: str, timeline_limit: Annotated[int, Query(ge=0, le=200)] = 20
) -> JSONResponse:
    return ok(svc.people.show(person, timeline_limit=timeline_limit))


@router.patch("/people/{person}", responses=WRITE, tags=["people"], summary="Edit a person")
def edit_person(svc: Svc, person: str, body: PersonPatch) -> JSONResponse:
    return ok(svc.people.edit(person, **body.model_dump()).to_dict())


@router.delete(
    "/people/{person}", responses=WRITE, tags=["people"],
    summary="Move a person to the trash (undo with the returned batch id)",
)
def delete_person(svc: Svc, person: str) -> JSONResponse:
    removed, batch = svc.people.delete(person)
    return ok({"deleted": removed.to_dict(), "undo_batch": batch})


@router.get(
    "/people/{person}/timeline", response_model=Page, responses=READ_ONE,
    tags=["interactions"], summary="Interactions with a person, newest first",
)
def timeline(svc: Svc, person: str, limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    items, total = svc.interactions.timeline(person, limit=limit, offset=offset)
    return page(items, total, limit, offset)


@router.get(
    "/people/{person}/ties", responses=READ_ONE, tags=["ties"], summary="Ties of a person"
)
def ties_of(svc: Svc, person: str) -> JSONResponse:
    items = svc.ties.of(person)
    return page(items, len(items), len(items), 0)


@router.get(
    "/people/{person}/notes", responses=READ_ONE, tags=["notes"], summary="Notes on a person"
)
def notes_of(svc: Svc, person: str) -> JSONResponse:
    notes = svc.people.show(person, timeline_limit=0).notes
    return page(notes, len(notes), len(notes), 0)


@router.post(
    "/people/{person}/notes", status_code=201, responses=WRITE, tags=["notes"],
    summary="Add a Markdown note to a person",
)
def add_note(svc: Svc, person: str, body: NoteIn) -> JSONResponse:
    return created(svc.people.add_note(person, body.body))


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """A self-made API reference drawn from the OpenAPI schema: no CDN, no scripts."""
    schema = request.app.openapi()
    ops = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                f"{p['name']} ({p['in']}{', required' if p.get('required') else ''})"
                for p in op.get("parameters", [])
            ]
            body: dict[str, Any] = op.get("requestBody", {}).get("content", {})
            first: dict[str, Any] = next(iter(body.values()), {})
            ref = first.get("schema", {}).get("$ref", "")
            ops.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "tag": (op.get("tags") or ["other"])[0],
                    "params": params,
                    "body": ref.rsplit("/", 1)[-1] if ref else "",
                    "statuses": sorted(op.get("responses", {})),
                }
            )
    ops.sort(key=lambda o: (o["tag"], o["path"], o["method"]))
    templates = request.app.state.templates
    page: HTMLResponse = templates.TemplateResponse(
        request, "api_docs.html", {"ops": ops, "info": schema}
    )
    return page


router.include_router(api_records.router)
router.include_router(api_capture.router)
router.include_router(api_alliances.router)
router.include_router(api_alliance_work.router)
router.include_router(api_economics.router)
router.include_router(api_network.router)
router.include_router(api_craft.router)
router.include_router(api_crowds.router)
router.include_router(api_owner.router)
