"""Alliance economics, worked examples computed by hand (docs/economics.md): tiers
marginal and all-units, a minimum-guarantee shortfall, advance recoupment, a negative
period carried forward, caps, a three-way basis-point split to the cent, Shapley for a
three-member buying group against equal price and pro rata, joint-bid price build-up
and checks, an exit settlement and a reconciliation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from fractions import Fraction

import pytest

from kithbook.domain.economics import bids, buying, exit, reconcile, savings, shapley
from kithbook.domain.economics import ledger as lg
from kithbook.domain.economics import rates as rt
from kithbook.domain.economics import royalty as ry
from kithbook.domain.economics.money import allocate, parse_money, parse_rate, round_money
from kithbook.domain.economics.rates import Band
from kithbook.domain.economics.split import Share, split

Y = 2026


def terms(**kw: object) -> ry.RoyaltyTerms:
    base: dict[str, object] = dict(
        agreement="Lic", currency="EUR", start=date(Y, 1, 1), period_months=3, basis="net",
        tier_mode="marginal", tier_window="period",
        versions=(rt.flat(1, date(Y, 1, 1), D("0.10")),), payer="Licensee",
        payees=(Share("Licensor", 10_000),))
    base.update(kw)
    return ry.RoyaltyTerms(**base)  # type: ignore[arg-type]


def sale(on: date, amount: str = "0", units: str = "0", booked: date | None = None,
         kind: str = "sale", party: str | None = None, ref: str = "") -> lg.Entry:
    return lg.Entry(0, kind, on, booked or on, amount=D(amount), units=D(units), party=party,
                    ref=ref)


def ledger(*entries: lg.Entry) -> lg.Ledger:
    out = lg.Ledger()
    for e in entries:
        out = out.append(e)
    return out


UNIT_BANDS = [(D(0), D(1)), (D(100), D(2)), (D(500), D(3))]  # money per unit


# -- tiers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "units", "expected"), [
    ("all_units", "490", "980.00"),  # 490 units in the 100-499 band x 2 = 980
    ("marginal", "490", "880.00"),  # 100 x 1 + 390 x 2
    ("all_units", "600", "1800.00"),  # 600 x 3
    ("marginal", "600", "1200.00"),  # 100 x 1 + 400 x 2 + 100 x 3
    ("all_units", "100", "200.00"),  # a quantity on a threshold is in the upper band
    ("marginal", "100", "100.00"),
])
def test_marginal_versus_all_units_tiers(mode: str, units: str, expected: str) -> None:
    t = terms(basis="units", tier_mode=mode,
              versions=(rt.tiered(1, date(Y, 1, 1), UNIT_BANDS),))
    s = ry.statement(t, ledger(sale(date(Y, 2, 1), "9999", units)), 1)
    assert s.figure("earned") == D(expected)
    assert s.due == D(expected)


def test_all_units_over_a_contract_year_re_rates_earlier_units() -> None:
    t = terms(basis="units", tier_mode="all_units", tier_window="contract_year",
              versions=(rt.tiered(1, date(Y, 1, 1), UNIT_BANDS),))
    lgr = ledger(sale(date(Y, 2, 1), "1", "300"), sale(date(Y, 5, 1), "1", "300"),
                 sale(date(Y + 1, 2, 1), "1", "300"))
    q1, q2, q3, q4, q5 = ry.statements(t, lgr, 5)
    assert q1.figure("earned") == D("600.00")  # 300 x 2
    assert q2.figure("tier:v1:3") == D("900.00")  # 300 x 3: the year's total 600 is in band 3
    assert q2.figure("true_up") == D("300.00")  # Q1's 300 units re-rated from 2 to 3
    assert q2.figure("earned") == D("1200.00")
    assert q1.figure("earned") + q2.figure("earned") == 600 * 3  # the year at one rate
    assert q5.figure("earned") == D("600.00")  # a new contract year starts from zero
    assert not q5.has("true_up")


def test_marginal_over_a_contract_year_continues_across_periods() -> None:
    t = terms(basis="units", tier_window="contract_year",
              versions=(rt.tiered(1, date(Y, 1, 1), UNIT_BANDS),))
    q1, q2 = ry.statements(t, ledger(sale(date(Y, 2, 1), "1", "300"),
                                     sale(date(Y, 5, 1), "1", "300")), 2)
    assert q1.figure("earned") == D("500.00")  # 100 x 1 + 200 x 2
    assert q2.figure("earned") == D("700.00")  # 200 x 2 + 100 x 3
    assert q2.line("tier:v1:2").quantity == 200 and q2.line("tier:v1:3").quantity == 100


def test_percent_tiers_on_net_sales_with_explanations() -> None:
    t = terms(versions=(rt.tiered(1, date(Y, 1, 1), [(D(0), D("0.05")),
                                                     (D(100_000), D("0.07"))]),),
              tier_window="contract_year")
    q1, q2 = ry.statements(t, ledger(sale(date(Y, 2, 1), "80000"),
                                     sale(date(Y, 5, 1), "40000")), 2)
    assert q1.figure("earned") == D("4000.00")
    assert q2.figure("earned") == D("2400.00")  # 20,000 x 5% + 20,000 x 7%
    band2 = q2.line("tier:v1:2")
    assert band2.explain.startswith("20,000.00 EUR × 7% = 1,400.00")
    assert band2.rule == "rates v1 (from 2026-01-01)"


def test_effective_dated_rates_keep_the_old_rate_for_earlier_sales() -> None:
    t = terms(versions=(rt.flat(1, date(Y, 1, 1), D("0.10"), date(Y, 2, 14)),
                        rt.flat(2, date(Y, 2, 15), D("0.12"))))
    late = sale(date(Y, 2, 10), "500", booked=date(Y, 4, 2))  # a late report of a Q1 sale
    lgr = ledger(sale(date(Y, 2, 1), "1000"), sale(date(Y, 3, 1), "1000"), late)
    q1, q2 = ry.statements(t, lgr, 2)
    assert q1.figure("tier:v1:1") == D("100.00") and q1.figure("tier:v2:1") == D("120.00")
    assert q1.figure("earned") == D("220.00")
    assert q2.figure("earned") == D("50.00")  # booked in Q2, at the rate of its sale date
    assert q2.line("tier:v1:1").sources == (3,)


def test_rounding_happens_once_per_period() -> None:
    t = terms(versions=(rt.flat(1, date(Y, 1, 1), D("0.0375")),))
    lgr = ledger(*[sale(date(Y, 2, d), "10.10") for d in range(1, 11)])
    s = ry.statement(t, lgr, 1)
    # ten lines of 0.37875 each would round to 0.38 x 10 = 3.80; the period rounds once
    assert s.figure("tier:v1:1") == D("3.7875")
    assert s.figure("earned") == D("3.79")


# -- minimum guarantee, advance, caps, negative periods ----------------------------------


def test_minimum_guarantee_shortfall_billed_at_the_contract_years_end() -> None:
    t = terms(minimum_per_year=D("10000"))
    lgr = ledger(*[sale(date(Y, m, 1), "20000") for m in (2, 5, 8, 11)])
    q = ry.statements(t, lgr, 4)
    assert [s.figure("royalty") for s in q] == [D("2000.00")] * 4
    assert [s.has("minimum_shortfall") for s in q] == [False, False, False, True]
    assert q[2].figure("minimum_progress") == D("6000.00")
    # earned 8,000 against a 10,000 minimum: 2,000 owed at year end, on top of Q4's royalty
    assert q[3].figure("minimum_shortfall") == D("2000.00")
    assert q[3].due == D("4000.00")


def test_advance_is_recouped_and_never_reversed() -> None:
    t = terms()
    lgr = ledger(sale(date(Y, 1, 1), "5000", kind="advance"),
                 *[sale(date(Y, m, 1), "20000") for m in (2, 5, 8, 11)])
    q = ry.statements(t, lgr, 4)
    assert [s.figure("recoup") for s in q] == [D("-2000.00"), D("-2000.00"), D("-1000.00"),
                                               D("0.00")]
    assert [s.due for s in q] == [D("0.00"), D("0.00"), D("1000.00"), D("2000.00")]
    assert "3,000.00 left to recoup" in q[0].line("recoup").explain


def test_negative_period_carried_forward_versus_floored() -> None:
    lgr = ledger(sale(date(Y, 2, 1), "10000"), sale(date(Y, 5, 1), "1000"),
                 sale(date(Y, 5, 2), "4000", kind="return"), sale(date(Y, 8, 1), "5000"))
    carry = ry.statements(terms(negative_policy="carry_forward"), lgr, 3)
    assert carry[1].figure("net") == D("-3000.00")
    assert carry[1].due == 0 and carry[1].line("carry_out").quantity == D("-3000.00")
    assert carry[2].line("base").quantity == D("2000.00")  # 5,000 - 3,000 carried
    assert carry[2].due == D("200.00")
    floor = ry.statements(terms(negative_policy="floor"), lgr, 3)
    assert floor[1].due == 0 and floor[1].has("floored")
    assert floor[2].due == D("500.00")


def test_caps_on_base_and_royalty_per_contract_year() -> None:
    lgr = ledger(*[sale(date(Y, m, 1), "40000") for m in (2, 5, 8)])
    base_cap = ry.statements(terms(cap_base_per_year=D("100000")), lgr, 3)
    assert [s.due for s in base_cap] == [D("4000.00"), D("4000.00"), D("2000.00")]
    assert base_cap[2].line("cap_base").quantity == D("-20000.00")
    roy_cap = ry.statements(terms(cap_royalty_per_year=D("9000")), lgr, 3)
    assert [s.due for s in roy_cap] == [D("4000.00"), D("4000.00"), D("1000.00")]
    assert roy_cap[2].figure("cap") == D("-3000.00")


def test_payments_give_each_payee_a_balance() -> None:
    t = terms(payees=(Share("Licensor", 8_000), Share("Agent", 2_000)))
    lgr = ledger(sale(date(Y, 2, 1), "10000"),
                 sale(date(Y, 4, 15), "800", kind="payment", party="Licensor"))
    q1, q2 = ry.statements(t, lgr, 2)
    assert (q1.party("Licensor").share, q1.party("Agent").share) == (D("800.00"), D("200.00"))
    lic = q2.party("Licensor")
    assert (lic.opening, lic.paid, lic.closing) == (D("800.00"), D("800.00"), D("0.00"))
    assert q2.party("Agent").closing == D("200.00")


# -- splits ---------------------------------------------------------------------------


def test_three_way_split_in_basis_points_sums_to_the_cent() -> None:
    parts = split(D("1000.01"), [Share("A", 3334), Share("B", 3333), Share("C", 3333)], "EUR")
    # exact 333.403334, 333.303333, 333.303333: floors leave one cent for the largest remainder
    assert [p.amount for p in parts] == [D("333.41"), D("333.30"), D("333.30")]
    assert sum(p.amount for p in parts) == D("1000.01")
    tiny = split(D("0.02"), [Share("A", 3334), Share("B", 3333), Share("C", 3333)], "EUR")
    assert [p.amount for p in tiny] == [D("0.01"), D("0.01"), D("0.00")]
    neg = split(D("-1000.01"), [Share("A", 3334), Share("B", 3333), Share("C", 3333)], "EUR")
    assert [p.amount for p in neg] == [D("-333.41"), D("-333.30"), D("-333.30")]
    yen = split(D("1001"), [Share("A", 5000), Share("B", 5000)], "JPY")
    assert [p.amount for p in yen] == [D("501"), D("500")]  # the tie goes to the first listed


@pytest.mark.parametrize("shares", [
    [Share("A", 5000), Share("B", 4000)],
    [Share("A", 5000), Share("A", 5000)],
    [Share("A", 11000), Share("B", -1000)],
])
def test_bad_splits_are_refused(shares: list[Share]) -> None:
    with pytest.raises(ValueError):
        split(D("1"), shares, "EUR")


# -- rate cards and the ledger -----------------------------------------------------------


@pytest.mark.parametrize(("bands", "message"), [
    ((Band(D(0), D(100), D(1)), Band(D(150), None, D(2))), "a gap"),
    ((Band(D(0), D(100), D(1)), Band(D(50), None, D(2))), "an overlap"),
    ((Band(D(0), D(100), D(1)), Band(D(100), D(500), D(2))), "earn nothing"),
    ((Band(D(10), None, D(1)),), "start at 0"),
])
def test_band_traps_are_refused(bands: tuple[Band, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rt.check_bands(rt.RateVersion(1, date(Y, 1, 1), None, bands))


def test_overlapping_rate_versions_are_refused() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        rt.check_versions([rt.flat(1, date(Y, 1, 1), D("0.1")),
                           rt.flat(2, date(Y, 6, 1), D("0.2"))], "marginal", "period")
    with pytest.raises(ValueError, match="must not fall"):
        rt.check_versions([rt.tiered(1, date(Y, 1, 1), [(D(0), D("0.2")), (D(10), D("0.1"))])],
                          "all_units", "lifetime")


def test_ledger_reversals() -> None:
    lgr = ledger(sale(date(Y, 2, 1), "100", "1"))
    rev = lgr.reverse(1, date(Y, 2, 3))
    assert rev.get(2).amount == D("-100") and rev.get(2).kind == "sale"
    with pytest.raises(ValueError, match="already reversed"):
        rev.reverse(1, date(Y, 2, 4))
    with pytest.raises(ValueError, match="itself a reversal"):
        rev.reverse(2, date(Y, 2, 4))
    with pytest.raises(ValueError, match="booked before"):
        lgr.reverse(1, date(Y, 1, 20))
    assert ry.statement(terms(), rev, 1).due == 0


def test_entry_with_no_rate_in_effect_is_named() -> None:
    t = terms(versions=(rt.flat(1, date(Y, 3, 1), D("0.1")),))
    with pytest.raises(ValueError, match="no rate version covers 2026-02-01.*#1"):
        ry.statement(t, ledger(sale(date(Y, 2, 1), "10")), 1)


def test_money_parsing_refuses_floats() -> None:
    assert parse_money("€ 1,234.50") == D("1234.50")
    assert parse_money("(12.00)") == D("-12.00")
    assert parse_rate("7.5%") == D("0.075")
    with pytest.raises(ValueError, match="not a float"):
        parse_money(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not an amount"):
        parse_money("12,3x")
    assert round_money(D("2.345"), "EUR") == D("2.35")
    assert round_money(D("-2.345"), "EUR") == D("-2.35")
    assert round_money(D("2.5"), "JPY") == D("3")
    assert allocate([Fraction(1, 3)] * 3, D("1.00"), "EUR") == [D("0.34"), D("0.33"),
                                                                D("0.33")]


# -- buying group: Shapley against equal price and pro rata -------------------------------


def three_member_group(agreed: str | None = None) -> tuple[buying.BuyingTerms, lg.Ledger]:
    schedule = buying.PriceSchedule(bands=(Band(D(0), D(100), D(10)),
                                           Band(D(100), D(300), D(9)),
                                           Band(D(300), None, D(8))))
    baselines = (
        savings.Baseline("A", D("11"), "paid", "A's 2025 invoices", date(Y, 1, 5)),
        savings.Baseline("B", D("10"), "quote", "Paperco quote Q-17", date(Y, 1, 20), D(100)),
        savings.Baseline("C", D("9.50"), "list", "Paperco list price", date(Y, 1, 1)),
    )
    t = buying.BuyingTerms("Paper group", "EUR", "paper", ("A", "B", "C"), baselines,
                           schedule, agreed)
    lgr = ledger(buying.order_entry("A", date(Y, 3, 1), D(50), D(400)),
                 buying.order_entry("B", date(Y, 3, 1), D(100), D(800)),
                 buying.order_entry("C", date(Y, 3, 2), D(200), D(1600)))
    return t, lgr


def test_shapley_for_a_three_member_buying_group_against_equal_price_and_pro_rata() -> None:
    t, lgr = three_member_group()
    s = buying.settle(t, lgr)
    # baselines 550 + 1,000 + 1,900 = 3,450; paid 350 units x 8 = 2,800; gain 650
    assert s.gain == D("650.00")
    # equal price: everyone at 2,800 / 350 = 8 a unit
    assert [m.equal_price for m in s.members] == [D("150.00"), D("200.00"), D("300.00")]
    # pro rata: 650 x 50/350, x 100/350, x 200/350 = 92.857, 185.714, 371.428 (cents by LR)
    assert [m.pro_rata for m in s.members] == [D("92.86"), D("185.71"), D("371.43")]
    # v(AB) = 1,550 - 150 x 9 = 200; v(AC) = 2,450 - 250 x 9 = 200; v(BC) = 2,900 - 300 x 8
    # = 500; v(ABC) = 650. phi_A = 200/6 + 200/6 + (650 - 500)/3 = 116.667;
    # phi_B = phi_C = 200/6 + 500/6 + (650 - 200)/3 = 266.667. Ties of remainders: A, B first
    assert [m.shapley for m in s.members] == [D("116.67"), D("266.67"), D("266.66")]
    gaps = [next(ln.amount for ln in m.lines if ln.code == "ep_minus_shapley")
            for m in s.members]
    assert gaps == [D("33.33"), D("-66.67"), D("33.34")]
    assert sum(m.shapley for m in s.members) == s.gain
    assert s.method == "shapley" and not s.agreed
    assert s.shapley_how == "exact over all 8 coalitions"


def test_agreed_method_gives_transfers_from_the_rebate_pool() -> None:
    t, lgr = three_member_group("equal_price")
    lgr = lgr.append(lg.Entry(0, "rebate", date(Y, 6, 30), date(Y, 6, 30), amount=D("70")))
    lgr = lgr.append(lg.Entry(0, "cost", date(Y, 6, 30), date(Y, 6, 30), amount=D("35")))
    s = buying.settle(t, lgr)
    assert s.gain == D("685.00")  # 650 + 70 - 35
    # equal net price: (2,800 - 70 + 35) / 350 = 7.9
    assert [m.allocated for m in s.members] == [D("155.00"), D("210.00"), D("320.00")]
    # own invoices saved 150, 200, 300: the pool's 35 goes out as 5, 10, 20
    assert [m.transfer for m in s.members] == [D("5.00"), D("10.00"), D("20.00")]
    assert sum(m.transfer for m in s.members) == D("35.00")


def test_buying_group_needs_documented_baselines() -> None:
    t, lgr = three_member_group()
    bad = buying.BuyingTerms(t.group, "EUR", "paper", t.members, t.baselines[:2], t.schedule)
    with pytest.raises(ValueError, match="C has no documented baseline"):
        buying.settle(bad, lgr)
    nosrc = savings.Baseline("A", D(1), "paid", " ", date(Y, 1, 1))
    with pytest.raises(ValueError, match="needs its source"):
        nosrc.check()


def test_sampled_shapley_states_its_error_and_still_sums() -> None:
    n = 24
    members = tuple(f"M{i:02}" for i in range(n))
    schedule = buying.PriceSchedule(bands=(Band(D(0), D(500), D(10)), Band(D(500), None, D(8))))
    base = tuple(savings.Baseline(m, D(10), "paid", "invoice", date(Y, 1, 1)) for m in members)
    t = buying.BuyingTerms("Big", "EUR", "x", members, base, schedule)
    lgr = ledger(*[buying.order_entry(m, date(Y, 3, 1), D(10 + i), D(8 * (10 + i)))
                   for i, m in enumerate(members)])
    s = buying.settle(t, lgr, samples=400, seed=7)
    assert s.shapley_how.startswith("sampled over 400 random orders (seed 7)")
    assert "at 95% confidence" in s.shapley_how
    assert sum(m.shapley for m in s.members) == s.gain
    again = buying.settle(t, lgr, samples=400, seed=7)
    assert [m.shapley for m in again.members] == [m.shapley for m in s.members]


def test_exact_shapley_against_the_definition() -> None:
    import itertools
    import math

    v = {0: 0, 1: 10, 2: 20, 3: 50, 4: 5, 5: 40, 6: 30, 7: 90}
    phi = shapley.exact([v[m] for m in range(8)])
    for i in range(3):
        total = Fraction(0)
        for perm in itertools.permutations(range(3)):
            before = 0
            for p in perm:
                if p == i:
                    total += v[before | 1 << i] - v[before]
                    break
                before |= 1 << p
        assert phi[i] == total / math.factorial(3)


def test_savings_formulas() -> None:
    assert savings.baseline_price(D("12"), D("10"), D("100")).amount == D("200")
    assert savings.indexed(D("10"), D("1.05"), D("10"), D("100")).amount == D("50.00")
    cp = savings.cost_plus(D("0.20"), D("0.10"), D("11000"))
    assert cp.amount == D("1000") and "(20% − 10%) × 11,000 / (1 + 10%)" in cp.explain
    assert savings.list_less(D("0.10"), D("0.20"), D("8000")).amount == D("1000")
    assert savings.substitution(D("5"), D("100"), D("3"), D("120")).amount == D("140")


# -- joint bids --------------------------------------------------------------------------


def a_bid(**kw: object) -> bids.Bid:
    base: dict[str, object] = dict(
        name="Harbour tender", currency="EUR", lead="Us", members=("Us", "Northwind", "Kite"),
        deadline=date(Y, 6, 30), liability="joint_and_several", contingency=D("0.05"),
        authorizations=(bids.Authorization("Northwind", date(Y, 3, 1), "Ida N.", "mou.pdf"),
                        bids.Authorization("Kite", date(Y, 3, 2), "Bo K.")),
        work_packages=(
            bids.WorkPackage("WP1", "Design", "Us", D("11500"), date(Y, 7, 1), date(Y, 8, 31)),
            bids.WorkPackage("WP2", "Build", "Northwind", D("27600"), date(Y, 9, 1),
                             date(Y, 12, 31)),
            bids.WorkPackage("WP3", "Training", "Kite", D("3300"), date(Y, 12, 1),
                             date(Y, 12, 15))),
        parts=(bids.PricePart("Us", "design team", D("10000"), D("0.15"), "WP1"),
               bids.PricePart("Northwind", "build crew", D("24000"), D("0.15"), "WP2"),
               bids.PricePart("Kite", "trainers", D("3000"), D("0.10"), "WP3")),
    )
    base.update(kw)
    return bids.Bid(**base)  # type: ignore[arg-type]


def test_bid_price_built_up_from_members_parts() -> None:
    b = bids.price(a_bid())
    # 11,500 + 27,600 + 3,300 = 42,400; contingency 5% = 2,120; price 44,520
    assert b.total == D("44520.00")
    # 2,712.26 / 6,509.43 / 778.30 bp: the unit left after flooring goes to Northwind
    assert [(m, p, bp) for m, p, bp in b.per_member] == [
        ("Us", D("11500.00"), 2712), ("Northwind", D("27600.00"), 6510),
        ("Kite", D("3300.00"), 778)]
    assert sum(bp for _, _, bp in b.per_member) == 10_000
    assert "cost 10,000.00 × (1 + 15% margin) = 11,500.00" in b.lines[0].explain


def test_bid_checks_and_go_no_go() -> None:
    today = date(Y, 4, 1)
    assert [f for f in bids.checks(a_bid(), today) if f.severity == "blocker"] == []
    missing = a_bid(authorizations=(), liability=None)
    found = {f.code for f in bids.checks(missing, today)}
    assert {"authorization", "liability"} <= found
    with pytest.raises(ValueError, match="block a go: Northwind has not authorized Us"):
        bids.decide(missing, "go", "strong fit", today)
    forced = bids.decide(missing, "go", "strong fit; signatures follow", today, force=True)
    assert forced.forced
    with pytest.raises(ValueError, match="reasons"):
        bids.decide(a_bid(), "no_go", "  ", today)
    assert bids.decide(a_bid(), "no_go", "margin too thin", today).verdict == "no_go"
    late = {f.code for f in bids.checks(a_bid(), date(Y, 7, 1))}
    assert "deadline" in late


def test_completed_work_package_triggers_payment() -> None:
    wps = a_bid().work_packages
    done = (bids.WorkPackage(**{**wps[0].__dict__, "completed_on": date(Y, 8, 31)}),) + wps[1:]
    assert bids.payments(a_bid(work_packages=done)) == [("WP1", "Us", D("11500.00"))]


# -- exit settlement ----------------------------------------------------------------------


def test_exit_settlement_pro_rata_to_contributions() -> None:
    t = exit.ExitTerms("JV", "EUR", ("A", "B"), "pro_rata_contributions")
    contributions = [exit.Contribution("A", "cash", D("60000")),
                     exit.Contribution("B", "hours", D("400"), D("100")),
                     exit.Contribution("B", "introduction", D("5"), D("500"))]
    receipts = [exit.Receipt("A", D("20000"))]
    pool = [exit.PoolItem("bank account", D("70000")),
            exit.PoolItem("test rig", D("30000"), "asset", "B"),
            exit.PoolItem("supplier invoice", D("-10000"), "liability")]
    returned = [exit.Returned("customer list", "data", "A"), exit.Returned("patent", "ip", "B")]
    s = exit.settle(t, contributions, receipts, pool, returned)
    # V = 90,000 pool + 20,000 received = 110,000; A 60,000 : B 42,500
    assert s.value == D("110000.00")
    a, b = s.party("A"), s.party("B")
    assert (a.contributed, b.contributed) == (D("60000.00"), D("42500.00"))
    assert (a.entitlement, b.entitlement) == (D("64390.24"), D("45609.76"))
    assert a.payment == D("44390.24")  # minus the 20,000 received before
    assert b.payment == D("15609.76")  # minus the rig taken back in kind
    assert a.payment + b.payment == D("60000.00")  # the pool's cash less the liability
    assert [r.item for r in b.returned] == ["patent"]
    assert "400 hours × 100.00 = 40,000.00" in b.lines[0].explain


def test_exit_return_contributions_then_shares_and_losses() -> None:
    shares = (Share("A", 5000), Share("B", 5000))
    t = exit.ExitTerms("JV", "EUR", ("A", "B"), "return_then_shares", shares)
    contributions = [exit.Contribution("A", "cash", D("30000")),
                     exit.Contribution("B", "cash", D("10000"))]
    gain = exit.settle(t, contributions, [], [exit.PoolItem("cash", D("50000"))], [])
    assert [p.payment for p in gain.parties] == [D("35000.00"), D("15000.00")]
    loss = exit.settle(t, contributions, [], [exit.PoolItem("cash", D("20000"))], [])
    assert [p.payment for p in loss.parties] == [D("15000.00"), D("5000.00")]
    assert [p.net for p in loss.parties] == [D("-15000.00"), D("-5000.00")]


# -- reconciliation -------------------------------------------------------------------------


def test_reconciliation_names_each_difference() -> None:
    R = reconcile.ReportLine
    ours = [R("INV-1", D(100), D("1000.00"), D("100.00")),
            R("INV-2", D(50), D("500.00"), D("50.00")),
            R("INV-3", D(10), D("100.00"), D("10.00")),
            R("INV-4", D(20), D("200.00"), D("20.00"))]
    theirs = [R("inv-1", D(100), D("1000.00"), D("100.00")),
              R("INV-2", D(48), D("480.00"), D("48.00")),
              R("INV 3", D(10), D("100.00"), D("8.00")),
              R("INV-4", D(20), D("200.00"), D("20.01")),
              R("INV-9", D(5), D("50.00"), D("5.00"))]
    r = reconcile.reconcile(ours, theirs, "EUR")
    kinds = [(d.key, d.kind) for d in r.differences]
    assert kinds == [("INV-2", "units"), ("INV-2", "net"), ("INV-2", "royalty"),
                     ("INV-3", "rate"), ("INV-4", "rounding"), ("INV-9", "only_theirs")]
    assert [p.status for p in r.pairs] == ["agrees", "differs", "differs", "agrees",
                                           "only_theirs"]
    assert r.differences[0].explain == "units differ: ours 50, theirs 48 (−2)"
    assert r.verdict == "5 differences"
    assert r.totals[2] == ("royalty", D("180.00"), D("181.01"), D("1.01"))
    rate = reconcile.reconcile([R("X", D(1), D("100.00"), D("10.00"))],
                               [R("X", D(1), D("100.00"), D("8.00"))], "EUR")
    assert rate.differences[0].kind == "rate"
    assert "implies a rate of 8%, ours 10%" in rate.differences[0].explain


def test_a_per_unit_agreement_names_the_rate_a_unit_each_side_implies() -> None:
    """On a per-unit rate card the implied rate is royalty ÷ units in money a unit: as a
    percentage of net sales it named a rate the contract never states."""
    R = reconcile.ReportLine
    ours = [R("INV-1", D(400), D("9000.00"), D("40.00"))]
    theirs = [R("INV-1", D(400), D("9000.00"), D("32.00"))]
    units = reconcile.reconcile(ours, theirs, "EUR", basis="units")
    assert units.differences[0].kind == "rate"
    assert "implies a rate of 0.08 EUR a unit, ours 0.1 EUR a unit" in \
        units.differences[0].explain, units.differences[0].explain
    net = reconcile.reconcile(ours, theirs, "EUR")
    assert "%" in net.differences[0].explain and "a unit" not in net.differences[0].explain
    # without units on one side there is no rate to imply: the royalty difference is named
    bare = reconcile.reconcile(ours, [R("INV-1", None, D("9000.00"), D("32.00"))], "EUR",
                               basis="units")
    assert [d.kind for d in bare.differences] == ["royalty"]
