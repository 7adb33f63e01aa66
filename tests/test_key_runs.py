"""Runs of integer keys (store/key_runs.py), the way keyed journal entries name their
rows: every operation against a plain set of the same keys."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kithbook.store import key_runs

KEYS = st.lists(st.integers(min_value=1, max_value=400), max_size=120)


@given(KEYS)
def test_runs_hold_exactly_the_keys(keys: list[int]) -> None:
    runs = key_runs.runs_of(keys)
    assert list(key_runs.keys_of(runs)) == sorted(set(keys))
    assert key_runs.size(runs) == len(set(keys))
    for (_, last), (first, _) in zip(runs, runs[1:], strict=False):
        assert first > last + 1  # separate runs never touch: the shortest writing
    assert all(first <= last for first, last in runs)


def test_consecutive_keys_are_one_run() -> None:
    assert key_runs.runs_of(range(1001, 184_832)) == [[1001, 184_831]]
    assert key_runs.runs_of([5, 3, 4, 9, 9]) == [[3, 5], [9, 9]]
    assert key_runs.runs_of([]) == []


@given(KEYS, KEYS)
def test_held_and_without_agree_with_sets(keys: list[int], probe: list[int]) -> None:
    runs = key_runs.runs_of(keys)
    assert key_runs.held(runs, probe) == set(keys) & set(probe)
    left = key_runs.without(runs, set(probe))
    assert left == key_runs.runs_of(set(keys) - set(probe))


@given(KEYS, st.integers(min_value=1, max_value=7))
def test_split_keeps_every_run_once(keys: list[int], most: int) -> None:
    runs = key_runs.runs_of(keys)
    pieces = list(key_runs.split(runs, most))
    assert [r for piece in pieces for r in piece] == runs
    assert all(0 < len(piece) <= most for piece in pieces)
