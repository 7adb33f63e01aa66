"""Two-sided health checks: each party's people rate the dimensions 1-5, anonymously.

A party's answers count only once at least `min_group` of its people answered; until
then they are held back from every figure, the pooled ones included, so that nobody
can work out a single person's ratings by subtraction (docs/alliance-management.md, "Health
checks").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kithbook.domain.alliances.facts import (
    DEFAULT_SETTINGS,
    DIMENSION_LABELS,
    DIMENSIONS,
    AllianceFacts,
    Finding,
    HealthCheck,
    Settings,
)


def likert_to_100(x: float) -> float:
    """1..5 -> 0..100."""
    return (x - 1) / 4 * 100


@dataclass(frozen=True)
class Side:
    party_key: int
    id: str
    name: str
    responses: int
    shown: bool  # the party reached the minimum group size
    means: tuple[tuple[str, float], ...] = ()  # raw 1..5, only when shown

    def mean(self, dimension: str) -> float | None:
        return dict(self.means).get(dimension)


@dataclass(frozen=True)
class Gap:
    dimension: str
    label: str
    spread: float  # highest side mean minus lowest, raw points
    low_sides: tuple[str, ...]  # parties whose mean is 2.5 or below
    flagged: bool


@dataclass(frozen=True)
class Perception:
    check_id: str
    opened_on: date
    min_group: int
    sides: tuple[Side, ...]
    held_back: int  # answers waiting for their party to reach the minimum group
    gaps: tuple[Gap, ...]
    score: float | None  # H1, 0..100
    coverage: float  # 0..1

    def side(self, party_key: int) -> Side | None:
        return next((s for s in self.sides if s.party_key == party_key), None)

    def side_score(self, party_key: int) -> float | None:
        side = self.side(party_key)
        if side is None or not side.shown or not side.means:
            return None
        return sum(likert_to_100(v) for _, v in side.means) / len(side.means)


def combine(values: list[float], lam: float) -> float:
    """(1 - 2λ)·mean + 2λ·min: the reference's mean − λ|A − B| for two sides, kept
    monotone for any number of sides (λ ≤ 0.5)."""
    mean = sum(values) / len(values)
    return (1 - 2 * lam) * mean + 2 * lam * min(values)


def perception(facts: AllianceFacts, check: HealthCheck, on: date | None = None,
               s: Settings = DEFAULT_SETTINGS) -> Perception:
    min_group = max(check.min_group, 1)
    sides = []
    held = 0
    for p in facts.current_parties:
        answers = [r for r in check.responses
                   if r.party_key == p.key and (on is None or r.on <= on)]
        shown = len(answers) >= min_group
        means: list[tuple[str, float]] = []
        if shown:
            for d in DIMENSIONS:
                vals = [v for r in answers if (v := r.rating(d)) is not None]
                if len(vals) >= min_group:
                    means.append((d, sum(vals) / len(vals)))
        else:
            held += len(answers)
        sides.append(Side(p.key, p.id, p.name, len(answers), shown, tuple(means)))
    shown_sides = [x for x in sides if x.shown]
    gaps = []
    per_dim: list[float] = []
    for d in DIMENSIONS:
        side_means = [(x, m) for x in shown_sides if (m := x.mean(d)) is not None]
        if not side_means:
            continue
        per_dim.append(combine([likert_to_100(m) for _, m in side_means], s.perception_lambda))
        spread = max(m for _, m in side_means) - min(m for _, m in side_means)
        low = tuple(x.name for x, m in side_means if m <= 2.5)
        gaps.append(Gap(d, DIMENSION_LABELS[d], spread, low,
                        flagged=(len(side_means) >= 2 and spread >= 1.0) or bool(low)))
    score = sum(per_dim) / len(per_dim) if per_dim else None
    parties = len(facts.current_parties) or 1
    coverage = len(shown_sides) / parties if score is not None else 0.0
    return Perception(check.id, check.opened_on, min_group, tuple(sides), held, tuple(gaps),
                      score, coverage)


def latest(facts: AllianceFacts, on: date, s: Settings = DEFAULT_SETTINGS) -> Perception | None:
    """The most recent check opened on or before `on`."""
    checks = [c for c in facts.checks if c.opened_on <= on]
    if not checks:
        return None
    return perception(facts, checks[-1], on, s)


def findings(p: Perception | None) -> list[Finding]:
    if p is None:
        return []
    out = []
    for g in p.gaps:
        if not g.flagged:
            continue
        why = []
        if g.spread >= 1.0:
            why.append(f"the sides differ by {g.spread:.1f} points")
        if g.low_sides:
            why.append(f"{', '.join(g.low_sides)} rate{'s' if len(g.low_sides) == 1 else ''}"
                       " it 2.5 or lower")
        code = "PERCEPTION_GAP"
        title = "perception gap" if g.dimension != "communication_quality" else (
            "perception gap on communication")
        out.append(Finding(code, "warn", title, g.label, "; ".join(why) + ".",
                           "Put it first on the next steering agenda; ask each side why.",
                           p.check_id))
    return out
