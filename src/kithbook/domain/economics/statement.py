"""Statement lines: every figure with how it was computed and where it came from
(docs/economics.md, "Statements").

A `Line` carries a stable `code` (what the figure is), a label for people, the figure,
the arithmetic that produced it in words and numbers (`explain`), the ledger entries it
rests on (`sources`, ledger seqs) and the rule version it used (`rule`). A statement's
`digest` is a SHA-256 over its canonical content: recomputing the statement from the
same ledger and terms gives the same digest, which is how an issued statement is
checked later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    amount: Decimal | None = None
    quantity: Decimal | None = None
    explain: str = ""
    sources: tuple[int, ...] = ()
    rule: str | None = None

    def canonical(self) -> list[Any]:
        return [self.code, self.label, _c(self.amount), _c(self.quantity), self.explain,
                list(self.sources), self.rule]


@dataclass(frozen=True)
class PartyLine:
    """One party's part of a statement: its share of what is due, what it was paid and
    what is still owed to it."""

    party: str
    bp: int
    share: Decimal
    opening: Decimal  # owed to the party before this period
    paid: Decimal  # paid to the party in this period
    closing: Decimal  # still owed after this period
    explain: str
    paid_sources: tuple[int, ...] = ()

    def canonical(self) -> list[Any]:
        return [self.party, self.bp, _c(self.share), _c(self.opening), _c(self.paid),
                _c(self.closing), self.explain, list(self.paid_sources)]


@dataclass(frozen=True)
class PeriodStatement:
    agreement: str
    currency: str
    period: int  # 1-based, counted from the agreement's start
    start: date
    end: date
    contract_year: int
    lines: tuple[Line, ...]
    due: Decimal  # what the payer owes for this period
    parties: tuple[PartyLine, ...]
    last_seq: int  # the newest ledger entry the statement saw
    entries: tuple[int, ...] = ()  # ledger entries booked in the period
    notes: tuple[str, ...] = field(default=())

    def line(self, code: str) -> Line:
        for ln in self.lines:
            if ln.code == code:
                return ln
        raise KeyError(code)

    def figure(self, code: str) -> Decimal:
        amount = self.line(code).amount
        if amount is None:
            raise KeyError(code)
        return amount

    def has(self, code: str) -> bool:
        return any(ln.code == code for ln in self.lines)

    def party(self, name: str) -> PartyLine:
        for p in self.parties:
            if p.party == name:
                return p
        raise KeyError(name)

    def canonical(self) -> list[Any]:
        # last_seq is left out: a later entry booked in a later period does not change
        # this statement, so its digest must not change either.
        return [self.agreement, self.currency, self.period, self.start.isoformat(),
                self.end.isoformat(), self.contract_year, [ln.canonical() for ln in self.lines],
                _c(self.due), [p.canonical() for p in self.parties], list(self.entries),
                list(self.notes)]

    @property
    def digest(self) -> str:
        return digest_of(self.canonical())


# Fast constructors for the two records a statement run builds by the hundred thousand
# (500 agreements, 15,840 statements: ~150,000 lines and ~32,000 party lines). The
# __init__ a frozen dataclass generates sets each field through object.__setattr__,
# which costs ~3x filling the instance's dict directly; these do the latter. The result
# is the same object as Line(...) / PartyLine(...): equal, same hash, still frozen
# (tests/test_economics_rules.py checks it). Every field must be given.
_new = object.__new__


def make_line(code: str, label: str, amount: Decimal | None, quantity: Decimal | None,
              explain: str, sources: tuple[int, ...], rule: str | None) -> Line:
    ln = _new(Line)
    d = ln.__dict__
    d["code"] = code
    d["label"] = label
    d["amount"] = amount
    d["quantity"] = quantity
    d["explain"] = explain
    d["sources"] = sources
    d["rule"] = rule
    return ln


def make_party_line(party: str, bp: int, share: Decimal, opening: Decimal, paid: Decimal,
                    closing: Decimal, explain: str, paid_sources: tuple[int, ...]) -> PartyLine:
    pl = _new(PartyLine)
    d = pl.__dict__
    d["party"] = party
    d["bp"] = bp
    d["share"] = share
    d["opening"] = opening
    d["paid"] = paid
    d["closing"] = closing
    d["explain"] = explain
    d["paid_sources"] = paid_sources
    return pl


def padded(lines: Sequence[Line], currency: str) -> tuple[Line, ...]:
    """Lines with money shown to at least the currency's minor unit, quantities tidy."""
    from dataclasses import replace

    from kithbook.domain.economics.money import pad, tidy

    return tuple(replace(ln, amount=None if ln.amount is None else pad(ln.amount, currency),
                         quantity=None if ln.quantity is None else tidy(ln.quantity))
                 for ln in lines)


def digest_of(content: Sequence[Any]) -> str:
    text = json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _c(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")
