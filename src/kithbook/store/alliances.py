"""The alliance record: alliances, partners, their contacts, documents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, or_, select

from kithbook.domain.alliances.agenda import MEETING_STAGES
from kithbook.domain.alliances.facts import TYPE_LABELS
from kithbook.domain.alliances.records import (
    Alliance,
    AllianceDate,
    AllianceSummary,
    Document,
    Partner,
    PartnerContact,
)
from kithbook.domain.text import fold
from kithbook.store import schema as s
from kithbook.store import schema_alliances as a
from kithbook.store.journal import Journal
from kithbook.store.people import refs_by_keys
from kithbook.store.rows import utc, utc_at

_live = a.alliances.c.deleted_at.is_(None)


def insert_alliance(j: Journal, public_id: str, name: str, **values: Any) -> int:
    key = j.insert(a.alliances, {
        "public_id": public_id, "name": name, "name_folded": fold(name),
        "stage": "explore", "currency": "EUR",
        "created_at": j.now, "updated_at": j.now, **values})
    assert key is not None
    return key


def update_alliance(j: Journal, key: int, values: dict[str, Any]) -> None:
    if "name" in values:
        values = {**values, "name_folded": fold(values["name"])}
    j.update(a.alliances, key, {**values, "updated_at": j.now})


def find_alliance_keys(conn: Connection, text: str, *, archived: bool = False) -> list[int]:
    """Exact public id or folded name, then id prefix and word-prefix matches."""
    text = text.strip()
    conds = [] if archived else [_live]
    al = a.alliances
    exact = conn.execute(select(al.c.id).where(
        or_(al.c.public_id == text.lower(), al.c.name_folded == fold(text)), *conds)
    ).scalars().all()
    if exact:
        return list(exact)
    folded = fold(text).replace("%", "").replace("_", r"\_")
    if not folded:
        return []
    return list(conn.execute(
        select(al.c.id).where(
            or_(al.c.public_id.like(text.lower().replace("_", r"\_") + "%", escape="\\"),
                al.c.name_folded.like(folded + "%", escape="\\"),
                al.c.name_folded.like("% " + folded + "%", escape="\\")),
            *conds,
        ).order_by(al.c.name_folded).limit(20)
    ).scalars())


def keys_by_exact_name(conn: Connection, name: str) -> list[int]:
    """Alliances (archived ones too) whose name folds to the same text."""
    al = a.alliances
    return list(conn.execute(select(al.c.id).where(al.c.name_folded == fold(name))).scalars())


def describe(conn: Connection, keys: Sequence[int]) -> list[tuple[str, str, str]]:
    al = a.alliances
    return [(r.public_id, r.name, r.stage) for r in conn.execute(
        select(al).where(al.c.id.in_(list(keys))).order_by(al.c.name_folded))]


def notice_by(planned_end: date | None, notice_days: int | None) -> date | None:
    if planned_end is None or notice_days is None:
        return None
    return planned_end - timedelta(days=notice_days)


def _alliance(row: Any) -> Alliance:
    return Alliance(
        id=row.public_id, name=row.name, type=row.type,
        type_label=TYPE_LABELS.get(row.type) if row.type else None,
        purpose=row.purpose, rationale=row.rationale, stage=row.stage,
        currency=row.currency, started_on=row.started_on, planned_end_on=row.planned_end_on,
        notice_days=row.notice_days, notice_by=notice_by(row.planned_end_on, row.notice_days),
        decision_on=row.decision_on, sla_hours=row.sla_hours,
        termination_code=row.termination_code, termination_reason=row.termination_reason,
        lessons=row.lessons, archived=row.deleted_at is not None,
        created_at=utc(row.created_at), updated_at=utc(row.updated_at), key=row.id,
    )


def get_alliance(conn: Connection, key: int) -> Alliance | None:
    row = conn.execute(select(a.alliances).where(a.alliances.c.id == key)).first()
    if row is None:
        return None
    al = _alliance(row)
    al.partners = partners_of(conn, key)
    al.documents = documents_of(conn, key)
    return al


def list_alliances(
    conn: Connection, *, stage: str | None = None, archived: bool = False,
    limit: int = 100, offset: int = 0,
) -> tuple[list[AllianceSummary], int]:
    al = a.alliances
    conds: list[Any] = [] if archived else [_live]
    if stage:
        conds.append(al.c.stage == stage)
    total = conn.execute(select(func.count()).select_from(al).where(*conds)).scalar_one()
    rows = conn.execute(select(al).where(*conds).order_by(al.c.name_folded)
                        .limit(limit).offset(offset)).all()
    names: dict[int, list[str]] = {r.id: [] for r in rows}
    if rows:
        p = a.alliance_partners
        for r in conn.execute(
            select(p.c.alliance_id, s.orgs.c.name).join(s.orgs, s.orgs.c.id == p.c.org_id)
            .where(p.c.alliance_id.in_(list(names)), p.c.left_on.is_(None))
            .order_by(p.c.is_us.desc(), s.orgs.c.name)
        ):
            names[r.alliance_id].append(r.name)
    return [AllianceSummary(
        id=r.public_id, name=r.name, type=r.type, stage=r.stage, partners=names[r.id],
        started_on=r.started_on, planned_end_on=r.planned_end_on, decision_on=r.decision_on,
        notice_by=notice_by(r.planned_end_on, r.notice_days),
        archived=r.deleted_at is not None, key=r.id) for r in rows], total


def live_alliance_keys(conn: Connection, *, stages: Sequence[str] | None = None) -> list[int]:
    q = select(a.alliances.c.id).where(_live).order_by(a.alliances.c.name_folded)
    if stages:
        q = q.where(a.alliances.c.stage.in_(list(stages)))
    return list(conn.execute(q).scalars())


def dated_items(conn: Connection, now: datetime) -> list[AllianceDate]:
    """The calendar's alliance dates (live alliances that are not closed): decision,
    notice and planned-end dates until the alliance is being wound up, objective
    deadlines likewise, each forum's next meeting (its last meeting held, or its
    start, plus its cadence: the agenda's rule) from negotiation on, and the due
    dates of open obligations (exit provisions too)."""
    al, o, ob = a.alliances, a.alliance_objectives, a.alliance_obligations
    fo, m, i = a.alliance_forums, a.alliance_meetings, s.interactions
    running = ("explore", "negotiate", "launch", "manage")
    out: list[AllianceDate] = []
    for r in conn.execute(select(al).where(_live, al.c.stage.in_(running))
                          .order_by(al.c.name_folded)):
        notice = notice_by(r.planned_end_on, r.notice_days)
        for kind, day, title in (("decision", r.decision_on, "renewal or exit decision"),
                                 ("notice", notice, "last day to give notice"),
                                 ("end", r.planned_end_on, "planned end")):
            if day is not None:
                out.append(AllianceDate(f"{r.public_id}:{kind}", r.name, r.public_id, kind,
                                        title, day))
    for r in conn.execute(
            select(o.c.public_id, o.c.name.label("title"), o.c.deadline, al.c.public_id
                   .label("alliance_public"), al.c.name)
            .join(al, al.c.id == o.c.alliance_id)
            .where(_live, al.c.stage.in_(running), o.c.deadline.is_not(None))
            .order_by(o.c.deadline, o.c.id)):
        out.append(AllianceDate(r.public_id, r.name, r.alliance_public, "objective",
                                r.title, r.deadline))
    held = (select(m.c.forum_id, func.max(i.c.occurred_at).label("last"))
            .join(i, i.c.id == m.c.interaction_id)
            .where(i.c.deleted_at.is_(None), i.c.occurred_at <= now, m.c.forum_id.is_not(None))
            .group_by(m.c.forum_id).subquery())
    for r in conn.execute(
            select(fo.c.public_id, fo.c.name.label("title"), fo.c.cadence_days,
                   fo.c.created_on, fo.c.created_at, held.c.last,
                   al.c.public_id.label("alliance_public"), al.c.name)
            .join(al, al.c.id == fo.c.alliance_id)
            .outerjoin(held, held.c.forum_id == fo.c.id)
            .where(_live, al.c.stage.in_(MEETING_STAGES), fo.c.ended_on.is_(None))
            .order_by(fo.c.id)):
        last_at = utc(r.last)
        last = last_at.date() if last_at is not None else (
            r.created_on or utc_at(r.created_at).date())
        out.append(AllianceDate(r.public_id, r.name, r.alliance_public, "forum", r.title,
                                last + timedelta(days=r.cadence_days)))
    for r in conn.execute(
            select(ob.c.public_id, ob.c.text, ob.c.due_on, al.c.public_id
                   .label("alliance_public"), al.c.name)
            .join(al, al.c.id == ob.c.alliance_id)
            .where(_live, al.c.stage != "closed", ob.c.done_on.is_(None),
                   ob.c.due_on.is_not(None))
            .order_by(ob.c.due_on, ob.c.id)):
        out.append(AllianceDate(r.public_id, r.name, r.alliance_public, "obligation",
                                r.text, r.due_on))
    return out


# -- partners and contacts -------------------------------------------------------------


def insert_partner(j: Journal, public_id: str, alliance_key: int, org_key: int,
                   **values: Any) -> int:
    key = j.insert(a.alliance_partners, {
        "public_id": public_id, "alliance_id": alliance_key, "org_id": org_key,
        "is_us": False, "created_at": j.now, **values})
    assert key is not None
    return key


def partner_key_for_org(conn: Connection, alliance_key: int, org_key: int) -> int | None:
    p = a.alliance_partners
    return conn.execute(select(p.c.id).where(p.c.alliance_id == alliance_key,
                                             p.c.org_id == org_key)).scalar()


def partner_keys(conn: Connection, alliance_key: int) -> list[int]:
    p = a.alliance_partners
    return list(conn.execute(select(p.c.id).where(p.c.alliance_id == alliance_key)
                             .order_by(p.c.id)).scalars())


def partners_of(conn: Connection, alliance_key: int) -> list[Partner]:
    p = a.alliance_partners
    rows = conn.execute(
        select(p, s.orgs.c.public_id.label("org_public"), s.orgs.c.name.label("org_name"))
        .join(s.orgs, s.orgs.c.id == p.c.org_id)
        .where(p.c.alliance_id == alliance_key)
        .order_by(p.c.is_us.desc(), s.orgs.c.name)
    ).all()
    c = a.alliance_contacts
    contacts = conn.execute(
        select(c, s.people.c.archived_at, s.people.c.deleted_at)
        .join(s.people, s.people.c.id == c.c.person_id)
        .where(c.c.partner_id.in_([r.id for r in rows]))
        .order_by(c.c.id)
    ).all() if rows else []
    refs = refs_by_keys(conn, [r.sponsor_id for r in rows if r.sponsor_id]
                        + [r.person_id for r in contacts])
    out = []
    for r in rows:
        mine = [PartnerContact(
            id=refs[x.person_id].id, name=refs[x.person_id].name, role=x.role,
            departed_on=x.departed_on,
            active=x.departed_on is None and x.archived_at is None and x.deleted_at is None,
            key=x.person_id) for x in contacts if x.partner_id == r.id]
        out.append(Partner(
            id=r.public_id, name=r.org_name, org_id=r.org_public, is_us=r.is_us, role=r.role,
            sponsor=refs.get(r.sponsor_id) if r.sponsor_id else None, share_bp=r.share_bp,
            joined_on=r.joined_on, left_on=r.left_on, contacts=mine, key=r.id))
    return out


def contact_key(conn: Connection, partner_key: int, person_key: int) -> int | None:
    c = a.alliance_contacts
    return conn.execute(select(c.c.id).where(c.c.partner_id == partner_key,
                                             c.c.person_id == person_key)).scalar()


def contacts_of_person(conn: Connection, alliance_key: int, person_key: int) -> list[int]:
    """Partner keys where this person is a contact (or the sponsor)."""
    p, c = a.alliance_partners, a.alliance_contacts
    as_contact = conn.execute(
        select(c.c.partner_id).join(p, p.c.id == c.c.partner_id)
        .where(p.c.alliance_id == alliance_key, c.c.person_id == person_key)).scalars().all()
    as_sponsor = conn.execute(select(p.c.id).where(
        p.c.alliance_id == alliance_key, p.c.sponsor_id == person_key)).scalars().all()
    return list(dict.fromkeys([*as_contact, *as_sponsor]))


def insert_contact(j: Journal, partner_key: int, person_key: int, role: str | None) -> int:
    key = j.insert(a.alliance_contacts, {"partner_id": partner_key, "person_id": person_key,
                                         "role": role, "created_at": j.now})
    assert key is not None
    return key


# -- documents ---------------------------------------------------------------------------


def insert_document(j: Journal, public_id: str, alliance_key: int, **values: Any) -> int:
    key = j.insert(a.alliance_documents, {"public_id": public_id, "alliance_id": alliance_key,
                                          "created_at": j.now, **values})
    assert key is not None
    return key


def documents_of(conn: Connection, alliance_key: int) -> list[Document]:
    d = a.alliance_documents
    return [Document(id=r.public_id, name=r.title, location=r.location, kind=r.kind,
                     added_on=r.added_on, key=r.id)
            for r in conn.execute(select(d).where(d.c.alliance_id == alliance_key,
                                                  d.c.deleted_at.is_(None)).order_by(d.c.id))]


def key_by_public_id(conn: Connection, table_name: str, alliance_key: int,
                     public_id: str) -> list[int]:
    """Rows of an alliance table by public id or its start (at most 10)."""
    t = a.alliances.metadata.tables[table_name]
    text = public_id.strip().lower()
    exact = conn.execute(select(t.c.id).where(t.c.public_id == text,
                                              t.c.alliance_id == alliance_key)).scalars().all()
    if exact:
        return list(exact)
    return list(conn.execute(select(t.c.id).where(
        t.c.public_id.like(text.replace("_", r"\_") + "%", escape="\\"),
        t.c.alliance_id == alliance_key).limit(10)).scalars())


def alliance_name(conn: Connection, alliance_key: int) -> str:
    """The name of one alliance."""
    return str(conn.execute(select(a.alliances.c.name)
                            .where(a.alliances.c.id == alliance_key)).scalar_one())


def partner_org_name(conn: Connection, partner_key: int) -> str:
    """The name of a partner's organization."""
    p = a.alliance_partners
    return str(conn.execute(select(s.orgs.c.name).join(p, p.c.org_id == s.orgs.c.id)
                            .where(p.c.id == partner_key)).scalar_one())


def us_partner_key(conn: Connection, alliance_key: int) -> int | None:
    """The partner of this alliance marked as us, if any."""
    p = a.alliance_partners
    key = conn.execute(select(p.c.id).where(p.c.alliance_id == alliance_key,
                                            p.c.is_us.is_(True))).scalar()
    return None if key is None else int(key)


def us_org_name(conn: Connection, alliance_key: int) -> str | None:
    """The name of our own organization in this alliance, if a partner is marked us."""
    p = a.alliance_partners
    name = conn.execute(select(s.orgs.c.name).join(p, p.c.org_id == s.orgs.c.id).where(
        p.c.alliance_id == alliance_key, p.c.is_us.is_(True))).scalar()
    return None if name is None else str(name)


def partner_is_us(conn: Connection, partner_key: int) -> bool:
    """Whether this partner is marked as us."""
    return bool(conn.execute(select(a.alliance_partners.c.is_us).where(
        a.alliance_partners.c.id == partner_key)).scalar())
