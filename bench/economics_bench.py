"""Workload `economics` (docs/economics.md): a licensing portfolio and buying groups,
pure domain (no database), each measure beside a baseline run in the same process.

- portfolio: 500 royalty agreements with monthly sales over 5 years (two products a
  month, a return every fifth month, an advance on a third of them), a mix of terms
  (marginal and all-units tiers over the period, contract year or lifetime; flat rates;
  a rate change in year 3; minimum guarantees; caps; both negative-period policies;
  2-3 payees), monthly or quarterly statements; every statement of every period, with
  each payee's line. Baseline: summing each period's sale amounts per agreement in
  Decimal (the least any statement must do).
- Shapley: a buying group of 20 and of 12 members, exact, from the orders to the
  rounded allocation (all three methods). Baseline: one pass of Python over the 2^n
  coalitions (summing n ints per coalition), what a plain loop pays just to visit them.

Run: python bench/economics_bench.py [--agreements 500] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from decimal import Decimal as D

from kithbook.domain.economics import buying, ledger, rates, royalty, savings
from kithbook.domain.economics.rates import Band
from kithbook.domain.economics.split import Share

START = date(2021, 1, 1)


def month(i: int, day: int = 15) -> date:
    return date(START.year + i // 12, i % 12 + 1, day)


def portfolio(n: int, seed: int = 1) -> list[tuple[royalty.RoyaltyTerms, ledger.Ledger, int]]:
    rng = random.Random(seed)
    out = []
    for a in range(n):
        months = rng.choice([1, 3, 3])
        basis = rng.choice(["net", "net", "units"])
        mode = rng.choice(["marginal", "all_units"])
        window = rng.choice(["period", "contract_year", "lifetime"])
        unit = D("0.01") if basis == "net" else D("0.10")
        step = D(50_000 if basis == "net" else 2_000)
        r = [D(rng.randint(3, 8)) * unit, D(rng.randint(8, 12)) * unit]
        change = month(24 + rng.randint(0, 11), 1)
        if rng.random() < 0.3:
            versions = (rates.flat(1, START, r[0], change - timedelta(days=1)),
                        rates.flat(2, change, r[1]))
        else:
            versions = (rates.tiered(1, START, [(D(0), r[0]), (step, r[1])],
                                     change - timedelta(days=1)),
                        rates.tiered(2, change, [(D(0), r[0]), (step * 2, r[1])]))
        payees = rng.choice([(Share("Licensor", 10_000),),
                             (Share("Licensor", 7_000), Share("Inventor", 3_000)),
                             (Share("Licensor", 6_000), Share("Inventor", 2_500),
                              Share("Agent", 1_500))])
        t = royalty.RoyaltyTerms(
            f"A{a:03}", "EUR", START, months, basis, mode, window, versions, "Licensee",
            payees, negative_policy=rng.choice(["floor", "carry_forward"]),
            minimum_per_year=D(rng.choice([0, 5_000, 20_000])) or None,
            cap_royalty_per_year=D(250_000) if rng.random() < 0.2 else None)
        entries = []
        if rng.random() < 0.33:
            entries.append(ledger.Entry(0, "advance", START, START, amount=D(10_000)))
        for m in range(60):
            for product in ("P1", "P2"):
                units = D(rng.randint(0, 400))
                price = D(rng.randint(1500, 4000)).scaleb(-2)
                entries.append(ledger.Entry(0, "sale", month(m, 10), month(m, 10),
                                            amount=units * price, units=units, product=product,
                                            ref=f"{product}-{m}"))
            if m % 5 == 4:
                units = D(rng.randint(0, 60))
                entries.append(ledger.Entry(0, "return", month(m, 20), month(m, 20),
                                            amount=units * D(25), units=units))
            if m % 3 == 2:
                entries.append(ledger.Entry(0, "payment", month(m, 25), month(m, 25),
                                            amount=D(100), party=payees[0].party))
        led = ledger.Ledger([ledger.Entry(i + 1, e.kind, e.on, e.booked, e.amount, e.units,
                                          e.party, e.ref, e.product)
                             for i, e in enumerate(entries)])
        out.append((t, led, 60 // months))
    return out


def run_portfolio(cases: list[tuple[royalty.RoyaltyTerms, ledger.Ledger, int]]) -> tuple[
        int, int]:
    statements = party_lines = 0
    for t, led, periods in cases:
        for s in royalty.statements(t, led, periods):
            statements += 1
            party_lines += len(s.parties)
    return statements, party_lines


def baseline_portfolio(cases: list[tuple[royalty.RoyaltyTerms, ledger.Ledger, int]]) -> D:
    total = D(0)
    for t, led, _periods in cases:
        per: dict[int, D] = {}
        for e in led.entries:
            if e.kind == "sale":
                p = t.period_of(e.booked)
                per[p] = per.get(p, D(0)) + e.amount
        total += sum(per.values(), D(0))
    return total


def group(n: int) -> tuple[buying.BuyingTerms, ledger.Ledger]:
    rng = random.Random(n)
    members = tuple(f"M{i:02}" for i in range(n))
    schedule = buying.PriceSchedule(
        bands=(Band(D(0), D(1000), D("12.00")), Band(D(1000), D(5000), D("10.50")),
               Band(D(5000), None, D("9.25"))),
        rebate_bands=(Band(D(0), D(3000), D(0)), Band(D(3000), None, D("0.20"))),
        rebate_pct=D("0.01"))
    base = tuple(savings.Baseline(m, D(rng.randint(1150, 1300)).scaleb(-2), "paid", "invoice",
                                  START) for m in members)
    t = buying.BuyingTerms("G", "EUR", "paper", members, base, schedule, "shapley")
    entries = []
    for i, m in enumerate(members):
        q = D(rng.randint(50, 900))
        entries.append(ledger.Entry(i + 1, "order", month(1), month(1), amount=q * D("9.25"),
                                    units=q, party=m))
    return t, ledger.Ledger(entries)


def baseline_coalitions(n: int) -> int:
    w = list(range(1, n + 1))
    best = 0
    for mask in range(1 << n):
        s = 0
        for i in range(n):
            if mask >> i & 1:
                s += w[i]
        best = max(best, s)
    return best


def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--agreements", type=int, default=500)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    cases = portfolio(args.agreements)
    entries = sum(len(led) for _, led, _ in cases)
    print(f"portfolio: {args.agreements} agreements, {entries:,} ledger entries "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    statements, party_lines = run_portfolio(cases)
    port = timed(lambda: run_portfolio(cases), args.runs)
    base = timed(lambda: baseline_portfolio(cases), args.runs)
    print(f"  statements for every period: {statements:,} statements, {party_lines:,} payee "
          f"lines: {port:.2f} s (p50 of {args.runs}); baseline (sum sales per period) "
          f"{base * 1000:.0f} ms; ratio {port / base:.1f}x; target < 2 s")
    for n, runs in ((12, max(args.runs, 11)), (20, args.runs)):
        t, led = group(n)
        s = buying.settle(t, led)
        assert sum(m.shapley for m in s.members) == s.gain
        took = timed(lambda t=t, led=led: buying.settle(t, led), runs)
        bl = timed(lambda n=n: baseline_coalitions(n), 1 if n == 20 else runs)
        target = "50 ms" if n == 12 else "2 s"
        print(f"  buying group of {n}, exact Shapley ({s.shapley_how}) with equal price and "
              f"pro rata: {took * 1000:.1f} ms (p50 of {runs}); baseline (a Python pass over "
              f"the {1 << n:,} coalitions) {bl * 1000:.0f} ms; ratio {took / bl:.2f}x; "
              f"target < {target}")


if __name__ == "__main__":
    main()
