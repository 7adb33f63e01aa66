"""The fast paths of a statement run give the same figures, digit for digit, as the
plain definitions they replace (docs/economics.md, "Money"; bench/RESULTS.md,
economics): padding and tidying an amount, splitting in integer minor units instead of
fractions, and building statement lines without the frozen dataclass's __init__.

Each reference below is the earlier implementation, kept here as the specification.
Results are compared by repr, so an exponent that differs (1.0 against 1.00) fails."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kithbook.domain.economics.money import (
    EXACT,
    allocate,
    dec,
    fmt,
    minor_units,
    pad,
    quantum,
    tidy,
)
from kithbook.domain.economics.split import Share, split
from kithbook.domain.economics.statement import Line, PartyLine, make_line, make_party_line

CURRENCIES = ["EUR", "JPY", "KWD"]
# amounts with any exponent: 12.3, 12.300, 1.23E+5, -0.000, 7E-9 ...
decimals = st.builds(lambda c, e: D(c).scaleb(e), st.integers(-10**14, 10**14),
                     st.integers(-10, 6))
SPECIAL = ["0", "-0", "0.00", "-0.00", "0E+3", "0E-9", "1E+3", "-1E+3", "1.000", "4000.0000",
           "46.275", "5", "-5.5", "Infinity", "-Infinity", "NaN"]


def reference_tidy(value: D) -> D:
    if value == 0:
        return D(0)
    out = value.normalize(EXACT)
    exp = out.as_tuple().exponent
    return out.quantize(D(1)) if isinstance(exp, int) and exp > 0 else out


def reference_pad(value: D, currency: str) -> D:
    q = minor_units(currency)
    exp = value.as_tuple().exponent
    if isinstance(exp, int) and exp >= -q and value:
        return value if exp == -q else value.quantize(quantum(currency), context=EXACT)
    out = reference_tidy(value)
    exp = out.as_tuple().exponent
    if isinstance(exp, int) and -exp < q:
        out = out.quantize(quantum(currency), context=EXACT)
    return out


def reference_split(amount: D, shares: list[Share], currency: str) -> list[tuple[D, D, str]]:
    exact = [Fraction(amount) * s.bp / 10_000 for s in shares]
    got = allocate(exact, amount, currency) if amount >= 0 else [
        -x for x in allocate([-e for e in exact], -amount, currency)]
    out = []
    for s, e, a in zip(shares, exact, got, strict=True):
        e_dec = dec(e)
        note = "" if e_dec == a else " (rounded by largest remainder)"
        out.append((e_dec, a, f"{fmt(pad(amount, currency))} × {s.bp:,} bp / 10,000 = "
                              f"{fmt(e_dec)} → {fmt(pad(a, currency))}{note}"))
    return out


@pytest.mark.parametrize("text", SPECIAL)
@pytest.mark.parametrize("cur", CURRENCIES)
def test_pad_and_tidy_on_edge_amounts(text: str, cur: str) -> None:
    value = D(text)
    assert repr(pad(value, cur)) == repr(reference_pad(value, cur))
    assert repr(tidy(value)) == repr(reference_tidy(value))


@given(decimals, st.sampled_from(CURRENCIES))
def test_pad_and_tidy_match_their_definitions(value: D, cur: str) -> None:
    assert repr(pad(value, cur)) == repr(reference_pad(value, cur))
    assert repr(tidy(value)) == repr(reference_tidy(value))


@st.composite
def bp_shares(draw: st.DrawFn) -> list[Share]:
    n = draw(st.integers(1, 6))
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, 10_000]
    return [Share(f"P{i}", bounds[i + 1] - bounds[i]) for i in range(n)]


amounts = st.one_of(
    st.builds(lambda c, e: D(c).scaleb(e), st.integers(-10**12, 10**12), st.integers(-3, 2)),
    st.sampled_from([D(x) for x in ("0", "-0", "0.00", "-0.00", "5", "1E+3", "-0.01",
                                    "99999999999999999999.99", "123456789012345678901.5")]))


@given(amounts, bp_shares(), st.sampled_from(CURRENCIES))
def test_split_in_integers_matches_the_split_in_fractions(
        amount: D, shares: list[Share], cur: str) -> None:
    try:
        want: object = [(repr(e), repr(a), x) for e, a, x in reference_split(amount, shares, cur)]
    except ValueError as exc:
        want = str(exc)
    try:
        got: object = [(repr(p.exact), repr(p.amount), p.explain)
                       for p in split(amount, shares, cur)]
    except ValueError as exc:
        got = str(exc)
    assert got == want


def test_fast_line_constructors_build_the_same_frozen_records() -> None:
    args = ("gross", "Gross sales", D("10.00"), D("3"), "2 sale lines", (1, 2), "rates v1")
    fast, plain = make_line(*args), Line(*args)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    assert fast.canonical() == plain.canonical()
    with pytest.raises(AttributeError):
        fast.code = "x"  # type: ignore[misc]
    pargs = ("Licensor", 7_000, D("7.00"), D("0.00"), D("1.00"), D("6.00"), "10 × 7,000",
             (4,))
    pfast, pplain = make_party_line(*pargs), PartyLine(*pargs)
    assert pfast == pplain and hash(pfast) == hash(pplain) and repr(pfast) == repr(pplain)
    with pytest.raises(AttributeError):
        pfast.paid = D(0)  # type: ignore[misc]
