"""Rate cards: effective-dated versions of tiered rates (docs/economics.md, "Rates and
tiers").

A version holds bands [start, end) over a quantity (net sales or units, counted over a
window: the period, the contract year or the agreement's life). A flat rate is one band
from 0 with no end. Bands must start at 0, follow each other without gap or overlap,
and the last has no end: a base that falls in no band would silently earn nothing,
the trap of several real engines, so such a card is refused.

Two tier semantics, chosen per agreement:
- marginal: each band's rate applies only to the part of the quantity inside it;
- all-units (retrospective): the whole quantity counted in the window earns the rate
  of the band the window's total has reached; crossing a threshold re-rates earlier
  units of the same window (the true-up line of a statement).

Versions are effective from a date (inclusive) to a date (inclusive) or open; they may
not overlap. A sale earns the version in effect on the day it happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kithbook.domain.economics.money import EXACT, ZERO

TIER_MODES = ("marginal", "all_units")
WINDOWS = ("period", "contract_year", "lifetime")
BASES = ("net", "units")


@dataclass(frozen=True)
class Band:
    start: Decimal
    end: Decimal | None  # exclusive; None = no upper bound
    rate: Decimal

    def label(self) -> str:
        end = "and above" if self.end is None else f"to {self.end:,f}"
        return f"{self.start:,f} {end}"


@dataclass(frozen=True)
class RateVersion:
    version: int
    effective_from: date
    effective_to: date | None  # inclusive; None = until a later version or the end
    bands: tuple[Band, ...]
    note: str = ""

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None
                                               or day <= self.effective_to)

    def label(self) -> str:
        end = f" to {self.effective_to.isoformat()}" if self.effective_to else ""
        return f"rates v{self.version} (from {self.effective_from.isoformat()}{end})"

    def rate_at(self, x: Decimal) -> Decimal:
        """The rate of the band holding x (a quantity exactly on a threshold is in the
        upper band). Below 0 the first band's rate applies."""
        for b in self.bands:
            if b.end is None or x < b.end:
                return b.rate
        raise AssertionError("bands are checked to be open-ended")  # pragma: no cover

    def band_at(self, x: Decimal) -> int:
        for i, b in enumerate(self.bands):
            if b.end is None or x < b.end:
                return i
        raise AssertionError("bands are checked to be open-ended")  # pragma: no cover


def flat(version: int, effective_from: date, rate: Decimal,
         effective_to: date | None = None) -> RateVersion:
    return RateVersion(version, effective_from, effective_to, (Band(ZERO, None, rate),))


def tiered(version: int, effective_from: date, steps: Sequence[tuple[Decimal, Decimal]],
           effective_to: date | None = None) -> RateVersion:
    """Bands from (threshold, rate) pairs: [(0, 5%), (1000, 7%)] -> [0, 1000) at 5%,
    1000 and above at 7%."""
    bands = []
    for i, (start, rate) in enumerate(steps):
        end = steps[i + 1][0] if i + 1 < len(steps) else None
        bands.append(Band(Decimal(start), None if end is None else Decimal(end),
                          Decimal(rate)))
    return RateVersion(version, effective_from, effective_to, tuple(bands))


def check_bands(v: RateVersion) -> None:
    if not v.bands:
        raise ValueError(f"rates v{v.version} has no band")
    if v.bands[0].start != 0:
        raise ValueError(f"rates v{v.version}: the first band must start at 0")
    for i, b in enumerate(v.bands):
        if b.rate < 0:
            raise ValueError(f"rates v{v.version}: band {b.label()} has a negative rate")
        last = i == len(v.bands) - 1
        if b.end is None and not last:
            raise ValueError(f"rates v{v.version}: only the last band may be open-ended")
        if last and b.end is not None:
            raise ValueError(
                f"rates v{v.version}: the last band ends at {b.end:,f}; a base above it "
                "would earn nothing. Leave the last band open-ended (a cap is set apart)")
        if b.end is not None and b.end <= b.start:
            raise ValueError(f"rates v{v.version}: band {b.label()} is empty")
        if not last and v.bands[i + 1].start != b.end:
            nxt = v.bands[i + 1].start
            kind = "a gap" if nxt > b.end else "an overlap"  # type: ignore[operator]
            raise ValueError(
                f"rates v{v.version}: {kind} between {b.end:,f} and {nxt:,f}; each band "
                "must start where the previous one ends")


def check_versions(versions: Sequence[RateVersion], mode: str, window: str) -> None:
    """Refuse overlapping versions, bad bands, and all-units rates that fall as the
    window fills (a retrospective re-rate would then take money back)."""
    if mode not in TIER_MODES:
        raise ValueError(f"tier mode must be one of {', '.join(TIER_MODES)}")
    if window not in WINDOWS:
        raise ValueError(f"the tier window must be one of {', '.join(WINDOWS)}")
    if not versions:
        raise ValueError("an agreement needs at least one rate version")
    seen: set[int] = set()
    for v in versions:
        if v.version in seen:
            raise ValueError(f"rates v{v.version} is given twice")
        seen.add(v.version)
        check_bands(v)
        if v.effective_to is not None and v.effective_to < v.effective_from:
            raise ValueError(f"{v.label()} ends before it starts")
        if mode == "all_units" and window != "period":
            rates = [b.rate for b in v.bands]
            if rates != sorted(rates):
                raise ValueError(
                    f"{v.label()}: all-units rates counted over a {window.replace('_', ' ')} "
                    "must not fall from band to band; use marginal tiers or a per-period "
                    "window")
    ordered = sorted(versions, key=lambda v: v.effective_from)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a.effective_to is None or a.effective_to >= b.effective_from:
            end = "open-ended" if a.effective_to is None else f"to {a.effective_to}"
            raise ValueError(
                f"{a.label()} ({end}) overlaps {b.label()}; end the earlier version the "
                "day before the later one starts")


def version_on(versions: Sequence[RateVersion], day: date) -> RateVersion | None:
    for v in versions:
        if v.covers(day):
            return v
    return None


@dataclass(frozen=True)
class TierPiece:
    band: Band
    quantity: Decimal  # the part of the quantity inside the band (negative for a return)
    amount: Decimal  # quantity x rate, exact


def marginal(v: RateVersion, before: Decimal, q: Decimal) -> list[TierPiece]:
    """The pieces of [before, before + q) in each band, each at its own rate. A negative
    q walks back down the bands. Below 0 the first band applies."""
    lo, hi, sign = (before, before + q, 1) if q >= 0 else (before + q, before, -1)
    pieces = []
    for i, b in enumerate(v.bands):
        start = b.start if i else min(b.start, lo)
        end = hi if b.end is None else b.end
        inside = min(hi, end) - max(lo, start)
        if inside > 0:
            qty = inside if sign > 0 else -inside
            pieces.append(TierPiece(b, qty, EXACT.multiply(qty, b.rate)))
    return pieces


def marginal_total(v: RateVersion, upto: Decimal) -> Decimal:
    """The marginal amount on [0, upto)."""
    return sum((p.amount for p in marginal(v, ZERO, upto)), ZERO)
