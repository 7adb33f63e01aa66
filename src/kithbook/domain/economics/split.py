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

from kithbook.domain.economics.money import allocate, dec, fmt, pad

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
    check_shares(shares)
    exact = [Fraction(amount) * s.bp / WHOLE_BP for s in shares]
    got = allocate(exact, amount, currency) if amount >= 0 else [
        -x for x in allocate([-e for e in exact], -amount, currency)]
    out = []
    for s, e, a in zip(shares, exact, got, strict=True):
        e_dec = dec(e)
        note = "" if e_dec == a else " (rounded by largest remainder)"
        out.append(SplitLine(
            party=s.party, bp=s.bp, exact=e_dec, amount=a,
            explain=(f"{fmt(pad(amount, currency))} × {s.bp:,} bp / 10,000 = {fmt(e_dec)} → "
                     f"{fmt(pad(a, currency))}{note}"),
        ))
    return out
