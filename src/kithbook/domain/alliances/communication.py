"""Under-communication: the signals the health score reads (cadence adherence,
reciprocity, recency, confirmation rate, overdue share, the strength of each
cross-party pair) and the helpers they share with the alerts (docs/alliance-management.md,
"Communication"); the alerts themselves, the findings, are in
domain/alliances/communication_alerts.py.

Inputs are the alliance's forums with their meetings, its touches (interactions between
people of different parties), its decisions with each party's confirmations, and its
action items. Thresholds come from `Settings`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from kithbook.domain.alliances.facts import (
    DEFAULT_SETTINGS,
    AllianceFacts,
    Decision,
    Forum,
    Goal,
    Settings,
    Touch,
    latest_verdicts,
)

DEFAULT_CADENCE_DAYS = 30
ANSWER_CHANNELS = frozenset({"email", "message", "call", "video", "meeting", "other", "note"})


# -- small helpers ---------------------------------------------------------------------


def shortest_cadence(facts: AllianceFacts) -> int:
    return min((f.cadence_days for f in facts.forums), default=DEFAULT_CADENCE_DAYS)


def cross_parties(facts: AllianceFacts, t: Touch) -> set[int]:
    return {p for k in t.participant_keys if (p := facts.party_of(k)) is not None}


def cross_touches(facts: AllianceFacts, now: datetime) -> list[Touch]:
    """Touches up to `now` between people of at least two parties."""
    return [t for t in facts.touches if t.at <= now and len(cross_parties(facts, t)) >= 2]


def person_pairs(facts: AllianceFacts, t: Touch) -> list[tuple[int, int]]:
    people = sorted(k for k in t.participant_keys if facts.party_of(k) is not None)
    return [
        (a, b)
        for i, a in enumerate(people)
        for b in people[i + 1:]
        if facts.party_of(a) != facts.party_of(b)
    ]


def business_hours(start: datetime, end: datetime) -> float:
    """Hours from start to end, leaving out Saturdays and Sundays."""
    if end <= start:
        return 0.0
    total = 0.0
    cursor = start
    while cursor < end:
        next_midnight = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time(),
                                         tzinfo=cursor.tzinfo)
        stop = min(next_midnight, end)
        if cursor.weekday() < 5:
            total += (stop - cursor).total_seconds() / 3600
        cursor = stop
    return total


def forum_held(forum: Forum, now: datetime) -> list[datetime]:
    return [m.at for m in forum.meetings if m.at <= now]


# -- signals (0..1 unless stated) ------------------------------------------------------


def cadence_adherence(forum: Forum, now: datetime, s: Settings = DEFAULT_SETTINGS) -> float | None:
    """Meetings held in the window over meetings expected, capped at 1. None when the
    forum is younger than one cadence (nothing was expected yet)."""
    start = now - timedelta(days=s.cadence_window_days)
    if forum.created_on is not None:
        created = datetime.combine(forum.created_on, datetime.min.time(), tzinfo=now.tzinfo)
        start = max(start, created)
    span = (now - start).total_seconds() / 86400
    expected = span / forum.cadence_days
    if expected < 1:
        return None
    held = sum(1 for at in forum_held(forum, now) if at >= start)
    return min(1.0, held / expected)


def mean_adherence(facts: AllianceFacts, now: datetime,
                   s: Settings = DEFAULT_SETTINGS) -> float | None:
    values = [v for f in facts.forums if (v := cadence_adherence(f, now, s)) is not None]
    return sum(values) / len(values) if values else None


def initiation_shares(
    facts: AllianceFacts, now: datetime, days: int, party_keys: Iterable[int] | None = None
) -> tuple[dict[int, float], int]:
    """Share of cross-party touches each party started in the last `days`, among
    touches whose initiator is known; and how many such touches there were."""
    since = now - timedelta(days=days)
    wanted = set(party_keys) if party_keys is not None else None
    counts: dict[int, int] = defaultdict(int)
    total = 0
    for t in cross_touches(facts, now):
        if t.at < since or t.initiator_key is None:
            continue
        present = cross_parties(facts, t)
        if wanted is not None and not wanted <= present:
            continue
        starter = facts.party_of(t.initiator_key)
        if starter is None:
            continue
        counts[starter] += 1
        total += 1
    keys = wanted if wanted is not None else {p.key for p in facts.current_parties}
    return ({k: counts[k] / total if total else 0.0 for k in keys}, total)


def reciprocity(facts: AllianceFacts, now: datetime, s: Settings = DEFAULT_SETTINGS,
                party_key: int | None = None) -> float | None:
    """1 when every party starts its fair share of conversations; the lowest share over
    the fair share otherwise (or this party's share, for one side)."""
    parties = facts.current_parties
    shares, total = initiation_shares(facts, now, s.one_way_window_days,
                                      [p.key for p in parties])
    if total < s.one_way_min_interactions or len(parties) < 2:
        return None
    fair = 1 / len(parties)
    low = shares[party_key] if party_key is not None else min(shares.values())
    return min(1.0, low / fair)


def recency(facts: AllianceFacts, now: datetime) -> float | None:
    """exp(-days since the last cross-party touch / tau), tau = 2 x the shortest cadence."""
    touches = cross_touches(facts, now)
    if not touches:
        return None
    days = (now - touches[-1].at).total_seconds() / 86400
    return math.exp(-max(days, 0.0) / (2 * shortest_cadence(facts)))


def needs_confirmation(
    facts: AllianceFacts, now: datetime
) -> Iterator[tuple[str, Decision | Goal, list[int]]]:
    """(item kind, item, parties that must confirm) for decisions and goals on record."""
    current = [p.key for p in facts.current_parties]
    for d in facts.decisions:
        if d.recorded_at <= now:
            yield "decision", d, [k for k in current if k != d.party_key]
    for g in facts.goals:
        yield "goal", g, [k for k in current if k != g.party_key]


def confirmation_rate(facts: AllianceFacts, now: datetime,
                      party_key: int | None = None) -> float | None:
    """Acknowledged over required acknowledgements (for one confirming party, or all)."""
    need = got = 0
    for _, item, parties in needs_confirmation(facts, now):
        latest = latest_verdicts(v for v in item.verdicts if v.at <= now)
        for p in parties:
            if party_key is not None and p != party_key:
                continue
            need += 1
            got += 1 if (v := latest.get(p)) is not None and v.verdict == "confirmed" else 0
    return got / need if need else None


def overdue_share(facts: AllianceFacts, now: datetime,
                  party_key: int | None = None) -> float | None:
    """Share of the action items open at `now` (or due by then) that are overdue."""
    today = now.date()
    relevant = []
    for a in facts.actions:
        status = a.status_on(now)
        if status is None or (party_key is not None and a.party_key != party_key):
            continue
        if status == "open" or (a.due is not None and a.due < today):
            relevant.append((a, status))
    if not relevant:
        return None
    late = sum(1 for a, st in relevant if st == "open" and a.due is not None and a.due < today)
    return late / len(relevant)


@dataclass(frozen=True)
class PairScore:
    a: int
    b: int
    score: float
    touches: int
    last: datetime


def pair_scores(facts: AllianceFacts, now: datetime,
                s: Settings = DEFAULT_SETTINGS) -> list[PairScore]:
    """How alive each cross-party person pair is, 0..100: recency 40%, touches in the
    last 90 days 35% (6 or more is full), two-way 25%."""
    tau = 2 * shortest_cadence(facts)
    since = now - timedelta(days=90)
    seen: dict[tuple[int, int], list[Touch]] = defaultdict(list)
    for t in cross_touches(facts, now):
        for pair in person_pairs(facts, t):
            seen[pair].append(t)
    out = []
    for (a, b), ts in seen.items():
        last = ts[-1].at
        rec = math.exp(-max((now - last).total_seconds() / 86400, 0.0) / tau)
        recent = [t for t in ts if t.at >= since]
        freq = min(len(recent) / 6, 1.0)
        started = [t.initiator_key for t in recent if t.initiator_key in (a, b)]
        two_way = 0.5 if not started else min(
            1.0, min(started.count(a), started.count(b)) / len(started) / 0.5)
        score = 100 * (0.40 * rec + 0.35 * freq + 0.25 * two_way)
        out.append(PairScore(a, b, score, len(ts), last))
    return out
