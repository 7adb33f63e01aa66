"""The measure facts of an alliance (domain/alliances/facts.py): its objectives with
their measurements, for one alliance (`objectives`) or a batch at once
(`objectives_many`). `history=False` is the portfolio's light load: per objective only
the measurements the rules need (the latest on or before today and on or before the
deadline) instead of the whole series. Read by store/alliance_facts.py."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import Connection, select

from kithbook.domain.alliances import facts as f
from kithbook.store import schema_alliances as a
from kithbook.store.alliance_measures import (
    latest_measurements_many,
    measurements_of,
    objective_rows,
)


def objectives(conn: Connection, alliance_key: int, now: datetime, history: bool
                ) -> tuple[f.Objective, ...]:
    rows = objective_rows(conn, alliance_key)
    if history:
        points = measurements_of(conn, [r.id for r in rows])
    else:  # two queries for every objective, not two per objective
        points = latest_measurements_many(conn, [alliance_key], now.date())
    return tuple(f.Objective(
        r.id, r.public_id, r.name, r.metric, r.baseline, r.target, r.start_on, r.deadline,
        r.owner_partner_id, r.owner_person_id, r.weight, r.goal_id, r.kind, r.unit,
        tuple(points.get(r.id, ()))) for r in rows)


def objectives_many(conn: Connection, keys: list[int], now: datetime, history: bool
                     ) -> dict[int, tuple[f.Objective, ...]]:
    """Each alliance's objectives in `objective_rows` order."""
    o = a.alliance_objectives
    rows = conn.execute(
        select(o.c.id, o.c.alliance_id, o.c.public_id, o.c.name, o.c.metric, o.c.baseline,
               o.c.target, o.c.start_on, o.c.deadline, o.c.owner_partner_id,
               o.c.owner_person_id, o.c.weight, o.c.goal_id, o.c.kind, o.c.unit)
        .where(o.c.alliance_id.in_(keys))
        .order_by(o.c.alliance_id, o.c.deadline.is_(None), o.c.deadline, o.c.id)).all()
    if history:
        points = measurements_of(conn, [r[0] for r in rows])
    else:
        points = latest_measurements_many(conn, keys, now.date())
    by: dict[int, list[f.Objective]] = defaultdict(list)
    for (key, alliance, public_id, name, metric, baseline, target, start_on, deadline, owner,
         owner_person, weight, goal, kind, unit) in rows:
        by[alliance].append(f.Objective(key, public_id, name, metric, baseline, target,
                                        start_on, deadline, owner, owner_person, weight, goal,
                                        kind, unit, tuple(points.get(key, ()))))
    return {k: tuple(by[k]) for k in keys}
