"""The Shapley value of a cooperative game, exact or sampled (docs/economics.md,
"Shapley value").

A game on n players is given by its coalition values v(S) for all 2^n coalitions S,
indexed by bitmask (player i is bit i), as exact integers in some unit (the caller
scales money to integers). The Shapley value of player i is

    phi_i = sum over S not holding i of |S|! (n-|S|-1)! / n! * (v(S + i) - v(S))

Exact, up to 20 players: rather than walking n * 2^(n-1) marginal contributions in
Python, the sum is regrouped by coalition size k:

    phi_i = sum_k [ a_k * T_i(k) - b_k * (U(k) - T_i(k)) ],
    a_k = (k-1)! (n-k)! / n!,  b_k = k! (n-k-1)! / n!,

where U(k) is the sum of v over coalitions of size k and T_i(k) the sum over those that
hold i. U and T are integer sums over arrays (numpy, int64 in two 32-bit halves so no
sum can overflow); only the n*(n+1) weighted terms are rational, done with Fractions.
The result is exact.

Sampled, beyond 20 players: m random orders of the players (seeded, so the answer is
reproducible); each player's value is its mean marginal contribution over the orders.
The estimates still add up to v(N) exactly (every order distributes v(N) - v(empty)),
and each carries a 95% half-width, 1.96 standard errors (normal approximation).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

MAX_EXACT = 20
Z95 = Decimal("1.96")
IntArray = npt.NDArray[np.int64]


def popcounts(n: int) -> npt.NDArray[np.int8]:
    pc = np.zeros(1 << n, dtype=np.int8)
    for j in range(n):
        pc[1 << j: 2 << j] = pc[: 1 << j] + 1
    return pc


def subset_sums(weights: Sequence[int]) -> IntArray:
    """sum of weights[i] over the bits of every mask, in one pass per player."""
    n = len(weights)
    out = np.zeros(1 << n, dtype=np.int64)
    for j, w in enumerate(weights):
        out[1 << j: 2 << j] = out[: 1 << j] + w
    return out


def weights(n: int) -> tuple[list[Fraction], list[Fraction]]:
    """a_k (coalitions of size k holding i) and b_k (size k without i), k = 0..n."""
    fact = [math.factorial(k) for k in range(n + 1)]
    a = [Fraction(0)] + [Fraction(fact[k - 1] * fact[n - k], fact[n]) for k in range(1, n + 1)]
    b = [Fraction(fact[k] * fact[n - k - 1], fact[n]) for k in range(n)] + [Fraction(0)]
    return a, b


def exact(values: IntArray | Sequence[int]) -> list[Fraction]:
    """Exact Shapley values from integer coalition values v[mask] (len 2^n, n <= 20)."""
    v = np.asarray(values)
    n = int(v.shape[0]).bit_length() - 1
    if v.shape[0] != 1 << n:
        raise ValueError("coalition values must be given for all 2^n coalitions")
    if n > MAX_EXACT:
        raise ValueError(f"exact Shapley is for up to {MAX_EXACT} players; sample beyond")
    if n == 0:
        return []
    if v.dtype != np.int64:
        big = max(abs(int(x)) for x in v.tolist())
        if big >= 1 << 62:
            return _exact_slow(v.tolist(), n)
        v = v.astype(np.int64)
    pc = popcounts(n)
    order = np.argsort(pc, kind="stable")
    starts = np.searchsorted(pc[order], np.arange(n + 1))
    vs = v[order]
    # two halves so that no sum of up to 2^20 values can leave int64
    lo = vs & 0xFFFFFFFF
    hi = vs >> 32

    def sums(mask_bits: npt.NDArray[np.bool_] | None) -> list[int]:
        if mask_bits is None:
            s_lo, s_hi = np.add.reduceat(lo, starts), np.add.reduceat(hi, starts)
        else:
            s_lo = np.add.reduceat(np.where(mask_bits, lo, 0), starts)
            s_hi = np.add.reduceat(np.where(mask_bits, hi, 0), starts)
        return [int(h) * (1 << 32) + int(low) for h, low in zip(s_hi, s_lo, strict=True)]

    u = sums(None)
    a, b = weights(n)
    out = []
    for i in range(n):
        t = sums(((order >> i) & 1).astype(bool))
        phi = sum((a[k] * t[k] - b[k] * (u[k] - t[k]) for k in range(n + 1)), Fraction(0))
        out.append(phi)
    return out


def _exact_slow(v: list[int], n: int) -> list[Fraction]:
    """The same sums in Python integers, for values too large for int64."""
    u = [0] * (n + 1)
    t = [[0] * (n + 1) for _ in range(n)]
    for mask, val in enumerate(v):
        k = mask.bit_count()
        u[k] += val
        m, i = mask, 0
        while m:
            if m & 1:
                t[i][k] += val
            m >>= 1
            i += 1
    a, b = weights(n)
    return [sum((a[k] * t[i][k] - b[k] * (u[k] - t[i][k]) for k in range(n + 1)), Fraction(0))
            for i in range(n)]


def exact_from(n: int, value: Callable[[int], int]) -> list[Fraction]:
    """Exact Shapley values of a game given as a function of the coalition bitmask."""
    return exact([value(m) for m in range(1 << n)])


@dataclass(frozen=True)
class Sampled:
    """Sampled Shapley values: estimates (exact means over the sampled orders), each
    with its 95% half-width, in the caller's integer unit."""

    values: list[Fraction]
    half_width: list[Fraction]
    orders: int
    seed: int


def sampled(n: int, marginals: Callable[[IntArray], IntArray], *, orders: int = 2000,
            seed: int = 0) -> Sampled:
    """Estimate Shapley values from `orders` random orders of n players.

    `marginals(perms)` gets an (m, n) array of player orders and returns the (m, n) array
    of v(first j+1 players) - v(first j players) along each order, as int64."""
    if orders < 2:
        raise ValueError("sample at least two orders")
    rng = np.random.default_rng(seed)
    perms = np.argsort(rng.random((orders, n)), axis=1)
    contrib = marginals(perms)
    total = [0] * n
    squares = [0] * n
    for row_p, row_c in zip(perms.tolist(), contrib.tolist(), strict=True):
        for i, c in zip(row_p, row_c, strict=True):
            total[i] += c
            squares[i] += c * c
    values, half = [], []
    m = orders
    for i in range(n):
        mean = Fraction(total[i], m)
        var = (Fraction(squares[i], 1) - m * mean * mean) / (m - 1)  # sample variance
        se = (Decimal(var.numerator) / Decimal(var.denominator) / m).sqrt() if var > 0 else \
            Decimal(0)
        values.append(mean)
        half.append(Fraction(Z95 * se))
    return Sampled(values, half, orders, seed)
