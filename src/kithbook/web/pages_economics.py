"""Web pages for alliance economics (docs/economics.md): an agreement's statements,
period by period, and one statement as a printable page (the same HTML a partner gets
as a file); a buying group's page: its members and their documented baselines, the
season's ledger, the gain allocated by equal price, pro rata and Shapley side by side
with every figure explained, its issued settlements with the members' answers, and
five forms (a new member, a member's baseline, an order, rebate, cost or transfer, the
method the members agreed, issuing the settlement)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kithbook.domain.economics.buying import METHODS
from kithbook.domain.economics.savings import BASELINE_KINDS
from kithbook.errors import KithbookError
from kithbook.services.app import Services
from kithbook.services.economics_base import NewEntry
from kithbook.web.app import html, services
from kithbook.web.pages_forms import Form

router = APIRouter(include_in_schema=False)
Svc = Annotated[Services, Depends(services)]
GROUP_KINDS = ("order", "rebate", "cost", "transfer")


@router.get("/money")
def agreements(request: Request, svc: Svc) -> Response:
    return html(request, "money.html", {"agreements": svc.economics.agreements(),
                                        "agreement": None, "statements": []})


@router.get("/money/{agreement}")
def agreement(request: Request, agreement: str, svc: Svc) -> Response:
    return _agreement_page(request, svc, agreement)


def _agreement_page(request: Request, svc: Services, agreement: str, *,
                    error: KithbookError | None = None, status: int = 200) -> Response:
    ag = svc.economics.show(agreement)
    rows = svc.economics.statements(ag.id) if ag.kind == "royalty" else []
    group: dict[str, object] = {}
    if ag.kind == "buying":
        group["ledger"] = svc.economics.ledger(ag.id)
        try:
            group["settlement"] = svc.economics_deals.settle(ag.id)
        except KithbookError as exc:  # e.g. a member without a documented baseline
            group["blocked"] = exc
        group.update(methods=METHODS, baseline_kinds=BASELINE_KINDS, entry_kinds=GROUP_KINDS,
                     today=svc.today)
    return html(request, "money.html", {"agreements": [], "agreement": ag,
                                        "statements": rows, "group": group, "error": error},
                status)


def _refused(request: Request, svc: Services, agreement: str, exc: KithbookError) -> Response:
    return _agreement_page(request, svc, agreement, error=exc,
                           status=exc.http_status if exc.http_status < 500 else 422)


def _text(form: dict[str, object], name: str) -> str | None:
    value = str(form.get(name) or "").strip()
    return value or None


def _submit(request: Request, svc: Services, agreement: str, anchor: str,
            action: Callable[[], object]) -> Response:
    """Run one form's use case: refused, the group's page again with the error and what
    to fix; done, back to the part of the page it changed (post, redirect, get)."""
    try:
        action()
    except KithbookError as exc:
        return _refused(request, svc, agreement, exc)
    return RedirectResponse(f"/money/{agreement}#{anchor}", status_code=303)


@router.post("/money/{agreement}/book")
def book(request: Request, agreement: str, svc: Svc, form: Form) -> Response:
    """An order (a member bought units at a price), a rebate or a cost of the group, or a
    settlement transfer to a member."""
    return _submit(request, svc, agreement, "ledger", lambda: svc.economics.book(
        agreement, NewEntry(
            kind=str(form.get("kind") or ""), on=_text(form, "on"),
            amount=_text(form, "amount"), units=_text(form, "units"),
            party=_text(form, "party"), ref=_text(form, "ref"))))


@router.post("/money/{agreement}/member")
def add_member(request: Request, agreement: str, svc: Svc, form: Form) -> Response:
    return _submit(request, svc, agreement, "members", lambda: svc.economics_deals.add_member(
        agreement, str(form.get("member") or "")))


@router.post("/money/{agreement}/baseline")
def baseline(request: Request, agreement: str, svc: Svc, form: Form) -> Response:
    return _submit(request, svc, agreement, "members", lambda: svc.economics_deals.baseline(
        agreement, str(form.get("member") or ""), _text(form, "unit_price") or "",
        str(form.get("kind") or "paid"), str(form.get("source") or ""),
        _text(form, "dated") or "", volume=_text(form, "volume")))


@router.post("/money/{agreement}/agree")
def agree(request: Request, agreement: str, svc: Svc, form: Form) -> Response:
    return _submit(request, svc, agreement, "allocation", lambda: svc.economics_deals.agree(
        agreement, str(form.get("method") or "")))


@router.post("/money/{agreement}/issue-settlement")
def issue_settlement(request: Request, agreement: str, svc: Svc, form: Form) -> Response:
    return _submit(request, svc, agreement, "settlements",
                   lambda: svc.economics_deals.issue_settlement(agreement,
                                                                _text(form, "through")))


@router.get("/money/{agreement}/{period}")
def statement(agreement: str, period: str, svc: Svc,
              party: Annotated[str | None, Query(max_length=300)] = None) -> Response:
    f = svc.economics.statement_file(agreement, period, party, "html")
    return HTMLResponse(f.text)
