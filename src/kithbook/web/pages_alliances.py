"""Alliance pages (docs/alliance-management.md): the portfolio, one alliance with every section,
the RACI grid with its checks, the quarterly scorecard (and its printable file), and
two forms: move the stage, send a private link to a partner's contact (the other
forms of the page: web/pages_alliance_forms.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from kithbook.domain.alliances.facts import (
    CONTRIBUTION_KINDS,
    DECISION_KINDS,
    DIMENSION_LABELS,
    DOCUMENT_KINDS,
    EXIT_ITEM_KINDS,
    FORUM_LAYERS,
    OBLIGATION_KINDS,
    REVIEW_OUTCOMES,
    STAGES,
    TERMINATION_CODES,
    TYPES,
)
from kithbook.errors import KithbookError
from kithbook.services.app import Services
from kithbook.web.app import html, services
from kithbook.web.pages_forms import form_data

router = APIRouter(include_in_schema=False)
# the choices the page's forms offer (web/pages_alliance_forms.py handles them)
CHOICES = {"types": TYPES, "contribution_kinds": CONTRIBUTION_KINDS,
           "decision_kinds": DECISION_KINDS, "outcomes": REVIEW_OUTCOMES,
           "document_kinds": DOCUMENT_KINDS, "exit_kinds": EXIT_ITEM_KINDS,
           "layers": FORUM_LAYERS, "obligation_kinds": OBLIGATION_KINDS,
           "termination_codes": TERMINATION_CODES}
Svc = Annotated[Services, Depends(services)]
Form = Annotated[dict[str, Any], Depends(form_data)]


@router.get("/alliances")
def portfolio(request: Request, svc: Svc,
              stage: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    chosen = stage if stage in STAGES else None
    lines = svc.alliance_views.portfolio(stage=chosen)
    return html(request, "alliances.html", {"lines": lines, "stages": STAGES,
                                            "stage": chosen or "", "today": svc.today})


def _alliance_page(request: Request, svc: Services, alliance: str, *,
                   sent: Any = None, error: KithbookError | None = None,
                   saved: str | None = None, undo: str | None = None,
                   status: int = 200) -> Response:
    view = svc.alliance_views.overview(alliance)
    links = svc.alliance_links.list(view.id)
    return html(request, "alliance.html", {
        "v": view, "links": links, "sent": sent, "error": error, "today": svc.today,
        "stages": STAGES, "grid": raci_grid(view.activities, view.findings),
        "choices": CHOICES, "saved": saved, "undo": undo}, status)


def alliance_error(request: Request, svc: Services, alliance: str,
                   exc: KithbookError) -> Response:
    """The alliance page again, with the refusal's message on top."""
    return _alliance_page(request, svc, alliance, error=exc,
                          status=exc.http_status if exc.http_status < 500 else 422)


@router.get("/alliances/{alliance}")
def alliance_page(request: Request, alliance: str, svc: Svc,
                  saved: Annotated[str | None, Query(max_length=300)] = None,
                  undo: Annotated[str | None, Query(pattern=r"^bat_[a-z0-9]{16}$")] = None
                  ) -> Response:
    return _alliance_page(request, svc, alliance, saved=saved, undo=undo)


def raci_grid(activities: list[Any], findings: list[Any]) -> dict[str, Any]:
    """Rows are activities, columns the role holders (a party, or a named person of
    it), cells the letters; each row carries the codes of the checks it fails."""
    columns: dict[str, dict[str, Any]] = {}
    for act in activities:
        for e in act.raci:
            columns.setdefault(e.id, {"id": e.id, "name": e.name, "party": e.party.name})
    ordered = sorted(columns.values(), key=lambda c: (c["party"], c["id"]))
    by_subject: dict[str, list[Any]] = {}
    for f in findings:
        if f.code.startswith("R") and f.subject_id:
            by_subject.setdefault(f.subject_id, []).append(f)
    rows = [{"activity": act, "cells": {e.id: e.letters for e in act.raci},
             "findings": by_subject.get(act.id, [])} for act in activities]
    return {"columns": ordered, "rows": rows}


@router.get("/alliances/{alliance}/raci")
def raci_page(request: Request, alliance: str, svc: Svc) -> Response:
    view = svc.alliance_views.overview(alliance)
    raci = [f for f in view.findings if f.code[:1] == "R" and f.code[1:].isdigit()]
    return html(request, "alliance_raci.html", {
        "v": view, "grid": raci_grid(view.activities, raci), "findings": raci})


@router.get("/alliances/{alliance}/scorecard")
def scorecard_page(request: Request, alliance: str, svc: Svc,
                   download: Annotated[int, Query(ge=0, le=1)] = 0) -> Response:
    from kithbook.io.scorecard import charts, scorecard_html

    card = svc.alliance_views.scorecard(alliance)
    if download:
        name = f"scorecard-{card.id}-{card.as_of.isoformat()}.html"
        return Response(scorecard_html(card), media_type="text/html; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})
    return html(request, "alliance_scorecard.html", {
        "card": card, "charts": charts(card), "labels": DIMENSION_LABELS})


@router.post("/alliances/{alliance}/stage")
def move_stage(request: Request, alliance: str, svc: Svc, form: Form) -> Response:
    try:
        result = svc.alliances.move(alliance, str(form.get("to") or "next"),
                                    force=bool(form.get("force")),
                                    reason=str(form.get("reason") or "") or None)
    except KithbookError as exc:
        return alliance_error(request, svc, alliance, exc)
    return RedirectResponse(f"/alliances/{result.id}", status_code=303)


@router.post("/alliances/{alliance}/send")
def send_link(request: Request, alliance: str, svc: Svc, form: Form) -> Response:
    try:
        issued = svc.alliance_links.send(alliance, str(form.get("item") or ""),
                                         str(form.get("to") or ""))
    except KithbookError as exc:
        return alliance_error(request, svc, alliance, exc)
    return _alliance_page(request, svc, alliance, sent=issued)
