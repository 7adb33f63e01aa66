"""What the economics use cases return (docs/economics.md): typed records over the
rules' own results, so the CLI, the pages, the REST API and MCP print the same JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from kithbook.domain.economics.bids import Bid, Decision, Finding, PriceBuildUp
from kithbook.domain.economics.buying import BuyingTerms
from kithbook.domain.economics.exit import ExitTerms, PoolItem, Receipt, Returned
from kithbook.domain.economics.rates import RateVersion
from kithbook.domain.economics.royalty import RoyaltyTerms
from kithbook.domain.economics.statement import Line, PartyLine
from kithbook.domain.models import Record


@dataclass
class AgreementRef(Record):
    id: str
    name: str
    kind: str  # royalty | buying | bid | exit
    currency: str
    alliance_id: str
    alliance: str


@dataclass
class BidBook:
    """A joint bid and the go/no-go decisions taken on it, newest last."""

    bid: Bid
    decisions: tuple[Decision, ...] = ()


@dataclass
class ExitBook:
    """What an exit settlement needs beyond the contributions ledger."""

    terms: ExitTerms
    pool: tuple[PoolItem, ...] = ()
    receipts: tuple[Receipt, ...] = ()
    returned: tuple[Returned, ...] = ()


@dataclass
class Agreement(Record):
    id: str
    name: str
    kind: str
    currency: str
    alliance_id: str
    alliance: str
    entries: int  # ledger entries
    issued: int  # statements issued
    royalty: RoyaltyTerms | None = None
    buying: BuyingTerms | None = None
    bid: BidBook | None = None
    exit: ExitBook | None = None


@dataclass
class LedgerEntry(Record):
    id: str  # agreement id and sequence: agr_...#7
    name: str  # the entry described in words
    seq: int
    kind: str
    on: date
    booked: date
    amount: Decimal
    units: Decimal
    party: str | None
    ref: str
    product: str
    reverses: int | None
    reversed: bool
    note: str
    moved: bool = False  # booked into the first open period: the one asked for is issued


@dataclass
class StatementAnswer(Record):
    id: str
    name: str  # the party that answered
    verdict: str  # confirmed | disputed
    comment: str | None
    via: str  # cli, web, api, link
    at: datetime


@dataclass
class StatementView(Record):
    """One period's statement (or one party's view of it) with everything that made
    each figure: the ledger entries, the rate versions, the rounding rule."""

    id: str  # mst_... once issued, else the agreement id and the period: agr_.../3
    name: str  # "Licence, 2026-Q1"
    agreement_id: str
    agreement: str
    alliance: str
    period: int
    label: str
    start: date
    end: date
    contract_year: int
    currency: str
    status: str  # open | issued
    issued_on: date | None
    digest: str
    verified: bool | None  # issued: the ledger recomputed gives the same digest
    party: str | None  # a party's own view (its line only), or None for everyone
    payer: str
    due: Decimal
    lines: list[Line]
    parties: list[PartyLine]
    entries: list[LedgerEntry]  # the inputs: every entry booked in the period
    rules: list[RateVersion]  # the rate versions the period used
    rounding: str
    notes: list[str] = field(default_factory=list)
    answers: list[StatementAnswer] = field(default_factory=list)


@dataclass
class StatementFile(Record):
    id: str
    name: str  # a file name
    media_type: str
    text: str


@dataclass
class LineDifference(Record):
    """A named difference on one line (`key` is a private name in JSON, so the line's
    key is its id here)."""

    id: str  # the line's key as the partner wrote it
    name: str  # the difference in words
    kind: str  # reconcile.KINDS: only_ours, ..., rate, true_up, true_up_inside, rounding
    ours: Decimal | None
    theirs: Decimal | None
    delta: Decimal | None  # theirs - ours


@dataclass
class LinePair(Record):
    id: str  # the line's key
    name: str  # its status: agrees | differs | only_ours | only_theirs
    ours: ReportFigures | None
    theirs: ReportFigures | None


@dataclass
class ReportFigures:
    units: Decimal | None
    net: Decimal | None
    royalty: Decimal | None
    entries: tuple[int, ...] = ()  # our ledger entries behind the line


@dataclass
class ReconciliationView(Record):
    id: str  # rpt_... once kept, "preview" before
    name: str
    agreement_id: str
    period: int
    party: str
    source: str
    verdict: str
    agrees: bool
    differences: list[LineDifference]
    pairs: list[LinePair]
    totals: list[tuple[str, Decimal, Decimal, Decimal]]
    kept: bool


@dataclass
class BidView(Record):
    id: str
    name: str
    currency: str
    bid: Bid
    price: PriceBuildUp
    findings: list[Finding]
    decisions: list[Decision]
    payments: list[tuple[str, str, Decimal]]  # work package, member, amount
