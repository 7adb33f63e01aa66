"""Agenda SQL: candidate selection for `today`, follow-ups and promises (pruning is in
`prune_queries`).

Everything here is SQLAlchemy Core that runs on SQLite and PostgreSQL. The keep-in-touch
query computes each person's effective cadence, lateness and score in SQL and returns
the top rows only, so `today` never loops over everyone in Python. The score formula
mirrors `kithbook.domain.agenda.keep_in_touch_score` and takes its constants from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Float,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from kithbook.domain import agenda as rules
from kithbook.domain.agenda import FollowUpFact, PersonFacts
from kithbook.domain.models import Promise
from kithbook.store import schema as s
from kithbook.store.key_lists import one_of, parts
from kithbook.store.promises import build as build_promises
from kithbook.store.rows import split_lines, utc

p = s.people


class days_since(FunctionElement[int]):  # noqa: N801 - reads like the SQL function it is
    """Whole days from the UTC date of a timestamp column to a given date."""

    type = Integer()
    inherit_cache = True


@compiles(days_since, "sqlite")
def _days_since_sqlite(element: days_since, compiler: Any, **kw: Any) -> str:
    col, today = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(today, **kw)}) - "
        f"julianday(date({compiler.process(col, **kw)})) AS INTEGER)"
    )


@compiles(days_since, "postgresql")
def _days_since_pg(element: days_since, compiler: Any, **kw: Any) -> str:
    col, today = list(element.clauses)
    return (
        f"(CAST({compiler.process(today, **kw)} AS DATE) - "
        f"CAST(({compiler.process(col, **kw)}) AT TIME ZONE 'UTC' AS DATE))"
    )


@dataclass(frozen=True)
class Window:
    """The moment the agenda is computed for. `historical`: --as-of in the past, so
    rows changed later must be read as they were (touches after `now` ignored)."""

    today: date
    now: datetime
    me: int | None
    tier_days: Mapping[str, int]
    kind_days: Mapping[str, int]
    historical: bool = False


def live_people() -> list[ColumnElement[bool]]:
    return [p.c.deleted_at.is_(None), p.c.archived_at.is_(None), p.c.is_me.is_(False)]


def _weight(col: Any, weights: Mapping[str | None, float]) -> Any:
    whens = [(col == k, literal(v)) for k, v in weights.items() if k is not None]
    return case(*whens, else_=literal(weights[None]))


def _my_ties(me: int, kinds: Iterable[str]) -> Any:
    t = s.ties
    kinds = list(kinds)
    a = select(t.c.b_id.label("pid"), t.c.kind).where(
        t.c.a_id == me, t.c.deleted_at.is_(None), t.c.kind.in_(kinds)
    )
    b = select(t.c.a_id.label("pid"), t.c.kind).where(
        t.c.b_id == me, t.c.deleted_at.is_(None), t.c.kind.in_(kinds)
    )
    return union_all(a, b).subquery("my_ties")


def _person_facts(row: Any, kinds: Sequence[str] = ()) -> PersonFacts:
    return PersonFacts(
        key=row.id,
        id=row.public_id,
        name=row.name,
        created_at=utc(row.created_at),  # type: ignore[arg-type]
        tier=row.tier,
        stage=row.stage,
        cadence_days=row.cadence_days,
        snoozed_until=row.snoozed_until,
        last_touch_at=utc(row.last_touch_at),
        kinds=tuple(kinds),
    )


_FACT_COLS = (
    p.c.id, p.c.public_id, p.c.name, p.c.created_at, p.c.tier, p.c.stage, p.c.cadence_days,
    p.c.snoozed_until, p.c.last_touch_at,
)


def due_people(conn: Connection, w: Window, *, limit: int, offset: int = 0) -> list[
    tuple[PersonFacts, float]
]:
    """People due for a touch by their stored last touch, best first, with the SQL score.

    Only people whose stored last touch is at or before `now` (see `touched_later`)."""
    tier_cad = case(
        *[(p.c.tier == t, literal(d)) for t, d in w.tier_days.items()], else_=None
    )
    cad_parts: list[Any] = [p.c.cadence_days, tier_cad]
    q_from: Any = p
    kind_days: Any = None
    if w.me is not None and w.kind_days:
        mt = _my_ties(w.me, w.kind_days)
        kind_cad = case(
            *[(mt.c.kind == k, literal(d)) for k, d in w.kind_days.items()], else_=None
        )
        per_person = (
            select(mt.c.pid, func.min(kind_cad).label("days")).group_by(mt.c.pid).subquery("kc")
        )
        q_from = p.outerjoin(per_person, per_person.c.pid == p.c.id)
        cad_parts.append(per_person.c.days)
        kind_days = per_person.c.days
    cad = func.coalesce(*cad_parts)
    base = func.coalesce(p.c.last_touch_at, p.c.created_at)
    since = days_since(base, literal(w.today))
    overdue = since - cad
    # Due means date(base) <= today - cadence. For tier defaults that is a plain
    # comparison with a per-tier cutoff, so date arithmetic runs only on the few rows
    # with their own cadence or a kind default, and on the rows that are due (to score).
    due_when = [
        and_(p.c.cadence_days.is_(None), p.c.tier == t, base < _start_of(w, d - 1))
        for t, d in w.tier_days.items()
    ]
    due_when.append(and_(p.c.cadence_days.is_not(None), since >= p.c.cadence_days))
    if kind_days is not None:
        untiered = or_(p.c.tier.is_(None), p.c.tier.not_in(list(w.tier_days)))
        due_when.append(and_(p.c.cadence_days.is_(None), untiered, kind_days.is_not(None),
                             since >= kind_days))
    ratio = cast(overdue, Float) / cad
    lateness = case((ratio > rules.LATENESS_CAP, literal(rules.LATENESS_CAP)), else_=ratio)
    score = (
        _weight(p.c.tier, rules.TIER_WEIGHT)
        + _weight(p.c.stage, rules.STAGE_WEIGHT)
        + rules.LATENESS_WEIGHT * lateness
    ).label("sql_score")
    # One pass over live people: on 100k rows a plain scan beats any index range here
    # (most people are past their shortest cadence, so a range would fetch nearly all).
    q = (
        select(*_FACT_COLS, score)
        .select_from(q_from)
        .where(
            # not `deleted_at IS NULL AND archived_at IS NULL`: that matches the
            # ix_people_live index, and walking it for nearly every row is slower
            # than the plain table scan this form gets on both backends
            func.coalesce(p.c.deleted_at, p.c.archived_at).is_(None),
            p.c.is_me.is_(False),
            or_(p.c.snoozed_until.is_(None), p.c.snoozed_until <= w.today),
            or_(*due_when),
        )
        .order_by(score.desc(), p.c.id)
        .limit(limit)
        .offset(offset)
    )
    return [(_person_facts(r), float(r.sql_score)) for r in conn.execute(q)]


def _start_of(w: Window, days_ago: int) -> datetime:
    """Midnight UTC at the start of the day `days_ago` days before today."""
    return datetime.combine(w.today - timedelta(days=days_ago), time.min, tzinfo=UTC)


def touched_later(conn: Connection, w: Window) -> list[PersonFacts]:
    """Live people whose stored last touch is after `now` (an --as-of in the past, or a
    touch dated in the future): their status must be rebuilt from history."""
    q = select(*_FACT_COLS).where(
        *live_people(), p.c.last_touch_at > w.now, p.c.created_at <= w.now
    )
    return [_person_facts(r) for r in conn.execute(q)]


def facts_for(
    conn: Connection, keys: Iterable[int], *, live_only: bool = False
) -> dict[int, PersonFacts]:
    """Facts for given people (archived and deleted too, unless `live_only`)."""
    out: dict[int, PersonFacts] = {}
    keys = list(set(keys))
    live = live_people() if live_only else []
    for chunk in parts(conn, keys):
        rows = conn.execute(select(*_FACT_COLS).where(one_of(conn, p.c.id, chunk), *live))
        for r in rows:
            out[r.id] = _person_facts(r)
    return out


def latest_touches(conn: Connection, keys: Iterable[int], now: datetime) -> dict[int, datetime]:
    """Per person, the latest logged touch at or before `now` from history: an
    interaction they took part in, or a promise kept between them and someone (to them,
    or by them), as the core counts it when a promise is marked done."""
    keys = list(set(keys))
    out: dict[int, datetime] = {}
    i, ip, pr = s.interactions, s.interaction_participants, s.promises
    for chunk in parts(conn, keys):
        q1 = (
            select(ip.c.person_id, func.max(i.c.occurred_at))
            .join(i, i.c.id == ip.c.interaction_id)
            .where(one_of(conn, ip.c.person_id, chunk), i.c.deleted_at.is_(None),
                   i.c.occurred_at <= now)
            .group_by(ip.c.person_id)
        )
        kept = [
            select(col, func.max(pr.c.closed_at))
            .where(one_of(conn, col, chunk), pr.c.status == "done", pr.c.deleted_at.is_(None),
                   pr.c.closed_at <= now)
            .group_by(col)
            for col in (pr.c.owed_to_id, pr.c.owed_by_id)
        ]
        for q in (q1, *kept):
            for key, at in conn.execute(q):
                at = utc(at)
                if at is not None and (key not in out or at > out[key]):
                    out[key] = at
    return out


def with_history(conn: Connection, facts: Sequence[PersonFacts], now: datetime
                 ) -> list[PersonFacts]:
    """The facts with `last_touch_at` set to the latest real touch at or before `now`:
    the stored value (a hint, ignored when later than `now`) or history, whichever is
    later."""
    history = latest_touches(conn, [f.key for f in facts], now)
    out = []
    for f in facts:
        stored = f.last_touch_at if f.last_touch_at and f.last_touch_at <= now else None
        hist = history.get(f.key)
        last = max((t for t in (stored, hist) if t is not None), default=None)
        out.append(replace(f, last_touch_at=last))
    return out


def kinds_with(conn: Connection, me: int | None, keys: Iterable[int],
               kinds: Iterable[str]) -> dict[int, tuple[str, ...]]:
    """Relationship kinds (tie kinds) between me and each person, limited to `kinds`."""
    if me is None:
        return {}
    keys = list(set(keys))
    mt = _my_ties(me, kinds)
    out: dict[int, list[str]] = {}
    for chunk in parts(conn, keys):
        q = select(mt.c.pid, mt.c.kind).where(one_of(conn, mt.c.pid, chunk))
        for pid, kind in conn.execute(q):
            out.setdefault(pid, []).append(kind)
    return {k: tuple(sorted(v)) for k, v in out.items()}


# -- promises -------------------------------------------------------------------------


def _mine(col: Any) -> Any:
    """`col + 0`: I am party to nearly every promise, so an index on owed_by / owed_to
    selects almost everything; this steers both planners to (status, due) instead."""
    return col + 0


def _open_at(w: Window) -> Any:
    pr = s.promises
    still_open = pr.c.status == "open"
    if w.historical:  # closed after --as-of: it was still open then
        still_open = or_(still_open, pr.c.closed_at > w.now)
    return and_(still_open, pr.c.deleted_at.is_(None), pr.c.created_at <= w.now)


def _as_open(promises: list[Promise], w: Window) -> list[Promise]:
    for pr in promises:
        if pr.status != "open" and pr.closed_at is not None and pr.closed_at > w.now:
            pr.status, pr.status_reason, pr.closed_at = "open", None, None
    return promises


def _promises(
    conn: Connection, w: Window, *conds: Any, order: Any, limit: int
) -> list[Promise]:
    if w.me is None:
        return []
    pr = s.promises
    q = select(pr).where(_open_at(w), *conds).order_by(order, pr.c.id).limit(limit)
    return _as_open(build_promises(conn, conn.execute(q).all()), w)


def my_dated_promises(conn: Connection, w: Window, *, limit: int) -> list[Promise]:
    """Open promises I owe that are overdue or due within the next few days, by due."""
    pr = s.promises
    horizon = w.today + timedelta(days=rules.DUE_SOON_DAYS)
    return _promises(conn, w, _mine(pr.c.owed_by_id) == w.me, pr.c.due.is_not(None),
                     pr.c.due <= horizon, order=pr.c.due, limit=limit)


def my_undated_promises(conn: Connection, w: Window, *, limit: int) -> list[Promise]:
    """Open promises I owe with no due date, made a while ago, oldest first."""
    pr = s.promises
    older = w.now - timedelta(days=rules.UNDATED_AFTER_DAYS)
    return _promises(conn, w, _mine(pr.c.owed_by_id) == w.me, pr.c.due.is_(None),
                     pr.c.created_at <= older, order=pr.c.created_at, limit=limit)


def overdue_to_me(conn: Connection, w: Window, *, limit: int) -> list[Promise]:
    """Open promises owed to me, past due, most overdue first: nudges."""
    pr = s.promises
    return _promises(conn, w, _mine(pr.c.owed_to_id) == w.me, pr.c.due.is_not(None),
                     pr.c.due < w.today, order=pr.c.due, limit=limit)


def calendar_promises(conn: Connection, w: Window, *, limit: int) -> list[Promise]:
    """Open dated promises between me and anyone, either way, by due date."""
    pr = s.promises
    return _promises(conn, w, or_(pr.c.owed_by_id == w.me, pr.c.owed_to_id == w.me),
                     pr.c.due.is_not(None), order=pr.c.due, limit=limit)


# -- follow-ups after meetings ---------------------------------------------------------


def follow_up_candidates(
    conn: Connection, w: Window, *, limit: int, offset: int = 0
) -> list[FollowUpFact]:
    """Recent interactions that agreed something or set a next step, per participant
    whose stored last touch is not later (the stored value is re-checked by the caller
    against history). Highest tier first, then oldest meeting first."""
    i, ip = s.interactions, s.interaction_participants
    start = w.now - timedelta(days=rules.FOLLOW_UP_WINDOW_DAYS)
    latest = w.now - timedelta(days=rules.FOLLOW_UP_WORKING_DAYS)
    tier_w = _weight(p.c.tier, rules.TIER_WEIGHT)
    q = (
        select(
            i.c.public_id.label("interaction_id"),
            i.c.occurred_at,
            i.c.agreed,
            i.c.next_step,
            i.c.summary,
            *_FACT_COLS,
        )
        .select_from(i.join(ip, ip.c.interaction_id == i.c.id).join(p, p.c.id == ip.c.person_id))
        .where(
            i.c.occurred_at >= start,
            i.c.occurred_at <= latest,
            i.c.deleted_at.is_(None),
            or_(and_(i.c.agreed.is_not(None), i.c.agreed != ""),
                and_(i.c.next_step.is_not(None), i.c.next_step != "")),
            *live_people(),
            or_(p.c.snoozed_until.is_(None), p.c.snoozed_until <= w.today),
            or_(
                p.c.last_touch_at.is_(None),
                p.c.last_touch_at <= i.c.occurred_at,
                p.c.last_touch_at > w.now,
            ),
        )
        .order_by(tier_w.desc(), i.c.occurred_at, i.c.id, p.c.id)
        .limit(limit)
        .offset(offset)
    )
    return [
        FollowUpFact(
            interaction_id=r.interaction_id,
            occurred_at=utc(r.occurred_at),  # type: ignore[arg-type]
            person=_person_facts(r),
            agreed=tuple(split_lines(r.agreed)),
            next_step=(r.next_step or "").strip() or None,
            summary=r.summary,
        )
        for r in conn.execute(q)
    ]


def future_touches(conn: Connection, now: datetime, *, limit: int) -> list[PersonFacts]:
    """People whose stored last touch lies more than a day after `now`."""
    q = (
        select(*_FACT_COLS)
        .where(*live_people(), p.c.last_touch_at > now + timedelta(days=1))
        .order_by(p.c.last_touch_at.desc())
        .limit(limit)
    )
    return [_person_facts(r) for r in conn.execute(q)]
