"""Hostile vCard input: parse time against input size, to show the reader stays linear
(vobject's line regex backtracks for seconds on a 190-byte line). Baseline in the same
run: `str.split` over the same text, the least work any parser must do.

Run: python bench/vcard_hostile_bench.py"""

from __future__ import annotations

import time

from kithbook.io import vcard


def hostile(scale: int) -> str:
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + "a;" * (50_000 * scale) + "\r\n"
    text += "N" + ';x="' * (25_000 * scale) + ":y\r\n"
    text += "EMAIL" + ";" * (75_000 * scale) + "\r\nEND:VCARD\r\n"
    return text


def best_ms(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return min(out)


def main() -> None:
    print("| input | parse | str.split baseline | ratio |")
    print("|---|---|---|---|")
    for scale in (1, 4, 16):
        text = hostile(scale)
        parse = best_ms(lambda text=text: list(vcard.parse(text)))
        base = best_ms(lambda text=text: text.split(";"))
        print(f"| {len(text) / 1e6:.1f} MB | {parse:.1f} ms | {base:.1f} ms | "
              f"{parse / base:.0f}x |")


if __name__ == "__main__":
    main()
