"""Splits among several parties in basis points (docs/economics.md, "Splits").

Shares are whole basis points (10,000 = everything) and must sum to exactly 10,000.
An amount is split once: each party's exact share is amount x bp / 10,000; the shares
are rounded down to the minor unit and the units left over go by largest remainder,
ties to the party listed first (so list the party that takes the rounding first).
The parts always sum to the amount to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from kithbook.domain.economics.money import (
    EXACT,
    allocate,
    dec,
    fmt,
    minor_units,
    pad,
    tidy,
)

WHOLE_BP = 10_000


@dataclass(frozen=True)
class Share:
    party: str
    bp: int


@dataclass(frozen=True)
class SplitLine:
    party: str
    bp: int
    exact: Decimal  # amount x bp / 10,000, not rounded
    amount: Decimal  # what the party gets
    explain: str


def check_shares(shares: Sequence[Share]) -> None:
    """Raise ValueError unless the shares are whole, non-negative, distinct parties
    and sum to 10,000 basis points."""
    if not shares:
        raise ValueError("a split needs at least one party")
    seen: set[str] = set()
    for s in shares:
        if s.bp < 0 or s.bp > WHOLE_BP:
            raise ValueError(f"{s.party}'s share must be between 0 and 10,000 basis points")
        if s.party in seen:
            raise ValueError(f"{s.party} appears twice in the split")
        seen.add(s.party)
    total = sum(s.bp for s in shares)
    if total != WHOLE_BP:
        raise ValueError(
            f"the shares sum to {total:,} basis points; they must sum to 10,000 (100%)"
        )


def split(amount: Decimal, shares: Sequence[Share], currency: str) -> list[SplitLine]:
    """Split a rounded amount by basis points; the parts sum to `amount` exactly."""
    if isinstance(shares, tuple):
        _check_once(shares)  # an agreement's payees: the same tuple every period
    else:
        check_shares(shares)
    fast = _split_units(amount, shares, currency)
    if fast is not None:
        exacts, got = fast
    else:
        exact = [Fraction(amount) * s.bp / WHOLE_BP for s in shares]
        got = allocate(exact, amount, currency) if amount >= 0 else [
            -x for x in allocate([-e for e in exact], -amount, currency)]
        exacts = [dec(e) for e in exact]
    out = []
    whole = fmt(pad(amount, currency))
    for s, e_dec, a in zip(shares, exacts, got, strict=True):
        note = "" if e_dec == a else " (rounded by largest remainder)"
        out.append(_split_line(
            s.party, s.bp, e_dec, a,
            f"{whole} × {s.bp:,} bp / 10,000 = {fmt(e_dec)} → {fmt(pad(a, currency))}{note}"))
    return out


@lru_cache(maxsize=1024)
def _check_once(shares: tuple[Share, ...]) -> None:
    """check_shares, remembered for shares that passed (a refusal is not cached)."""
    check_shares(shares)


def _split_line(party: str, bp: int, exact: Decimal, amount: Decimal,
                explain: str) -> SplitLine:
    """SplitLine(...) filled without the frozen dataclass's __init__ (as
    statement.make_line, and for the same reason: a statement run splits every period)."""
    sl = object.__new__(SplitLine)
    d = sl.__dict__
    d["party"] = party
    d["bp"] = bp
    d["exact"] = exact
    d["amount"] = amount
    d["explain"] = explain
    return sl


def _split_units(amount: Decimal, shares: Sequence[Share],
                 currency: str) -> tuple[list[Decimal], list[Decimal]] | None:
    """The same split in integers (minor units x basis points), for the usual amount:
    rounded to the minor unit and below 10^20 minor units. Each part's exact value is
    whole x bp / 10,000 minor units; the floors and remainders of those integer divisions
    are what `allocate` computes with fractions, so the result is the same to the digit
    (the exact figures are tidied as `dec` tidies them). None: use the general path."""
    q = minor_units(currency)
    scaled = amount.scaleb(q, context=EXACT)
    if not scaled.is_finite() or abs(scaled) >= _LIMIT or scaled != scaled.to_integral_value():
        return None
    whole = int(scaled)
    sign = 1 if amount >= 0 else -1
    whole *= sign  # allocate works on the amount's magnitude; a negative split is negated
    products = [whole * s.bp for s in shares]
    floors = [x // WHOLE_BP for x in products]
    left = whole - sum(floors)
    if left < 0 or left > len(shares):  # pragma: no cover - bp sum to 10,000
        return None
    order = sorted(range(len(shares)), key=lambda i: (-(products[i] % WHOLE_BP), i))
    units = list(floors)
    for i in order[:left]:
        units[i] += 1
    got = [Decimal(u).scaleb(-q) for u in units]
    if sign < 0:
        got = [-x for x in got]
    exacts = [tidy(Decimal(sign * x).scaleb(-(4 + q))) for x in products]
    return exacts, got


_LIMIT = Decimal(10) ** 20
