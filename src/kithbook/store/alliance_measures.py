"""Measures and motivation in the store: objectives and their measurements,
contributions (an append-only ledger), health checks and their anonymous answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from kithbook.domain.alliances.facts import DIMENSIONS, HealthCheck, Measurement, Response
from kithbook.domain.alliances.records import Contribution, PartyRef
from kithbook.store import schema_alliances as a
from kithbook.store.rows import utc


def objective_rows(conn: Connection, alliance_key: int) -> list[Any]:
    t = a.alliance_objectives
    return list(conn.execute(select(t).where(t.c.alliance_id == alliance_key)
                             .order_by(t.c.deadline.is_(None), t.c.deadline, t.c.id)))


def measurements_of(conn: Connection, objective_keys: Sequence[int]
                    ) -> dict[int, list[Measurement]]:
    """Every measurement, oldest first."""
    t = a.alliance_measurements
    out: dict[int, list[Measurement]] = defaultdict(list)
    keys = list(objective_keys)
    for start in range(0, len(keys), 500):
        for r in conn.execute(select(t.c.objective_id, t.c.measured_on, t.c.value)
                              .where(t.c.objective_id.in_(keys[start:start + 500]))
                              .order_by(t.c.objective_id, t.c.measured_on, t.c.id)):
            out[r.objective_id].append(Measurement(r.measured_on, r.value))
    return out


def latest_measurements_many(conn: Connection, alliance_keys: Sequence[int], today: date
                             ) -> dict[int, list[Measurement]]:
    """Only the points the rules read when the history is not shown, for every objective
    of these alliances in two queries: per objective, the latest point on or before
    today, and the latest on or before the deadline when it has passed (a correlated
    subquery: one index probe each)."""
    o, t = a.alliance_objectives, a.alliance_measurements
    m = t.alias("m")
    keys = list(alliance_keys)
    points: dict[int, dict[date, Measurement]] = defaultdict(dict)

    def latest_on(day: Any) -> Any:
        return (select(m.c.id).where(m.c.objective_id == o.c.id, m.c.measured_on <= day)
                .order_by(m.c.measured_on.desc(), m.c.id.desc()).limit(1)
                .correlate(o).scalar_subquery())

    for day, extra in ((today, ()), (o.c.deadline, (o.c.deadline < today,))):
        for objective, on, value in conn.execute(
                select(o.c.id, t.c.measured_on, t.c.value)
                .select_from(o.join(t, t.c.id == latest_on(day)))
                .where(o.c.alliance_id.in_(keys), *extra)).all():
            points[objective][on] = Measurement(on, value)
    return {k: [v[d] for d in sorted(v)] for k, v in points.items()}


def contribution_rows(conn: Connection, alliance_key: int) -> list[Any]:
    t = a.alliance_contributions
    return list(conn.execute(select(t).where(t.c.alliance_id == alliance_key)
                             .order_by(t.c.on_date, t.c.id)))


def contributions_of(conn: Connection, alliance_key: int,
                     parties: dict[int, PartyRef]) -> list[Contribution]:
    out = []
    for r in contribution_rows(conn, alliance_key):
        value = r.amount * (r.rate or 0) if r.kind in ("hours", "introduction") else r.amount
        out.append(Contribution(
            id=r.public_id, name=r.description or r.kind, party=parties[r.partner_id],
            kind=r.kind, stage=r.stage, amount=r.amount, value=value, on_date=r.on_date,
            rate=r.rate, description=r.description, key=r.id))
    return out


def check_rows(conn: Connection, alliance_key: int) -> list[Any]:
    t = a.alliance_checks
    return list(conn.execute(select(t).where(t.c.alliance_id == alliance_key)
                             .order_by(t.c.opened_on, t.c.id)))


def checks_of(conn: Connection, alliance_key: int) -> list[HealthCheck]:
    rows = check_rows(conn, alliance_key)
    t = a.alliance_check_responses
    answers: dict[int, list[Response]] = defaultdict(list)
    if rows:
        for r in conn.execute(select(t).where(t.c.check_id.in_([c.id for c in rows]))
                              .order_by(t.c.id)):
            ratings = tuple((d, int(r.ratings[d])) for d in DIMENSIONS
                            if isinstance(r.ratings, dict) and r.ratings.get(d) is not None)
            answers[r.check_id].append(Response(r.partner_id, r.answered_on, ratings))
    return [HealthCheck(c.id, c.public_id, c.opened_on, c.min_group, tuple(answers[c.id]))
            for c in rows]


def checks_many(conn: Connection, alliance_keys: Sequence[int]
                ) -> dict[int, list[HealthCheck]]:
    """`checks_of` of several alliances, by alliance."""
    c, t = a.alliance_checks, a.alliance_check_responses
    rows = list(conn.execute(select(c).where(c.c.alliance_id.in_(list(alliance_keys)))
                             .order_by(c.c.opened_on, c.c.id)))
    answers: dict[int, list[Response]] = defaultdict(list)
    keys = [x.id for x in rows]
    for start in range(0, len(keys), 500):
        for r in conn.execute(select(t).where(t.c.check_id.in_(keys[start:start + 500]))
                              .order_by(t.c.id)):
            ratings = tuple((d, int(r.ratings[d])) for d in DIMENSIONS
                            if isinstance(r.ratings, dict) and r.ratings.get(d) is not None)
            answers[r.check_id].append(Response(r.partner_id, r.answered_on, ratings))
    out: dict[int, list[HealthCheck]] = defaultdict(list)
    for x in rows:
        out[x.alliance_id].append(HealthCheck(x.id, x.public_id, x.opened_on, x.min_group,
                                              tuple(answers[x.id])))
    return out


def check_comments(conn: Connection, check_key: int, min_group: int) -> dict[int, list[str]]:
    """Comments per party, only for parties that reached the minimum group."""
    t = a.alliance_check_responses
    by_party: dict[int, list[str | None]] = defaultdict(list)
    for r in conn.execute(select(t.c.partner_id, t.c.comment).where(t.c.check_id == check_key)
                          .order_by(t.c.id)):
        by_party[r.partner_id].append(r.comment)
    return {k: sorted(c for c in v if c) for k, v in by_party.items() if len(v) >= min_group}


def created(row: Any) -> Any:
    return utc(row.created_at)
