"""Joint purchasing: what a buying group saved against its members' documented
baselines, and how the gain is shared (docs/economics.md, "Buying groups").

Each member has one baseline (what it would pay alone for the item). Its orders say
what it bought and paid. The group's gain over a season is

    G = sum over members of (baseline spend - paid) + rebates received - group costs,

each member's baseline spend rounded to the cent once. G is allocated three ways, side
by side: equal price (everyone ends at the same net unit price), pro rata by volume,
and the Shapley value of the purchasing game, in which a coalition S of two or more
members would pay the supplier's schedule for its total volume, cost(Q_S), and saves
v(S) = max(0, baseline spend of S - cost(Q_S)); a member alone saves nothing (its
baseline is what it pays alone), and the whole group's value is the realized G. The
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

import numpy as np
import numpy.typing as npt

from kithbook.domain.economics import shapley as sh
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

Arr = npt.NDArray[Any]
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

    @property
    def digest(self) -> str:
        def c(x: Decimal) -> str:
            return format(x, "f")

        return digest_of([self.group, self.currency, self.item,
                          self.through.isoformat() if self.through else None, self.method,
                          c(self.gain), [ln.canonical() for ln in self.lines],
                          [[m.member, c(m.allocated), c(m.transfer), c(m.balance),
                            [ln.canonical() for ln in m.lines]] for m in self.members]])


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
    sh_exact, how = _shapley(terms, units, base, gain, samples=samples, seed=seed)
    shp = allocate(sh_exact, gain, cur)
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
            Line("shapley", "Shapley value", shp[i], None,
                 f"{how}: {fmt(dec(sh_exact[i], 6))} → {F(shp[i])}"),
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
                      lines=padded(lines, cur), members=tuple(out), shapley_how=how,
                      notes=tuple(notes))


# -- the purchasing game in integers -------------------------------------------------


def _places(values: Sequence[Decimal]) -> int:
    out = 0
    for v in values:
        exp = tidy(v).as_tuple().exponent
        if isinstance(exp, int) and exp < 0:
            out = max(out, -exp)
    return out


@dataclass(frozen=True)
class _IntSchedule:
    """The schedule's cost as integers of 10^-scale, for arrays of quantities given as
    integers of 10^-sq. scale = sq + sp + sr: quantity places, price places (prices,
    per-unit rebates, baselines and the gain), places of the rebate percentage."""

    sq: int
    sp: int
    sr: int
    starts: list[int]
    price: list[int]
    price_base: list[int]  # marginal: cost of the bands below
    mode: str
    r_starts: list[int]
    r_price: list[int]
    r_base: list[int]
    r_mode: str
    pct: int

    @property
    def scale(self) -> int:
        return self.sq + self.sp + self.sr

    def cost(self, q: Arr) -> Arr:
        total = _band_cost(q, self.starts, self.price, self.price_base, self.mode)
        out = total * 10**self.sr
        if self.pct:
            out = out - total * self.pct
        if self.r_starts:
            out = out - _band_cost(q, self.r_starts, self.r_price, self.r_base,
                                   self.r_mode) * 10**self.sr
        result: Arr = out
        return result


def _band_cost(q: Arr, starts: list[int], price: list[int], base: list[int],
               mode: str) -> Arr:
    s = np.asarray(starts, dtype=q.dtype)
    ix = np.searchsorted(s, q, side="right") - 1
    ix = np.maximum(ix, 0)
    p = np.asarray(price, dtype=q.dtype)[ix]
    if mode == "all_units":
        out: Arr = p * q
        return out
    b = np.asarray(base, dtype=q.dtype)[ix]
    marg: Arr = b + p * (q - s[ix])
    return marg


def _int_schedule(sch: PriceSchedule, sq: int, extra: Sequence[Decimal]) -> _IntSchedule:
    prices = [b.rate for b in sch.bands] + [b.rate for b in sch.rebate_bands] + list(extra)
    sp = _places(prices)
    sr = _places([sch.rebate_pct])

    def ints(bands: Sequence[Band]) -> tuple[list[int], list[int], list[int]]:
        starts = [int(b.start * 10**sq) for b in bands]
        price = [int(b.rate * 10**sp) for b in bands]
        base, acc = [], 0
        for j, _b in enumerate(bands):
            base.append(acc)
            if j + 1 < len(bands):
                acc += price[j] * (starts[j + 1] - starts[j])
        return starts, price, base

    s, p, b = ints(sch.bands)
    rs, rp, rb = ints(sch.rebate_bands) if sch.rebate_bands else ([], [], [])
    return _IntSchedule(sq=sq, sp=sp, sr=sr, starts=s, price=p, price_base=b, mode=sch.mode,
                        r_starts=rs, r_price=rp, r_base=rb, r_mode=sch.rebate_mode,
                        pct=int(sch.rebate_pct * 10**sr))


def _shapley(terms: BuyingTerms, units: list[Decimal], base: list[Baseline], gain: Decimal,
             *, samples: int, seed: int) -> tuple[list[Fraction], str]:
    """Shapley values of the purchasing game (module doc), in money, as Fractions."""
    n = len(units)
    sch = terms.schedule
    bands = list(sch.bands) + list(sch.rebate_bands)
    sq = _places(units + [b.start for b in bands])
    isch = _int_schedule(sch, sq, [b.price for b in base] + [gain])
    scale = isch.scale
    q_int = [int(u * 10**sq) for u in units]
    b_int = [int(EXACT.multiply(units[i], base[i].price) * 10**scale) for i in range(n)]
    g_int = int(gain * 10**scale)
    # no coalition value can exceed this; past 2^61, Python integers take over from int64
    bound = (sum(q_int) * max([abs(x) for x in isch.price + isch.r_price] + [1])
             * 10 ** (isch.sr + 1) + sum(abs(x) for x in b_int) + abs(g_int))
    dtype: type = np.int64 if bound < (1 << 61) else object
    unit = Fraction(1, 10**scale)
    if n <= sh.MAX_EXACT:
        qs = _subset_sums(q_int, dtype)
        bs = _subset_sums(b_int, dtype)
        v = bs - isch.cost(qs)
        v = np.where(v > 0, v, 0)
        pc = sh.popcounts(n)
        v[pc <= 1] = 0
        v[-1] = g_int
        phi = sh.exact(v if dtype is np.int64 else [int(x) for x in v])
        return [p * unit for p in phi], f"exact over all {1 << n:,} coalitions"
    q_arr: Arr = np.asarray(q_int, dtype=dtype)
    b_arr: Arr = np.asarray(b_int, dtype=dtype)

    def marginals(perms: Arr) -> Arr:
        qc = np.cumsum(q_arr[perms], axis=1)
        bc = np.cumsum(b_arr[perms], axis=1)
        v = bc - isch.cost(qc)
        v = np.where(v > 0, v, 0)
        v[:, 0] = 0
        v[:, -1] = g_int
        return np.diff(v, axis=1, prepend=np.zeros((v.shape[0], 1), dtype=v.dtype))

    est = sh.sampled(n, marginals, orders=samples, seed=seed)
    worst = max(est.half_width) * unit
    return ([p * unit for p in est.values],
            f"sampled over {samples:,} random orders (seed {seed}); each value within "
            f"±{fmt(pad(dec(worst, 2), terms.currency))} at 95% confidence")


def _subset_sums(weights: list[int], dtype: type) -> Arr:
    out: Arr = np.zeros(1 << len(weights), dtype=dtype)
    for j, w in enumerate(weights):
        out[1 << j: 2 << j] = out[: 1 << j] + w
    return out


def order_entry(member: str, on: date, units: Decimal, amount: Decimal, ref: str = "") -> Entry:
    return Entry(0, "order", on, on, amount=amount, units=units, party=member, ref=ref)
