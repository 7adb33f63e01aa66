"""Alliance economics beyond royalties (docs/economics.md): buying groups (baselines,
the season's orders, rebates and costs, the gain allocated by equal price, pro rata and
Shapley side by side, the agreed method and each member's transfer), joint bids (lead
authorized in writing by every member, work packages, the price built from the
members' parts, go/no-go with reasons) and the exit settlement (contributions from the
alliance's ledger against what each party received, the agreed rule, what was
returned). Terms live on the agreement as canonical JSON; every change is journaled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from kithbook.domain.economics import bids as bd
from kithbook.domain.economics import buying as by
from kithbook.domain.economics import exit as ex
from kithbook.domain.economics import rates as rt
from kithbook.domain.economics import savings as sv
from kithbook.domain.economics.records import Agreement, BidBook, BidView, ExitBook
from kithbook.domain.models import Record
from kithbook.errors import Conflict, InvalidInput
from kithbook.services.alliance_base import choice, clean, day, money
from kithbook.services.catalog import use_case
from kithbook.services.economics_base import _value_error, steps
from kithbook.services.economics_settlements import (
    IssuedSettlement,
    SettlementStatements,
    issued_views,
)
from kithbook.store import alliance_facts as st_facts
from kithbook.store import alliance_items as st_items
from kithbook.store import economics as st


@dataclass
class GroupSettlement(Record):
    id: str  # the agreement's id
    name: str
    settlement: by.Settlement
    stale_baselines: list[str]  # members whose baseline is over a year older than the first order
    issued: list[IssuedSettlement] = field(default_factory=list)  # oldest first


@dataclass
class ExitView(Record):
    id: str
    name: str
    settlement: ex.ExitSettlement


def bands(items: Sequence[str], field_name: str) -> tuple[rt.Band, ...]:
    if not items:
        return ()
    return rt.tiered(1, date.min, steps(items, field_name)).bands


class EconomicsDealService(SettlementStatements):
    def _load(self, conn: Connection, agreement: str, kind: str) -> tuple[int, Any]:
        key = self.agreement_key(conn, agreement, kind)
        return key, self.terms_of(st.agreement(conn, key))

    def _save(self, action: str, agreement: str, kind: str, change: Any) -> Agreement:
        """Load the terms, apply `change(conn, alliance_key, terms) -> terms`, check,
        store (journaled: undo restores the previous terms)."""
        with self.write(action) as j:
            key, terms = self._load(j.conn, agreement, kind)
            row = st.agreement(j.conn, key)
            terms = change(j.conn, row.alliance_id, terms)
            st.update_terms(j, key, st.encode(terms))
        with self.svc.db.read() as conn:
            return self.agreement_record(conn, key)

    # -- buying groups ----------------------------------------------------------------

    @use_case(writes=True)
    def new_group(self, alliance: str, name: str, item: str, members: list[str],
                  prices: list[str], *, mode: str = "all_units",
                  rebates: list[str] | None = None, rebate_mode: str = "all_units",
                  rebate_pct: Decimal | str | None = None, currency: str | None = None
                  ) -> Agreement:
        """A joint-purchasing group: its members (partners) and the supplier's schedule
        by the group's total units (unit prices FROM=PRICE, rebates FROM=PER_UNIT)."""
        title = clean(name, "name", required=True, limit=300)
        what = clean(item, "item", required=True, limit=300)
        assert title is not None and what is not None
        schedule = by.PriceSchedule(
            bands(prices, "prices"), choice(mode, ("all_units", "marginal"), "mode")
            or "all_units", bands(rebates or [], "rebates"),
            choice(rebate_mode, ("all_units", "marginal"), "rebate_mode") or "all_units",
            money(rebate_pct, "rebate_pct") or Decimal(0))
        for words, given, field_name in (("unit prices", schedule.bands, "prices"),
                                         ("rebates", schedule.rebate_bands, "rebates")):
            if not given and field_name == "rebates":
                continue
            try:
                rt.check_bands(rt.RateVersion(1, date.min, None, given))
            except ValueError as exc:  # named for what was given, not an internal rate card
                text = str(exc).removeprefix("rates v1: ").removeprefix("rates v1 ")
                raise InvalidInput(
                    f"the {words}: {text}.", field=field_name,
                    hint="Start at 0: 0=0 when nothing is paid back below the first "
                    "threshold." if field_name == "rebates" and "start at 0" in text
                    else None) from None
        try:
            schedule.check()
        except ValueError as exc:
            raise _value_error(exc, "prices") from None
        with self.write("money group") as j:
            key = self.alliance_key(j.conn, alliance)
            names = tuple(self.party_name(j.conn, key, m, "members") for m in members)
            if len(names) < 2 or len(set(names)) != len(names):
                raise InvalidInput("a buying group has at least two different members.",
                                   field="members")
            currency = (currency or self.alliance_currency(j.conn, key)).upper()
            terms = by.BuyingTerms(title, currency, what, names, (), schedule)
            akey = self.new_agreement(j, key, "buying", title, currency, terms)
        with self.svc.db.read() as conn:
            return self.agreement_record(conn, akey)

    @use_case(writes=True)
    def baseline(self, group: str, member: str, unit_price: Decimal | str, kind: str,
                 source: str, dated: date | str, *, volume: Decimal | str | None = None,
                 index: Decimal | str | None = None) -> Agreement:
        """A member's documented baseline: what it paid before, a quote, or a list price,
        with its source and date (replaces the member's earlier one; undo restores it)."""
        price = money(unit_price, "unit_price")
        when = day(dated, "dated")
        if price is None or when is None:
            raise InvalidInput("the baseline needs its unit price and date.", field="unit_price")

        def change(conn: Connection, alliance_key: int, t: by.BuyingTerms) -> by.BuyingTerms:
            who = self.party_name(conn, alliance_key, member, "member")
            if who not in t.members:
                raise InvalidInput(f"{who} is not a member of the group.", field="member")
            b = sv.Baseline(who, price, choice(kind, sv.BASELINE_KINDS, "kind") or "paid",
                            clean(source, "source") or "", when, money(volume, "volume"),
                            money(index, "index"))
            try:
                b.check()
            except ValueError as exc:
                raise _value_error(exc, "source") from None
            return replace(t, baselines=tuple(x for x in t.baselines if x.member != who) + (b,))

        return self._save("money baseline", group, "buying", change)

    @use_case(writes=True)
    def add_member(self, group: str, member: str) -> Agreement:
        """Add a partner of the alliance to a buying group. It is listed last (so it takes
        a tied rounding unit last); its savings count once its baseline is recorded."""

        def change(conn: Connection, alliance_key: int, t: by.BuyingTerms) -> by.BuyingTerms:
            who = self.party_name(conn, alliance_key, member, "member")
            if who in t.members:
                raise Conflict(f"{who} is already a member of the group.", field="member")
            return replace(t, members=(*t.members, who))

        return self._save("money member", group, "buying", change)

    @use_case(writes=True)
    def agree(self, group: str, method: str) -> Agreement:
        """Record the allocation method the members agreed: equal_price, pro_rata or
        shapley."""
        m = choice(method, by.METHODS, "method")
        return self._save("money agree", group, "buying",
                          lambda conn, key, t: replace(t, agreed=m))

    @use_case()
    def settle(self, group: str, through: date | str | None = None) -> GroupSettlement:
        """The group's gain over the season and its allocation by equal price, pro rata
        and Shapley side by side; each member's transfer under the agreed method."""
        until = day(through, "through")
        with self.svc.db.read() as conn:
            key, terms = self._load(conn, group, "buying")
            row = st.agreement(conn, key)
            ledger = st.ledger(conn, key)
            issued = issued_views(conn, key, self.svc.now)
        try:
            s = by.settle(terms, ledger, through=until)
        except ValueError as exc:
            raise _value_error(exc, "group") from None
        orders = [e.on for e in ledger.entries if e.kind == "order"]
        first = min(orders) if orders else None
        stale = [b.member for b in terms.baselines if first and b.stale_on(first)]
        return GroupSettlement(row.public_id, row.name, s, stale, issued)

    # -- joint bids -------------------------------------------------------------------

    @use_case(writes=True)
    def new_bid(self, alliance: str, name: str, lead: str, members: list[str], *,
                deadline: date | str | None = None, liability: str | None = None,
                contingency: Decimal | str | None = None, currency: str | None = None
                ) -> Agreement:
        """A joint bid or consortium: the lead member and the others, the deadline, the
        liability model and the contingency on the members' parts."""
        title = clean(name, "name", required=True, limit=300)
        assert title is not None
        with self.write("money bid") as j:
            key = self.alliance_key(j.conn, alliance)
            head = self.party_name(j.conn, key, lead, "lead")
            names = tuple(dict.fromkeys([head, *(self.party_name(j.conn, key, m, "members")
                                                for m in members)]))
            if len(names) < 2:
                raise InvalidInput("a joint bid has at least two members.", field="members")
            currency = (currency or self.alliance_currency(j.conn, key)).upper()
            bid = bd.Bid(title, currency, head, names, day(deadline, "deadline"),
                         choice(liability, bd.LIABILITY, "liability"),
                         money(contingency, "contingency") or Decimal(0))
            akey = self.new_agreement(j, key, "bid", title, currency, BidBook(bid))
        with self.svc.db.read() as conn:
            return self.agreement_record(conn, akey)

    def _bid_change(self, action: str, bid: str, fn: Any) -> BidView:
        def change(conn: Connection, alliance_key: int, book: BidBook) -> BidBook:
            return BidBook(fn(conn, alliance_key, book.bid), book.decisions)

        self._save(action, bid, "bid", change)
        return self.bid(bid)

    def _member(self, conn: Connection, alliance_key: int, b: bd.Bid, text: str,
                field_name: str = "member") -> str:
        who = self.party_name(conn, alliance_key, text, field_name)
        if who not in b.members:
            raise InvalidInput(f"{who} is not a member of the bid.", field=field_name)
        return who

    @use_case(writes=True)
    def authorize(self, bid: str, member: str, signed_by: str, *,
                  signed_on: date | str | None = None, document: str | None = None) -> BidView:
        """A member's written authorization of the lead to answer and submit the bid."""
        when = day(signed_on, "signed_on") or self.svc.today
        by_whom = clean(signed_by, "signed_by", required=True, limit=200) or ""

        def fn(conn: Connection, key: int, b: bd.Bid) -> bd.Bid:
            who = self._member(conn, key, b, member)
            auth = bd.Authorization(who, when, by_whom, clean(document, "document") or "")
            return replace(b, authorizations=tuple(
                x for x in b.authorizations if x.member != who) + (auth,))

        return self._bid_change("money authorize", bid, fn)

    @use_case(writes=True)
    def work_package(self, bid: str, code: str, name: str, *, owner: str | None = None,
                     budget: Decimal | str | None = None, start: date | str | None = None,
                     end: date | str | None = None, completed_on: date | str | None = None
                     ) -> BidView:
        """Add or change a work package: owner member, budget, dates; completed (under
        lump-sum funding, completion triggers its payment)."""
        c = clean(code, "code", required=True, limit=40) or ""

        def fn(conn: Connection, key: int, b: bd.Bid) -> bd.Bid:
            old = next((w for w in b.work_packages if w.code == c), None)
            wp = bd.WorkPackage(
                c, clean(name, "name", limit=300) or (old.name if old else c),
                self._member(conn, key, b, owner, "owner") if owner else
                (old.owner if old else None),
                money(budget, "budget") if budget is not None else (old.budget if old else None),
                day(start, "start") or (old.start if old else None),
                day(end, "end") or (old.end if old else None),
                day(completed_on, "completed_on") or (old.completed_on if old else None))
            rest = tuple(w for w in b.work_packages if w.code != c)
            return replace(b, work_packages=(*rest, wp) if old is None else tuple(
                wp if w.code == c else w for w in b.work_packages))

        return self._bid_change("money work package", bid, fn)

    @use_case(writes=True)
    def price_part(self, bid: str, member: str, description: str, cost: Decimal | str, *,
                   margin: Decimal | str | None = None, wp: str | None = None) -> BidView:
        """A member's priced part of the bid: its cost and margin, for a work package."""
        amount = money(cost, "cost")
        if amount is None:
            raise InvalidInput("the part's cost is needed.", field="cost")
        text = clean(description, "description", required=True, limit=300) or ""

        def fn(conn: Connection, key: int, b: bd.Bid) -> bd.Bid:
            if wp and wp not in {w.code for w in b.work_packages}:
                raise InvalidInput(f"the bid has no work package {wp}.", field="wp")
            part = bd.PricePart(self._member(conn, key, b, member), text, amount,
                                money(margin, "margin") or Decimal(0), wp)
            return replace(b, parts=(*b.parts, part))

        return self._bid_change("money price part", bid, fn)

    @use_case()
    def bid(self, bid: str) -> BidView:
        """The bid: price built up from the members' parts, what blocks a go, the
        decisions taken, payments due for completed work packages."""
        with self.svc.db.read() as conn:
            key, book = self._load(conn, bid, "bid")
            row = st.agreement(conn, key)
        b: bd.Bid = book.bid
        return BidView(row.public_id, row.name, b.currency, b, bd.price(b),
                       bd.checks(b, self.svc.today), list(book.decisions), bd.payments(b))

    @use_case(writes=True)
    def decide(self, bid: str, verdict: str, reasons: str, *, force: bool = False) -> BidView:
        """Go or no-go, with the reasons; a go over blockers needs `force` and says so."""
        v = choice(verdict, bd.DECISIONS, "verdict")
        assert v is not None

        def change(conn: Connection, key: int, book: BidBook) -> BidBook:
            try:
                d = bd.decide(book.bid, v, reasons or "", self.svc.today, force=force)
            except ValueError as exc:
                if "block" in str(exc):
                    raise Conflict(str(exc) + ".", field="force",
                                   hint="Clear them, or decide go anyway (forced).") from None
                raise _value_error(exc, "reasons") from None
            return BidBook(book.bid, (*book.decisions, d))

        self._save("money decide", bid, "bid", change)
        return self.bid(bid)

    # -- exit settlement ---------------------------------------------------------------

    @use_case(writes=True)
    def new_exit(self, alliance: str, rule: str, *, shares: list[str] | None = None,
                 name: str | None = None) -> Agreement:
        """The exit settlement's rule over the alliance's partners: pro rata to
        contributions, equal, fixed shares or contributions returned then shares."""
        r = choice(rule, ex.RULES, "rule")
        assert r is not None
        with self.write("money exit") as j:
            key = self.alliance_key(j.conn, alliance)
            parties = st_items.parties_of(j.conn, key)
            names = tuple(parties[k].name for k in st_items.current_party_keys(j.conn, key))
            title = clean(name, "name", limit=300) or "Exit settlement"
            cur = self.alliance_currency(j.conn, key)
            terms = ex.ExitTerms(title, cur, names, r,
                                 self.shares(j.conn, key, shares or [], "shares"))
            akey = self.new_agreement(j, key, "exit", title, cur, ExitBook(terms))
        with self.svc.db.read() as conn:
            return self.agreement_record(conn, akey)

    def _exit_change(self, action: str, agreement: str, fn: Any) -> Agreement:
        return self._save(action, agreement, "exit", fn)

    @use_case(writes=True)
    def exit_pool(self, agreement: str, description: str, amount: Decimal | str, *,
                  kind: str = "cash", to_party: str | None = None) -> Agreement:
        """What is left in the alliance at exit: cash, an asset at its agreed value (taken
        back in kind by a party), or a liability."""
        value = money(amount, "amount", allow_negative=True)
        k = choice(kind, ("cash", "asset", "liability"), "kind") or "cash"
        if value is None:
            raise InvalidInput("the amount is needed.", field="amount")
        text = clean(description, "description", required=True) or ""

        def fn(conn: Connection, key: int, book: ExitBook) -> ExitBook:
            who = self.party_name(conn, key, to_party, "to_party") if to_party else None
            v = -abs(value) if k == "liability" else value
            return replace(book, pool=(*book.pool, ex.PoolItem(text, v, k, who)))

        return self._exit_change("money exit pool", agreement, fn)

    @use_case(writes=True)
    def exit_received(self, agreement: str, party: str, amount: Decimal | str, *,
                      on: date | str | None = None, description: str | None = None
                      ) -> Agreement:
        """What a party received from the alliance before the exit."""
        value = money(amount, "amount")
        if value is None:
            raise InvalidInput("the amount is needed.", field="amount")

        def fn(conn: Connection, key: int, book: ExitBook) -> ExitBook:
            r = ex.Receipt(self.party_name(conn, key, party), value, day(on, "on"),
                           clean(description, "description") or "")
            return replace(book, receipts=(*book.receipts, r))

        return self._exit_change("money exit received", agreement, fn)

    @use_case(writes=True)
    def exit_returned(self, agreement: str, item: str, kind: str, to_party: str, *,
                      returned_on: date | str | None = None, note: str | None = None
                      ) -> Agreement:
        """A shared asset, IP, data or customers returned to a party."""
        k = choice(kind, ex.RETURN_KINDS, "kind") or "other"
        text = clean(item, "item", required=True) or ""

        def fn(conn: Connection, key: int, book: ExitBook) -> ExitBook:
            r = ex.Returned(text, k, self.party_name(conn, key, to_party, "to_party"),
                            day(returned_on, "returned_on") or self.svc.today,
                            clean(note, "note") or "")
            return replace(book, returned=(*book.returned, r))

        return self._exit_change("money exit returned", agreement, fn)

    @use_case()
    def exit_settlement(self, agreement: str) -> ExitView:
        """Each party's final statement: contributed (the alliance's delivered
        contributions), received, entitlement under the rule, in kind, final payment."""
        with self.svc.db.read() as conn:
            key, book = self._load(conn, agreement, "exit")
            row = st.agreement(conn, key)
            facts = st_facts.load(conn, row.alliance_id, self.svc.now)
            parties = st_items.parties_of(conn, row.alliance_id)
        contributions = [ex.Contribution(parties[c.party_key].name, c.kind, c.amount, c.rate,
                                         c.on) for c in facts.contributions
                         if c.stage == "delivered" and c.party_key in parties]
        try:
            s = ex.settle(book.terms, contributions, list(book.receipts), list(book.pool),
                          list(book.returned))
        except ValueError as exc:
            raise _value_error(exc, "agreement") from None
        return ExitView(row.public_id, row.name, s)
