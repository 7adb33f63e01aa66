"""The RACI facts of an alliance (domain/alliances/facts.py): its joint activities,
each with its RACI cells per party (and person), for one alliance (`activities`) or a
batch at once (`activities_many`). Read by store/alliance_facts.py."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select

from kithbook.domain.alliances import facts as f
from kithbook.store import schema_alliances as a
from kithbook.store.alliance_items import raci_cells
from kithbook.store.rows import day, driver_rows


def activities(conn: Connection, alliance_key: int) -> tuple[f.Activity, ...]:
    t = a.alliance_activities
    rows = conn.execute(select(t).where(t.c.alliance_id == alliance_key).order_by(t.c.id)).all()
    cells = raci_cells(conn, [r.id for r in rows])
    return tuple(f.Activity(
        r.id, r.public_id, r.name,
        tuple(f.RaciCell(c.partner_id, c.letters, c.person_id) for c in cells[r.id]),
        r.joint, r.objective_id, r.obligation_id, r.check_in_days, r.last_update_on,
        r.done_on is not None) for r in rows)


def activities_many(conn: Connection, keys: list[int]) -> dict[int, tuple[f.Activity, ...]]:
    # The two largest reads of the portfolio: read as the driver's plain tuples (the
    # SQLAlchemy rows cost as much as the query itself), and equal RACI cells share one
    # record.
    t, x = a.alliance_activities, a.alliance_raci
    cells: dict[int, list[f.RaciCell]] = defaultdict(list)
    made: dict[tuple[int, str, int | None], f.RaciCell] = {}
    for activity, party, letters, person in driver_rows(conn,
            select(x.c.activity_id, x.c.partner_id, x.c.letters, x.c.person_id)
            .join(t, t.c.id == x.c.activity_id)
            .where(t.c.alliance_id.in_(keys)).order_by(x.c.id)):
        cell = made.get((party, letters, person))
        if cell is None:
            cell = made[(party, letters, person)] = f.RaciCell(party, letters, person)
        cells[activity].append(cell)
    by: dict[int, list[f.Activity]] = defaultdict(list)
    for (key, alliance, public_id, name, joint, objective, obligation, check_in, updated,
         done) in driver_rows(conn,
            select(t.c.id, t.c.alliance_id, t.c.public_id, t.c.name, t.c.joint,
                   t.c.objective_id, t.c.obligation_id, t.c.check_in_days,
                   t.c.last_update_on, t.c.done_on)
            .where(t.c.alliance_id.in_(keys)).order_by(t.c.id)):
        by[alliance].append(f.Activity(key, public_id, name, tuple(cells.get(key, ())),
                                       bool(joint), objective, obligation, check_in,
                                       day(updated), done is not None))
    return {k: tuple(by[k]) for k in keys}
