"""Triage SQL: the facts of people never touched or never ranked, birthdays, and tier-A
people never contacted (domain/triage.py decides what to suggest)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, literal, not_, or_, select, union_all

from kithbook.domain.agenda import PersonFacts
from kithbook.domain.triage import UnknownPerson
from kithbook.store import schema as s
from kithbook.store.key_lists import one_of, parts
from kithbook.store.rows import utc

p = s.people
# The triage reads the facts of the newest this many unknown people (the ones an import
# just brought); the count of all of them is one COUNT. At 100,000 people with 35,000
# never ranked, reading all of them made `today` take 2 s instead of 0.1 s.
MAX_UNKNOWN = 2_000


def _live() -> list[Any]:
    return [p.c.deleted_at.is_(None), p.c.archived_at.is_(None), p.c.is_me.is_(False)]


def _unknown() -> Any:
    """Never touched or never ranked, written as NOT (touched AND ranked): as an OR of
    two IS NULL terms SQLite reads both indexes that hold them and sorts every match
    (137–195 ms at 100,000 people where 35,000 match), where walking the table newest
    first stops at the first MAX_UNKNOWN (2 ms)."""
    return not_(and_(p.c.last_touch_at.is_not(None), p.c.tier.is_not(None)))


def count_unknown(conn: Connection) -> int:
    """How many people are never touched or never ranked."""
    return int(conn.execute(
        select(func.count()).select_from(p)
        .where(*_live(), _unknown())
    ).scalar() or 0)


def unknown_people(conn: Connection, me: int | None, *, limit: int = MAX_UNKNOWN
                   ) -> list[UnknownPerson]:
    """People never touched (no last touch) or never ranked (no tier), newest first."""
    rows = conn.execute(
        select(p.c.id, p.c.public_id, p.c.name, p.c.tier, p.c.last_touch_at, p.c.first_met_on,
               p.c.birthday, p.c.anniversary, p.c.how_met, p.c.met_via_id)
        .where(*_live(), _unknown())
        .order_by(p.c.id.desc()).limit(limit)
    ).all()
    keys = [r.id for r in rows]
    orgs: dict[int, tuple[int, str]] = {}
    notes: dict[int, list[str]] = defaultdict(list)
    counts: dict[int, int] = {}
    introduced: set[int] = set()
    for chunk in parts(conn, keys):
        for r in conn.execute(
            select(s.roles.c.person_id, s.roles.c.org_id, s.orgs.c.name)
            .join(s.orgs, s.orgs.c.id == s.roles.c.org_id)
            .where(one_of(conn, s.roles.c.person_id, chunk), s.roles.c.is_current.is_(True))
        ):
            orgs.setdefault(r.person_id, (r.org_id, r.name))
        for nr in conn.execute(
            select(s.notes.c.subject_id, s.notes.c.body).where(
                s.notes.c.subject_kind == "person", one_of(conn, s.notes.c.subject_id, chunk),
                s.notes.c.deleted_at.is_(None))
        ):
            notes[nr.subject_id].append(nr.body or "")
        # interactions on record, trashed ones included: joining each participant row
        # to its interaction to leave those out costs 8x, for a hint that is capped
        # at a handful (domain/triage.MESSAGES_CAP)
        ip = s.interaction_participants
        for cr in conn.execute(
            select(ip.c.person_id, func.count())
            .where(one_of(conn, ip.c.person_id, chunk))
            .group_by(ip.c.person_id)
        ):
            counts[cr[0]] = int(cr[1])
        t = s.ties
        for tr_ in conn.execute(
            select(t.c.a_id, t.c.b_id).where(
                t.c.kind == "introduced", t.c.deleted_at.is_(None),
                or_(one_of(conn, t.c.a_id, chunk), one_of(conn, t.c.b_id, chunk)))
        ):
            introduced.update((tr_.a_id, tr_.b_id))
    shared = _shared_orgs(conn, me)
    out = []
    for r in rows:  # type: ignore[assignment]
        org = orgs.get(r.id)
        out.append(UnknownPerson(
            key=r.id, id=r.public_id, name=r.name, tier=r.tier,
            touched=r.last_touch_at is not None, connected_on=r.first_met_on,
            birthday=r.birthday, anniversary=r.anniversary, org=org[1] if org else None,
            shared_org=org is not None and org[0] in shared,
            interactions=counts.get(r.id, 0), notes=tuple(notes.get(r.id, ())),
            how_met=r.how_met, has_introducer=r.met_via_id is not None or r.id in introduced,
        ))
    return out


def _shared_orgs(conn: Connection, me: int | None) -> set[int]:
    """Organizations where you, or someone you ranked A, work now. One list of people
    (`IN`, not an OR beside it, which made PostgreSQL read every role)."""
    who: Any = select(p.c.id).where(*_live()[:2], p.c.tier == "A")
    if me is not None:
        who = union_all(who, select(literal(me)))
    return set(conn.execute(
        select(s.roles.c.org_id).where(s.roles.c.person_id.in_(who),
                                       s.roles.c.is_current.is_(True))).scalars())


def _with_date(conn: Connection, column: str, limit: int) -> list[UnknownPerson]:
    col = p.c[column]
    rows = conn.execute(
        select(p.c.id, p.c.public_id, p.c.name, col, p.c.tier)
        .where(*_live(), col.is_not(None)).limit(limit)
    ).all()
    return [UnknownPerson(key=r.id, id=r.public_id, name=r.name, tier=r.tier,
                          **{column: r[3]}) for r in rows]


def with_birthdays(conn: Connection, *, limit: int = 100_000) -> list[UnknownPerson]:
    """Everyone live with a birthday on record (the rule picks the upcoming ones)."""
    return _with_date(conn, "birthday", limit)


def with_anniversaries(conn: Connection, *, limit: int = 100_000) -> list[UnknownPerson]:
    """Everyone live with an anniversary on record (the rule picks the upcoming ones)."""
    return _with_date(conn, "anniversary", limit)


def never_contacted(conn: Connection, today: date, tier: str = "A", *, limit: int = 200
                    ) -> list[PersonFacts]:
    """People of a tier with no touch on record, not snoozed: due now."""
    rows = conn.execute(
        select(p.c.id, p.c.public_id, p.c.name, p.c.created_at, p.c.tier, p.c.stage,
               p.c.cadence_days, p.c.snoozed_until, p.c.last_touch_at)
        .where(*_live(), p.c.tier == tier, p.c.last_touch_at.is_(None),
               or_(p.c.snoozed_until.is_(None), p.c.snoozed_until <= today))
        .order_by(p.c.id).limit(limit)
    ).all()
    return [PersonFacts(key=r.id, id=r.public_id, name=r.name,
                        created_at=utc(r.created_at),  # type: ignore[arg-type]
                        tier=r.tier, stage=r.stage, cadence_days=r.cadence_days,
                        snoozed_until=r.snoozed_until, last_touch_at=None) for r in rows]
