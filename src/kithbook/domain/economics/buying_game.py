"""The purchasing game of a buying group and its Shapley value (docs/economics.md,
"Buying groups" and "Shapley value").

The players are the members that ordered: a member with no units adds nothing to any
coalition (a null player), so it is left out of the game and gets exactly 0. A
coalition S of two or more players would pay the supplier's schedule for its total
volume and saves v(S) = max(0, baseline spend of S - cost(Q_S)); a player alone saves
nothing. The whole group N is valued by the same rule, from the schedule; the realized
gain G differs from v(N) by what the schedule does not see (group costs, a rebate not
yet received, invoices off the schedule), and that difference is shared pro rata by
volume among the players. So the two parts sum to G exactly and a member with no units
gets 0 from both.

Coalition values are built as integers (money scaled to integers: quantities times
prices have a fixed number of decimal places) by one doubling pass per player.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from kithbook.domain.economics import shapley as sh
from kithbook.domain.economics.money import EXACT, dec, fmt, pad, tidy
from kithbook.domain.economics.rates import Band

if TYPE_CHECKING:
    from kithbook.domain.economics.buying import PriceSchedule

Arr = npt.NDArray[Any]


@dataclass(frozen=True)
class GameShares:
    """Each member's Shapley allocation of G, exact, in money: its Shapley value in
    the schedule's game (`game`) plus its volume's share of G - v(N) (`residual`)."""

    values: list[Fraction]
    game: list[Fraction]
    residual: list[Fraction]
    grand: Fraction  # v(N) on the schedule, N the members that ordered
    how: str  # exact over 2^n coalitions, or sampled with the stated error


def shapley_shares(schedule: PriceSchedule, units: Sequence[Decimal],
                   prices: Sequence[Decimal], gain: Decimal, currency: str, *,
                   samples: int, seed: int) -> GameShares:
    """The Shapley allocation of `gain` (module doc); units and baseline prices per
    member, in the members' order."""
    n = len(units)
    players = [i for i in range(n) if units[i] > 0]
    zero = [Fraction(0)] * n
    if not players:
        # nobody ordered: no volume to weigh, and G (rebates less costs) still has to
        # go somewhere; equally, as equal price and pro rata do in that case
        each = [Fraction(gain) / n] * n
        return GameShares(each, zero, each, Fraction(0),
                          "no member ordered: shared equally")
    q = [units[i] for i in players]
    phi, grand, how = _schedule_game(schedule, q, [prices[i] for i in players], currency,
                                     samples=samples, seed=seed)
    left = Fraction(gain) - grand
    total = sum((Fraction(x) for x in q), Fraction(0))
    game, residual = list(zero), list(zero)
    for k, i in enumerate(players):
        game[i] = phi[k]
        residual[i] = left * Fraction(q[k]) / total
    values = [g + r for g, r in zip(game, residual, strict=True)]
    return GameShares(values, game, residual, grand, how)


def _schedule_game(schedule: PriceSchedule, units: list[Decimal], prices: list[Decimal],
                   currency: str, *, samples: int, seed: int
                   ) -> tuple[list[Fraction], Fraction, str]:
    """Shapley values of the players in the schedule's game, v(N) and how they were
    found, in money."""
    n = len(units)
    bands = list(schedule.bands) + list(schedule.rebate_bands)
    sq = _places(units + [b.start for b in bands])
    isch = _int_schedule(schedule, sq, prices)
    scale = isch.scale
    q_int = [int(u * 10**sq) for u in units]
    b_int = [int(EXACT.multiply(units[i], prices[i]) * 10**scale) for i in range(n)]
    # no coalition value can exceed this; past 2^61, Python integers take over from int64
    bound = (sum(q_int) * max([abs(x) for x in isch.price + isch.r_price] + [1])
             * 10 ** (isch.sr + 1) + sum(abs(x) for x in b_int))
    dtype: type = np.int64 if bound < (1 << 61) else object
    unit = Fraction(1, 10**scale)
    if n <= sh.MAX_EXACT:
        qs = _subset_sums(q_int, dtype)
        bs = _subset_sums(b_int, dtype)
        v = bs - isch.cost(qs)
        v = np.where(v > 0, v, 0)
        v[sh.popcounts(n) <= 1] = 0
        phi = sh.exact(v if dtype is np.int64 else [int(x) for x in v])
        return ([p * unit for p in phi], int(v[-1]) * unit,
                f"exact over all {1 << n:,} coalitions")
    q_arr: Arr = np.asarray(q_int, dtype=dtype)
    b_arr: Arr = np.asarray(b_int, dtype=dtype)

    def marginals(perms: Arr) -> Arr:
        qc = np.cumsum(q_arr[perms], axis=1)
        bc = np.cumsum(b_arr[perms], axis=1)
        v = bc - isch.cost(qc)
        v = np.where(v > 0, v, 0)
        v[:, 0] = 0
        return np.diff(v, axis=1, prepend=np.zeros((v.shape[0], 1), dtype=v.dtype))

    whole = int(sum(b_int) - isch.cost(np.asarray([sum(q_int)], dtype=dtype))[0])
    est = sh.sampled(n, marginals, orders=samples, seed=seed)
    worst = max(est.half_width) * unit
    return ([p * unit for p in est.values], max(whole, 0) * unit,
            f"sampled over {samples:,} random orders (seed {seed}); each value within "
            f"±{fmt(pad(dec(worst, 2), currency))} at 95% confidence")


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
    per-unit rebates and baselines), places of the rebate percentage."""

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


def _subset_sums(weights: list[int], dtype: type) -> Arr:
    out: Arr = np.zeros(1 << len(weights), dtype=dtype)
    for j, w in enumerate(weights):
        out[1 << j: 2 << j] = out[: 1 << j] + w
    return out
