"""Build the `AllianceFacts` the rules read (domain/alliances/facts.py) from the store,
for one alliance (`load`) or many at once (`load_many`).

The loaders per concept live beside it: the RACI (store/alliance_raci_facts.py), the
objectives and their measurements (store/alliance_measure_facts.py, where `history=False`
is the portfolio's light load), the forums, meetings and touches
(store/alliance_forum_facts.py). This module reads the rest: the record, parties and
contacts, goals, obligations, contributions, decisions, actions, checks, exit items.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from kithbook.domain.alliances import facts as f
from kithbook.domain.alliances.facts import AllianceFacts
from kithbook.domain.text import fold
from kithbook.store import alliance_forum_facts as forum_facts
from kithbook.store import alliance_measure_facts as measure_facts
from kithbook.store import alliance_raci_facts as raci_facts
from kithbook.store import schema as s
from kithbook.store import schema_alliances as a
from kithbook.store.alliance_items import (
    action_rows,
    action_rows_many,
    confirmations_of,
    verdicts,
)
from kithbook.store.alliance_measures import (
    checks_many,
    checks_of,
    contribution_rows,
)
from kithbook.store.people import me_key
from kithbook.store.rows import utc


def load(conn: Connection, alliance_key: int, now: datetime, *, history: bool = True
         ) -> AllianceFacts:
    al = conn.execute(select(a.alliances).where(a.alliances.c.id == alliance_key)).one()
    parties, contacts = _parties(conn, alliance_key)
    party_of = {c.person_key: c.party_key for c in contacts}
    for p in parties:
        if p.sponsor_key is not None:
            party_of.setdefault(p.sponsor_key, p.key)
    docs = tuple(conn.execute(select(a.alliance_documents.c.kind).where(
        a.alliance_documents.c.alliance_id == alliance_key,
        a.alliance_documents.c.deleted_at.is_(None))
        .order_by(a.alliance_documents.c.id)).scalars())
    return AllianceFacts(
        key=al.id, id=al.public_id, name=al.name, type=al.type, stage=al.stage,
        parties=tuple(parties), contacts=tuple(contacts), rationale=al.rationale,
        purpose=al.purpose, started_on=al.started_on, planned_end_on=al.planned_end_on,
        notice_days=al.notice_days, decision_on=al.decision_on, documents=docs,
        goals=_goals(conn, alliance_key),
        activities=raci_facts.activities(conn, alliance_key),
        objectives=measure_facts.objectives(conn, alliance_key, now, history),
        obligations=_obligations(conn, alliance_key),
        contributions=tuple(
            f.Contribution(r.partner_id, r.kind, r.stage, r.amount, r.on_date, r.rate)
            for r in contribution_rows(conn, alliance_key)),
        forums=forum_facts.forums(conn, alliance_key),
        touches=forum_facts.touches(conn, set(party_of), now),
        decisions=_decisions(conn, alliance_key),
        actions=_actions(conn, alliance_key),
        checks=tuple(checks_of(conn, alliance_key)),
        exit_items=tuple(
            f.ExitItem(r.id, r.public_id, r.kind, r.text, r.done_on is not None)
            for r in conn.execute(select(a.alliance_exit_items).where(
                a.alliance_exit_items.c.alliance_id == alliance_key)
                .order_by(a.alliance_exit_items.c.id))),
        termination_code=al.termination_code, lessons=al.lessons,
        sla_hours=float(al.sla_hours) if al.sla_hours else None,
    )


def _parties(conn: Connection, alliance_key: int) -> tuple[list[f.Party], list[f.Contact]]:
    p = a.alliance_partners
    rows = conn.execute(
        select(p, s.orgs.c.name.label("org_name")).join(s.orgs, s.orgs.c.id == p.c.org_id)
        .where(p.c.alliance_id == alliance_key)
        .order_by(p.c.is_us.desc(), s.orgs.c.name, p.c.id)).all()
    parties = [f.Party(r.id, r.public_id, r.org_name, r.is_us, r.sponsor_id, r.share_bp,
                       r.left_on) for r in rows]
    c = a.alliance_contacts
    crow = conn.execute(
        select(c.c.partner_id, c.c.person_id, c.c.departed_on, p.c.org_id,
               s.people.c.public_id, s.people.c.name, s.people.c.archived_at,
               s.people.c.deleted_at)
        .join(p, p.c.id == c.c.partner_id).join(s.people, s.people.c.id == c.c.person_id)
        .where(p.c.alliance_id == alliance_key).order_by(c.c.id)).all()
    left_org = _left_org(conn, [(r.person_id, r.org_id) for r in crow])
    contacts = [f.Contact(r.person_id, r.public_id, r.name, r.partner_id,
                          r.departed_on is None and r.archived_at is None
                          and r.deleted_at is None and (r.person_id, r.org_id) not in left_org)
                for r in crow]
    known = {x.person_key for x in contacts}
    sponsors = [x for x in parties if x.sponsor_key is not None and x.sponsor_key not in known]
    if sponsors:
        for r in conn.execute(select(s.people.c.id, s.people.c.public_id, s.people.c.name,
                                     s.people.c.deleted_at, s.people.c.archived_at)
                              .where(s.people.c.id.in_([x.sponsor_key for x in sponsors]))
                              .order_by(s.people.c.id)):
            party = next(x for x in sponsors if x.sponsor_key == r.id)
            contacts.append(f.Contact(r.id, r.public_id, r.name, party.key,
                                      r.deleted_at is None and r.archived_at is None))
            known.add(r.id)
    me = me_key(conn)
    us = next((x for x in parties if x.is_us), None)
    if me is not None and us is not None and me not in known:
        row = conn.execute(select(s.people.c.public_id, s.people.c.name)
                           .where(s.people.c.id == me)).one()
        contacts.append(f.Contact(me, row.public_id, row.name, us.key, True))
    return parties, contacts


def _left_org(conn: Connection, pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """(person, org) pairs where the person had roles at the org and none is current."""
    if not pairs:
        return set()
    r = s.roles
    people = list({p for p, _ in pairs})
    seen: dict[tuple[int, int], bool] = {}
    for row in conn.execute(select(r.c.person_id, r.c.org_id, func.max(
            case((r.c.is_current.is_(True), 1), else_=0)).label("cur"))
            .where(r.c.person_id.in_(people)).group_by(r.c.person_id, r.c.org_id)):
        seen[(row.person_id, row.org_id)] = bool(row.cur)
    return {pair for pair in pairs if pair in seen and not seen[pair]}


def _goals(conn: Connection, alliance_key: int) -> tuple[f.Goal, ...]:
    t = a.alliance_goals
    conf = confirmations_of(conn, alliance_key, "goal")
    return tuple(f.Goal(r.id, r.public_id, r.text, r.partner_id, fold(r.kpi) if r.kpi else None,
                        r.direction, verdicts(conf[r.id]))
                 for r in conn.execute(select(t).where(t.c.alliance_id == alliance_key)
                                       .order_by(t.c.id)))


def _obligations(conn: Connection, alliance_key: int) -> tuple[f.Obligation, ...]:
    t = a.alliance_obligations
    return tuple(f.Obligation(r.id, r.public_id, r.text, r.kind, r.partner_id, r.due_on,
                              r.done_on is not None)
                 for r in conn.execute(select(t).where(t.c.alliance_id == alliance_key)
                                       .order_by(t.c.id)))


def _decisions(conn: Connection, alliance_key: int) -> tuple[f.Decision, ...]:
    t = a.alliance_decisions
    conf = confirmations_of(conn, alliance_key, "decision")
    out = []
    for r in conn.execute(select(t).where(t.c.alliance_id == alliance_key).order_by(t.c.id)):
        at = utc(r.created_at)
        assert at is not None
        out.append(f.Decision(r.id, r.public_id, r.text, r.partner_id, at, r.kind, r.outcome,
                              verdicts(conf[r.id])))
    return tuple(out)


def _actions(conn: Connection, alliance_key: int) -> tuple[f.Action, ...]:
    return tuple(f.Action(r.id, r.public_id, r.what, r.partner_id, r.owed_by_id, r.due,
                          r.status, utc(r.created_at), utc(r.closed_at))
                 for r in action_rows(conn, alliance_key))


# -- many alliances at once ---------------------------------------------------------------
#
# The portfolio and the alliance agenda need the facts of every live alliance. `load`
# above reads one alliance in about twenty queries; `load_many` reads a batch of up to
# BATCH alliances in about twenty queries altogether (set-based: `alliance_id IN (...)`,
# then grouped in Python) and builds the very same facts. Keep the two in step:
# tests/test_alliance_batch.py checks that they agree on varied data.

BATCH = 500


# What a caller may leave out (`skip`): those facts stay empty tuples.
SKIPPABLE = frozenset({"documents", "goals", "activities", "obligations", "contributions",
                       "actions", "exit_items"})


def load_many(conn: Connection, alliance_keys: list[int], now: datetime, *,
              history: bool = True, skip: frozenset[str] = frozenset()
              ) -> dict[int, AllianceFacts]:
    """The facts of each alliance, by key, equal to `load` for each one, except that
    the facts named in `skip` (a subset of SKIPPABLE) are left empty: for a caller
    whose rules never read them (the agenda reads no RACI, goal or ledger)."""
    if not skip <= SKIPPABLE:
        raise ValueError(f"cannot skip {sorted(skip - SKIPPABLE)}")
    out: dict[int, AllianceFacts] = {}
    for start in range(0, len(alliance_keys), BATCH):
        out.update(_load_batch(conn, list(dict.fromkeys(alliance_keys[start:start + BATCH])),
                               now, history, skip))
    return out


def _grouped(rows: Any, attr: str = "alliance_id") -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        out[getattr(r, attr)].append(r)
    return out


def _load_batch(conn: Connection, keys: list[int], now: datetime, history: bool,
                skip: frozenset[str]) -> dict[int, AllianceFacts]:
    if not keys:
        return {}
    empty: dict[int, Any] = defaultdict(tuple)
    al = a.alliances
    rows = {r.id: r for r in conn.execute(select(al).where(al.c.id.in_(keys)))}
    keys = [k for k in keys if k in rows]
    parties, contacts = _parties_many(conn, keys)
    people: dict[int, set[int]] = {}
    for k in keys:
        mine = {c.person_key for c in contacts[k]}
        mine.update(p.sponsor_key for p in parties[k] if p.sponsor_key is not None)
        people[k] = mine
    d = a.alliance_documents
    docs = empty if "documents" in skip else _grouped(conn.execute(
        select(d.c.alliance_id, d.c.kind).where(
            d.c.alliance_id.in_(keys), d.c.deleted_at.is_(None)).order_by(d.c.id)))
    goals = empty if "goals" in skip else _goals_many(conn, keys)
    activities = empty if "activities" in skip else raci_facts.activities_many(conn, keys)
    objectives = measure_facts.objectives_many(conn, keys, now, history)
    ob = a.alliance_obligations
    obligations = empty if "obligations" in skip else _grouped(conn.execute(
        select(ob).where(ob.c.alliance_id.in_(keys)).order_by(ob.c.id)))
    ct = a.alliance_contributions
    contributions = empty if "contributions" in skip else _grouped(conn.execute(
        select(ct).where(ct.c.alliance_id.in_(keys)).order_by(ct.c.on_date, ct.c.id)))
    forums = forum_facts.forums_many(conn, keys)
    touches = forum_facts.touches_many(conn, people, now)
    decisions = _decisions_many(conn, keys)
    actions = empty if "actions" in skip else _actions_many(conn, keys)
    checks = _checks_many(conn, keys)
    ex = a.alliance_exit_items
    exit_items = empty if "exit_items" in skip else _grouped(conn.execute(
        select(ex).where(ex.c.alliance_id.in_(keys)).order_by(ex.c.id)))
    out = {}
    for k in keys:
        r = rows[k]
        out[k] = AllianceFacts(
            key=r.id, id=r.public_id, name=r.name, type=r.type, stage=r.stage,
            parties=tuple(parties[k]), contacts=tuple(contacts[k]), rationale=r.rationale,
            purpose=r.purpose, started_on=r.started_on, planned_end_on=r.planned_end_on,
            notice_days=r.notice_days, decision_on=r.decision_on,
            documents=tuple(x.kind for x in docs[k]),
            goals=goals[k], activities=activities[k], objectives=objectives[k],
            obligations=tuple(f.Obligation(x.id, x.public_id, x.text, x.kind, x.partner_id,
                                           x.due_on, x.done_on is not None)
                              for x in obligations[k]),
            contributions=tuple(f.Contribution(x.partner_id, x.kind, x.stage, x.amount,
                                               x.on_date, x.rate) for x in contributions[k]),
            forums=forums[k], touches=touches[k], decisions=decisions[k], actions=actions[k],
            checks=checks[k],
            exit_items=tuple(f.ExitItem(x.id, x.public_id, x.kind, x.text,
                                        x.done_on is not None) for x in exit_items[k]),
            termination_code=r.termination_code, lessons=r.lessons,
            sla_hours=float(r.sla_hours) if r.sla_hours else None,
        )
    return out


def _parties_many(conn: Connection, keys: list[int]
                  ) -> tuple[dict[int, list[f.Party]], dict[int, list[f.Contact]]]:
    p, c = a.alliance_partners, a.alliance_contacts
    parties: dict[int, list[f.Party]] = {k: [] for k in keys}
    for alliance, key, public_id, org_name, is_us, sponsor, share, left_on in conn.execute(
            select(p.c.alliance_id, p.c.id, p.c.public_id, s.orgs.c.name, p.c.is_us,
                   p.c.sponsor_id, p.c.share_bp, p.c.left_on)
            .join(s.orgs, s.orgs.c.id == p.c.org_id).where(p.c.alliance_id.in_(keys))
            .order_by(p.c.alliance_id, p.c.is_us.desc(), s.orgs.c.name, p.c.id)).all():
        parties[alliance].append(f.Party(key, public_id, org_name, is_us, sponsor, share,
                                         left_on))
    crow = conn.execute(
        select(p.c.alliance_id, c.c.partner_id, c.c.person_id, c.c.departed_on, p.c.org_id,
               s.people.c.public_id, s.people.c.name, s.people.c.archived_at,
               s.people.c.deleted_at)
        .join(p, p.c.id == c.c.partner_id).join(s.people, s.people.c.id == c.c.person_id)
        .where(p.c.alliance_id.in_(keys)).order_by(c.c.id)).all()
    left_org = _left_org(conn, list({(r.person_id, r.org_id) for r in crow}))
    contacts: dict[int, list[f.Contact]] = {k: [] for k in keys}
    for (alliance, partner, person, departed, org, public_id, name, archived,
         deleted) in crow:
        contacts[alliance].append(f.Contact(
            person, public_id, name, partner,
            departed is None and archived is None and deleted is None
            and (person, org) not in left_org))
    known = {k: {x.person_key for x in contacts[k]} for k in keys}
    wanted = {x.sponsor_key for k in keys for x in parties[k]
              if x.sponsor_key is not None and x.sponsor_key not in known[k]}
    sponsor_rows: list[Any] = []
    if wanted:
        sponsor_rows = list(conn.execute(
            select(s.people.c.id, s.people.c.public_id, s.people.c.name,
                   s.people.c.deleted_at, s.people.c.archived_at)
            .where(s.people.c.id.in_(sorted(wanted))).order_by(s.people.c.id)))
    for k in keys:
        sponsors = [x for x in parties[k]
                    if x.sponsor_key is not None and x.sponsor_key not in known[k]]
        if not sponsors:
            continue
        for r in sponsor_rows:
            party = next((x for x in sponsors if x.sponsor_key == r.id), None)
            if party is None:
                continue
            contacts[k].append(f.Contact(r.id, r.public_id, r.name, party.key,
                                         r.deleted_at is None and r.archived_at is None))
            known[k].add(r.id)
    me = me_key(conn)
    if me is not None:
        row = None
        for k in keys:
            us = next((x for x in parties[k] if x.is_us), None)
            if us is None or me in known[k]:
                continue
            if row is None:
                row = conn.execute(select(s.people.c.public_id, s.people.c.name)
                                   .where(s.people.c.id == me)).one()
            contacts[k].append(f.Contact(me, row.public_id, row.name, us.key, True))
    return parties, contacts


def _confirmations_many(conn: Connection, keys: list[int], kind: str
                        ) -> dict[int, list[Any]]:
    c = a.alliance_confirmations
    return _grouped(conn.execute(select(c).where(c.c.alliance_id.in_(keys),
                                                 c.c.subject_kind == kind)
                                 .order_by(c.c.at, c.c.id)), "subject_id")


def _goals_many(conn: Connection, keys: list[int]) -> dict[int, tuple[f.Goal, ...]]:
    t = a.alliance_goals
    conf = _confirmations_many(conn, keys, "goal")
    rows = _grouped(conn.execute(select(t).where(t.c.alliance_id.in_(keys)).order_by(t.c.id)))
    return {k: tuple(f.Goal(r.id, r.public_id, r.text, r.partner_id,
                            fold(r.kpi) if r.kpi else None, r.direction,
                            verdicts(conf.get(r.id, [])))
                     for r in rows[k]) for k in keys}


def _decisions_many(conn: Connection, keys: list[int]) -> dict[int, tuple[f.Decision, ...]]:
    t = a.alliance_decisions
    conf = _confirmations_many(conn, keys, "decision")
    out: dict[int, list[f.Decision]] = {k: [] for k in keys}
    for r in conn.execute(select(t).where(t.c.alliance_id.in_(keys)).order_by(t.c.id)):
        at = utc(r.created_at)
        assert at is not None
        out[r.alliance_id].append(f.Decision(r.id, r.public_id, r.text, r.partner_id, at,
                                             r.kind, r.outcome, verdicts(conf.get(r.id, []))))
    return {k: tuple(v) for k, v in out.items()}


def _actions_many(conn: Connection, keys: list[int]) -> dict[int, tuple[f.Action, ...]]:
    by = _grouped(action_rows_many(conn, keys))
    return {k: tuple(f.Action(r.id, r.public_id, r.what, r.partner_id, r.owed_by_id, r.due,
                              r.status, utc(r.created_at), utc(r.closed_at))
                     for r in by[k]) for k in keys}


def _checks_many(conn: Connection, keys: list[int]) -> dict[int, tuple[f.HealthCheck, ...]]:
    by = checks_many(conn, keys)
    return {k: tuple(by.get(k, ())) for k in keys}
