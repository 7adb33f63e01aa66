"""Joint purchasing: what a buying group saved against its members' documented
baselines, and how the gain is shared (docs/economics.md, "Buying groups").

Each member has one baseline (what it would pay alone for the item). Its orders say
what it bought and paid. The group's gain over a season is

    G = sum over members of (baseline spend - paid) + rebates received - group costs,

each member's baseline spend rounded to the cent once. G is allocated three ways, side
by side: equal price (everyone ends at the same net unit price), pro rata by volume,
and the Shapley value of the purchasing game. The game's players are the members that
ordered (a member with no units adds nothing to any coalition, so it is left out and
gets 0, the null-player rule). A coalition S of two or more of them would pay the
supplier's schedule for its total volume, cost(Q_S), and saves
v(S) = max(0, baseline spend of S - cost(Q_S)); a member alone saves nothing (its
baseline is what it pays alone). The whole group is valued the same way, v(N) from the
schedule, so every coalition is valued by one rule; the Shapley value distributes v(N),
and the difference G - v(N) between what was realized and what the schedule promised
(group costs, a rebate not yet paid, invoices off the schedule) is shared pro rata by
volume among the members that ordered. A member with no units gets 0 from both parts,
and the two parts together distribute exactly G. The
method the members agreed gives each member's allocation; the difference from what its
own invoices already saved it is the transfer it receives from (or pays into) the pool
of rebates net of costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kithbook.domain.economics.buying_game import GameShares, shapley_shares
from kithbook.domain.economics.ledger import Entry, Ledger
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
from kithbook.domain.economics.rates import Band, RateVersion, check_bands
from kithbook.domain.economics.savings import KIND_WORDS, Baseline
from kithbook.domain.economics.statement import Line, digest_of, padded

METHODS = ("equal_price", "pro_rata", "shapley")
METHOD_WORDS = {"equal_price": "equal price", "pro_rata": "pro rata by volume",
                "shapley": "Shapley value"}
EP_FAIRNESS_SHARE = Decimal("0.38")


@dataclass(frozen=True)
class PriceSchedule:
    """The supplier's offer by the group's total units: a unit price per band (all units
    at the band reached, or marginal), money back per unit by band, and a percentage of
    spend given back."""

    bands: tuple[Band, ...]
    mode: str = "all_units"
    rebate_bands: tuple[Band, ...] = ()
    rebate_mode: str = "all_units"
    rebate_pct: Decimal = ZERO

    def check(self) -> None:
        check_bands(RateVersion(1, date.min, None, self.bands))
        if self.rebate_bands:
            check_bands(RateVersion(1, date.min, None, self.rebate_bands))
        for m in (self.mode, self.rebate_mode):
            if m not in ("all_units", "marginal"):
                raise ValueError("a schedule is all_units or marginal")
        if not ZERO <= self.rebate_pct < 1:
            raise ValueError("a rebate on spend is between 0% and 100%")

    def price_total(self, q: Decimal) -> Decimal:
        return _banded(self.bands, self.mode, q)

    def rebate(self, q: Decimal) -> Decimal:
        per_unit = _banded(self.rebate_bands, self.rebate_mode, q) if self.rebate_bands else ZERO
        return per_unit + EXACT.multiply(self.price_total(q), self.rebate_pct)

    def cost(self, q: Decimal) -> Decimal:
        return self.price_total(q) - self.rebate(q)


def _banded(bands: Sequence[Band], mode: str, q: Decimal) -> Decimal:
    if mode == "all_units":
        for b in bands:
            if b.end is None or q < b.end:
                return EXACT.multiply(q, b.rate)
    total = ZERO
    for b in bands:
        top = q if b.end is None else min(q, b.end)
        if top > b.start:
            total += EXACT.multiply(top - b.start, b.rate)
    return total


@dataclass(frozen=True)
class BuyingTerms:
    group: str
    currency: str
    item: str
    members: tuple[str, ...]  # listed order breaks rounding ties
    baselines: tuple[Baseline, ...]
    schedule: PriceSchedule
    agreed: str | None = None  # the allocation the members agreed

    def check(self) -> None:
        if len(self.members) < 2:
            raise ValueError("a buying group has at least two members")
        if len(set(self.members)) != len(self.members):
            raise ValueError("a member is listed twice")
        have = {b.member for b in self.baselines}
        if len(have) != len(self.baselines):
            raise ValueError("a member has two baselines for the same item; cost reduction "
                             "and cost avoidance are never both reported")
        for b in self.baselines:
            b.check()
            if b.member not in self.members:
                raise ValueError(f"{b.member} has a baseline but is not a member")
        if self.agreed is not None and self.agreed not in METHODS:
            raise ValueError(f"the agreed allocation is one of {', '.join(METHODS)}")
        self.schedule.check()

    def baseline(self, member: str) -> Baseline:
        for b in self.baselines:
            if b.member == member:
                return b
        raise ValueError(f"{member} has no documented baseline; record what it would pay "
                         "alone, with its source and date, before savings can be measured")


@dataclass(frozen=True)
class MemberSettlement:
    member: str
    units: Decimal
    volume_share: Decimal  # of the group's units, as a fraction
    baseline_spend: Decimal
    paid: Decimal
    own_saving: Decimal  # baseline spend - paid: what its own invoices show
    equal_price: Decimal
    pro_rata: Decimal
    shapley: Decimal
    allocated: Decimal  # under the agreed method (Shapley shown if none agreed)
    transfer: Decimal  # allocated - own saving: from the pool (+) or into it (-)
    transferred: Decimal  # transfers already made
    balance: Decimal  # transfer still to make
    fees: Decimal  # the member's own fees
    net_saving: Decimal  # allocated - fees
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Settlement:
    group: str
    currency: str
    item: str
    through: date | None
    method: str  # the agreed method, or "shapley" when none is agreed yet
    agreed: bool
    gain: Decimal
    lines: tuple[Line, ...]
    members: tuple[MemberSettlement, ...]
    shapley_how: str  # exact over 2^n coalitions, or sampled with the stated error
    notes: tuple[str, ...]

    def member(self, name: str) -> MemberSettlement:
        for m in self.members:
            if m.member == name:
                return m
        raise KeyError(name)

    def canonical(self) -> list[Any]:
        """The settlement as plain JSON values (amounts as exact strings): what an
        issued settlement keeps and its digest is taken over."""
        def c(x: Decimal) -> str:
            return format(x, "f")

        return [self.group, self.currency, self.item,
                self.through.isoformat() if self.through else None, self.method,
                c(self.gain), [ln.canonical() for ln in self.lines],
                [[m.member, c(m.allocated), c(m.transfer), c(m.balance),
                  [ln.canonical() for ln in m.lines]] for m in self.members]]

    @property
    def digest(self) -> str:
        return digest_of(self.canonical())


def settle(terms: BuyingTerms, ledger: Ledger, *, through: date | None = None,
           samples: int = 4000, seed: int = 0) -> Settlement:
    """The group's gain and its allocation, from the orders, rebates, costs and
    transfers booked up to `through` (all of them when None)."""
    terms.check()
    cur = terms.currency
    es = [e for e in ledger.entries if through is None or e.booked <= through]
    members = terms.members
    idx = {m: i for i, m in enumerate(members)}
    n = len(members)
    units = [ZERO] * n
    paid = [ZERO] * n
    fees = [ZERO] * n
    moved = [ZERO] * n
    order_src: list[list[int]] = [[] for _ in range(n)]
    rebates = group_costs = ZERO
    rebate_src: list[int] = []
    cost_src: list[int] = []
    for e in es:
        if e.kind in ("order", "transfer") or (e.kind == "cost" and e.party):
            if e.party not in idx:
                raise ValueError(f"ledger entry #{e.seq} names {e.party}, who is not a member")
            i = idx[e.party or ""]
        if e.kind == "order":
            units[i] += e.units
            paid[i] += e.amount
            order_src[i].append(e.seq)
        elif e.kind == "transfer":
            moved[i] += e.amount
        elif e.kind == "cost" and e.party:
            fees[i] += e.amount
        elif e.kind == "cost":
            group_costs += e.amount
            cost_src.append(e.seq)
        elif e.kind == "rebate":
            rebates += e.amount
            rebate_src.append(e.seq)
        else:
            raise ValueError(f"ledger entry #{e.seq} ({e.kind}) does not belong to a buying "
                             "group")
    base = [terms.baseline(m) for m in members]
    base_spend = [round_money(EXACT.multiply(units[i], base[i].price), cur) for i in range(n)]
    own = [base_spend[i] - paid[i] for i in range(n)]
    total_units = sum(units, ZERO)
    total_paid = sum(paid, ZERO)
    gain = sum(own, ZERO) + rebates - group_costs
    if gain != round_money(gain, cur):
        raise ValueError("order, rebate and cost amounts must be whole minor units of "
                         f"{cur}")

    def F(x: Decimal) -> str:
        return fmt(pad(x, cur))

    notes: list[str] = []
    first = min((e.on for e in es if e.kind == "order"), default=None)
    for b in base:
        if first is not None and b.stale_on(first):
            notes.append(f"{b.member}'s baseline is from {b.dated.isoformat()}, over a year "
                         "before the first order: re-quote it or index it for market movement")

    # equal price: everyone ends at the same net unit price
    if total_units > 0:
        net_price = Fraction(total_paid - rebates + group_costs) / Fraction(total_units)
        ep_exact = [Fraction(base_spend[i]) - Fraction(units[i]) * net_price for i in range(n)]
        pr_exact = [Fraction(gain) * Fraction(units[i]) / Fraction(total_units)
                    for i in range(n)]
    else:
        net_price = Fraction(0)
        ep_exact = [Fraction(gain) / n] * n
        pr_exact = [Fraction(gain) / n] * n
    ep = allocate(ep_exact, gain, cur)
    pr = allocate(pr_exact, gain, cur)
    game = shapley_shares(terms.schedule, units, [b.price for b in base], gain, cur,
                          samples=samples, seed=seed)
    shp = allocate(game.values, gain, cur)
    method = terms.agreed or "shapley"
    chosen = {"equal_price": ep, "pro_rata": pr, "shapley": shp}[method]

    lines = (
        Line("baseline", "Baseline spend (what members would pay alone)", sum(base_spend, ZERO),
             total_units, " + ".join(F(x) for x in base_spend) + f" = "
             f"{F(sum(base_spend, ZERO))}", tuple(s for src in order_src for s in src)),
        Line("paid", "Paid on the group's orders", total_paid, total_units,
             f"{sum(len(s) for s in order_src)} orders, {fmt(tidy(total_units))} units"),
        Line("own", "Saved on the invoices", sum(own, ZERO), None,
             f"{F(sum(base_spend, ZERO))} − {F(total_paid)} = {F(sum(own, ZERO))}"),
        Line("rebates", "Rebates received", rebates, None,
             f"{len(rebate_src)} rebate payments", tuple(rebate_src)),
        Line("costs", "Group costs", -group_costs, None,
             f"{len(cost_src)} cost lines (coordination, fees of the group)", tuple(cost_src)),
        Line("gain", "Group gain to allocate", gain, None,
             f"{F(sum(own, ZERO))} + {F(rebates)} − {F(group_costs)} = {F(gain)}"),
        Line("net_price", "Equal net unit price", None, None,
             f"({F(total_paid)} − {F(rebates)} + {F(group_costs)}) / "
             f"{fmt(tidy(total_units))} units = {fmt(dec(net_price, 6))}"),
        Line("schedule_value", "The group's saving on the schedule, v(N)", None, None,
             f"baseline spend of the members that ordered − the schedule's cost of their "
             f"{fmt(tidy(total_units))} units = {fmt(dec(game.grand, 6))}; Shapley shares "
             f"this, and the rest, {F(gain)} − {fmt(dec(game.grand, 6))} = "
             f"{fmt(dec(Fraction(gain) - game.grand, 6))}, pro rata by volume"),
    )
    out = []
    for i, m in enumerate(members):
        share = Decimal(0) if total_units == 0 else EXACT.divide(units[i], total_units)
        transfer = chosen[i] - own[i]
        if share > EP_FAIRNESS_SHARE and method == "equal_price":
            notes.append(f"{m} buys {fmt((share * 100).quantize(Decimal('0.1')))}% of the "
                         "volume: under equal price a member past about 38% gains less than "
                         "its weight brings (compare the Shapley column)")
        mlines = (
            Line("baseline", "Baseline spend", base_spend[i], units[i],
                 f"{fmt(tidy(units[i]))} units × {base[i].explain()} → {F(base_spend[i])} "
                 f"[{KIND_WORDS[base[i].kind]}]", tuple(order_src[i])),
            Line("paid", "Paid", paid[i], units[i], f"{len(order_src[i])} orders",
                 tuple(order_src[i])),
            Line("own", "Saved on own invoices", own[i], None,
                 f"{F(base_spend[i])} − {F(paid[i])} = {F(own[i])}"),
            Line("equal_price", "Equal price", ep[i], None,
                 f"{F(base_spend[i])} − {fmt(tidy(units[i]))} × {fmt(dec(net_price, 6))} = "
                 f"{fmt(dec(ep_exact[i], 6))} → {F(ep[i])}"),
            Line("pro_rata", "Pro rata by volume", pr[i], None,
                 f"{F(gain)} × {fmt(tidy(units[i]))} / {fmt(tidy(total_units))} = "
                 f"{fmt(dec(pr_exact[i], 6))} → {F(pr[i])}"),
            Line("shapley", "Shapley value", shp[i], None, _shapley_explain(
                game, i, units[i] > 0, total_units > 0, F(shp[i]))),
            Line("ep_minus_shapley", "Equal price − Shapley", ep[i] - shp[i], None,
                 f"{F(ep[i])} − {F(shp[i])} = {F(ep[i] - shp[i])}"),
            Line("allocated", f"Allocated ({METHOD_WORDS[method]})", chosen[i], None,
                 f"{'agreed' if terms.agreed else 'none agreed yet; shown'}: "
                 f"{METHOD_WORDS[method]}"),
            Line("transfer", "Transfer from the pool (+) or into it (−)", transfer, None,
                 f"{F(chosen[i])} − {F(own[i])} saved on own invoices = {F(transfer)}"),
            Line("transferred", "Transfers made", moved[i], None, "booked transfers"),
            Line("balance", "Transfer still to make", transfer - moved[i], None,
                 f"{F(transfer)} − {F(moved[i])} = {F(transfer - moved[i])}"),
        )
        out.append(MemberSettlement(
            member=m, units=tidy(units[i]), volume_share=share,
            baseline_spend=pad(base_spend[i], cur), paid=pad(paid[i], cur),
            own_saving=pad(own[i], cur), equal_price=ep[i], pro_rata=pr[i], shapley=shp[i],
            allocated=chosen[i], transfer=pad(transfer, cur), transferred=pad(moved[i], cur),
            balance=pad(transfer - moved[i], cur), fees=pad(fees[i], cur),
            net_saving=pad(chosen[i] - fees[i], cur), lines=padded(mlines, cur)))
    return Settlement(group=terms.group, currency=cur, item=terms.item, through=through,
                      method=method, agreed=terms.agreed is not None, gain=pad(gain, cur),
                      lines=padded(lines, cur), members=tuple(out), shapley_how=game.how,
                      notes=tuple(notes))


def _shapley_explain(game: GameShares, i: int, ordered: bool, anyone: bool,
                     rounded: str) -> str:
    if not anyone:
        return f"{game.how}: {fmt(dec(game.values[i], 6))} → {rounded}"
    if not ordered:
        return "no units ordered: it adds nothing to any coalition → 0"
    return (f"{game.how}: {fmt(dec(game.game[i], 6))} + {fmt(dec(game.residual[i], 6))} "
            f"of the rest by volume = {fmt(dec(game.values[i], 6))} → {rounded}")


def order_entry(member: str, on: date, units: Decimal, amount: Decimal, ref: str = "") -> Entry:
    return Entry(0, "order", on, on, amount=amount, units=units, party=member, ref=ref)
