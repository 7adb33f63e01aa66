"""Tie strength: a pure, explainable model (docs/tie-strength-and-paths.md).

Every pair with evidence gets a score S in [0, 1] (shown as 10..100) and a list of
components, each with its value, weight and contribution, so the answer to "why is
this tie strong?" is the model itself. Structural position (bridging) is kept out of
S on purpose (Neal 2024): it lives in `kithbook.graph.ego`.

No clock reads: `now` is always passed in. No I/O.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from kithbook.domain.text import count

# -- parameters (design choices, docs/tie-strength-and-paths.md; keep them in one place)

CHANNEL_WEIGHTS: dict[str, float] = {
    "meeting": 3.0,  # 1:1 meeting; a meeting with a larger audience counts as a group meeting
    "call": 2.0,
    "video": 2.0,
    "email": 1.0,
    "message": 1.0,
    "event": 1.0,
    "social": 0.5,
    "note": 0.5,
    "other": 1.0,
}
GROUP_MEETING_WEIGHT = 1.0
SYNCHRONOUS = frozenset({"meeting", "call", "video", "event"})
DIR_WEIGHTS = {"out": 1.5, "in": 1.0, "both": 1.25}
H_LONG = 365.0
H_SHORT = 30.0
R0 = 18.0  # steady-state mass of monthly contact under a 365-day half-life
RECENCY_HALF_LIFE = 90.0
DURATION_CAP_DAYS = 1825.0
WEIGHTS: dict[str, float] = {
    "closeness": 0.30,
    "activity": 0.25,
    "recency": 0.15,
    "duration": 0.10,
    "reciprocity": 0.10,
    "multiplexity": 0.10,
}
GENERIC_KINDS = frozenset({"knows", "introduced", "linkedin", "address-book"})
# ties that an import made between you and the people it brought (not declared by you)
IMPORTED_KINDS: dict[str, str] = {
    "linkedin": "a LinkedIn connection (imported; weak until evidence says more)",
    "address-book": "in your own address book (imported)",
}
DORMANT_DAYS = 365
LONG_DORMANT_DAYS = 3 * 365
P_MIN, P_MAX = 0.01, 0.99


@dataclass(frozen=True)
class Event:
    """One interaction as seen from the ego of the pair.

    direction: "out" (ego initiated), "in" (the alter initiated) or "both" (unknown
    or mutual: a meeting both attended). audience: people on the interaction other
    than ego (1 for a 1:1)."""

    at: datetime
    channel: str = "meeting"
    direction: str = "both"
    audience: int = 1


@dataclass(frozen=True)
class Declared:
    """What the user declared about the pair: ties rows (one per kind)."""

    strengths: tuple[int, ...] = ()  # 1..5 per declared tie
    kinds: tuple[str, ...] = ()
    since: date | None = None


@dataclass
class Component:
    name: str
    value: float | None  # None: no evidence, left out of the combination
    weight: float
    contribution: float = 0.0
    detail: str = ""


@dataclass
class StrengthResult:
    score: float  # 0..1
    display: int  # 10..100
    basis: str  # "declared only", "interactions", "declared + interactions", "none"
    components: list[Component] = field(default_factory=list)
    last_contact: datetime | None = None  # last two-way contact
    first_contact: datetime | None = None
    mass: float = 0.0  # long-half-life decayed interaction mass
    events: int = 0
    ledger_balance: float | None = None  # (given - received) / (given + received + 1)
    days_since_contact: float | None = None


def display(score: float) -> int:
    """The 10..100 display scale (Affinity style)."""
    return int(round(10 + 90 * min(1.0, max(0.0, score))))


def declared_closeness(strength: int) -> float:
    """Declared 1..5 mapped linearly to 0.2..1.0."""
    return max(1, min(5, int(strength))) / 5.0


def path_probability(score: float) -> float:
    return min(P_MAX, max(P_MIN, score))


def _days(now: datetime, then: datetime) -> float:
    if (now.tzinfo is None) != (then.tzinfo is None):
        now, then = now.replace(tzinfo=None), then.replace(tzinfo=None)
    return max(0.0, (now - then).total_seconds() / 86400.0)


def event_weight(ev: Event) -> float:
    """w_chan * w_dir / n: richer channels count more, group messages less."""
    if ev.channel == "meeting" and ev.audience > 1:
        chan = GROUP_MEETING_WEIGHT
    else:
        chan = CHANNEL_WEIGHTS.get(ev.channel, 1.0)
    return chan * DIR_WEIGHTS.get(ev.direction, 1.0) / max(1, ev.audience)


def decayed_mass(events: Iterable[Event], now: datetime, half_life: float = H_LONG) -> float:
    """R(t; h) = sum of w_chan * w_dir / n_e * 2^(-(t - t_e)/h). Future events count as now."""
    return float(sum(event_weight(e) * 2.0 ** (-_days(now, e.at) / half_life) for e in events))


def activity(mass: float) -> float:
    return 1.0 - math.exp(-mass / R0)


def recency(days: float) -> float:
    return float(2.0 ** (-days / RECENCY_HALF_LIFE))


def duration(days: float) -> float:
    return min(1.0, math.log1p(days / 30.0) / math.log1p(DURATION_CAP_DAYS / 30.0))


def reciprocity(r_out: float, r_in: float) -> float:
    total = r_out + r_in
    return 0.0 if total <= 0 else 2.0 * min(r_out, r_in) / total


def multiplexity(contexts: int) -> float:
    return min(1.0, max(0, contexts - 1) / 2.0)


def ledger_balance(given: int, received: int) -> float:
    return (given - received) / (given + received + 1)


def last_two_way(events: Sequence[Event]) -> datetime | None:
    """Last time both sides had spoken: synchronous or mutual events count at once; for
    one-way messages it is the older of the last outgoing and the last incoming."""
    last_out: datetime | None = None
    last_in: datetime | None = None
    for e in events:
        if e.channel == "note":
            continue
        if e.direction == "both" or e.channel in SYNCHRONOUS:
            last_out = e.at if last_out is None or e.at > last_out else last_out
            last_in = e.at if last_in is None or e.at > last_in else last_in
        elif e.direction == "out":
            last_out = e.at if last_out is None or e.at > last_out else last_out
        else:
            last_in = e.at if last_in is None or e.at > last_in else last_in
    if last_out is None or last_in is None:
        return None
    return min(last_out, last_in)


def _ago(days: float) -> str:
    if days < 1.5:
        return "today" if days < 1 else "yesterday"
    if days < 60:
        return f"{int(days)} days ago"
    if days < 730:
        return f"{int(round(days / 30.4))} months ago"
    return f"{days / 365.25:.1f} years ago"


def tie_strength(
    now: datetime,
    events: Sequence[Event] = (),
    declared: Declared | None = None,
    *,
    given: int = 0,
    received: int = 0,
) -> StrengthResult:
    """Score one pair. With only declared ties (no interactions) the score is the declared
    value mapped linearly (1 -> 0.2 ... 5 -> 1.0), so it can be checked independently."""
    declared = declared or Declared()
    events = [e for e in events if _days(now, e.at) >= 0]
    contexts = {k for k in declared.kinds if k not in GENERIC_KINDS}
    has_declared = bool(declared.strengths)
    bal = ledger_balance(given, received) if (given or received) else None
    comps: list[Component] = []

    closeness = max(declared_closeness(s) for s in declared.strengths) if has_declared else None
    said = _declared_detail(declared) if has_declared else ""
    if not events:
        if closeness is None:
            return StrengthResult(0.0, display(0.0), "none", [], ledger_balance=bal)
        comp = Component(
            "closeness",
            closeness,
            1.0,
            closeness,
            f"{said} (no interactions yet: 1..5 maps to 0.2..1.0)",
        )
        if contexts:
            x = multiplexity(len(contexts))
            comps.append(comp)
            comps.append(
                Component(
                    "multiplexity",
                    x,
                    0.0,
                    0.0,
                    f"contexts: {', '.join(sorted(contexts))} (not combined)",
                )
            )
        else:
            comps.append(comp)
        basis = "imported only" if said.startswith("not declared") else "declared only"
        return StrengthResult(closeness, display(closeness), basis, comps, ledger_balance=bal)

    first = min(e.at for e in events)
    if declared.since is not None:
        since_dt = datetime(
            declared.since.year, declared.since.month, declared.since.day, tzinfo=first.tzinfo
        )
        first = min(first, since_dt)
    r_long = decayed_mass(events, now, H_LONG)
    r_short = decayed_mass(events, now, H_SHORT)
    r_out = decayed_mass([e for e in events if e.direction in ("out", "both")], now)
    r_in = decayed_mass([e for e in events if e.direction in ("in", "both")], now)
    two_way = last_two_way(events)

    a = activity(r_long)
    comps.append(
        Component(
            "activity",
            a,
            WEIGHTS["activity"],
            0.0,
            f"{count(len(events), 'interaction')}, decayed mass {r_long:.1f} "
            f"(30-day mass {r_short:.1f})",
        )
    )
    if two_way is not None:
        ld = _days(now, two_way)
        comps.append(
            Component(
                "recency", recency(ld), WEIGHTS["recency"], 0.0, f"last two-way contact {_ago(ld)}"
            )
        )
    else:
        comps.append(Component("recency", 0.0, WEIGHTS["recency"], 0.0, "no two-way contact yet"))
    fd = _days(now, first)
    comps.append(
        Component("duration", duration(fd), WEIGHTS["duration"], 0.0, f"first contact {_ago(fd)}")
    )
    comps.append(
        Component(
            "reciprocity",
            reciprocity(r_out, r_in),
            WEIGHTS["reciprocity"],
            0.0,
            f"outgoing mass {r_out:.1f}, incoming {r_in:.1f}",
        )
    )
    if closeness is not None:
        comps.insert(
            0,
            Component(
                "closeness",
                closeness,
                WEIGHTS["closeness"],
                0.0,
                said,
            ),
        )
    if contexts:
        comps.append(
            Component(
                "multiplexity",
                multiplexity(len(contexts)),
                WEIGHTS["multiplexity"],
                0.0,
                f"contexts: {', '.join(sorted(contexts))}",
            )
        )
    total_w = sum(c.weight for c in comps if c.value is not None)
    score = 0.0
    for c in comps:
        if c.value is not None and total_w > 0:
            c.contribution = c.weight * c.value / total_w
            score += c.contribution
    basis = "declared + interactions" if has_declared else "interactions"
    res = StrengthResult(
        score,
        display(score),
        basis,
        comps,
        last_contact=two_way,
        first_contact=first,
        mass=r_long,
        events=len(events),
        ledger_balance=bal,
    )
    res.days_since_contact = _days(now, two_way) if two_way is not None else None
    return res


def _declared_detail(declared: Declared) -> str:
    """`declared 4/5`, or where the strongest tie came from when the user did not declare
    it: `not declared: a LinkedIn connection (imported; ...) since 2018-01-08, 1/5`."""
    top = max(declared.strengths)
    kinds = [k for k, st in zip(declared.kinds, declared.strengths, strict=False) if st == top]
    if kinds and all(k in IMPORTED_KINDS for k in kinds):
        since = f" since {declared.since.isoformat()}" if declared.since else ""
        return f"not declared: {IMPORTED_KINDS[kinds[0]]}{since}, {top}/5"
    return f"declared {top}/5"


def peak_strength(events: Sequence[Event], declared: Declared | None = None) -> float:
    """Strength as it stood at the last interaction: a proxy for the peak, used to find
    formerly strong ties (Levin et al. 2011)."""
    if not events:
        return tie_strength(datetime(2000, 1, 1), (), declared).score
    last = max(e.at for e in events)
    return tie_strength(last, events, declared).score


def layer_of(rank: int) -> str:
    """Dunbar layer from the rank of an alter by strength (1 = strongest)."""
    if rank <= 5:
        return "L1"
    if rank <= 15:
        return "L2"
    if rank <= 50:
        return "L3"
    if rank <= 150:
        return "L4"
    return "acquaintance"


# -- evidence from interaction rows (key, when, channel, initiator, participants) ------


def pair_events(
    rows: list[tuple[int, datetime, str, int | None, list[int]]], x: int, y: int
) -> list[Event]:
    """Events of the pair (x, y) seen from x, from interaction rows."""
    out = []
    for _key, at, channel, initiator, people in rows:
        if x in people and y in people:
            direction = "out" if initiator == x else "in" if initiator == y else "both"
            out.append(Event(at, channel, direction, max(1, len(people) - 1)))
    return out


def evidence_by_pair(
    rows: list[tuple[int, datetime, str, int | None, list[int]]],
) -> dict[tuple[int, int], list[Event]]:
    """All pairs that took part in an interaction together, from the lower key's side."""
    out: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for _key, at, channel, initiator, people in rows:
        ppl = sorted(set(people))
        aud = max(1, len(ppl) - 1)
        for i, x in enumerate(ppl):
            for y in ppl[i + 1 :]:
                d = "out" if initiator == x else "in" if initiator == y else "both"
                out[(x, y)].append(Event(at, channel, d, aud))
    return out


def declared_from_rows(rows: list[tuple[str, int, date | None]]) -> Declared:
    sinces = [r[2] for r in rows if r[2] is not None]
    return Declared(tuple(r[1] for r in rows), tuple(r[0] for r in rows),
                       min(sinces) if sinces else None)
