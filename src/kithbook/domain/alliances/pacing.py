"""Objectives against target: progress, linear pacing and to-date pacing
(docs/alliance-management.md, "Pacing").

Progress is measured from the baseline: (value - baseline) / (target - baseline), so an
objective to cut costs (target below baseline) paces the same way as one to grow sales.

- **Linear**: the plan is a straight line from the baseline on the start date to the
  target on the deadline; at risk when progress today is under 90% of the line's.
- **To date**: the trend of every measurement so far (least squares, the baseline
  counted as the first point), carried to the deadline; at risk when it lands under
  90% of the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kithbook.domain.alliances.facts import (
    DEFAULT_SETTINGS,
    AllianceFacts,
    Finding,
    Measurement,
    Objective,
    Settings,
)

MIN_EXPECTED = 0.05  # too early in the plan to judge the pace


@dataclass(frozen=True)
class Pace:
    id: str
    name: str
    status: str  # incomplete, no_data, not_started, on_track, at_risk, met, missed
    latest: Measurement | None = None
    progress: float | None = None  # share of the way from baseline to target
    expected: float | None = None  # where the linear plan is today
    linear_ratio: float | None = None  # progress / expected
    linear_at_risk: bool = False
    projected: Decimal | None = None  # the to-date trend's value on the deadline
    projected_progress: float | None = None
    to_date_at_risk: bool = False
    attainment: float | None = None  # what the health score reads, 0..1.2


def progress_of(o: Objective, value: Decimal) -> float:
    assert o.baseline is not None and o.target is not None
    span = o.target - o.baseline
    if span == 0:
        return 1.0 if (value >= o.target) else 0.0
    return float((value - o.baseline) / span)


def _fraction(start: date, deadline: date, on: date) -> float:
    total = (deadline - start).days
    if total <= 0:
        return 1.0
    return min(max((on - start).days / total, 0.0), 1.0)


def trend_projection(o: Objective, start: date, today: date) -> Decimal | None:
    """Least-squares line through (start, baseline) and every measurement up to today,
    evaluated on the deadline."""
    assert o.baseline is not None and o.deadline is not None
    points = [(0.0, float(o.baseline))]
    points += [(float((m.on - start).days), float(m.value))
               for m in o.measurements if start <= m.on <= today]
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    value = my + slope * ((o.deadline - start).days - mx)
    return Decimal(repr(round(value, 4)))


def pace(o: Objective, today: date, *, default_start: date | None = None,
         s: Settings = DEFAULT_SETTINGS) -> Pace:
    start = o.start_on or default_start
    if o.baseline is None or o.target is None or o.deadline is None or start is None:
        return Pace(o.id, o.name, "incomplete", latest=o.latest(today))
    if today >= o.deadline:
        final = o.latest(o.deadline)
        if final is None:
            return Pace(o.id, o.name, "missed", latest=o.latest(today), progress=None,
                        attainment=0.0)
        prog = progress_of(o, final.value)
        return Pace(o.id, o.name, "met" if prog >= 1 else "missed", latest=final,
                    progress=prog, expected=1.0, attainment=min(max(prog, 0.0), 1.2))
    latest = o.latest(today)
    expected = _fraction(start, o.deadline, today)
    if latest is None:
        status = "not_started" if expected < MIN_EXPECTED else "no_data"
        return Pace(o.id, o.name, status, expected=expected,
                    attainment=None if status == "not_started" else 0.0)
    prog = progress_of(o, latest.value)
    ratio = prog / expected if expected >= MIN_EXPECTED else None
    linear_risk = ratio is not None and ratio < s.at_risk_ratio
    projected = trend_projection(o, start, today)
    projected_prog = progress_of(o, projected) if projected is not None else None
    to_date_risk = (projected_prog is not None and expected >= MIN_EXPECTED
                    and projected_prog < s.at_risk_ratio)
    if prog >= 1:
        status = "met"
    elif linear_risk or to_date_risk:
        status = "at_risk"
    else:
        status = "on_track"
    attainment = None if ratio is None else min(max(ratio, 0.0), 1.2)
    if ratio is None and prog >= 1:  # the target was reached before the plan could say
        attainment = min(prog, 1.2)
    return Pace(o.id, o.name, status, latest=latest, progress=prog, expected=expected,
                linear_ratio=ratio, linear_at_risk=linear_risk, projected=projected,
                projected_progress=projected_prog, to_date_at_risk=to_date_risk,
                attainment=attainment)


def paces(facts: AllianceFacts, today: date, s: Settings = DEFAULT_SETTINGS) -> list[Pace]:
    return [pace(o, today, default_start=facts.started_on, s=s) for o in facts.objectives]


all_paces = paces  # `findings` takes a parameter of the same name


def findings(facts: AllianceFacts, today: date, s: Settings = DEFAULT_SETTINGS, *,
             paces: Sequence[Pace] | None = None) -> list[Finding]:
    """DEADLINE_AT_RISK and OBJECTIVE_MISSED findings, one per objective. `paces`: the
    objectives' paces on `today` when the caller has them already."""
    out = []
    computed = all_paces(facts, today, s) if paces is None else paces
    for o, p in zip(facts.objectives, computed, strict=True):
        if p.status == "at_risk":
            how = []
            if p.linear_at_risk and p.linear_ratio is not None:
                how.append(f"{p.linear_ratio:.0%} of where the plan is today")
            if p.to_date_at_risk and p.projected_progress is not None:
                how.append(f"the trend reaches {p.projected_progress:.0%} of the target by "
                           f"{o.deadline}")
            out.append(Finding(
                "DEADLINE_AT_RISK", "warn", "objective at risk", f"objective '{o.name}'",
                "; ".join(how) + ".",
                "Agree a recovery plan with the owner, or renegotiate the target.", o.id))
        elif p.status == "missed":
            out.append(Finding(
                "OBJECTIVE_MISSED", "info", "objective missed", f"objective '{o.name}'",
                f"the deadline {o.deadline} passed short of the target.",
                "Record the lesson and decide: extend, reset or drop it.", o.id))
        elif p.status == "no_data":
            out.append(Finding(
                "NO_MEASUREMENT", "warn", "not measured", f"objective '{o.name}'",
                "no measurement yet, though the plan is under way.",
                "Record the current value.", o.id))
    return out
