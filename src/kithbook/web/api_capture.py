"""REST resources for capture: sources, runs and their reports, the review list of
proposed people. Thin translation over `CaptureService` (docs/capture.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from kithbook.services.capture import NewSource
from kithbook.web.api_models import READ_ONE, WRITE, Page, Strict
from kithbook.web.api_records import Limit, Offset, Svc, created, ok, page

router = APIRouter(tags=["capture"])
Seconds = Annotated[float, Query(gt=0, le=3600, description="Stop cleanly after this long")]
Items = Annotated[int | None, Query(ge=1, le=10_000_000, description="Stop after about "
                                    "this many messages or meetings")]


class SourceIn(Strict):
    kind: str = Field(pattern="^(mbox|maildir|imap|ics|caldav)$")
    name: str = Field(min_length=1, max_length=100)
    location: str = Field(min_length=1, max_length=2000)
    privacy: str = Field(default="metadata", pattern="^(metadata|subject|snippet)$")
    never: list[str] = Field(default_factory=list, max_length=500)
    me: list[str] = Field(default_factory=list, max_length=50)
    folders: list[str] = Field(default_factory=list, max_length=50)
    user: str | None = Field(default=None, max_length=320)
    port: int | None = Field(default=None, ge=1, le=65535)
    starttls: bool = False
    ca_file: str | None = Field(default=None, max_length=2000)
    since: date | None = None
    default_never: bool = True
    password: str | None = Field(default=None, max_length=1000,
                                 description="Kept in the OS keyring, never in the database")


class SourceEdit(Strict):
    privacy: str | None = Field(default=None, pattern="^(metadata|subject|snippet)$")
    never_add: list[str] = Field(default_factory=list, max_length=500)
    never_remove: list[str] = Field(default_factory=list, max_length=500)
    me_add: list[str] = Field(default_factory=list, max_length=50)
    folders: list[str] | None = Field(default=None, max_length=50)
    password: str | None = Field(default=None, max_length=1000)


class Addresses(Strict):
    addresses: list[str] = Field(default_factory=list, max_length=1000)
    all: bool = False


@router.get("/capture/sources", response_model=Page, summary="List capture sources")
def list_sources(svc: Svc) -> JSONResponse:
    items = svc.capture.sources()
    return page(items, len(items), len(items) or 1, 0)


@router.post("/capture/sources", status_code=201, responses=WRITE,
             summary="Add a mail or calendar source")
def add_source(svc: Svc, body: SourceIn) -> JSONResponse:
    data = body.model_dump(exclude={"password"})
    return created(svc.capture.add(NewSource(**data), password=body.password))


@router.get("/capture/sources/{source}", responses=READ_ONE, summary="One capture source")
def get_source(svc: Svc, source: str) -> JSONResponse:
    return ok(svc.capture.get(source))


@router.patch("/capture/sources/{source}", responses=WRITE,
              summary="Change what a source keeps")
def edit_source(svc: Svc, source: str, body: SourceEdit) -> JSONResponse:
    return ok(svc.capture.edit(source, privacy=body.privacy, never_add=body.never_add,
                               never_remove=body.never_remove, me_add=body.me_add,
                               folders=body.folders, password=body.password))


@router.delete("/capture/sources/{source}", responses=WRITE,
               summary="Stop capturing from a source (what it captured stays)")
def remove_source(svc: Svc, source: str) -> JSONResponse:
    return ok(svc.capture.remove(source))


@router.post("/capture/runs", response_model=Page, responses=WRITE,
             summary="Run capture (all sources, or the ones named)")
def run(svc: Svc, source: Annotated[list[str] | None, Query(max_length=50)] = None,
        max_seconds: Seconds = 60, max_items: Items = None) -> JSONResponse:
    reports = svc.capture.run(source or None, max_seconds=max_seconds, max_items=max_items)
    return page(reports, len(reports), len(reports) or 1, 0)


@router.get("/capture/runs", response_model=Page, responses=READ_ONE,
            summary="What recent runs saw, kept, skipped (and why) and proposed")
def report(svc: Svc, source: Annotated[str | None, Query(max_length=100)] = None,
           limit: Limit = 20) -> JSONResponse:
    reports = svc.capture.report(source, limit=limit)
    return page(reports, len(reports), limit, 0)


@router.get("/capture/review", response_model=Page, responses=READ_ONE,
            summary="Correspondents proposed as new people")
def review(svc: Svc, status: Annotated[str, Query(
        pattern="^(proposed|seen|accepted|dismissed)$")] = "proposed",
           limit: Limit = 50, offset: Offset = 0) -> JSONResponse:
    items, total = svc.capture.review(status=status, limit=limit, offset=offset)
    return page(items, total, limit, offset)


@router.post("/capture/review/accept", response_model=Page, responses=WRITE,
             summary="Make proposed correspondents people, with their captured history")
def accept(svc: Svc, body: Addresses) -> JSONResponse:
    people = svc.capture.accept(body.addresses, everyone=body.all)
    return page(people, len(people), len(people) or 1, 0)


@router.post("/capture/review/dismiss", responses=WRITE,
             summary="Never propose these correspondents again")
def dismiss(svc: Svc, body: Addresses) -> JSONResponse:
    return ok(svc.capture.dismiss(body.addresses))
