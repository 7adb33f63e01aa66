"""What an alliance holds: goals and their confirmations, activities with their RACI,
obligations, forums, meetings, decisions, action items, exit items, the stage log.
Rows in, records out; the rules live in domain/alliances."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Table, func, select

from kithbook.domain.alliances.facts import Verdict, latest_verdicts
from kithbook.domain.alliances.records import (
    ActionItem,
    Activity,
    Confirmation,
    Decision,
    ExitItem,
    Forum,
    Goal,
    Meeting,
    Obligation,
    PartyRef,
    RaciEntry,
    StageMove,
)
from kithbook.domain.models import PersonRef
from kithbook.store import schema as s
from kithbook.store import schema_alliances as a
from kithbook.store.journal import Journal
from kithbook.store.people import refs_by_keys
from kithbook.store.rows import utc

Parties = dict[int, PartyRef]


def insert_row(j: Journal, table: Table, values: dict[str, Any]) -> int:
    if "created_at" in table.c and "created_at" not in values:
        values = {**values, "created_at": j.now}
    key = j.insert(table, values)
    assert key is not None
    return key


def item_row(conn: Connection, table: Table, key: int) -> Any:
    """One row of an alliance table (a goal, a decision, a health check...) by key."""
    return conn.execute(select(table).where(table.c.id == key)).one()


def owner_partner(conn: Connection, table: Table, key: int) -> int | None:
    """The partner that recorded a goal or a decision."""
    owner = conn.execute(select(table.c.partner_id).where(table.c.id == key)).scalar()
    return None if owner is None else int(owner)


def forum_name(conn: Connection, forum_key: int) -> str | None:
    """The name of one forum."""
    name = conn.execute(select(a.alliance_forums.c.name).where(
        a.alliance_forums.c.id == forum_key)).scalar()
    return None if name is None else str(name)


def parties_of(conn: Connection, alliance_key: int) -> Parties:
    p = a.alliance_partners
    return {r.id: PartyRef(r.public_id, r.name, r.is_us, r.id) for r in conn.execute(
        select(p.c.id, p.c.public_id, p.c.is_us, s.orgs.c.name)
        .join(s.orgs, s.orgs.c.id == p.c.org_id).where(p.c.alliance_id == alliance_key))}


def current_party_keys(conn: Connection, alliance_key: int) -> list[int]:
    p = a.alliance_partners
    return list(conn.execute(select(p.c.id).where(
        p.c.alliance_id == alliance_key, p.c.left_on.is_(None)).order_by(p.c.id)).scalars())


def public_ids(conn: Connection, table: Table, keys: set[Any]) -> dict[int, str]:
    keys = {k for k in keys if k is not None}
    if not keys:
        return {}
    return {r.id: r.public_id for r in conn.execute(
        select(table.c.id, table.c.public_id).where(table.c.id.in_(list(keys))))}


# -- confirmations -----------------------------------------------------------------------


def confirmations_of(conn: Connection, alliance_key: int, kind: str) -> dict[int, list[Any]]:
    c = a.alliance_confirmations
    out: dict[int, list[Any]] = defaultdict(list)
    for r in conn.execute(select(c).where(c.c.alliance_id == alliance_key,
                                          c.c.subject_kind == kind).order_by(c.c.at, c.c.id)):
        out[r.subject_id].append(r)
    return out


def verdicts(rows: list[Any]) -> tuple[Verdict, ...]:
    return tuple(Verdict(r.partner_id, r.verdict, utc(r.at), r.comment)  # type: ignore[arg-type]
                 for r in rows)


def _confirmation_records(rows: list[Any], subject_id: str, parties: Parties,
                          people: dict[int, PersonRef]) -> list[Confirmation]:
    return [Confirmation(
        id=f"{subject_id}:{n}", name=r.verdict, party=parties[r.partner_id], verdict=r.verdict,
        at=utc(r.at), person=people.get(r.person_id) if r.person_id else None,  # type: ignore[arg-type]
        comment=r.comment, via=r.via) for n, r in enumerate(rows, 1)]


def status_of(rows: list[Any], owner: int, current: list[int],
              parties: Parties) -> tuple[str, list[str], list[str]]:
    """(confirmed | disputed | awaiting, parties awaited, parties disputing)."""
    latest = latest_verdicts(verdicts(rows))
    others = [k for k in current if k != owner]
    disputed = [parties[k].name for k in others
                if (v := latest.get(k)) is not None and v.verdict == "disputed"]
    awaiting = [parties[k].name for k in others if k not in latest]
    status = "disputed" if disputed else ("awaiting" if awaiting else "confirmed")
    return status, awaiting, disputed


def insert_confirmation(j: Journal, alliance_key: int, kind: str, subject_key: int,
                        partner_key: int, person_key: int | None, verdict: str,
                        comment: str | None, via: str = "manual") -> int:
    return insert_row(j, a.alliance_confirmations, {
        "alliance_id": alliance_key, "subject_kind": kind, "subject_id": subject_key,
        "partner_id": partner_key, "person_id": person_key, "verdict": verdict,
        "comment": comment, "at": j.now, "via": via})


# -- goals -------------------------------------------------------------------------------


def goals_of(conn: Connection, alliance_key: int, parties: Parties,
             keys: list[int] | None = None) -> list[Goal]:
    g = a.alliance_goals
    q = select(g).where(g.c.alliance_id == alliance_key).order_by(g.c.id)
    if keys is not None:
        q = q.where(g.c.id.in_(keys))
    rows = conn.execute(q).all()
    conf = confirmations_of(conn, alliance_key, "goal")
    people = refs_by_keys(conn, [c.person_id for rs in conf.values() for c in rs if c.person_id])
    current = current_party_keys(conn, alliance_key)
    out = []
    for r in rows:
        status, awaiting, disputed = status_of(conf[r.id], r.partner_id, current, parties)
        out.append(Goal(
            id=r.public_id, name=r.text, party=parties[r.partner_id], kpi=r.kpi,
            direction=r.direction, status=status, awaiting=awaiting, disputed_by=disputed,
            confirmations=_confirmation_records(conf[r.id], r.public_id, parties, people),
            created_at=utc(r.created_at), key=r.id))
    return out


# -- activities and the RACI ----------------------------------------------------------


def activities_of(conn: Connection, alliance_key: int, parties: Parties) -> list[Activity]:
    t = a.alliance_activities
    rows = conn.execute(select(t).where(t.c.alliance_id == alliance_key).order_by(t.c.id)).all()
    cells = raci_cells(conn, [r.id for r in rows])
    people = refs_by_keys(conn, [c.person_id for cs in cells.values() for c in cs
                                 if c.person_id])
    objectives = public_ids(conn, a.alliance_objectives, {r.objective_id for r in rows})
    obligations = public_ids(conn, a.alliance_obligations, {r.obligation_id for r in rows})
    out = []
    for r in rows:
        entries = []
        for c in cells[r.id]:
            party = parties[c.partner_id]
            person = people.get(c.person_id) if c.person_id else None
            entries.append(RaciEntry(
                id=party.id + (f"/{person.id}" if person else ""),
                name=f"{person.name} ({party.name})" if person else party.name,
                party=party, letters=c.letters, person=person))
        out.append(Activity(
            id=r.public_id, name=r.name, deliverable=r.deliverable, joint=r.joint,
            objective_id=objectives.get(r.objective_id),
            obligation_id=obligations.get(r.obligation_id), check_in_days=r.check_in_days,
            last_update_on=r.last_update_on, done_on=r.done_on, raci=entries, key=r.id))
    return out


def raci_cells(conn: Connection, activity_keys: list[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {k: [] for k in activity_keys}
    t = a.alliance_raci
    for start in range(0, len(activity_keys), 500):
        for r in conn.execute(select(t).where(
                t.c.activity_id.in_(activity_keys[start:start + 500])).order_by(t.c.id)):
            out[r.activity_id].append(r)
    return out


def set_raci(j: Journal, activity_key: int, partner_key: int, person_key: int | None,
             letters: str) -> None:
    """One cell per (party, person) on a row: replaced, or removed when empty."""
    t = a.alliance_raci
    existing = j.conn.execute(select(t.c.id).where(
        t.c.activity_id == activity_key, t.c.partner_id == partner_key,
        t.c.person_id.is_(None) if person_key is None else t.c.person_id == person_key,
    )).scalars().all()
    for key in existing:
        j.delete(t, key)
    if letters:
        insert_row(j, t, {"activity_id": activity_key, "partner_id": partner_key,
                          "person_id": person_key, "letters": letters})


# -- obligations, exit items ----------------------------------------------------------


def obligations_of(conn: Connection, alliance_key: int, parties: Parties) -> list[Obligation]:
    t = a.alliance_obligations
    return [Obligation(id=r.public_id, name=r.text, kind=r.kind,
                       party=parties.get(r.partner_id) if r.partner_id else None,
                       due_on=r.due_on, done_on=r.done_on, key=r.id)
            for r in conn.execute(select(t).where(t.c.alliance_id == alliance_key)
                                  .order_by(t.c.due_on.is_(None), t.c.due_on, t.c.id))]


def exit_items_of(conn: Connection, alliance_key: int, parties: Parties) -> list[ExitItem]:
    t = a.alliance_exit_items
    return [ExitItem(id=r.public_id, name=r.text, kind=r.kind,
                     party=parties.get(r.partner_id) if r.partner_id else None,
                     done_on=r.done_on, key=r.id)
            for r in conn.execute(select(t).where(t.c.alliance_id == alliance_key)
                                  .order_by(t.c.id))]


def stage_log_of(conn: Connection, alliance_key: int, public_id: str) -> list[StageMove]:
    t = a.alliance_stage_log
    return [StageMove(id=f"{public_id}:{n}", name=f"{r.from_stage} -> {r.to_stage}",
                      at=utc(r.at), from_stage=r.from_stage,  # type: ignore[arg-type]
                      to_stage=r.to_stage, forced=r.forced, unmet=list(r.unmet or []),
                      reason=r.reason)
            for n, r in enumerate(conn.execute(select(t).where(t.c.alliance_id == alliance_key)
                                               .order_by(t.c.id)), 1)]


# -- forums, meetings ------------------------------------------------------------------


def forums_rows(conn: Connection, alliance_key: int) -> list[Any]:
    t = a.alliance_forums
    return list(conn.execute(select(t).where(t.c.alliance_id == alliance_key)
                             .order_by(t.c.cadence_days, t.c.id)))


def meeting_rows(conn: Connection, alliance_key: int) -> list[Any]:
    """Meetings with their interaction's time and summary, oldest first."""
    m, i = a.alliance_meetings, s.interactions
    return list(conn.execute(
        select(m, i.c.occurred_at, i.c.summary, i.c.public_id.label("interaction_public"))
        .join(i, i.c.id == m.c.interaction_id)
        .where(m.c.alliance_id == alliance_key, i.c.deleted_at.is_(None))
        .order_by(i.c.occurred_at, m.c.id)))


def meeting_rows_many(conn: Connection, alliance_keys: list[int]) -> list[Any]:
    """`meeting_rows` of several alliances (oldest first across them)."""
    m, i = a.alliance_meetings, s.interactions
    return list(conn.execute(
        select(m, i.c.occurred_at, i.c.summary, i.c.public_id.label("interaction_public"))
        .join(i, i.c.id == m.c.interaction_id)
        .where(m.c.alliance_id.in_(alliance_keys), i.c.deleted_at.is_(None))
        .order_by(i.c.occurred_at, m.c.id)))


def attendees(conn: Connection, interaction_keys: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    ip = s.interaction_participants
    for start in range(0, len(interaction_keys), 500):
        for r in conn.execute(select(ip).where(
                ip.c.interaction_id.in_(interaction_keys[start:start + 500]))):
            out[r.interaction_id].append(r.person_id)
    return out


def meetings_of(conn: Connection, alliance_key: int) -> list[Meeting]:
    rows = meeting_rows(conn, alliance_key)
    forums = {r.id: r for r in forums_rows(conn, alliance_key)}
    who = attendees(conn, [r.interaction_id for r in rows])
    people = refs_by_keys(conn, [p for ps in who.values() for p in ps])
    out = []
    for r in rows:
        forum = forums.get(r.forum_id) if r.forum_id else None
        at = utc(r.occurred_at)
        assert at is not None
        out.append(Meeting(
            id=r.public_id, name=r.summary or f"meeting on {at:%Y-%m-%d}", at=at,
            interaction_id=r.interaction_public, forum_id=forum.public_id if forum else None,
            forum_name=forum.name if forum else None,
            attendees=sorted((people[p] for p in who[r.interaction_id]), key=lambda x: x.name),
            minutes=r.minutes, minutes_on=r.minutes_on, key=r.id))
    return out


def forum_records(conn: Connection, alliance_key: int) -> list[Forum]:
    meetings = meeting_rows(conn, alliance_key)
    out = []
    for r in forums_rows(conn, alliance_key):
        held = [utc(m.occurred_at) for m in meetings if m.forum_id == r.id]
        out.append(Forum(id=r.public_id, name=r.name, layer=r.layer,
                         cadence_days=r.cadence_days, created_on=r.created_on,
                         ended_on=r.ended_on, meetings=len(held),
                         last_held=held[-1] if held else None, key=r.id))
    return out


# -- decisions, action items ----------------------------------------------------------


def decisions_of(conn: Connection, alliance_key: int, parties: Parties,
                 keys: list[int] | None = None) -> list[Decision]:
    t = a.alliance_decisions
    q = select(t).where(t.c.alliance_id == alliance_key).order_by(t.c.created_at, t.c.id)
    if keys is not None:
        q = q.where(t.c.id.in_(keys))
    rows = conn.execute(q).all()
    conf = confirmations_of(conn, alliance_key, "decision")
    people = refs_by_keys(conn, [r.person_id for r in rows if r.person_id]
                          + [c.person_id for cs in conf.values() for c in cs if c.person_id])
    meetings = public_ids(conn, a.alliance_meetings, {r.meeting_id for r in rows})
    current = current_party_keys(conn, alliance_key)
    out = []
    for r in rows:
        status, awaiting, disputed = status_of(conf[r.id], r.partner_id, current, parties)
        out.append(Decision(
            id=r.public_id, name=r.text, kind=r.kind, party=parties[r.partner_id],
            created_at=utc(r.created_at),  # type: ignore[arg-type]
            person=people.get(r.person_id) if r.person_id else None, outcome=r.outcome,
            decided_on=r.decided_on, meeting_id=meetings.get(r.meeting_id), status=status,
            awaiting=awaiting, disputed_by=disputed,
            confirmations=_confirmation_records(conf[r.id], r.public_id, parties, people),
            key=r.id))
    return out


def action_rows(conn: Connection, alliance_key: int) -> list[Any]:
    t, p = a.alliance_actions, s.promises
    return list(conn.execute(
        select(t.c.partner_id, t.c.decision_id, p)
        .join(p, p.c.id == t.c.promise_id)
        .where(t.c.alliance_id == alliance_key, p.c.deleted_at.is_(None))
        .order_by(p.c.due.is_(None), p.c.due, p.c.id)))


def action_rows_many(conn: Connection, alliance_keys: list[int]) -> list[Any]:
    """`action_rows` of several alliances, each alliance's in that order."""
    t, p = a.alliance_actions, s.promises
    return list(conn.execute(
        select(t.c.alliance_id, t.c.partner_id, t.c.decision_id, p)
        .join(p, p.c.id == t.c.promise_id)
        .where(t.c.alliance_id.in_(alliance_keys), p.c.deleted_at.is_(None))
        .order_by(p.c.due.is_(None), p.c.due, p.c.id)))


def actions_of(conn: Connection, alliance_key: int, parties: Parties,
               today: Any) -> list[ActionItem]:
    rows = action_rows(conn, alliance_key)
    people = refs_by_keys(conn, [r.owed_by_id for r in rows] + [r.owed_to_id for r in rows])
    decisions = public_ids(conn, a.alliance_decisions, {r.decision_id for r in rows})
    return [ActionItem(
        id=r.public_id, name=r.what, party=parties[r.partner_id], owner=people[r.owed_by_id],
        owed_to=people[r.owed_to_id], status=r.status, due=r.due,
        decision_id=decisions.get(r.decision_id),
        overdue=r.status == "open" and r.due is not None and r.due < today, key=r.id)
        for r in rows]


def count(conn: Connection, table: Table, alliance_key: int) -> int:
    return int(conn.execute(select(func.count()).select_from(table)
                            .where(table.c.alliance_id == alliance_key)).scalar_one())


def delete_where(j: Journal, table: Table, **match: Any) -> None:
    """Journaled deletes of the rows matching, one by one (so undo restores them)."""
    conds = [table.c[k] == v for k, v in match.items()]
    for key in j.conn.execute(select(table.c.id).where(*conds)).scalars().all():
        j.delete(table, key)

