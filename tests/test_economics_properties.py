"""Properties of the economics rules (docs/economics.md): shares always sum to the whole
to the cent; Shapley is efficient, symmetric and gives a null player nothing; a
statement recomputed from the ledger is identical, and entries booked later never change
an earlier period; tiers add up across periods; the buying-group allocations and the
exit settlement always distribute the whole."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from kithbook.domain.economics import buying, exit, savings, shapley
from kithbook.domain.economics import ledger as lg
from kithbook.domain.economics import rates as rt
from kithbook.domain.economics import royalty as ry
from kithbook.domain.economics.money import allocate
from kithbook.domain.economics.rates import Band
from kithbook.domain.economics.split import Share, split

START = date(2026, 1, 1)
cents = st.integers(min_value=-10**11, max_value=10**11).map(lambda c: D(c).scaleb(-2))
pos_cents = st.integers(min_value=0, max_value=10**9).map(lambda c: D(c).scaleb(-2))


@st.composite
def bp_shares(draw: st.DrawFn) -> list[Share]:
    n = draw(st.integers(1, 8))
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, 10_000]
    return [Share(f"P{i}", bounds[i + 1] - bounds[i]) for i in range(n)]


@given(cents, bp_shares(), st.sampled_from(["EUR", "JPY", "KWD"]))
def test_split_sums_to_the_whole_and_each_part_is_within_a_unit(
        amount: D, shares: list[Share], cur: str) -> None:
    from kithbook.domain.economics.money import quantum, round_money

    amount = round_money(amount, cur)
    parts = split(amount, shares, cur)
    assert sum(p.amount for p in parts) == amount
    for p in parts:
        assert abs(p.amount - amount * p.bp / 10_000) < quantum(cur)


@given(st.lists(st.fractions(min_value=-10**6, max_value=10**6, max_denominator=997),
                min_size=1, max_size=12))
def test_allocate_sums_to_the_rounded_total(parts: list[Fraction]) -> None:
    from kithbook.domain.economics.money import round_money

    total = round_money(sum(parts, Fraction(0)), "EUR")
    got = allocate(parts, total, "EUR")
    assert sum(got) == total
    assert all(abs(Fraction(g) - p) < Fraction(1, 100) for g, p in zip(got, parts, strict=True))


# -- Shapley ---------------------------------------------------------------------------


@st.composite
def games(draw: st.DrawFn) -> list[int]:
    n = draw(st.integers(1, 7))
    vals = draw(st.lists(st.integers(-10**14, 10**14), min_size=1 << n, max_size=1 << n))
    vals[0] = 0
    return vals


@given(games())
def test_shapley_is_efficient(v: list[int]) -> None:
    assert sum(shapley.exact(v)) == v[-1] - v[0]


@given(games(), st.data())
def test_shapley_is_symmetric(v: list[int], data: st.DataObject) -> None:
    n = len(v).bit_length() - 1
    if n < 2:
        return
    i, j = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))

    def swap(m: int) -> int:
        bi, bj = m >> i & 1, m >> j & 1
        return (m & ~(1 << i) & ~(1 << j)) | bi << j | bj << i

    # make i and j interchangeable: v(S) = v(S with i and j swapped)
    sym = [max(v[m], v[swap(m)]) for m in range(len(v))]
    phi = shapley.exact(sym)
    assert phi[i] == phi[j]


@given(games(), st.data())
def test_shapley_gives_a_null_player_nothing(v: list[int], data: st.DataObject) -> None:
    n = len(v).bit_length() - 1
    k = data.draw(st.integers(0, n))  # insert a player at bit k who adds nothing anywhere

    def drop(m: int) -> int:
        low = m & ((1 << k) - 1)
        return low | ((m >> (k + 1)) << k)

    extended = [v[drop(m)] for m in range(1 << (n + 1))]
    phi = shapley.exact(extended)
    assert phi[k] == 0
    assert [p for x, p in enumerate(phi) if x != k] == shapley.exact(v)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 400), st.integers(800, 1200)), min_size=2,
                max_size=9), st.sampled_from(["all_units", "marginal"]))
def test_buying_group_allocations_all_distribute_the_gain(
        members: list[tuple[int, int]], mode: str) -> None:
    names = tuple(f"M{i}" for i in range(len(members)))
    schedule = buying.PriceSchedule(
        bands=(Band(D(0), D(300), D("9.50")), Band(D(300), D(1000), D("9.00")),
               Band(D(1000), None, D("8.25"))), mode=mode, rebate_pct=D("0.02"))
    base = tuple(savings.Baseline(n, D(p).scaleb(-2), "paid", "invoice", START)
                 for n, (_, p) in zip(names, members, strict=True))
    t = buying.BuyingTerms("G", "EUR", "x", names, base, schedule)
    led = lg.Ledger()
    for n, (q, _) in zip(names, members, strict=True):
        led = led.append(buying.order_entry(n, START, D(q), D(q) * D("8.80")))
    s = buying.settle(t, led)
    for col in ("equal_price", "pro_rata", "shapley"):
        assert sum(getattr(m, col) for m in s.members) == s.gain
    assert sum(m.transfer for m in s.members) == s.gain - sum(m.own_saving for m in s.members)


# -- royalty statements ------------------------------------------------------------------


@st.composite
def royalty_cases(draw: st.DrawFn) -> tuple[ry.RoyaltyTerms, list[lg.Entry], int]:
    months = draw(st.sampled_from([1, 3]))
    mode = draw(st.sampled_from(["marginal", "all_units"]))
    window = draw(st.sampled_from(["period", "contract_year", "lifetime"]))
    basis = draw(st.sampled_from(["net", "units"]))
    step = D(draw(st.integers(1, 50)) * (1000 if basis == "net" else 10))
    r1 = D(draw(st.integers(1, 20))).scaleb(-2 if basis == "net" else 0)
    r2 = r1 + D(draw(st.integers(0, 5))).scaleb(-2 if basis == "net" else 0)
    change = START + timedelta(days=draw(st.integers(30, 300)))
    versions = (rt.tiered(1, START, [(D(0), r1), (step, r2)], change - timedelta(days=1)),
                rt.tiered(2, change, [(D(0), r2), (step * 2, r2 + r1)]))
    payees = draw(bp_shares())
    t = ry.RoyaltyTerms(
        "A", "EUR", START, months, basis, mode, window, versions, "Payer", tuple(payees),
        negative_policy=draw(st.sampled_from(["floor", "carry_forward"])),
        minimum_per_year=draw(st.none() | pos_cents),
        cap_royalty_per_year=draw(st.none() | pos_cents),
        cap_base_per_year=draw(st.none() | st.integers(0, 10**6).map(D)))
    n = draw(st.integers(0, 25))
    entries = []
    for _ in range(n):
        on = START + timedelta(days=draw(st.integers(0, 700)))
        booked = on + timedelta(days=draw(st.integers(0, 60)))
        kind = draw(st.sampled_from(["sale", "sale", "sale", "return", "deduction",
                                     "advance", "payment"]))
        entries.append(lg.Entry(0, kind, on, booked,
                                amount=D(draw(st.integers(0, 10**7))).scaleb(-2),
                                units=D(draw(st.integers(0, 500))),
                                party=payees[0].party if kind == "payment" else None))
    periods = 24 // months
    return t, entries, periods


def _ledger(entries: list[lg.Entry]) -> lg.Ledger:
    led = lg.Ledger()
    for e in entries:
        led = led.append(e)
    return led


@settings(max_examples=60, deadline=None)
@given(royalty_cases())
def test_statements_recomputed_from_the_ledger_are_identical(
        case: tuple[ry.RoyaltyTerms, list[lg.Entry], int]) -> None:
    t, entries, periods = case
    led = _ledger(entries)
    first = ry.statements(t, led, periods)
    again = ry.statements(t, lg.Ledger.of(reversed(led.entries)), periods)
    assert [s.digest for s in first] == [s.digest for s in again]
    assert first == again
    for s in first:
        assert s.due >= 0
        assert sum(p.share for p in s.parties) == s.due
        assert all(ln.amount is None or ln.amount == ln.amount.quantize(D("0.01"))
                   or ln.code.startswith(("tier:", "true_up", "gross", "returns",
                                          "deductions", "net", "advance"))
                   for ln in s.lines)


@settings(max_examples=40, deadline=None)
@given(royalty_cases(), st.integers(1, 7))
def test_later_bookings_never_change_an_issued_statement(
        case: tuple[ry.RoyaltyTerms, list[lg.Entry], int], cut: int) -> None:
    t, entries, periods = case
    led = _ledger(entries)
    issued = ry.statements(t, led, cut)
    _, end = t.bounds(cut)
    later = led.append(lg.Entry(0, "sale", START, end + timedelta(days=1), amount=D("999"),
                                units=D(9)))
    if led.entries:
        later = later.reverse(led.entries[0].seq, max(end + timedelta(days=1),
                                                      led.entries[0].booked))
    assert [s.digest for s in ry.statements(t, later, cut)] == [s.digest for s in issued]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 2000), min_size=1, max_size=8))
def test_tiers_over_a_window_add_up_to_the_tier_of_the_total(quantities: list[int]) -> None:
    bands = [(D(0), D(1)), (D(500), D(2)), (D(1500), D(3))]
    for mode in ("marginal", "all_units"):
        t = ry.RoyaltyTerms("A", "EUR", START, 1, "units", mode, "lifetime",
                            (rt.tiered(1, START, bands),), "P", (Share("Q", 10_000),))
        led = _ledger([lg.Entry(0, "sale", date(2026 + i // 12, i % 12 + 1, 5),
                                date(2026 + i // 12, i % 12 + 1, 5), units=D(q))
                       for i, q in enumerate(quantities)])
        total = sum(s.figure("earned") for s in ry.statements(t, led, len(quantities)))
        whole = D(sum(quantities))
        v = rt.tiered(1, START, bands)
        expect = rt.marginal_total(v, whole) if mode == "marginal" else whole * v.rate_at(whole)
        assert total == expect


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["cash", "hours", "asset", "introduction"]),
                          st.integers(0, 10**6)), min_size=1, max_size=8),
       st.integers(-10**6, 10**7), st.sampled_from(exit.RULES))
def test_exit_payments_sum_to_the_pools_cash(contribs: list[tuple[str, int]], pool: int,
                                             rule: str) -> None:
    parties = ("A", "B", "C")
    cs = [exit.Contribution(parties[i % 3], k, D(x), D("85.50") if k in ("hours",
                            "introduction") else None) for i, (k, x) in enumerate(contribs)]
    cs.append(exit.Contribution("A", "cash", D(1)))
    shares = (Share("A", 5000), Share("B", 3000), Share("C", 2000))
    t = exit.ExitTerms("JV", "EUR", parties, rule, shares)
    s = exit.settle(t, cs, [exit.Receipt("B", D("100.10"))],
                    [exit.PoolItem("cash", D(pool).scaleb(-2)),
                     exit.PoolItem("rig", D("500.00"), "asset", "C")], [])
    assert sum(p.payment for p in s.parties) == D(pool).scaleb(-2)
    assert sum(p.entitlement for p in s.parties) == s.value
