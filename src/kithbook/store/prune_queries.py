"""Pruning SQL: who might deserve a proposal, and the facts the pruning rules need
(silence, effort started by each side, promises kept and broken, favours given)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta

from sqlalchemy import Connection, and_, case, func, literal, or_, select

from kithbook.domain.prune import PruneFacts
from kithbook.store import schema as s
from kithbook.store.agenda_queries import (
    Window,
    days_since,
    facts_for,
    live_people,
    with_history,
)

p = s.people

# people whose facts are read a statement at a time
CHUNK = 500


def prune_candidates(
    conn: Connection,
    w: Window,
    *,
    silence_factor: int,
    archive_days: int,
    broken_min: int,
    one_sided_min: int,
    given_min: int,
) -> tuple[set[int], dict[int, tuple[int, int]]]:
    """Keys of people who might deserve a pruning proposal (the domain decides), and
    the interactions of the past year each started, by me / by them."""
    base = func.coalesce(p.c.last_touch_at, p.c.created_at)
    silent = days_since(base, literal(w.today))
    tier_cad = case(*[(p.c.tier == t, literal(d)) for t, d in w.tier_days.items()], else_=None)
    cad = func.coalesce(p.c.cadence_days, tier_cad)
    silence = select(p.c.id).where(
        *live_people(),
        or_(
            and_(p.c.tier.in_(("A", "B")), silent >= cad * silence_factor),
            and_(
                or_(p.c.tier == "C", p.c.tier.is_(None)),
                or_(p.c.stage.is_(None), p.c.stage != "advocate"),
                silent >= archive_days,
            ),
        ),
    )
    pr = s.promises
    broken = (
        select(pr.c.owed_by_id)
        .where(pr.c.status == "broken", pr.c.deleted_at.is_(None))
        .group_by(pr.c.owed_by_id)
        .having(func.count() >= broken_min)
    )
    keys = set(conn.execute(silence).scalars()) | set(conn.execute(broken).scalars())
    started: dict[int, tuple[int, int]] = {}
    if w.me is not None:
        started = _started_counts(conn, w)
        keys |= {k for k, (mine, theirs) in started.items()
                 if mine + theirs >= one_sided_min and mine >= theirs}
        led = s.ledger
        given = (
            select(led.c.receiver_id)
            .where(led.c.giver_id == w.me, led.c.occurred_on <= w.today)
            .group_by(led.c.receiver_id)
            .having(func.count() >= given_min)
        )
        keys |= set(conn.execute(given).scalars())
    return keys, started


def _started_counts(conn: Connection, w: Window) -> dict[int, tuple[int, int]]:
    """Per participant: interactions in the past year initiated by me / by them."""
    i, ip = s.interactions, s.interaction_participants
    year_ago = w.now - timedelta(days=365)
    by_me = func.sum(case((i.c.initiated_by_id == w.me, 1), else_=0))
    by_them = func.sum(case((i.c.initiated_by_id == ip.c.person_id, 1), else_=0))
    q = (
        select(ip.c.person_id, by_me, by_them)
        .join(i, i.c.id == ip.c.interaction_id)
        .where(
            i.c.occurred_at >= year_ago,
            i.c.occurred_at <= w.now,
            i.c.deleted_at.is_(None),
            i.c.initiated_by_id.is_not(None),
        )
        .group_by(ip.c.person_id)
    )
    return {k: (int(a or 0), int(b or 0)) for k, a, b in conn.execute(q)}


def prune_facts(
    conn: Connection, w: Window, keys: Iterable[int], started: Mapping[int, tuple[int, int]]
) -> list[PruneFacts]:
    """Everything the pruning rules need, for the given people; `started` as returned
    by `prune_candidates`."""
    keys = sorted(set(keys))
    out: list[PruneFacts] = []
    pr = s.promises
    tier_days = w.tier_days
    for n in range(0, len(keys), CHUNK):
        chunk = keys[n : n + CHUNK]
        kept_broken: dict[int, dict[str, int]] = {}
        for k, status, count in conn.execute(
            select(pr.c.owed_by_id, pr.c.status, func.count())
            .where(pr.c.owed_by_id.in_(chunk), pr.c.deleted_at.is_(None),
                   pr.c.status.in_(("done", "broken")))
            .group_by(pr.c.owed_by_id, pr.c.status)
        ):
            kept_broken.setdefault(k, {})[status] = count
        given = _ledger_counts(conn, w, chunk, to_them=True)
        received = _ledger_counts(conn, w, chunk, to_them=False)
        live = list(facts_for(conn, chunk, live_only=True).values())
        for f in with_history(conn, live, w.now):
            mine, theirs = started.get(f.key, (0, 0))
            kb = kept_broken.get(f.key, {})
            out.append(PruneFacts(
                key=f.key, id=f.id, name=f.name, created_at=f.created_at, tier=f.tier,
                stage=f.stage,
                cadence_days=f.cadence_days or (tier_days.get(f.tier) if f.tier else None),
                last_touch_at=f.last_touch_at, started_by_me=mine, started_by_them=theirs,
                given=given.get(f.key, 0), received=received.get(f.key, 0),
                broken_by_them=kb.get("broken", 0), kept_by_them=kb.get("done", 0),
            ))
    return out


def _ledger_counts(
    conn: Connection, w: Window, keys: Sequence[int], *, to_them: bool
) -> dict[int, int]:
    """Favours, intros and advice I gave each person (or they gave me), up to today."""
    if w.me is None:
        return {}
    led = s.ledger
    me, other = (led.c.giver_id, led.c.receiver_id) if to_them else (
        led.c.receiver_id, led.c.giver_id)
    q = (
        select(other, func.count())
        .where(me == w.me, other.in_(keys), led.c.occurred_on <= w.today)
        .group_by(other)
    )
    return {k: n for k, n in conn.execute(q)}
