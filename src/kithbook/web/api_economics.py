"""REST API for alliance economics (docs/economics.md): agreements, the ledger,
statements (JSON, CSV or printable HTML, per party), issue, answers, private links,
reconciliation, buying-group settlement, bids and the exit settlement. Thin
translation over services/economics.py and services/economics_deals.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import Field

from kithbook.services.economics_base import NewEntry, NewRoyalty, ReportLineIn
from kithbook.web.api_models import READ_ONE, WRITE, Strict
from kithbook.web.api_records import Svc, created, ok

router = APIRouter()
TAG: list[str | Enum] = ["alliance economics"]
Amount = Decimal | str | None
Opt = Annotated[str | None, Query(max_length=40)]


class RoyaltyIn(Strict):
    name: str = Field(min_length=1, max_length=300)
    payer: str = Field(min_length=1, max_length=300)
    payees: list[str] = Field(min_length=1, max_length=20)
    start: date
    rate: Amount = None
    tiers: list[str] = Field(default_factory=list, max_length=50)
    period_months: int = Field(default=3, ge=1, le=12)
    basis: str = Field(default="net", max_length=10)
    tier_mode: str = Field(default="marginal", max_length=10)
    tier_window: str = Field(default="period", max_length=20)
    negative_policy: str = Field(default="floor", max_length=20)
    minimum_per_year: Amount = None
    cap_royalty_per_year: Amount = None
    cap_base_per_year: Amount = None
    end: date | None = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)


class RateIn(Strict):
    effective_from: date
    rate: Amount = None
    tiers: list[str] = Field(default_factory=list, max_length=50)
    note: str | None = Field(default=None, max_length=2000)


class EntryIn(Strict):
    kind: str = Field(min_length=1, max_length=12)
    on: date | None = None
    amount: Amount = None
    units: Amount = None
    party: str | None = Field(default=None, max_length=300)
    ref: str | None = Field(default=None, max_length=200)
    product: str | None = Field(default=None, max_length=200)
    booked: date | None = None
    note: str | None = Field(default=None, max_length=2000)


class ReverseIn(Strict):
    note: str | None = Field(default=None, max_length=2000)
    booked: date | None = None


class IssueIn(Strict):
    period: str | None = Field(default=None, max_length=10)


class AnswerIn(Strict):
    party: str = Field(min_length=1, max_length=300)
    verdict: str = Field(min_length=1, max_length=10)
    comment: str | None = Field(default=None, max_length=4000)


class SendIn(Strict):
    to: str = Field(min_length=1, max_length=300)
    days: int = Field(default=14, ge=1, le=180)


class ReportLineBody(Strict):
    key: str = Field(min_length=1, max_length=200)
    units: Amount = None
    net: Amount = None
    royalty: Amount = None


class ReconcileIn(Strict):
    period: str = Field(min_length=1, max_length=10)
    party: str = Field(min_length=1, max_length=300)
    lines: list[ReportLineBody] = Field(min_length=1, max_length=10_000)
    source: str = Field(default="report", max_length=300)
    dry_run: bool = True


class GroupIn(Strict):
    name: str = Field(min_length=1, max_length=300)
    item: str = Field(min_length=1, max_length=300)
    members: list[str] = Field(min_length=2, max_length=30)
    prices: list[str] = Field(min_length=1, max_length=50)
    mode: str = Field(default="all_units", max_length=10)
    rebates: list[str] = Field(default_factory=list, max_length=50)
    rebate_mode: str = Field(default="all_units", max_length=10)
    rebate_pct: Amount = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)


class BaselineIn(Strict):
    member: str = Field(min_length=1, max_length=300)
    unit_price: Decimal | str
    kind: str = Field(default="paid", max_length=10)
    source: str = Field(min_length=1, max_length=300)
    dated: date
    volume: Amount = None
    index: Amount = None


class MemberIn(Strict):
    member: str = Field(min_length=1, max_length=300)


class AgreeIn(Strict):
    method: str = Field(min_length=1, max_length=20)


class IssueSettlementIn(Strict):
    through: date | None = None


class SettlementAnswerIn(Strict):
    member: str = Field(min_length=1, max_length=300)
    verdict: str = Field(min_length=1, max_length=10)
    comment: str | None = Field(default=None, max_length=4000)


@router.get("/alliances/{alliance}/agreements", responses=READ_ONE, tags=TAG,
            summary="The alliance's money agreements")
def agreements(svc: Svc, alliance: str) -> JSONResponse:
    items = svc.economics.agreements(alliance)
    return ok({"items": items, "total": len(items), "limit": len(items), "offset": 0})


@router.post("/alliances/{alliance}/royalties", status_code=201, responses=WRITE, tags=TAG,
             summary="A royalty or revenue-share agreement")
def new_royalty(svc: Svc, alliance: str, body: RoyaltyIn) -> JSONResponse:
    return created(svc.economics.new_royalty(alliance, NewRoyalty(**body.model_dump())))


@router.post("/alliances/{alliance}/buying-groups", status_code=201, responses=WRITE,
             tags=TAG, summary="A joint-purchasing group and the supplier's schedule")
def new_group(svc: Svc, alliance: str, body: GroupIn) -> JSONResponse:
    b = body.model_dump()
    return created(svc.economics_deals.new_group(
        alliance, b.pop("name"), b.pop("item"), b.pop("members"), b.pop("prices"), **b))


@router.get("/agreements/{agreement}", responses=READ_ONE, tags=TAG,
            summary="One agreement with its terms")
def show(svc: Svc, agreement: str) -> JSONResponse:
    return ok(svc.economics.show(agreement))


@router.post("/agreements/{agreement}/rates", responses=WRITE, tags=TAG,
             summary="New rates from a date (earlier sales keep the old ones)")
def add_rate(svc: Svc, agreement: str, body: RateIn) -> JSONResponse:
    return ok(svc.economics.add_rate(agreement, body.effective_from, body.rate, body.tiers,
                                     body.note))


@router.get("/agreements/{agreement}/entries", responses=READ_ONE, tags=TAG,
            summary="The agreement's ledger, oldest first")
def ledger(svc: Svc, agreement: str) -> JSONResponse:
    items = svc.economics.ledger(agreement)
    return ok({"items": items, "total": len(items), "limit": len(items), "offset": 0})


@router.post("/agreements/{agreement}/entries", status_code=201, responses=WRITE, tags=TAG,
             summary="Add a ledger entry (never edited: reverse a mistake)")
def book(svc: Svc, agreement: str, body: EntryIn) -> JSONResponse:
    return created(svc.economics.book(agreement, NewEntry(**body.model_dump())))


@router.post("/agreements/{agreement}/entries/{seq}/reverse", status_code=201,
             responses=WRITE, tags=TAG, summary="Reverse a ledger entry")
def reverse(svc: Svc, agreement: str, seq: int, body: ReverseIn) -> JSONResponse:
    return created(svc.economics.reverse(agreement, seq, body.note, body.booked))


@router.get("/agreements/{agreement}/statements", responses=READ_ONE, tags=TAG,
            summary="Every period's statement up to now (or through a day)")
def statements(svc: Svc, agreement: str, through: Opt = None) -> JSONResponse:
    items = svc.economics.statements(agreement, through)
    return ok({"items": items, "total": len(items), "limit": len(items), "offset": 0})


@router.get("/agreements/{agreement}/statements/{period}", responses=READ_ONE, tags=TAG,
            summary="One period's statement, for everyone or one party; JSON, CSV or HTML")
def statement(svc: Svc, agreement: str, period: str,
              party: Annotated[str | None, Query(max_length=300)] = None,
              format: Annotated[str, Query(pattern="^(json|csv|html)$")] = "json"
              ) -> Response:
    if format == "json":
        return ok(svc.economics.statement(agreement, period, party))
    f = svc.economics.statement_file(agreement, period, party, format)
    return Response(f.text, media_type=f.media_type + "; charset=utf-8", headers={
        "content-disposition": f'inline; filename="{f.name}"'})


@router.post("/agreements/{agreement}/statements/issue", status_code=201, responses=WRITE,
             tags=TAG, summary="Issue the next (or a given) ended period's statement")
def issue(svc: Svc, agreement: str, body: IssueIn) -> JSONResponse:
    return created(svc.economics.issue(agreement, body.period))


@router.post("/statements/{statement}/answers", responses=WRITE, tags=TAG,
             summary="A party confirms or disputes an issued statement")
def answer(svc: Svc, statement: str, body: AnswerIn) -> JSONResponse:
    return ok(svc.economics.answer(statement, body.party, body.verdict, body.comment))


@router.post("/statements/{statement}/links", status_code=201, responses=WRITE, tags=TAG,
             summary="A private link for a partner to confirm or dispute a statement")
def send(svc: Svc, statement: str, body: SendIn) -> JSONResponse:
    return created(svc.economics.send(statement, body.to, days=body.days))


@router.post("/agreements/{agreement}/reconciliations", responses=WRITE, tags=TAG,
             summary="Reconcile a partner's own report line by line (preview by default)")
def reconcile(svc: Svc, agreement: str, body: ReconcileIn) -> JSONResponse:
    lines = [ReportLineIn(**ln.model_dump()) for ln in body.lines]
    return ok(svc.economics.reconcile(agreement, body.period, body.party, lines,
                                      source=body.source, dry_run=body.dry_run))


@router.post("/agreements/{agreement}/baselines", responses=WRITE, tags=TAG,
             summary="A member's documented baseline price")
def baseline(svc: Svc, agreement: str, body: BaselineIn) -> JSONResponse:
    return ok(svc.economics_deals.baseline(agreement, body.member, body.unit_price,
                                           body.kind, body.source, body.dated,
                                           volume=body.volume, index=body.index))


@router.post("/agreements/{agreement}/members", responses=WRITE, tags=TAG,
             summary="Add a partner of the alliance to a buying group")
def add_member(svc: Svc, agreement: str, body: MemberIn) -> JSONResponse:
    return ok(svc.economics_deals.add_member(agreement, body.member))


@router.post("/agreements/{agreement}/agreed-method", responses=WRITE, tags=TAG,
             summary="Record the allocation method the group agreed")
def agree(svc: Svc, agreement: str, body: AgreeIn) -> JSONResponse:
    return ok(svc.economics_deals.agree(agreement, body.method))


@router.get("/agreements/{agreement}/settlement", responses=READ_ONE, tags=TAG,
            summary="A buying group's gain allocated three ways, with transfers")
def settle(svc: Svc, agreement: str, through: Opt = None) -> JSONResponse:
    return ok(svc.economics_deals.settle(agreement, through))


@router.post("/agreements/{agreement}/settlement/issue", status_code=201, responses=WRITE,
             tags=TAG, summary="Issue a buying group's settlement through a day that has ended")
def issue_settlement(svc: Svc, agreement: str, body: IssueSettlementIn) -> JSONResponse:
    return created(svc.economics_deals.issue_settlement(agreement, body.through))


@router.post("/settlements/{statement}/answers", responses=WRITE, tags=TAG,
             summary="A member confirms or disputes an issued settlement")
def answer_settlement(svc: Svc, statement: str, body: SettlementAnswerIn) -> JSONResponse:
    return ok(svc.economics_deals.answer_settlement(statement, body.member, body.verdict,
                                                    body.comment))


@router.get("/agreements/{agreement}/bid", responses=READ_ONE, tags=TAG,
            summary="A joint bid: price build-up, blockers, decisions, payments")
def bid(svc: Svc, agreement: str) -> JSONResponse:
    return ok(svc.economics_deals.bid(agreement))


@router.get("/agreements/{agreement}/exit-settlement", responses=READ_ONE, tags=TAG,
            summary="Each party's final statement at exit")
def exit_settlement(svc: Svc, agreement: str) -> JSONResponse:
    return ok(svc.economics_deals.exit_settlement(agreement))


# -- joint bids and the exit settlement: the writes (the reads are above) -------------


class BidIn(Strict):
    name: str = Field(min_length=1, max_length=300)
    lead: str = Field(min_length=1, max_length=300)
    members: list[str] = Field(min_length=1, max_length=50)
    deadline: date | None = None
    liability: str | None = Field(default=None, max_length=40)
    contingency: Amount = None
    currency: str | None = Field(default=None, min_length=3, max_length=3)


class AuthorizeIn(Strict):
    member: str = Field(min_length=1, max_length=300)
    signed_by: str = Field(min_length=1, max_length=300)
    signed_on: date | None = None
    document: str | None = Field(default=None, max_length=500)


class WorkPackageIn(Strict):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=300)
    owner: str | None = Field(default=None, max_length=300)
    budget: Amount = None
    start: date | None = None
    end: date | None = None
    completed_on: date | None = None


class PricePartIn(Strict):
    member: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1, max_length=500)
    cost: Decimal | str
    margin: Amount = None
    wp: str | None = Field(default=None, max_length=20)


class DecideIn(Strict):
    verdict: str = Field(min_length=1, max_length=10)
    reasons: str = Field(min_length=1, max_length=4000)
    force: bool = False


class ExitIn(Strict):
    rule: str = Field(min_length=1, max_length=40)
    shares: list[str] | None = Field(default=None, max_length=50)
    name: str | None = Field(default=None, max_length=300)


class PoolIn(Strict):
    description: str = Field(min_length=1, max_length=500)
    amount: Decimal | str
    kind: str = Field(default="cash", max_length=20)
    to_party: str | None = Field(default=None, max_length=300)


class ReceivedIn(Strict):
    party: str = Field(min_length=1, max_length=300)
    amount: Decimal | str
    on: date | None = None
    description: str | None = Field(default=None, max_length=500)


class ReturnedIn(Strict):
    item: str = Field(min_length=1, max_length=500)
    kind: str = Field(min_length=1, max_length=20)
    to_party: str = Field(min_length=1, max_length=300)
    returned_on: date | None = None
    note: str | None = Field(default=None, max_length=2000)


@router.post("/alliances/{alliance}/bids", status_code=201, responses=WRITE, tags=TAG,
             summary="A joint bid or consortium, with its lead and members")
def new_bid(svc: Svc, alliance: str, body: BidIn) -> JSONResponse:
    return created(svc.economics_deals.new_bid(
        alliance, body.name, body.lead, body.members, deadline=body.deadline,
        liability=body.liability, contingency=body.contingency, currency=body.currency))


@router.post("/agreements/{agreement}/bid/authorizations", responses=WRITE, tags=TAG,
             summary="A member's written authorization of the lead partner")
def authorize(svc: Svc, agreement: str, body: AuthorizeIn) -> JSONResponse:
    return ok(svc.economics_deals.authorize(agreement, body.member, body.signed_by,
                                            signed_on=body.signed_on, document=body.document))


@router.post("/agreements/{agreement}/bid/work-packages", responses=WRITE, tags=TAG,
             summary="A work package of the bid (or a change to one): owner, budget, dates")
def work_package(svc: Svc, agreement: str, body: WorkPackageIn) -> JSONResponse:
    return ok(svc.economics_deals.work_package(
        agreement, body.code, body.name, owner=body.owner, budget=body.budget,
        start=body.start, end=body.end, completed_on=body.completed_on))


@router.post("/agreements/{agreement}/bid/price-parts", responses=WRITE, tags=TAG,
             summary="A member's part of the bid's price: cost and margin")
def price_part(svc: Svc, agreement: str, body: PricePartIn) -> JSONResponse:
    return ok(svc.economics_deals.price_part(agreement, body.member, body.description,
                                             body.cost, margin=body.margin, wp=body.wp))


@router.post("/agreements/{agreement}/bid/decisions", responses=WRITE, tags=TAG,
             summary="Go or no-go with the reasons (a go over blockers needs force)")
def decide(svc: Svc, agreement: str, body: DecideIn) -> JSONResponse:
    return ok(svc.economics_deals.decide(agreement, body.verdict, body.reasons,
                                         force=body.force))


@router.post("/alliances/{alliance}/exit", status_code=201, responses=WRITE, tags=TAG,
             summary="Start the exit settlement with its agreed rule")
def new_exit(svc: Svc, alliance: str, body: ExitIn) -> JSONResponse:
    return created(svc.economics_deals.new_exit(alliance, body.rule, shares=body.shares,
                                                name=body.name))


@router.post("/agreements/{agreement}/exit/pool", responses=WRITE, tags=TAG,
             summary="Something left to share at the exit: cash or an asset")
def exit_pool(svc: Svc, agreement: str, body: PoolIn) -> JSONResponse:
    return ok(svc.economics_deals.exit_pool(agreement, body.description, body.amount,
                                            kind=body.kind, to_party=body.to_party))


@router.post("/agreements/{agreement}/exit/received", responses=WRITE, tags=TAG,
             summary="What a party received from the alliance before the exit")
def exit_received(svc: Svc, agreement: str, body: ReceivedIn) -> JSONResponse:
    return ok(svc.economics_deals.exit_received(agreement, body.party, body.amount,
                                                on=body.on, description=body.description))


@router.post("/agreements/{agreement}/exit/returned", responses=WRITE, tags=TAG,
             summary="A shared asset, IP, data or customers returned to a party")
def exit_returned(svc: Svc, agreement: str, body: ReturnedIn) -> JSONResponse:
    return ok(svc.economics_deals.exit_returned(agreement, body.item, body.kind,
                                                body.to_party, returned_on=body.returned_on,
                                                note=body.note))
