"""Money arithmetic: Decimal only, one rounding rule, applied in named places
(docs/economics.md, "Rounding").

Amounts stay exact through a calculation (sums and products of decimals are exact);
a figure is rounded to the currency's minor unit once, where the calculation says so,
half away from zero (what a spreadsheet's ROUND does, so a partner re-doing the sum
gets the same cent). Allocations that must add up to a rounded whole (splits, pro
rata, Shapley) go through `allocate`, which rounds down and hands the leftover minor
units out by largest remainder, so the parts always sum to the whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

# Minor units by ISO 4217 code where they are not 2.
_MINOR_UNITS = {
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}
ROUNDING = "half away from zero, to the currency's minor unit"
# Wide enough that no product or sum of real money is ever inexact.
EXACT = Context(prec=60)
ZERO = Decimal(0)


@lru_cache(maxsize=256)
def minor_units(currency: str) -> int:
    return _MINOR_UNITS.get(currency.upper(), 2)


@lru_cache(maxsize=256)
def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def round_money(value: Decimal | Fraction, currency: str) -> Decimal:
    """The one rounding rule: half away from zero at the minor unit."""
    if isinstance(value, Fraction):
        value = fraction_to_decimal(value, minor_units(currency) + 12)
    return value.quantize(quantum(currency), rounding=ROUND_HALF_UP, context=EXACT)


def fraction_to_decimal(value: Fraction, places: int) -> Decimal:
    """A Fraction as a Decimal with `places` digits, rounded half away from zero."""
    scaled = abs(value) * 10**places
    whole = int(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    out = Decimal(whole).scaleb(-places)
    return -out if value < 0 else out


def parse_money(text: str | int | Decimal, *, field: str = "amount") -> Decimal:
    """Text as people and CSV files write it ('1,234.50', '-12', '€ 3.10') -> Decimal.
    Raises ValueError naming the field. Floats are refused: they are not money."""
    if isinstance(text, bool | float):
        raise ValueError(f"{field}: give money as text or Decimal, not a float")
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    else:
        raw = text.strip().replace("\u00a0", "").replace(" ", "")
        raw = raw.lstrip("$€£¥").rstrip("$€£¥")
        neg = raw.startswith("(") and raw.endswith(")")
        raw = raw.strip("()").replace(",", "")
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:
            raise ValueError(f"{field}: '{text}' is not an amount") from exc
        if neg:
            value = -value
    if not value.is_finite():
        raise ValueError(f"{field}: '{text}' is not a finite amount")
    return value


def parse_rate(text: str | Decimal) -> Decimal:
    """'7.5%' -> 0.075; '0.075' -> 0.075. A percent sign divides by 100."""
    if isinstance(text, Decimal):
        return text
    raw = text.strip()
    pct = raw.endswith("%")
    value = parse_money(raw.rstrip("%"), field="rate")
    return value / 100 if pct else value


def fmt(value: Decimal) -> str:
    """Thousands separators, exact digits, no exponent: '12,345.60'."""
    return f"{value:,f}"


def pad(value: Decimal, currency: str) -> Decimal:
    """A money figure for display: trailing zeros dropped, but never fewer places than the
    currency's minor unit (3000 -> 3000.00, 4000.0000 -> 4000.00, 46.275 stays)."""
    if not value:
        return _padded_zero(currency)  # any zero (-0, 0E+3, 0.00000) shows as 0.00
    qu = quantum(currency)
    if value.same_quantum(qu):
        return value  # already at the minor unit: the common case, a rounded amount
    if not value.is_finite():
        return tidy(value)
    shown = value.quantize(qu, context=EXACT)
    if shown == value:
        # nothing but zeros past the minor unit (or fewer places): shown at the minor unit
        return shown
    return tidy(value)  # more places than the minor unit: trailing zeros dropped


@lru_cache(maxsize=256)
def _padded_zero(currency: str) -> Decimal:
    q = minor_units(currency)
    return ZERO.quantize(quantum(currency), context=EXACT) if q else ZERO


def plain(value: Decimal) -> str:
    """The JSON and CSV form: exact, no exponent, no separators."""
    return format(value, "f")


def allocate(parts: Sequence[Fraction], total: Decimal, currency: str) -> list[Decimal]:
    """Round exact `parts` to minor units so that they sum to `total` exactly.

    Each part is rounded towards minus infinity; the minor units left over go one each
    to the parts with the largest remainders; equal remainders go in the given order
    (so the first-listed party takes a tied unit). `total` must already be rounded and
    be within one minor unit per part of the exact sum."""
    q = minor_units(currency)
    unit = 10**q
    whole = int((total * unit).to_integral_value())
    if Decimal(whole) != total * unit:
        raise ValueError(f"{total} is not rounded to the minor unit of {currency}")
    units = largest_remainder([p * unit for p in parts], whole)
    return [Decimal(u).scaleb(-q) for u in units]


def largest_remainder(parts: Sequence[Fraction], whole: int) -> list[int]:
    """Integers, each the floor of its part or one more, summing to `whole`: the units
    left after flooring go to the largest remainders, ties in the given order."""
    floors = [_floor(p) for p in parts]
    left = whole - sum(floors)
    if left < 0 or left > len(parts):
        raise ValueError("the parts do not add up to the total")
    order = sorted(range(len(parts)), key=lambda i: (-(parts[i] - floors[i]), i))
    units = list(floors)
    for i in order[:left]:
        units[i] += 1
    return units


def _floor(x: Fraction) -> int:
    return x.numerator // x.denominator


def as_fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def dec(value: Fraction, places: int = 12) -> Decimal:
    """A Fraction as a Decimal: exact when its denominator divides a power of ten (as
    basis points and decimal prices do), else rounded half away from zero at `places`."""
    d = value.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d == 1:
        scale = max(twos, fives)
        num = value.numerator * 10**scale // value.denominator
        return tidy(Decimal(num).scaleb(-scale))
    return fraction_to_decimal(value, places)


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros after the point, never into an exponent: 1.500 -> 1.5, 100 -> 100."""
    if value == 0:
        return ZERO
    out = value.normalize(EXACT)
    # a positive exponent (1E+2) is the only case whose text has "E+"
    return out.quantize(Decimal(1)) if "E+" in str(out) else out


def floor_money(value: Decimal, currency: str) -> Decimal:
    return value.quantize(quantum(currency), rounding=ROUND_FLOOR, context=EXACT)
