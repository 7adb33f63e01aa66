"""What the alliance-economics services share (docs/economics.md): the inputs of the
use cases (a royalty agreement, a ledger entry, a partner's report line), the parsing of
rate steps, and `EconomicsBase`, which finds agreements and parties and builds their
records. The royalty use cases are in economics.py, buying groups, bids and the exit
settlement in economics_deals.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row

from kithbook import ids
from kithbook.domain.economics import royalty as ry
from kithbook.domain.economics.buying import BuyingTerms
from kithbook.domain.economics.ledger import ROYALTY_KINDS, Entry, Ledger
from kithbook.domain.economics.records import (
    Agreement,
    BidBook,
    ExitBook,
    LedgerEntry,
)
from kithbook.domain.economics.split import Share
from kithbook.domain.text import fold
from kithbook.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kithbook.services.alliance_base import AllianceBase, money
from kithbook.store import alliance_items as st_items
from kithbook.store import economics as st
from kithbook.store.journal import Journal

VERDICTS = ("confirmed", "disputed")
KINDS_FOR = {"royalty": ROYALTY_KINDS, "buying": ("order", "rebate", "cost", "transfer")}


@dataclass
class NewRoyalty:
    """A royalty or revenue-share agreement. `payees` are 'PARTNER=BP' (basis points,
    summing to 10,000); `rate` is a flat rate, or `tiers` are 'FROM=RATE' steps."""

    name: str
    payer: str
    payees: list[str]
    start: date | str
    rate: Decimal | str | None = None
    tiers: list[str] = field(default_factory=list)
    period_months: int = 3
    basis: str = "net"  # net | units
    tier_mode: str = "marginal"  # marginal | all_units
    tier_window: str = "period"  # period | contract_year | lifetime
    negative_policy: str = "floor"  # floor | carry_forward
    minimum_per_year: Decimal | str | None = None
    cap_royalty_per_year: Decimal | str | None = None
    cap_base_per_year: Decimal | str | None = None
    end: date | str | None = None
    currency: str | None = None


@dataclass
class NewEntry:
    """A ledger entry: a sale, return, deduction, advance or payment (royalty); an
    order, rebate, cost or transfer (buying group)."""

    kind: str
    on: date | str | None = None  # when it happened (picks the rate); today by default
    amount: Decimal | str | None = None
    units: Decimal | str | None = None
    party: str | None = None  # the payee of a payment, the member of an order
    ref: str | None = None
    product: str | None = None
    booked: date | str | None = None  # when it entered the books (picks the period)
    note: str | None = None


@dataclass
class ReportLineIn:
    """One line of a partner's own report: its key (reference or product) and figures."""

    key: str
    units: Decimal | str | None = None
    net: Decimal | str | None = None
    royalty: Decimal | str | None = None


def steps(tiers: Sequence[str], field_name: str = "tiers") -> list[tuple[Decimal, Decimal]]:
    out = []
    for t in tiers:
        left, sep, right = t.partition("=")
        lo, r = money(left, field_name), money(right, field_name)
        if not sep or lo is None or r is None:
            raise InvalidInput(f"'{t}' is not a tier.", field=field_name,
                               hint="Write each tier as FROM=RATE, e.g. 0=0.05 100000=0.07.")
        out.append((lo, r))
    return out


def _value_error(exc: ValueError, field_name: str | None = None) -> InvalidInput:
    msg = str(exc)
    return InvalidInput((msg[:1].lower() + msg[1:]).rstrip(".") + ".", field=field_name)


class EconomicsBase(AllianceBase):
    """Naming agreements and parties, loading terms: shared with economics_deals."""

    def agreement_key(self, conn: Connection, text: str, kind: str | None = None) -> int:
        text = (text or "").strip()
        if not text:
            raise InvalidInput("which agreement?", field="agreement",
                               hint="Give its name or id.")
        keys = st.find_agreement_keys(conn, text)
        if not keys:
            raise NotFound(f"no agreement matches '{text}'.", field="agreement",
                           hint="List the alliance's agreements to see their names and ids.",
                           remedy="economics.agreements")
        if len(keys) > 1:
            raise Ambiguous(f"'{text}' matches {len(keys)} agreements.",
                            st.describe(conn, keys))
        if kind is not None:
            row = st.agreement(conn, keys[0])
            if row.kind != kind:
                raise InvalidInput(f"'{row.name}' is a {row.kind} agreement, not a {kind} one.",
                                   field="agreement")
        return keys[0]

    def party_name(self, conn: Connection, alliance_key: int, text: str,
                   field_name: str = "party") -> str:
        """A partner of the alliance, by name, id or 'us': its organization's name."""
        try:
            key = self.partner_key(conn, alliance_key, text)
        except (NotFound, InvalidInput) as exc:
            exc.field = field_name
            raise
        return st_items.parties_of(conn, alliance_key)[key].name

    def shares(self, conn: Connection, alliance_key: int, items: Sequence[str],
               field_name: str) -> tuple[Share, ...]:
        out = []
        for item in items:
            left, sep, right = item.rpartition("=")
            if not sep or not right.strip().isdigit():
                raise InvalidInput(f"'{item}' is not a share.", field=field_name,
                                   hint="Write PARTNER=BASIS_POINTS, e.g. us=7000 Northwind=3000.")
            out.append(Share(self.party_name(conn, alliance_key, left, field_name),
                             int(right)))
        return tuple(out)

    def terms_of(self, row: Row[Any]) -> Any:
        cls: Any = {"royalty": ry.RoyaltyTerms, "buying": BuyingTerms, "bid": BidBook,
                    "exit": ExitBook}[row.kind]
        return st.decode(cls, row.terms)

    def agreement_record(self, conn: Connection, key: int) -> Agreement:
        row = st.agreement(conn, key)
        al = st.alliance_row(conn, row.alliance_id)
        terms = self.terms_of(row)
        return Agreement(
            id=row.public_id, name=row.name, kind=row.kind, currency=row.currency,
            alliance_id=al.public_id, alliance=al.name, entries=len(st.ledger(conn, key)),
            issued=len(st.issued(conn, key)),
            royalty=terms if row.kind == "royalty" else None,
            buying=terms if row.kind == "buying" else None,
            bid=terms if row.kind == "bid" else None,
            exit=terms if row.kind == "exit" else None)

    def new_agreement(self, j: Journal, alliance_key: int, kind: str, name: str,
                      currency: str, terms: Any) -> int:
        if any(st.agreement(j.conn, k).name_folded == fold(name)
               for k in st.find_agreement_keys(j.conn, name, alliance_key)):
            raise Conflict(f"this alliance already has an agreement named '{name}'.",
                           hint="Pick another name.")
        return st.insert_agreement(j, {
            "public_id": ids.new_id("agreement"), "alliance_id": alliance_key, "kind": kind,
            "name": name, "currency": currency, "terms": st.encode(terms)})

    def alliance_currency(self, conn: Connection, alliance_key: int) -> str:
        return str(st.alliance_row(conn, alliance_key).currency)


def entry_record(agreement_id: str, e: Entry, ledger: Ledger, *, moved: bool = False
                 ) -> LedgerEntry:
    return LedgerEntry(id=f"{agreement_id}#{e.seq}", name=e.describe(), seq=e.seq,
                       kind=e.kind, on=e.on, booked=e.booked, amount=e.amount, units=e.units,
                       party=e.party, ref=e.ref, product=e.product, reverses=e.reverses,
                       reversed=ledger.is_reversed(e.seq), note=e.note, moved=moved)
