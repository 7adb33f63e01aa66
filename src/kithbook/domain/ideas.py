"""Idea tests: put an idea to a panel, collect structured feedback, reach a verdict.
Pure; see docs/networking-craft.md.

Each panelist scores three things from 1 to 5: interest (is the problem real for
them?), would use (would they use or buy it?) and clarity (did they get it at once?),
plus what they liked and what worries them. The verdict:

- too early: fewer than MIN_RESPONSES answers (three voices are not a market);
- go: mean "would use" >= 3.5 and at least 60% of panelists score it 4 or 5;
- drop: mean "would use" < 2.5, or fewer than 20% score it 4 or 5;
- refine: anything between.

A clarity mean below 3 adds "explain it better first" to the reasons whatever the
verdict, since a confused panel cannot judge the idea itself. A verdict I set by hand
overrides the computed one and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kithbook.domain.models import Record

VERDICTS = ("go", "refine", "drop", "too_early")
MIN_RESPONSES = 3
GO_MEAN = 3.5
GO_SHARE = 0.6
DROP_MEAN = 2.5
DROP_SHARE = 0.2
CLEAR_MEAN = 3.0


@dataclass(frozen=True)
class Feedback:
    interest: int
    would_use: int
    clarity: int


@dataclass
class Verdict(Record):
    verdict: str
    responses: int
    mean_interest: float | None
    mean_would_use: float | None
    mean_clarity: float | None
    share_positive: float | None
    reasons: list[str] = field(default_factory=list)
    by_hand: bool = False


def _mean(xs: Sequence[int]) -> float | None:
    return round(sum(xs) / len(xs), 2) if xs else None


def verdict(feedback: Sequence[Feedback], *, manual: str | None = None) -> Verdict:
    n = len(feedback)
    use = [f.would_use for f in feedback]
    mi = _mean([f.interest for f in feedback])
    mu = _mean(use)
    mc = _mean([f.clarity for f in feedback])
    share = round(sum(1 for u in use if u >= 4) / n, 3) if n else None
    reasons: list[str] = []
    if n < MIN_RESPONSES:
        computed = "too_early"
        reasons.append(f"{n} of at least {MIN_RESPONSES} answers so far")
    else:
        assert mu is not None and share is not None
        if mu >= GO_MEAN and share >= GO_SHARE:
            computed = "go"
            reasons.append(f"would use {mu:.1f}/5, {share:.0%} keen (4 or 5)")
        elif mu < DROP_MEAN or share < DROP_SHARE:
            computed = "drop"
            reasons.append(f"would use only {mu:.1f}/5, {share:.0%} keen")
        else:
            computed = "refine"
            reasons.append(f"would use {mu:.1f}/5, {share:.0%} keen: promising, not yet there")
        if mc is not None and mc < CLEAR_MEAN:
            reasons.append(f"clarity {mc:.1f}/5: explain it better first")
    result = Verdict(
        verdict=computed, responses=n, mean_interest=mi, mean_would_use=mu,
        mean_clarity=mc, share_positive=share, reasons=reasons,
    )
    if manual and manual != computed:
        result.reasons.insert(0, f"set by hand to {manual} (the panel says {computed})")
        result.verdict = manual
        result.by_hand = True
    elif manual:
        result.by_hand = True
    return result
