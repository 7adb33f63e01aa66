"""REST API for alliances, part one: the portfolio, the record, partners, documents,
the lifecycle, the views (health, findings, scorecard) and the private links
(docs/alliance-management.md, docs/private-links.md). Working items are in api_alliance_work.py."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from kithbook.domain.alliances.records import Alliance, Document, Partner, StageMove
from kithbook.services.alliance_views import HealthView, Overview, PortfolioLine, Scorecard
from kithbook.services.alliances import AllianceChanges, GateView, NewAlliance, StageResult
from kithbook.services.links import IssuedLink, LinkInfo
from kithbook.web.api_alliance_models import (
    AllianceIn,
    AlliancePatch,
    ContactIn,
    DepartureIn,
    DocumentIn,
    LinkIn,
    PartnerIn,
    PartnerPatch,
    StageIn,
)
from kithbook.web.api_models import READ_ONE, WRITE, Page
from kithbook.web.api_records import Svc, created, ok

router = APIRouter()
TAG: list[str | Enum] = ["alliances"]
LINKS: list[str | Enum] = ["private links"]


@router.get("/alliances", response_model=Page, responses=READ_ONE, tags=TAG,
            summary="The portfolio: every live alliance with health, findings and gate")
def portfolio(svc: Svc, stage: Annotated[str | None, Query(max_length=20)] = None
              ) -> JSONResponse:
    items: list[PortfolioLine] = svc.alliance_views.portfolio(stage=stage)
    return ok({"items": items, "total": len(items), "limit": len(items), "offset": 0})


@router.post("/alliances", status_code=201, response_model=Alliance, responses=WRITE,
             tags=TAG, summary="Start an alliance (explore stage)")
def create(svc: Svc, body: AllianceIn) -> JSONResponse:
    return created(svc.alliances.create(NewAlliance(**body.model_dump())))


@router.get("/alliances/{alliance}", response_model=Overview, responses=READ_ONE, tags=TAG,
            summary="Everything about one alliance (by id or name)")
def overview(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_views.overview(alliance))


@router.patch("/alliances/{alliance}", response_model=Alliance, responses=WRITE, tags=TAG,
              summary="Change an alliance's details, dates, termination reason, lessons")
def edit(svc: Svc, alliance: str, body: AlliancePatch) -> JSONResponse:
    return ok(svc.alliances.edit(alliance, AllianceChanges(**body.model_dump())))


@router.post("/alliances/{alliance}/archive", response_model=Alliance, responses=WRITE,
             tags=TAG, summary="Archive an alliance (undo restores it)")
def archive(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliances.archive(alliance))


@router.post("/alliances/{alliance}/restore", response_model=Alliance, responses=WRITE,
             tags=TAG, summary="Bring an archived alliance back")
def restore(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliances.restore(alliance))


@router.post("/alliances/{alliance}/partners", status_code=201, response_model=Partner,
             responses=WRITE, tags=TAG,
             summary="Add a partner (an organization) with sponsor and contacts")
def add_partner(svc: Svc, alliance: str, body: PartnerIn) -> JSONResponse:
    return created(svc.alliances.add_partner(
        alliance, body.org, sponsor=body.sponsor, role=body.role, share_bp=body.share_bp,
        contacts=body.contacts, us=body.us))


@router.patch("/alliances/{alliance}/partners/{partner}", response_model=Partner,
              responses=WRITE, tags=TAG,
              summary="Change a partner's sponsor, role or share, or record that it left")
def edit_partner(svc: Svc, alliance: str, partner: str, body: PartnerPatch) -> JSONResponse:
    return ok(svc.alliances.edit_partner(alliance, partner, sponsor=body.sponsor,
                                         role=body.role, share_bp=body.share_bp,
                                         left_on=body.left_on))


@router.post("/alliances/{alliance}/partners/{partner}/contacts", response_model=Partner,
             responses=WRITE, tags=TAG, summary="A person joins on a partner's side")
def add_contact(svc: Svc, alliance: str, partner: str, body: ContactIn) -> JSONResponse:
    return ok(svc.alliances.add_contact(alliance, partner, body.person, body.role))


@router.post("/alliances/{alliance}/departures", response_model=Partner, responses=WRITE,
             tags=TAG, summary="A contact left the alliance")
def depart(svc: Svc, alliance: str, body: DepartureIn) -> JSONResponse:
    return ok(svc.alliances.depart_contact(alliance, body.person, body.on))


@router.post("/alliances/{alliance}/documents", status_code=201, response_model=Document,
             responses=WRITE, tags=TAG, summary="Record a document (a link or a file path)")
def add_document(svc: Svc, alliance: str, body: DocumentIn) -> JSONResponse:
    return created(svc.alliances.add_document(alliance, body.title, body.location, body.kind))


@router.get("/alliances/{alliance}/gate", response_model=GateView, responses=READ_ONE,
            tags=TAG, summary="What blocks the next lifecycle stage")
def gate(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliances.gate(alliance))


@router.post("/alliances/{alliance}/stage", response_model=StageResult, responses=WRITE,
             tags=TAG, summary="Move to another stage (past unmet criteria only with force)")
def move(svc: Svc, alliance: str, body: StageIn) -> JSONResponse:
    return ok(svc.alliances.move(alliance, body.to, force=body.force, reason=body.reason))


@router.get("/alliances/{alliance}/stages", response_model=list[StageMove],
            responses=READ_ONE, tags=TAG, summary="The stage log, forced moves marked")
def stages(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliances.stage_log(alliance))


@router.get("/alliances/{alliance}/health", response_model=HealthView, responses=READ_ONE,
            tags=TAG, summary="Health per side and combined, weakest factor, coverage, trend")
def health(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_views.health(alliance))


@router.get("/alliances/{alliance}/findings", response_model=Page, responses=READ_ONE,
            tags=TAG, summary="RACI checks, communication alerts, pacing and perception gaps")
def findings(svc: Svc, alliance: str,
             communication: Annotated[bool, Query(description="Only communication")] = False
             ) -> JSONResponse:
    items = (svc.alliance_views.communication(alliance) if communication
             else svc.alliance_views.findings(alliance))
    return ok({"items": items, "total": len(items), "limit": len(items), "offset": 0})


@router.get("/alliances/{alliance}/scorecard", response_model=Scorecard, responses=READ_ONE,
            tags=TAG, summary="The quarterly scorecard's figures")
def scorecard(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_views.scorecard(alliance))


# -- private links -------------------------------------------------------------------------


@router.post("/alliances/{alliance}/links", status_code=201, response_model=IssuedLink,
             responses=WRITE, tags=LINKS,
             summary="A private link for a partner's contact (goal, decision, health check)")
def send_link(svc: Svc, alliance: str, body: LinkIn) -> JSONResponse:
    return created(svc.alliance_links.send(alliance, body.item, body.to, days=body.days))


@router.get("/alliances/{alliance}/links", response_model=list[LinkInfo], responses=READ_ONE,
            tags=LINKS, summary="Links sent for this alliance, newest first")
def alliance_links(svc: Svc, alliance: str) -> JSONResponse:
    return ok(svc.alliance_links.list(alliance))


@router.get("/links", response_model=Page, responses=READ_ONE, tags=LINKS,
            summary="Every private link, newest first, with its status")
def links(svc: Svc, purpose: Annotated[str | None, Query(max_length=40)] = None
          ) -> JSONResponse:
    items = svc.links.list(purpose_name=purpose)
    return ok({"items": items, "total": len(items), "limit": len(items), "offset": 0})


@router.get("/links/{link}", response_model=LinkInfo, responses=READ_ONE, tags=LINKS,
            summary="One private link: status and answer")
def link(svc: Svc, link: str) -> JSONResponse:
    return ok(svc.links.get(link))


@router.post("/links/{link}/revoke", response_model=LinkInfo, responses=WRITE, tags=LINKS,
             summary="Withdraw a private link at once")
def revoke(svc: Svc, link: str) -> JSONResponse:
    return ok(svc.links.revoke(link))
