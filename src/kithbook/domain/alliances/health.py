"""The composite health score, per side and combined (docs/alliance-management.md, "Health").

Five components, each 0..100 and each built from parts:

- H1 perception (health checks), H2 communication behaviour, H3 goal and role clarity,
  H4 performance against the agreed measures, H5 commitment (skin in the game).

A part without data is left out and its weight shared among the others; a component
with no part at all is left out of the composite the same way. `coverage` says how
much of the full weight had data behind it. The composite is a weighted mean, so it
never falls when a component rises; the category is capped at "At risk" whenever any
component is under 40, so a strong average cannot hide one failing factor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from kithbook.domain.alliances import communication as comm
from kithbook.domain.alliances import communication_alerts as comm_alerts
from kithbook.domain.alliances import contributions, pacing, perception, raci
from kithbook.domain.alliances.evaluation import Evaluation
from kithbook.domain.alliances.facts import (
    DEFAULT_SETTINGS,
    AllianceFacts,
    Settings,
    latest_verdicts,
)

WEIGHTS = {
    "perception": 0.25,
    "communication": 0.20,
    "clarity": 0.15,
    "performance": 0.25,
    "commitment": 0.15,
}
LABELS = {
    "perception": "perception (health checks)",
    "communication": "communication",
    "clarity": "goal and role clarity",
    "performance": "performance against measures",
    "commitment": "commitment (skin in the game)",
}
CATEGORIES = (  # (lowest score, label), best first
    (80.0, "Strong"),
    (65.0, "Healthy"),
    (50.0, "Acceptable"),
    (35.0, "At risk"),
    (float("-inf"), "Significant concern"),
)
WEAK_FACTOR = 40.0
CAP_CATEGORY = "At risk"
THIN_COVERAGE = 0.5
TREND_DEAD_BAND = 3.0
SPONSOR_PENALTY = 10.0


def category(score: float) -> str:
    for floor, label in CATEGORIES:
        if score >= floor:
            return label
    return CATEGORIES[-1][1]


def category_rank(label: str) -> int:
    """0 for the best category; higher is worse."""
    return [c for _, c in CATEGORIES].index(label)


@dataclass(frozen=True)
class Part:
    name: str
    value: float | None  # 0..100, None without data
    weight: float


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    score: float | None
    coverage: float
    parts: tuple[Part, ...] = ()


def component(name: str, parts: Sequence[Part]) -> Component:
    present = [p for p in parts if p.value is not None]
    total = sum(p.weight for p in parts) or 1.0
    if not present:
        return Component(name, LABELS[name], None, 0.0, tuple(parts))
    w = sum(p.weight for p in present)
    score = sum(p.weight * p.value for p in present if p.value is not None) / w
    return Component(name, LABELS[name], _clamp(score), w / total, tuple(parts))


def _clamp(x: float) -> float:
    return min(max(x, 0.0), 100.0)


@dataclass(frozen=True)
class Health:
    score: float | None
    category: str  # Strong .. Significant concern, or "No data"
    capped: bool  # the weakest factor lowered the category
    weakest: str | None  # the lowest component's name
    coverage: float  # 0..1 of the full weight that had data
    thin: bool
    components: tuple[Component, ...]


def composite(components: Sequence[Component]) -> Health:
    """Combine the components: weighted mean over those with data, category from the
    score, capped at "At risk" when any component is under 40."""
    present = [c for c in components if c.score is not None]
    coverage = sum(WEIGHTS[c.name] * c.coverage for c in components)
    if not present:
        return Health(None, "No data", False, None, coverage, True, tuple(components))
    w = sum(WEIGHTS[c.name] for c in present)
    score = sum(WEIGHTS[c.name] * c.score for c in present if c.score is not None) / w
    weakest = min(present, key=lambda c: (c.score, c.name))
    label = category(score)
    capped = False
    assert weakest.score is not None
    if weakest.score < WEAK_FACTOR and category_rank(label) < category_rank(CAP_CATEGORY):
        label, capped = CAP_CATEGORY, True
    return Health(score, label, capped, weakest.name, coverage, coverage < THIN_COVERAGE,
                  tuple(components))


def _pct(x: float | None) -> float | None:
    return None if x is None else 100 * x


# -- components --------------------------------------------------------------------------


def h1_perception(facts: AllianceFacts, on: date, party_key: int | None,
                  s: Settings) -> Component:
    p = perception.latest(facts, on, s)
    if p is None:
        return component("perception", [Part("health check", None, 1.0)])
    if party_key is None:
        value, cov = p.score, p.coverage
    else:
        value = p.side_score(party_key)
        cov = 1.0 if value is not None else 0.0
    c = component("perception", [Part("health check", value, 1.0)])
    return Component(c.name, c.label, c.score, cov if c.score is not None else 0.0, c.parts)


def h2_communication(facts: AllianceFacts, now: datetime, party_key: int | None,
                     s: Settings) -> Component:
    overdue = comm.overdue_share(facts, now, party_key)
    return component("communication", [
        Part("cadence adherence", _pct(comm.mean_adherence(facts, now, s)), 0.30),
        Part("reciprocity", _pct(comm.reciprocity(facts, now, s, party_key)), 0.20),
        Part("recency", _pct(comm.recency(facts, now)), 0.20),
        Part("confirmation rate", _pct(comm.confirmation_rate(facts, now, party_key)), 0.15),
        Part("actions on time", None if overdue is None else 100 * (1 - overdue), 0.15),
    ])


def h3_clarity(facts: AllianceFacts, now: datetime, party_key: int | None,
               shared: Evaluation | None = None) -> Component:
    rows = [a for a in facts.activities if not a.done
            and (party_key is None or any("A" in c.letters and c.party_key == party_key
                                          for c in a.cells))]
    if shared is None:
        valid_rows = sum(raci.row_is_valid(a) for a in rows)
    else:
        valid_rows = sum(shared.row_is_valid(a.id) for a in rows)
    valid = _pct(valid_rows / len(rows)) if rows else None
    objectives = [o for o in facts.objectives
                  if party_key is None or o.owner_party_key == party_key]
    complete = (_pct(sum(o.complete for o in objectives) / len(objectives))
                if objectives else None)
    goals = [g for g in facts.goals if party_key is None or g.party_key == party_key]
    current = [p.key for p in facts.current_parties]
    acknowledged = None
    conflicts = None
    if goals and len(current) >= 2:
        ok = 0
        for g in goals:
            latest = latest_verdicts(v for v in g.verdicts if v.at <= now)
            others = [k for k in current if k != g.party_key]
            ok += all((v := latest.get(k)) is not None and v.verdict == "confirmed"
                      for k in others)
        acknowledged = _pct(ok / len(goals))
        pairs = raci.goal_conflicts(facts) if shared is None else shared.goal_conflicts
        conflicted = {g.key for pair in pairs for g in pair[:2]}
        conflicts = 100 * (1 - sum(g.key in conflicted for g in goals) / len(goals))
    return component("clarity", [
        Part("RACI rows valid", valid, 0.35),
        Part("objectives complete", complete, 0.25),
        Part("goals acknowledged", acknowledged, 0.25),
        Part("no ownership conflicts", conflicts, 0.15),
    ])


def h4_performance(facts: AllianceFacts, today: date, party_key: int | None,
                   s: Settings, shared: Evaluation | None = None) -> Component:
    computed = pacing.paces(facts, today, s) if shared is None else shared.paces
    paces = [(o, p) for o, p in zip(facts.objectives, computed, strict=True)
             if party_key is None or o.owner_party_key == party_key]
    judged = [(o, p) for o, p in paces if p.attainment is not None]
    attainment = None
    if judged:
        w = sum(max(o.weight, 1) for o, _ in judged)
        mean = sum(max(o.weight, 1) * min(p.attainment or 0.0, 1.2) for o, p in judged) / w
        attainment = 100 * min(1.2, mean) / 1.2
    due = [p for o, p in paces if o.deadline is not None and o.deadline <= today
           and p.status in ("met", "missed")]
    on_time = _pct(sum(p.status == "met" for p in due) / len(due)) if due else None
    return component("performance", [
        Part("attainment", attainment, 0.70),
        Part("milestones on time", on_time, 0.30),
    ])


def h5_commitment(facts: AllianceFacts, now: datetime, party_key: int | None,
                  s: Settings) -> Component:
    ledgers = [lg for lg in contributions.ledger(facts, now.date())
               if lg.ratio is not None and any(p.key == lg.party_key
                                               for p in facts.current_parties)]
    if not ledgers:
        return component("commitment", [Part("contributions delivered", None, 1.0)])
    # capped at 1: over-delivering is welcome but must not hide another party's gap
    ratios = {lg.party_key: min(lg.ratio, 1.0) for lg in ledgers if lg.ratio is not None}
    # the reference's balance (lowest ratio over highest) would let one party's extra
    # delivery lower the score; the lowest ratio keeps the score monotone
    balance = min(ratios.values())
    if party_key is None:
        delivered = sum(ratios.values()) / len(ratios)
    else:
        if party_key not in ratios:
            return component("commitment", [Part("contributions delivered", None, 1.0)])
        delivered = ratios[party_key]
    absent = {f.subject_id for f in comm_alerts.sponsor_absences(facts, now)}
    penalised = [p for p in facts.current_parties if p.id in absent
                 and (party_key is None or p.key == party_key)]
    value = 100 * (0.6 * delivered + 0.4 * balance) - SPONSOR_PENALTY * len(penalised)
    return component("commitment", [Part("contributions delivered", _clamp(value), 1.0)])


def health(facts: AllianceFacts, now: datetime, party_key: int | None = None,
           s: Settings = DEFAULT_SETTINGS, *, shared: Evaluation | None = None) -> Health:
    """The composite for the whole alliance, or for one side (`party_key`). `shared`:
    the pacing and RACI results already computed for `now` (evaluation.evaluate); one
    made for another moment or other settings is ignored."""
    today = now.date()
    if shared is not None and not shared.fits(now, s):
        shared = None
    return composite([
        h1_perception(facts, today, party_key, s),
        h2_communication(facts, now, party_key, s),
        h3_clarity(facts, now, party_key, shared),
        h4_performance(facts, today, party_key, s, shared),
        h5_commitment(facts, now, party_key, s),
    ])


def trend(now_score: float | None, before: float | None) -> str | None:
    if now_score is None or before is None:
        return None
    delta = now_score - before
    if delta > TREND_DEAD_BAND:
        return "improving"
    if delta < -TREND_DEAD_BAND:
        return "declining"
    return "stable"


def quarter_ends(today: date, count: int) -> list[date]:
    """The last `count` quarter ends before today, oldest first, then today."""
    out = [today]
    y, q = today.year, (today.month - 1) // 3  # current quarter index 0..3
    for _ in range(count):
        # the end of the previous quarter
        if q == 0:
            y, q = y - 1, 4
        end = date(y, 3 * q, 1) + timedelta(days=31)
        end = end.replace(day=1) - timedelta(days=1)
        out.append(end)
        q -= 1
    return sorted(set(out))


def at_day_end(day: date, like: datetime) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=like.tzinfo)
