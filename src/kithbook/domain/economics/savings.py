"""Purchasing savings against a documented baseline (docs/economics.md, "Savings").

A saving is only as credible as its baseline: who quoted it, when, for what volume.
The formulas below are the procurement profession's usual ones; each returns the figure
with the arithmetic written out. Cost reduction is measured against a price actually
paid before, cost avoidance against a new or higher quote; the two are never reported
for the same purchase.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kithbook.domain.economics.money import EXACT, fmt, tidy

BASELINE_KINDS = ("paid", "quote", "list")
KIND_WORDS = {"paid": "cost reduction (against a price paid before)",
              "quote": "cost avoidance (against a quote)",
              "list": "list less (against a dated list price)"}
STALE_DAYS = 365


@dataclass(frozen=True)
class Baseline:
    """What a member would pay alone for the item, and where that figure comes from."""

    member: str
    unit_price: Decimal
    kind: str  # paid | quote | list
    source: str  # who quoted it, or which invoice or price list
    dated: date
    volume: Decimal | None = None  # the volume the price was for
    index: Decimal | None = None  # market-movement factor applied to the price (1.04 = +4%)

    @property
    def price(self) -> Decimal:
        """The price savings are measured against: indexed when an index is given."""
        return self.unit_price if self.index is None else EXACT.multiply(self.unit_price,
                                                                          self.index)

    def check(self) -> None:
        if self.kind not in BASELINE_KINDS:
            raise ValueError(f"a baseline is one of {', '.join(BASELINE_KINDS)}")
        if self.unit_price < 0:
            raise ValueError(f"{self.member}'s baseline price cannot be negative")
        if not self.source.strip():
            raise ValueError(f"{self.member}'s baseline needs its source: who quoted it or "
                             "which invoice or price list it comes from")
        if self.index is not None and self.index <= 0:
            raise ValueError(f"{self.member}'s market index must be above zero")

    def explain(self) -> str:
        vol = f" for {fmt(tidy(self.volume))} units" if self.volume is not None else ""
        idx = (f", × market index {fmt(tidy(self.index))} = {fmt(tidy(self.price))}"
               if self.index is not None else "")
        return (f"{fmt(tidy(self.unit_price))} a unit{vol}, {self.kind} on "
                f"{self.dated.isoformat()} ({self.source}){idx}")

    def stale_on(self, day: date) -> bool:
        return (day - self.dated).days > STALE_DAYS and self.index is None


@dataclass(frozen=True)
class Saving:
    amount: Decimal
    explain: str


def baseline_price(old_price: Decimal, new_price: Decimal, volume: Decimal) -> Saving:
    """(old price - new price) x volume."""
    amount = EXACT.multiply(old_price - new_price, volume)
    return Saving(amount, f"({fmt(tidy(old_price))} − {fmt(tidy(new_price))}) × "
                          f"{fmt(tidy(volume))} = {fmt(tidy(amount))}")


def indexed(old_price: Decimal, index: Decimal, new_price: Decimal,
            volume: Decimal) -> Saving:
    """(old price x market index - new price) x volume: what is left once the market's
    own movement is taken out."""
    amount = EXACT.multiply(EXACT.multiply(old_price, index) - new_price, volume)
    return Saving(amount, f"({fmt(tidy(old_price))} × {fmt(tidy(index))} − "
                          f"{fmt(tidy(new_price))}) × {fmt(tidy(volume))} = {fmt(tidy(amount))}")


def cost_plus(old_markup: Decimal, new_markup: Decimal, current_spend: Decimal) -> Saving:
    """(old markup - new markup) x current spend / (1 + new markup); markups as fractions."""
    amount = EXACT.divide(EXACT.multiply(old_markup - new_markup, current_spend),
                          1 + new_markup)
    return Saving(amount, f"({_pct(old_markup)} − {_pct(new_markup)}) × "
                          f"{fmt(tidy(current_spend))} / (1 + {_pct(new_markup)}) = "
                          f"{fmt(tidy(amount))}")


def list_less(old_discount: Decimal, new_discount: Decimal, current_spend: Decimal) -> Saving:
    """(new discount - old discount) x current spend / (1 - new discount)."""
    if new_discount >= 1:
        raise ValueError("a discount off list must be below 100%")
    amount = EXACT.divide(EXACT.multiply(new_discount - old_discount, current_spend),
                          1 - new_discount)
    return Saving(amount, f"({_pct(new_discount)} − {_pct(old_discount)}) × "
                          f"{fmt(tidy(current_spend))} / (1 − {_pct(new_discount)}) = "
                          f"{fmt(tidy(amount))}")


def substitution(old_price: Decimal, old_volume: Decimal, new_price: Decimal,
                 new_volume: Decimal) -> Saving:
    """old price x old volume - new price x new volume (a different item replaces one)."""
    amount = EXACT.multiply(old_price, old_volume) - EXACT.multiply(new_price, new_volume)
    return Saving(amount, f"{fmt(tidy(old_price))} × {fmt(tidy(old_volume))} − "
                          f"{fmt(tidy(new_price))} × {fmt(tidy(new_volume))} = "
                          f"{fmt(tidy(amount))}")


def _pct(x: Decimal) -> str:
    return f"{fmt(tidy(x * 100))}%"
