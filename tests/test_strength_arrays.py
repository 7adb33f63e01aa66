"""The array scoring of every pair (domain/strength_arrays.py) gives the score the per-pair
model (domain/strength.py::tie_strength) gives, on any evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kithbook.domain import strength as ts
from kithbook.domain import strength_arrays as sa

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
CHANNELS = [*sorted(ts.CHANNEL_WEIGHTS), "carrier-pigeon"]
KINDS = ["knows", "linkedin", "colleague", "client", "family", "address-book"]

interaction = st.tuples(
    st.floats(-20, 4000),  # days ago; negative: a meeting booked for next week
    st.sampled_from(CHANNELS),
    st.one_of(st.none(), st.integers(1, 8)),  # initiator (maybe not a participant)
    st.lists(st.integers(1, 7), min_size=1, max_size=6),  # participants, repeats allowed
)
tie = st.tuples(st.integers(1, 7), st.integers(1, 7), st.sampled_from(KINDS),
                st.integers(1, 5), st.one_of(st.none(), st.integers(0, 5000)))


def reference(rows: list, ties: list, max_participants: int) -> dict[tuple[int, int], float]:
    rows = [r for r in rows if 2 <= len(set(r[4])) <= max_participants]
    out = {}
    for pair, events in ts.evidence_by_pair(rows).items():
        decl = [(k, s, since) for a, b, k, s, since in ties if (min(a, b), max(a, b)) == pair]
        out[pair] = ts.tie_strength(NOW, events, ts.declared_from_rows(decl)).score
    return out


def arrays(rows: list, ties: list, max_participants: int) -> dict[tuple[int, int], float]:
    inter = [r[0] for r in rows for _ in r[4]]
    person = [p for r in rows for p in r[4]]
    at = [r[1].timestamp() for r in rows for _ in r[4]]
    chan = [r[2] for r in rows for _ in r[4]]
    init = [-1 if r[3] is None else r[3] for r in rows for _ in r[4]]
    ev = sa.explode(np.array(inter, np.int64), np.array(person, np.int64), np.array(at),
                    sa.channel_codes(chan), np.array(init, np.int64),
                    max_participants=max_participants)
    declared = sa.declared_ties(
        np.array([t[0] for t in ties], np.int64), np.array([t[1] for t in ties], np.int64),
        np.array([t[3] for t in ties], np.int64), np.array([t[2] for t in ties], object),
        np.array([t[4] for t in ties], "datetime64[D]"))
    lo, hi, score = sa.scores(NOW.timestamp(), ev, declared)
    return {(int(x), int(y)): float(s) for x, y, s in zip(lo, hi, score, strict=True)}


@settings(max_examples=300, deadline=None)
@given(st.lists(interaction, max_size=25), st.lists(tie, max_size=12), st.integers(2, 5))
def test_every_pair_scores_as_the_one_pair_model(raw: list, raw_ties: list, cap: int) -> None:
    rows = [(k, NOW - timedelta(days=d), c, i, ppl)
            for k, (d, c, i, ppl) in enumerate(raw, start=1)]
    ties = [(a, b, k, s, None if d is None else date(2012, 1, 1) + timedelta(days=d))
            for a, b, k, s, d in raw_ties if a != b]
    want = reference(rows, ties, cap)
    got = arrays(rows, ties, cap)
    assert set(got) == set(want)
    for pair, score in want.items():
        assert got[pair] == pytest.approx(score, abs=1e-9), pair


def test_a_worked_example_in_both_models() -> None:
    """Ann (1) called Bob (2) a month ago, Bob wrote back; a meeting of three last year;
    Ann and Bob are declared colleagues (4/5) since 2020."""
    rows = [
        (1, NOW - timedelta(days=30), "call", 1, [1, 2]),
        (2, NOW - timedelta(days=29), "email", 2, [2, 1]),
        (3, NOW - timedelta(days=400), "meeting", None, [1, 2, 3]),
    ]
    ties = [(2, 1, "colleague", 4, date(2020, 3, 1))]
    got = arrays(rows, ties, 30)
    want = reference(rows, ties, 30)
    assert set(got) == {(1, 2), (1, 3), (2, 3)}
    assert got[(1, 2)] == pytest.approx(want[(1, 2)], abs=1e-12)
    assert got[(1, 2)] > got[(1, 3)] == pytest.approx(got[(2, 3)])


def test_no_evidence_gives_no_pairs() -> None:
    e = np.zeros(0, np.int64)
    ev = sa.explode(e, e, np.zeros(0), np.zeros(0, np.int16), e)
    lo, hi, score = sa.scores(NOW.timestamp(), ev)
    assert len(lo) == len(hi) == len(score) == 0
    one = sa.explode(np.array([1]), np.array([5]), np.array([NOW.timestamp()]),
                     sa.channel_codes(["call"]), np.array([5]))
    assert len(one.lo) == 0  # one participant is not a pair
