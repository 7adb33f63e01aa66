"""Pruning review: who to downgrade, slow down or archive, and why. Pure rules.

Signals, each giving a reason a person can read:

- long silence: no touch for twice the cadence (downgrade a tier), or for two years on
  a low tier (archive);
- one-sided effort: I started at least 80% of at least four interactions in the past
  year (slow down), or I gave three or more favours and received none (slow down);
- broken promises: they broke two or more promises, and more than they kept
  (downgrade).

Archiving keeps everything and is undoable; nothing here deletes. Advocates are never
proposed for archiving, and a dormant tie is a candidate to revive, not to drop, unless
it is also low tier and silent for years.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from kithbook.domain.cadence import as_utc
from kithbook.domain.models import Record
from kithbook.domain.text import count

SILENCE_FACTOR = 2  # times the cadence
ARCHIVE_SILENCE_DAYS = 730
NO_CADENCE_SILENCE_DAYS = 365
ONE_SIDED_MIN = 4
ONE_SIDED_SHARE = 0.8
GIVEN_UNANSWERED = 3
BROKEN_MIN = 2
ACTION_ORDER = ("archive", "downgrade", "slow_down")
NEXT_TIER = {"A": "B", "B": "C"}
TIER_PRUNABILITY = {"A": 0.0, "B": 0.5, "C": 1.0, None: 1.5}


@dataclass(frozen=True)
class PruneFacts:
    key: int
    id: str
    name: str
    created_at: datetime
    tier: str | None = None
    stage: str | None = None
    cadence_days: int | None = None  # the effective cadence, if any
    last_touch_at: datetime | None = None
    started_by_me: int = 0  # interactions in the past year that I initiated
    started_by_them: int = 0
    given: int = 0  # ledger: favours / intros / advice I gave them
    received: int = 0  # ... they gave me
    broken_by_them: int = 0
    kept_by_them: int = 0


@dataclass
class Proposal(Record):
    id: str
    name: str
    action: str  # archive, downgrade, slow_down
    reasons: list[str]
    score: float
    tier: str | None = None
    to_tier: str | None = None
    to_cadence_days: int | None = None
    silent_days: int = 0
    key: int = 0
    signals: dict[str, float] = field(default_factory=dict)


def propose(f: PruneFacts, *, today: date, tier_days: Mapping[str, int]) -> Proposal | None:
    base = as_utc(f.last_touch_at or f.created_at).date()
    silent = max((today - base).days, 0)
    silence = (
        f"no touch for {count(silent, 'day')}"
        if f.last_touch_at is not None
        else f"never touched in the {count(silent, 'day')} since added"
    )
    actions: dict[str, list[str]] = {}
    to_tier: str | None = None
    to_cadence: int | None = None
    decay = 0.0

    cadence = f.cadence_days
    if cadence:
        decay = min(silent / cadence, 5.0)
        if silent >= SILENCE_FACTOR * cadence and f.tier in NEXT_TIER:
            to_tier = NEXT_TIER[f.tier]
            actions.setdefault("downgrade", []).append(
                f"{silence}, over {SILENCE_FACTOR}x their {cadence}-day cadence "
                f"(tier {f.tier})"
            )
    else:
        decay = min(silent / NO_CADENCE_SILENCE_DAYS, 5.0)
    low_tier = f.tier in ("C", None)
    if low_tier and silent >= ARCHIVE_SILENCE_DAYS and f.stage != "advocate":
        label = f"tier {f.tier}" if f.tier else "no tier"
        actions.setdefault("archive", []).append(f"{silence} ({label})")

    total = f.started_by_me + f.started_by_them
    one_sided = 0.0
    if total >= ONE_SIDED_MIN and f.started_by_me / total >= ONE_SIDED_SHARE:
        one_sided = f.started_by_me / total
        actions.setdefault("slow_down", []).append(
            f"one-sided: you started {f.started_by_me} of {count(total, 'interaction')} in the "
            "past year"
        )
    if f.given >= GIVEN_UNANSWERED and f.received == 0:
        one_sided = max(one_sided, 1.0)
        actions.setdefault("slow_down", []).append(
            f"one-sided: you gave {f.given} favours or intros and received none"
        )
    to_cadence = _slow_down_target(f, actions, tier_days)

    if f.broken_by_them >= BROKEN_MIN and f.broken_by_them > f.kept_by_them:
        actions.setdefault("downgrade", []).append(
            f"broke {count(f.broken_by_them, 'promise')}, kept {f.kept_by_them}"
        )
        if f.tier in NEXT_TIER:
            to_tier = NEXT_TIER[f.tier]

    if "downgrade" in actions and to_tier is None and "archive" not in actions:
        # Already at the lowest tier: slowing down is the gentler step.
        actions.setdefault("slow_down", []).extend(actions.pop("downgrade"))
        to_cadence = _slow_down_target(f, actions, tier_days)
    if not actions:
        return None
    action = next(a for a in ACTION_ORDER if a in actions)
    reasons = [r for a in ACTION_ORDER for r in actions.get(a, [])]
    score = (
        decay
        + TIER_PRUNABILITY.get(f.tier, 1.5)
        + 2.0 * min(f.broken_by_them, 5)
        + 3.0 * one_sided
    )
    return Proposal(
        id=f.id,
        name=f.name,
        action=action,
        reasons=reasons,
        score=round(score, 3),
        tier=f.tier,
        to_tier=to_tier if action == "downgrade" else None,
        to_cadence_days=to_cadence if action == "slow_down" else None,
        silent_days=silent,
        key=f.key,
        signals={"decay": round(decay, 3), "one_sided": round(one_sided, 3),
                 "broken": float(f.broken_by_them)},
    )


def _slow_down_target(
    f: PruneFacts, actions: Mapping[str, list[str]], tier_days: Mapping[str, int]
) -> int | None:
    """Double the current cadence (from the tier default if none is set)."""
    if "slow_down" not in actions:
        return None
    current = f.cadence_days or tier_days.get(f.tier or "", 0) or 180
    return min(current * 2, 730)


def review(
    facts: Iterable[PruneFacts], *, today: date, tier_days: Mapping[str, int],
    limit: int | None = None,
) -> list[Proposal]:
    """Proposals, most warranted first."""
    out = [p for f in facts if (p := propose(f, today=today, tier_days=tier_days))]
    out.sort(key=lambda p: (-p.score, ACTION_ORDER.index(p.action), p.name.casefold(), p.id))
    return out if limit is None else out[:limit]
