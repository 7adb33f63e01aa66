"""Sets of integer keys written as runs: `[[first, last], ...]`, sorted, inclusive, each
run separated from the next by at least one missing key.

A journal entry for many rows (store/journal.py, "keyed entries") names its rows this
way: the keys an import or a bulk load draws are consecutive, so 180,000 inserted ties
are one pair of numbers, not 180,000 journal rows."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence

Runs = list[list[int]]


def runs_of(keys: Iterable[int]) -> Runs:
    """The runs holding exactly `keys` (in any order, repeats ignored)."""
    out: Runs = []
    for key in sorted(set(keys)):
        if out and out[-1][1] == key - 1:
            out[-1][1] = key
        else:
            out.append([key, key])
    return out


def keys_of(runs: Sequence[Sequence[int]]) -> Iterator[int]:
    for first, last in runs:
        yield from range(first, last + 1)


def size(runs: Sequence[Sequence[int]]) -> int:
    return sum(last - first + 1 for first, last in runs)


def held(runs: Sequence[Sequence[int]], keys: Iterable[int]) -> set[int]:
    """Those of `keys` that the runs hold: a binary search each, the runs never
    expanded (an erasure asks this of every keyed entry in the journal)."""
    firsts = [first for first, _ in runs]
    out = set()
    for key in keys:
        i = bisect_right(firsts, key) - 1
        if i >= 0 and key <= runs[i][1]:
            out.add(key)
    return out


def without(runs: Sequence[Sequence[int]], gone: set[int]) -> Runs:
    """The runs less the keys in `gone`, each run split around them."""
    out: Runs = []
    for first, last in runs:
        start = first
        for key in sorted(k for k in gone if first <= k <= last):
            if key > start:
                out.append([start, key - 1])
            start = key + 1
        if start <= last:
            out.append([start, last])
    return out


def split(runs: Runs, most: int) -> Iterator[Runs]:
    """The runs in pieces of at most `most` runs (a journal entry stays a few KB even
    when the keys are scattered)."""
    for start in range(0, len(runs), most):
        yield runs[start:start + most]
