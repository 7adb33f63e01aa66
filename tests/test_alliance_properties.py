"""Properties of the health score: monotone in every component, part, rating and
delivery; capped by the weakest factor; perception never reveals a small group."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_facts import NOW, NW, US, facts
from kithbook.domain.alliances import health, pacing, perception
from kithbook.domain.alliances.facts import (
    DIMENSIONS,
    Contribution,
    HealthCheck,
    Objective,
    Response,
)

score = st.floats(min_value=0, max_value=100, allow_nan=False)
maybe_score = st.one_of(st.none(), score)
NAMES = list(health.WEIGHTS)


def comps(scores: list[float | None]) -> list[health.Component]:
    return [health.Component(n, n, s, 1.0 if s is not None else 0.0)
            for n, s in zip(NAMES, scores, strict=True)]


@given(st.lists(maybe_score, min_size=5, max_size=5), st.integers(0, 4), score)
@settings(max_examples=300, deadline=None)  # no timing limits in tests
def test_composite_is_monotone_in_every_component(scores: list[float | None], i: int,
                                                   bump: float) -> None:
    before = health.composite(comps(scores))
    if scores[i] is None:
        return
    raised = list(scores)
    raised[i] = min(100.0, scores[i] + bump)  # type: ignore[operator]
    after = health.composite(comps(raised))
    assert before.score is not None and after.score is not None
    assert after.score >= before.score - 1e-9
    assert health.category_rank(after.category) <= health.category_rank(before.category)


@given(st.lists(maybe_score, min_size=5, max_size=5))
@settings(max_examples=300, deadline=None)  # no timing limits in tests
def test_the_weakest_factor_caps_the_category(scores: list[float | None]) -> None:
    h = health.composite(comps(scores))
    present = [s for s in scores if s is not None]
    if not present:
        assert h.category == "No data"
        return
    if min(present) < health.WEAK_FACTOR:
        assert health.category_rank(h.category) >= health.category_rank("At risk")
    assert h.weakest is not None
    weakest_score = scores[NAMES.index(h.weakest)]
    assert weakest_score == min(present)


@given(st.lists(maybe_score, min_size=2, max_size=5), st.integers(0, 4), score)
@settings(max_examples=200, deadline=None)  # no timing limits in tests
def test_component_is_monotone_in_every_part(values: list[float | None], i: int,
                                             bump: float) -> None:
    i %= len(values)
    parts = [health.Part(f"p{n}", v, 0.1 + n / 10) for n, v in enumerate(values)]
    before = health.component("clarity", parts)
    if values[i] is None:
        return
    raised = list(parts)
    raised[i] = health.Part(parts[i].name, min(100.0, values[i] + bump),  # type: ignore[operator]
                            parts[i].weight)
    after = health.component("clarity", raised)
    assert after.score is not None and before.score is not None
    assert after.score >= before.score - 1e-9


ratings = st.lists(st.tuples(st.sampled_from([US, NW]), st.lists(st.integers(1, 5),
                                                                   min_size=7, max_size=7)),
                   min_size=0, max_size=10)


def _check(answers: list[tuple[int, list[int]]]) -> HealthCheck:
    return HealthCheck(1, "chk", date(2026, 6, 1), 3, tuple(
        Response(p, date(2026, 6, 2), tuple(zip(DIMENSIONS, r, strict=True)))
        for p, r in answers))


@given(ratings, st.integers(0, 9), st.integers(0, 6))
@settings(max_examples=200, deadline=None)  # no timing limits in tests
def test_perception_is_monotone_in_every_rating(answers: list[tuple[int, list[int]]], who: int,
                                                dim: int) -> None:
    f = facts()
    before = perception.perception(f, _check(answers))
    if not answers:
        return
    who %= len(answers)
    party_key, r = answers[who]
    if r[dim] == 5:
        return
    raised = list(answers)
    raised[who] = (party_key, [*r[:dim], r[dim] + 1, *r[dim + 1:]])
    after = perception.perception(f, _check(raised))
    if before.score is not None:
        assert after.score is not None and after.score >= before.score - 1e-9


@given(ratings)
@settings(max_examples=200, deadline=None)  # no timing limits in tests
def test_a_side_below_the_minimum_group_shows_nothing(
        answers: list[tuple[int, list[int]]]) -> None:
    p = perception.perception(facts(), _check(answers))
    for side in p.sides:
        if side.responses < 3:
            assert not side.shown and side.means == ()
    # held-back answers never move the score
    kept = [(k, r) for k, r in answers if sum(1 for x, _ in answers if x == k) >= 3]
    assert perception.perception(facts(), _check(kept)).score == p.score


money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False,
                    allow_infinity=False)


@given(money, money, money, money, money)
@settings(max_examples=200, deadline=None)  # no timing limits in tests
def test_commitment_is_monotone_in_delivery(c_us: Decimal, d_us: Decimal, c_nw: Decimal,
                                           d_nw: Decimal, more: Decimal) -> None:
    def h5(delivered_us: Decimal) -> float | None:
        f = facts(contributions=(
            Contribution(US, "cash", "committed", c_us + 1, date(2026, 1, 1)),
            Contribution(US, "cash", "delivered", delivered_us, date(2026, 1, 2)),
            Contribution(NW, "cash", "committed", c_nw + 1, date(2026, 1, 1)),
            Contribution(NW, "cash", "delivered", d_nw, date(2026, 1, 2)),
        ))
        return health.h5_commitment(f, NOW, None, health.DEFAULT_SETTINGS).score

    before, after = h5(d_us), h5(d_us + more)
    assert before is not None and after is not None and after >= before - 1e-9


@given(st.integers(-1000, 1000), st.integers(0, 500))
def test_pacing_attainment_is_monotone_in_the_value(value: int, more: int) -> None:
    def att(v: int) -> float:
        o = Objective(1, "o", "x", "m", Decimal(0), Decimal(100), date(2026, 1, 1),
                      date(2026, 12, 31), US, measurements=(
                          pacing.Measurement(date(2026, 6, 1), Decimal(v)),))
        p = pacing.pace(o, date(2026, 6, 15))
        assert p.attainment is not None
        return p.attainment

    assert att(value + more) >= att(value)
