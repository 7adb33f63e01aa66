"""Web pages for alliance economics (docs/economics.md): an agreement's statements,
period by period, and one statement as a printable page (the same HTML a partner gets
as a file)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from kithbook.services.app import Services
from kithbook.web.app import html, services

router = APIRouter(include_in_schema=False)
Svc = Annotated[Services, Depends(services)]


@router.get("/money")
def agreements(request: Request, svc: Svc) -> Response:
    return html(request, "money.html", {"agreements": svc.economics.agreements(),
                                        "agreement": None, "statements": []})


@router.get("/money/{agreement}")
def agreement(request: Request, agreement: str, svc: Svc) -> Response:
    ag = svc.economics.show(agreement)
    rows = svc.economics.statements(ag.id) if ag.kind == "royalty" else []
    return html(request, "money.html", {"agreements": [], "agreement": ag,
                                        "statements": rows})


@router.get("/money/{agreement}/{period}")
def statement(agreement: str, period: str, svc: Svc,
              party: Annotated[str | None, Query(max_length=300)] = None) -> Response:
    f = svc.economics.statement_file(agreement, period, party, "html")
    return HTMLResponse(f.text)
