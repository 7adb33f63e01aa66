"""Tie-strength model: every component with fixed dates, and the combination."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kithbook.domain import strength as ts

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def days_ago(d: float) -> datetime:
    return NOW - timedelta(days=d)


@pytest.mark.parametrize("declared,expected", [(1, 0.2), (2, 0.4), (3, 0.6), (4, 0.8), (5, 1.0)])
def test_declared_only_is_linear(declared: int, expected: float) -> None:
    res = ts.tie_strength(NOW, (), ts.Declared((declared,), ("knows",)))
    assert res.score == pytest.approx(expected)
    assert res.basis == "declared only"
    assert res.display == round(10 + 90 * expected)


def test_declared_only_takes_the_strongest_kind_and_ignores_contexts() -> None:
    res = ts.tie_strength(NOW, (), ts.Declared((2, 4), ("colleague", "friend")))
    assert res.score == pytest.approx(0.8)
    assert [c.name for c in res.components] == ["closeness", "multiplexity"]
    assert res.components[1].contribution == 0.0


def test_no_evidence() -> None:
    res = ts.tie_strength(NOW)
    assert res.score == 0.0 and res.basis == "none" and res.display == 10


def test_event_weights_channel_direction_audience() -> None:
    assert ts.event_weight(ts.Event(NOW, "meeting", "out", 1)) == pytest.approx(4.5)
    assert ts.event_weight(ts.Event(NOW, "meeting", "in", 3)) == pytest.approx(1 / 3)  # group
    assert ts.event_weight(ts.Event(NOW, "call", "in", 1)) == pytest.approx(2.0)
    assert ts.event_weight(ts.Event(NOW, "email", "out", 4)) == pytest.approx(1.5 / 4)
    assert ts.event_weight(ts.Event(NOW, "note", "both", 1)) == pytest.approx(0.5 * 1.25)


def test_decayed_mass_halves_every_half_life() -> None:
    ev = [ts.Event(days_ago(365), "email", "in", 1)]
    assert ts.decayed_mass(ev, NOW) == pytest.approx(0.5)
    assert ts.decayed_mass(ev, NOW, half_life=730) == pytest.approx(2 ** -0.5)


def test_activity_matches_the_reference_figures() -> None:
    """Steady monthly contact (in, weight 1) gives A about 0.63; weekly about 0.985."""
    def steady(interval: float) -> float:
        events = [ts.Event(days_ago(interval * k), "email", "in", 1) for k in range(2000)]
        return ts.activity(ts.decayed_mass(events, NOW))

    assert steady(30) == pytest.approx(1 - math.exp(-1), abs=0.02)
    assert steady(7) == pytest.approx(0.985, abs=0.01)
    assert steady(91) == pytest.approx(0.30, abs=0.02)
    assert steady(365) == pytest.approx(0.105, abs=0.01)


def test_recency_duration_reciprocity_multiplexity() -> None:
    assert ts.recency(0) == 1.0
    assert ts.recency(90) == pytest.approx(0.5)
    assert ts.duration(0) == 0.0
    assert ts.duration(1825) == pytest.approx(1.0)
    assert ts.duration(5000) == 1.0
    assert ts.duration(30) == pytest.approx(math.log(2) / math.log(1 + 1825 / 30))
    assert ts.reciprocity(1, 1) == 1.0
    assert ts.reciprocity(3, 1) == pytest.approx(0.5)
    assert ts.reciprocity(0, 0) == 0.0
    assert [ts.multiplexity(n) for n in (0, 1, 2, 3, 5)] == [0, 0, 0.5, 1, 1]
    assert ts.ledger_balance(3, 1) == pytest.approx(2 / 5)


def test_last_two_way_contact() -> None:
    out_only = [ts.Event(days_ago(5), "email", "out")]
    assert ts.last_two_way(out_only) is None
    exchange = [ts.Event(days_ago(40), "email", "out"), ts.Event(days_ago(38), "email", "in"),
                ts.Event(days_ago(2), "email", "out")]
    assert ts.last_two_way(exchange) == days_ago(38)
    assert ts.last_two_way([ts.Event(days_ago(9), "call", "out")]) == days_ago(9)
    assert ts.last_two_way([ts.Event(days_ago(1), "note", "both")]) is None


def test_full_model_combination_and_explanation() -> None:
    events = [ts.Event(days_ago(10), "meeting", "out", 1), ts.Event(days_ago(100), "call", "in", 1)]
    declared = ts.Declared((4,), ("colleague", "club", "knows"), since=date(2023, 11, 27))
    res = ts.tie_strength(NOW, events, declared, given=2, received=1)
    comps = {c.name: c for c in res.components}
    assert set(comps) == {"closeness", "activity", "recency", "duration", "reciprocity",
                          "multiplexity"}
    mass = 4.5 * 2 ** (-10 / 365) + 2.0 * 2 ** (-100 / 365)
    r_out, r_in = 4.5 * 2 ** (-10 / 365), 2.0 * 2 ** (-100 / 365)
    expected = {
        "closeness": 0.8,
        "activity": 1 - math.exp(-mass / 18),
        "recency": 2 ** (-10 / 90),
        "duration": ts.duration((NOW - datetime(2023, 11, 27, tzinfo=UTC)).total_seconds() / 86400),
        "reciprocity": 2 * min(r_out, r_in) / (r_out + r_in),
        "multiplexity": 0.5,
    }
    for name, value in expected.items():
        assert comps[name].value == pytest.approx(value), name
    s = sum(ts.WEIGHTS[n] * v for n, v in expected.items())
    assert res.score == pytest.approx(s)  # all weights present: they sum to 1
    assert sum(c.contribution for c in res.components) == pytest.approx(res.score)
    assert res.basis == "declared + interactions"
    assert res.ledger_balance == pytest.approx(1 / 4)
    assert "10 days ago" in comps["recency"].detail


def test_missing_features_renormalize() -> None:
    events = [ts.Event(days_ago(0), "meeting", "both", 1)]
    res = ts.tie_strength(NOW, events)
    comps = {c.name: c for c in res.components}
    assert "closeness" not in comps and "multiplexity" not in comps
    w = 0.25 + 0.15 + 0.10 + 0.10
    expected = (0.25 * comps["activity"].value + 0.15 * 1.0 + 0.10 * 0.0 + 0.10 * 1.0) / w
    assert res.score == pytest.approx(expected)


def test_group_email_counts_less_than_one_to_one() -> None:
    one = ts.tie_strength(NOW, [ts.Event(days_ago(3), "email", "out", 1)] * 10)
    group = ts.tie_strength(NOW, [ts.Event(days_ago(3), "email", "out", 20)] * 10)
    assert group.mass == pytest.approx(one.mass / 20)
    assert group.score < one.score


def test_peak_strength_and_layers() -> None:
    events = [ts.Event(days_ago(1500 + 30 * k), "meeting", "both", 1) for k in range(24)]
    now_score = ts.tie_strength(NOW, events).score
    assert ts.peak_strength(events) > now_score
    assert [ts.layer_of(r) for r in (1, 5, 6, 15, 16, 50, 51, 150, 151)] == [
        "L1", "L1", "L2", "L2", "L3", "L3", "L4", "L4", "acquaintance"]


def test_evidence_by_pair_from_rows() -> None:
    rows = [(1, days_ago(3), "meeting", 10, [10, 20, 30]), (2, days_ago(1), "call", 20, [10, 20])]
    ev = ts.evidence_by_pair(rows)
    assert set(ev) == {(10, 20), (10, 30), (20, 30)}
    assert [e.direction for e in ev[(10, 20)]] == ["out", "in"]
    assert [e.audience for e in ev[(10, 20)]] == [2, 1]
    assert [e.direction for e in ev[(20, 30)]] == ["both"]
    assert [e.direction for e in ts.pair_events(rows, 20, 10)] == ["in", "out"]


@given(
    st.lists(st.tuples(st.floats(0, 3000), st.sampled_from(sorted(ts.CHANNEL_WEIGHTS)),
                       st.sampled_from(["in", "out", "both"]), st.integers(1, 40)),
             max_size=30),
    st.lists(st.integers(1, 5), max_size=3),
)
def test_score_is_bounded_and_explained(events: list, declared: list[int]) -> None:
    evs = [ts.Event(days_ago(d), c, dr, n) for d, c, dr, n in events]
    res = ts.tie_strength(NOW, evs, ts.Declared(tuple(declared), ("knows",) * len(declared)))
    assert 0.0 <= res.score <= 1.0 + 1e-12
    assert 10 <= res.display <= 100
    assert sum(c.contribution for c in res.components) == pytest.approx(res.score)
