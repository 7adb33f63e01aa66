"""Exit settlement: when an alliance ends, what each party put in, what it took out,
what the agreed rule entitles it to, and the final payment to or from it
(docs/economics.md, "Exit settlement").

Contributions are valued: cash at its amount, hours at the agreed rate, assets at their
agreed value, introductions at the agreed value of one introduction. Receipts are what
a party already received from the alliance. The pool is what remains to share at exit
(cash and valued shared assets, less liabilities). The value to share is

    V = pool + everything received before the exit,

and each party's entitlement is V shared by the rule: in proportion to contributions,
equally, by fixed shares, or contributions returned first and the surplus by shares (a
loss is then borne in proportion to contributions). The final payment is the
entitlement less what the party received before and less what it takes back in kind at
the exit; a negative payment is what the party pays in. Payments sum to the pool's cash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from kithbook.domain.economics.money import (
    EXACT,
    ZERO,
    allocate,
    dec,
    fmt,
    pad,
    round_money,
    tidy,
)
from kithbook.domain.economics.split import Share, check_shares
from kithbook.domain.economics.statement import Line, digest_of, padded

CONTRIBUTION_KINDS = ("cash", "hours", "asset", "introduction")
RULES = ("pro_rata_contributions", "equal", "fixed_shares", "return_then_shares")
RULE_WORDS = {
    "pro_rata_contributions": "in proportion to contributions",
    "equal": "in equal parts",
    "fixed_shares": "by the agreed shares",
    "return_then_shares": "contributions returned first, the surplus by the agreed shares",
}
RETURN_KINDS = ("asset", "ip", "data", "customers", "other")


@dataclass(frozen=True)
class Contribution:
    party: str
    kind: str
    amount: Decimal  # cash or the asset's value; hours or introductions for the others
    rate: Decimal | None = None  # money per hour or per introduction
    on: date | None = None
    description: str = ""
    ref: int | None = None  # the record it comes from

    @property
    def value(self) -> Decimal:
        if self.kind in ("hours", "introduction"):
            if self.rate is None:
                raise ValueError(f"{self.party}'s {self.kind} need a rate to be valued")
            return EXACT.multiply(self.amount, self.rate)
        return self.amount

    def explain(self, currency: str) -> str:
        if self.kind in ("hours", "introduction"):
            unit = "hours" if self.kind == "hours" else "introductions"
            return (f"{fmt(tidy(self.amount))} {unit} × {fmt(pad(self.rate or ZERO, currency))}"
                    f" = {fmt(pad(self.value, currency))}")
        return f"{self.kind} {fmt(pad(self.amount, currency))}"


@dataclass(frozen=True)
class Receipt:
    party: str
    amount: Decimal
    on: date | None = None
    description: str = ""
    ref: int | None = None


@dataclass(frozen=True)
class PoolItem:
    description: str
    amount: Decimal  # positive: cash or an asset's value; negative: a liability
    kind: str = "cash"  # cash | asset | liability
    to_party: str | None = None  # an asset taken back in kind by this party


@dataclass(frozen=True)
class Returned:
    """A shared asset, IP, data or customers handed back, recorded for the statement."""

    item: str
    kind: str
    to_party: str
    returned_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class ExitTerms:
    alliance: str
    currency: str
    parties: tuple[str, ...]
    rule: str
    shares: tuple[Share, ...] = ()


@dataclass(frozen=True)
class PartyStatement:
    party: str
    contributed: Decimal
    received_before: Decimal
    entitlement: Decimal
    in_kind: Decimal
    payment: Decimal  # paid to the party (+) or by it (-) at the exit
    net: Decimal  # entitlement - contributed: what the alliance gained or cost it
    lines: tuple[Line, ...]
    returned: tuple[Returned, ...]


@dataclass(frozen=True)
class ExitSettlement:
    alliance: str
    currency: str
    rule: str
    pool: Decimal
    value: Decimal
    lines: tuple[Line, ...]
    parties: tuple[PartyStatement, ...]

    def party(self, name: str) -> PartyStatement:
        for p in self.parties:
            if p.party == name:
                return p
        raise KeyError(name)

    @property
    def digest(self) -> str:
        return digest_of([self.alliance, self.currency, self.rule, format(self.pool, "f"),
                          [ln.canonical() for ln in self.lines],
                          [[p.party, format(p.payment, "f"),
                            [ln.canonical() for ln in p.lines]] for p in self.parties]])


def settle(terms: ExitTerms, contributions: list[Contribution], receipts: list[Receipt],
           pool: list[PoolItem], returned: list[Returned]) -> ExitSettlement:
    cur = terms.currency
    parties = terms.parties
    if not parties:
        raise ValueError("a settlement needs the parties")
    if terms.rule not in RULES:
        raise ValueError(f"the settlement rule is one of {', '.join(RULES)}")
    if terms.rule in ("fixed_shares", "return_then_shares"):
        check_shares(terms.shares)
        if {s.party for s in terms.shares} != set(parties):
            raise ValueError("the agreed shares must name every party, and only them")
    known = set(parties)
    for c in contributions:
        if c.kind not in CONTRIBUTION_KINDS:
            raise ValueError(f"a contribution is one of {', '.join(CONTRIBUTION_KINDS)}")
    for who in [c.party for c in contributions] + [r.party for r in receipts] + \
            [p.to_party for p in pool if p.to_party] + [r.to_party for r in returned]:
        if who not in known:
            raise ValueError(f"{who} is not a party to the alliance")

    def F(x: Decimal) -> str:
        return fmt(pad(x, cur))

    contributed = {p: round_money(sum((c.value for c in contributions if c.party == p), ZERO),
                                  cur) for p in parties}
    received = {p: sum((r.amount for r in receipts if r.party == p), ZERO) for p in parties}
    in_kind = {p: sum((i.amount for i in pool if i.to_party == p), ZERO) for p in parties}
    pool_total = sum((i.amount for i in pool), ZERO)
    value = round_money(pool_total + sum(received.values(), ZERO), cur)
    total_c = sum(contributed.values(), ZERO)
    exact = _entitlements(terms, contributed, value)
    ent = dict(zip(parties, allocate([exact[p] for p in parties], value, cur), strict=True))

    lines = (
        Line("pool", "Left to share at the exit", pool_total, None,
             " + ".join(f"{i.description} {F(i.amount)}" for i in pool) + f" = {F(pool_total)}"
             if pool else "nothing left"),
        Line("received", "Received by the parties before the exit",
             sum(received.values(), ZERO), None,
             " + ".join(F(received[p]) for p in parties)),
        Line("value", "Value to share", value, None,
             f"{F(pool_total)} + {F(sum(received.values(), ZERO))} = {F(value)}"),
        Line("contributed", "Contributed by all parties", total_c, None,
             " + ".join(F(contributed[p]) for p in parties) + f" = {F(total_c)}"),
        Line("rule", "Settlement rule", None, None, RULE_WORDS[terms.rule]),
    )
    out = []
    for p in parties:
        mine = [c for c in contributions if c.party == p]
        pl: list[Line] = []
        for kind in CONTRIBUTION_KINDS:
            ks = [c for c in mine if c.kind == kind]
            if ks:
                v = sum((c.value for c in ks), ZERO)
                pl.append(Line(f"contributed:{kind}", f"Contributed: {kind}", v, None,
                               "; ".join(c.explain(cur) for c in ks),
                               tuple(c.ref for c in ks if c.ref is not None)))
        pl.append(Line("contributed", "Contributed in all", contributed[p], None,
                       f"{F(contributed[p])} (rounded once)"))
        pl.append(Line("received_before", "Received before the exit", received[p], None,
                       f"{len([r for r in receipts if r.party == p])} distributions",
                       tuple(r.ref for r in receipts if r.party == p and r.ref is not None)))
        pl.append(Line("entitlement", "Entitlement under the rule", ent[p], None,
                       f"{_explain_rule(terms, p, contributed, value, cur)} = "
                       f"{fmt(dec(exact[p], 6))} → {F(ent[p])}"))
        if in_kind[p]:
            items = [i for i in pool if i.to_party == p]
            pl.append(Line("in_kind", "Taken back in kind", in_kind[p], None,
                           "; ".join(f"{i.description} {F(i.amount)}" for i in items)))
        pay = ent[p] - received[p] - in_kind[p]
        pl.append(Line("payment", "Final payment to the party (−: by the party)", pay, None,
                       f"{F(ent[p])} − {F(received[p])} received − {F(in_kind[p])} in kind = "
                       f"{F(pay)}"))
        net = ent[p] - contributed[p]
        pl.append(Line("net", "Gain (−: loss) on the alliance", net, None,
                       f"{F(ent[p])} − {F(contributed[p])} contributed = {F(net)}"))
        out.append(PartyStatement(
            party=p, contributed=pad(contributed[p], cur), received_before=pad(received[p], cur),
            entitlement=pad(ent[p], cur), in_kind=pad(in_kind[p], cur), payment=pad(pay, cur),
            net=pad(net, cur), lines=padded(pl, cur),
            returned=tuple(r for r in returned if r.to_party == p)))
    return ExitSettlement(alliance=terms.alliance, currency=cur, rule=terms.rule,
                          pool=pad(pool_total, cur), value=pad(value, cur),
                          lines=padded(lines, cur), parties=tuple(out))


def _entitlements(terms: ExitTerms, contributed: dict[str, Decimal],
                  value: Decimal) -> dict[str, Fraction]:
    parties = terms.parties
    v = Fraction(value)
    total_c = Fraction(sum(contributed.values(), ZERO))
    bp = {s.party: s.bp for s in terms.shares}
    if terms.rule == "equal":
        return {p: v / len(parties) for p in parties}
    if terms.rule == "fixed_shares":
        return {p: v * bp[p] / 10_000 for p in parties}
    if total_c == 0:
        raise ValueError("no contribution is recorded, so a rule based on contributions "
                         "cannot share anything; record them or choose another rule")
    if terms.rule == "pro_rata_contributions" or v < total_c:
        return {p: v * Fraction(contributed[p]) / total_c for p in parties}
    surplus = v - total_c
    return {p: Fraction(contributed[p]) + surplus * bp[p] / 10_000 for p in parties}


def _explain_rule(terms: ExitTerms, p: str, contributed: dict[str, Decimal], value: Decimal,
                  cur: str) -> str:
    total_c = sum(contributed.values(), ZERO)
    bp = {s.party: s.bp for s in terms.shares}

    def F(x: Decimal) -> str:
        return fmt(pad(x, cur))

    if terms.rule == "equal":
        return f"{F(value)} / {len(terms.parties)}"
    if terms.rule == "fixed_shares":
        return f"{F(value)} × {bp[p]:,} bp / 10,000"
    if terms.rule == "pro_rata_contributions" or value < total_c:
        lead = "loss shared by contributions: " if terms.rule == "return_then_shares" else ""
        return f"{lead}{F(value)} × {F(contributed[p])} / {F(total_c)}"
    return (f"{F(contributed[p])} returned + ({F(value)} − {F(total_c)}) × {bp[p]:,} bp "
            "/ 10,000")
