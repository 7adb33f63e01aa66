"""Alliance economics, the royalty side (docs/economics.md): agreements on an alliance,
their rate versions and the append-only ledger. The per-period statements, their issue,
answers and a partner's reconciled report are in economics_statements.py (inherited
here); buying groups, joint bids and the exit settlement are in economics_deals.py."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row

from kithbook.domain.economics import periods as pd
from kithbook.domain.economics import rates as rt
from kithbook.domain.economics import royalty as ry
from kithbook.domain.economics.ledger import Entry, Ledger
from kithbook.domain.economics.records import Agreement, AgreementRef, LedgerEntry
from kithbook.errors import Conflict, InvalidInput
from kithbook.services.alliance_base import choice, clean, day, money
from kithbook.services.catalog import use_case
from kithbook.services.economics_base import (
    KINDS_FOR,
    NewEntry,
    NewRoyalty,
    _value_error,
    entry_record,
    steps,
)
from kithbook.services.economics_statements import RoyaltyStatements
from kithbook.store import economics as st


class EconomicsService(RoyaltyStatements):
    # -- agreements ----------------------------------------------------------------------

    @use_case()
    def agreements(self, alliance: str | None = None) -> builtins.list[AgreementRef]:
        """The money agreements: royalties, buying groups, joint bids, exit settlements."""
        with self.svc.db.read() as conn:
            key = self.alliance_key(conn, alliance, archived=True) if alliance else None
            names = st.alliance_names(conn)
            return [AgreementRef(r.public_id, r.name, r.kind, r.currency,
                                 *names[r.alliance_id]) for r in st.agreements(conn, key)]

    @use_case()
    def show(self, agreement: str) -> Agreement:
        """One agreement with its terms (rate versions, parties, rules)."""
        with self.svc.db.read() as conn:
            return self.agreement_record(conn, self.agreement_key(conn, agreement))

    @use_case(writes=True)
    def new_royalty(self, alliance: str, new: NewRoyalty) -> Agreement:
        """A royalty or revenue-share agreement: rates, tiers, advance, minimum, caps,
        the negative-period policy and the payees' split in basis points."""
        name = clean(new.name, "name", required=True, limit=300)
        assert name is not None
        start = day(new.start, "start")
        if start is None:
            raise InvalidInput("the start date is needed.", field="start")
        months = new.period_months
        if months not in pd.PERIOD_MONTHS:
            raise InvalidInput("a statement period is 1, 3, 6 or 12 months.",
                               field="period_months")
        version = self._version(1, start, new.rate, new.tiers, None)
        with self.write("money royalty") as j:
            key = self.alliance_key(j.conn, alliance)
            currency = (new.currency or self.alliance_currency(j.conn, key)).upper()
            terms = ry.RoyaltyTerms(
                agreement=name, currency=currency, start=start, period_months=months,
                basis=choice(new.basis, rt.BASES, "basis") or "net",
                tier_mode=choice(new.tier_mode, rt.TIER_MODES, "tier_mode") or "marginal",
                tier_window=choice(new.tier_window, rt.WINDOWS, "tier_window") or "period",
                versions=(version,),
                payer=self.party_name(j.conn, key, new.payer, "payer"),
                payees=self.shares(j.conn, key, new.payees, "payees"),
                negative_policy=choice(new.negative_policy, ry.NEGATIVE_POLICIES,
                                       "negative_policy") or "floor",
                minimum_per_year=money(new.minimum_per_year, "minimum_per_year"),
                cap_royalty_per_year=money(new.cap_royalty_per_year, "cap_royalty_per_year"),
                cap_base_per_year=money(new.cap_base_per_year, "cap_base_per_year"),
                end=day(new.end, "end"))
            self._check(terms)
            akey = self.new_agreement(j, key, "royalty", name, currency, terms)
        with self.svc.db.read() as conn:
            return self.agreement_record(conn, akey)

    def _version(self, n: int, start: date, rate: Decimal | str | None, tiers: Sequence[str],
                 note: str | None) -> rt.RateVersion:
        r = money(rate, "rate")
        if (r is None) == (not tiers):
            raise InvalidInput("give either one rate or tiers.", field="rate",
                               hint="A flat rate (0.08 = 8% of net, or money per unit), "
                               "or tiers FROM=RATE.")
        v = rt.flat(n, start, r) if r is not None else rt.tiered(n, start, steps(tiers))
        return replace(v, note=note or "")

    def _check(self, terms: ry.RoyaltyTerms) -> None:
        try:
            terms.check()
        except ValueError as exc:
            raise _value_error(exc) from None

    @use_case(writes=True)
    def add_rate(self, agreement: str, effective_from: date | str,
                 rate: Decimal | str | None = None, tiers: builtins.list[str] | None = None,
                 note: str | None = None) -> Agreement:
        """A new rate card from a date: earlier sales keep the old rate (the prior
        version is closed the day before, kept read-only)."""
        start = day(effective_from, "effective_from")
        if start is None:
            raise InvalidInput("the date the new rates apply from is needed.",
                               field="effective_from")
        with self.write("money rate") as j:
            key = self.agreement_key(j.conn, agreement, "royalty")
            row = st.agreement(j.conn, key)
            terms: ry.RoyaltyTerms = self.terms_of(row)
            issued = st.issued(j.conn, key)
            if issued:
                _, last_end = terms.bounds(max(issued))
                if start <= last_end:
                    raise Conflict(f"statements are issued through {last_end}; new rates can "
                                   "only apply after that, so issued statements never change.",
                                   field="effective_from")
            old = [v for v in terms.versions if v.effective_from < start]
            if len(old) != len(terms.versions):
                raise Conflict("a rate version already starts on or after that date.",
                               field="effective_from")
            closed = tuple(replace(v, effective_to=start - timedelta(days=1))
                           if v.effective_to is None or v.effective_to >= start else v
                           for v in old)
            version = self._version(max(v.version for v in old) + 1, start, rate,
                                    tiers or [], note)
            terms = replace(terms, versions=(*closed, version))
            self._check(terms)
            st.update_terms(j, key, st.encode(terms))
        with self.svc.db.read() as conn:
            return self.agreement_record(conn, key)

    # -- the ledger ------------------------------------------------------------------------

    @use_case(writes=True)
    def book(self, agreement: str, new: NewEntry) -> LedgerEntry:
        """Add an entry to the ledger. Entries are never changed: a mistake is reversed.
        An entry booked into an issued period goes to the first open period."""
        on = day(new.on, "on") or self.svc.today
        booked = day(new.booked, "booked") or on
        if booked < on:
            raise InvalidInput("an entry cannot be booked before it happened.", field="booked")
        with self.write("money book") as j:
            key = self.agreement_key(j.conn, agreement)
            row = st.agreement(j.conn, key)
            if row.kind not in KINDS_FOR:
                raise InvalidInput(f"a {row.kind} agreement has no ledger.", field="agreement")
            kind = choice(new.kind, KINDS_FOR[row.kind], "kind")
            assert kind is not None
            amount = money(new.amount, "amount", allow_negative=kind == "transfer") \
                or Decimal(0)
            units = money(new.units, "units") or Decimal(0)
            party = self.party_name(j.conn, row.alliance_id, new.party) if new.party else None
            booked, moved = self._open_day(j.conn, key, row, booked)
            ledger = st.ledger(j.conn, key)
            entry = Entry(ledger.next_seq, kind, on, booked, amount=amount, units=units,
                          party=party, ref=clean(new.ref, "ref", limit=200) or "",
                          product=clean(new.product, "product", limit=200) or "",
                          note=clean(new.note, "note", limit=2000) or "")
            ledger = self._append(row, ledger, entry)
            st.insert_entries(j, key, [entry])
            return entry_record(row.public_id, entry, ledger, moved=moved)

    def _open_day(self, conn: Connection, key: int, row: Row[Any], booked: date
                  ) -> tuple[date, bool]:
        if row.kind == "buying":  # an issued settlement is closed the same way
            from kithbook.services.economics_settlements import open_day

            return open_day(conn, key, booked)
        if row.kind != "royalty":
            return booked, False
        issued = st.issued(conn, key)
        if not issued:
            return booked, False
        terms: ry.RoyaltyTerms = self.terms_of(row)
        _, last_end = terms.bounds(max(issued))
        if booked <= last_end:
            return last_end + timedelta(days=1), True
        return booked, False

    def _append(self, row: Row[Any], ledger: Ledger, entry: Entry) -> Ledger:
        try:
            out = ledger.append(entry)
            if row.kind == "royalty":
                terms: ry.RoyaltyTerms = self.terms_of(row)
                if entry.kind == "payment" and entry.party not in {p.party for p in
                                                                   terms.payees}:
                    raise ValueError(f"a payment goes to a payee; {entry.party} is not one")
                if entry.kind in ("sale", "return") and rt.version_on(terms.versions,
                                                                      entry.on) is None:
                    raise ValueError(f"no rate version covers {entry.on}; add rates from "
                                     "that date first")
                if entry.on < terms.start:
                    raise ValueError(f"the agreement starts on {terms.start}")
            elif row.kind == "buying" and entry.kind == "order":
                # the allocation shares the gain by units ordered: an order of no units
                # would pay money into the group that no rule can attribute
                if entry.units <= 0:
                    raise _UnitsError("an order is for some units: give how many were "
                                      "ordered (money without units is a cost or a rebate)")
                if not entry.party:
                    raise ValueError("an order names the member who placed it (the party)")
            return out
        except _UnitsError as exc:
            raise _value_error(exc, "units") from None
        except ValueError as exc:
            raise _value_error(exc, "kind") from None

    @use_case(writes=True)
    def reverse(self, agreement: str, seq: int, note: str | None = None,
                booked: date | str | None = None) -> LedgerEntry:
        """Reverse a ledger entry with a negating entry (never a deletion), booked today
        or on `booked` (never in an issued period)."""
        with self.write("money reverse") as j:
            key = self.agreement_key(j.conn, agreement)
            row = st.agreement(j.conn, key)
            ledger = st.ledger(j.conn, key)
            when = day(booked, "booked") or self.svc.today
            booked_on, moved = self._open_day(j.conn, key, row, when)
            try:
                orig = ledger.get(seq)
                if booked_on < orig.booked:
                    raise ValueError(f"#{seq} is booked on {orig.booked}; book its reversal "
                                     "on or after that day")
                entry = ledger.reversal_of(seq, booked_on, clean(note, "note") or "")
                ledger = ledger.append(entry)
            except (ValueError, KeyError) as exc:
                raise InvalidInput(str(exc).strip("'") + ".", field="seq") from None
            st.insert_entries(j, key, [entry])
            return entry_record(row.public_id, entry, ledger, moved=moved)

    @use_case()
    def ledger(self, agreement: str) -> builtins.list[LedgerEntry]:
        """The agreement's ledger, oldest first, reversals shown."""
        with self.svc.db.read() as conn:
            key = self.agreement_key(conn, agreement)
            row = st.agreement(conn, key)
            ledger = st.ledger(conn, key)
            return [entry_record(row.public_id, e, ledger) for e in ledger.entries]


class _UnitsError(ValueError):
    """A rule on the entry's units (reported against the `units` field)."""
