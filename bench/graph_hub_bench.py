"""Ego brokerage on the best-connected person of the synthetic 1,000,000-person /
10,000,000-tie network (the worst case for `kithbook brokers`), beside the p50 over 200
random people in the same run. Arrays only: no database.

Run: python bench/graph_hub_bench.py"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from graph_bench import generate  # noqa: E402

from kithbook.graph import csr, ego  # noqa: E402


def median_ms(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return sorted(times)[runs // 2]


def main() -> None:
    n, m = 1_000_000, 10_000_000
    a, b, s = generate(n, m)
    g = csr.build(a, b, s)
    hub = int(np.argmax(g.degrees()))
    ego.brokerage(g, hub)
    hub_ms = median_ms(lambda: ego.brokerage(g, hub), 7)
    rng = np.random.default_rng(1)
    people = iter(rng.integers(0, n, 200).tolist())
    p50 = median_ms(lambda: ego.brokerage(g, int(next(people))), 200)
    print(f"hub degree {g.degree(hub):,}: brokerage {hub_ms:.1f} ms; "
          f"p50 over 200 people {p50:.2f} ms (target < 20 ms)")


if __name__ == "__main__":
    main()
