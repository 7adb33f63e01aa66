"""People and their contact details, roles and tags."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    and_,
    cast,
    false,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)

from kithbook.domain.models import ContactPoint, PeoplePage, Person, PersonRef, Role
from kithbook.domain.text import fold, words
from kithbook.store import schema as s
from kithbook.store.journal import Journal
from kithbook.store.key_lists import bound_form, bound_one_of, bound_values
from kithbook.store.rows import utc

CONTACT_TABLES = {
    "email": s.person_emails,
    "phone": s.person_phones,
    "url": s.person_urls,
    "address": s.person_addresses,
}

_live = s.people.c.deleted_at.is_(None)


def insert_person(j: Journal, public_id: str, name: str, **values: Any) -> int:
    row = {
        "public_id": public_id,
        "name": name,
        "name_folded": fold(name),
        "is_me": False,
        "created_at": j.now,
        "updated_at": j.now,
    }
    row.update(values)
    key = j.insert(s.people, row)
    assert key is not None
    return key


def update_person(j: Journal, key: int, values: dict[str, Any]) -> None:
    if "name" in values:
        values = {**values, "name_folded": fold(values["name"])}
    j.update(s.people, key, {**values, "updated_at": j.now})


def add_contact(j: Journal, person_key: int, kind: str, values: dict[str, Any]) -> int | None:
    table = CONTACT_TABLES[kind]
    row = {"person_id": person_key, "created_at": j.now, "source": "manual", "is_primary": False}
    row.update(values)
    return j.insert(table, row)


def me_key(conn: Connection) -> int | None:
    return conn.execute(
        select(s.people.c.id).where(s.people.c.is_me.is_(True), _live).limit(1)
    ).scalar()


def ref_by_key(conn: Connection, key: int) -> PersonRef:
    row = conn.execute(
        select(s.people.c.id, s.people.c.public_id, s.people.c.name).where(s.people.c.id == key)
    ).one()
    return PersonRef(id=row.public_id, name=row.name, key=row.id)


def refs_by_keys(conn: Connection, keys: Iterable[int]) -> dict[int, PersonRef]:
    keys = list(set(keys))
    out: dict[int, PersonRef] = {}
    for chunk_start in range(0, len(keys), 500):
        chunk = keys[chunk_start : chunk_start + 500]
        for row in conn.execute(
            select(s.people.c.id, s.people.c.public_id, s.people.c.name).where(
                s.people.c.id.in_(chunk)
            )
        ):
            out[row.id] = PersonRef(id=row.public_id, name=row.name, key=row.id)
    return out


def _person_from_row(row: Any) -> Person:
    m = row._mapping
    return Person(
        id=m["public_id"],
        name=m["name"],
        key=m["id"],
        given_name=m["given_name"],
        family_name=m["family_name"],
        nickname=m["nickname"],
        is_me=bool(m["is_me"]),
        tier=m["tier"],
        stage=m["stage"],
        cadence_days=m["cadence_days"],
        how_met=m["how_met"],
        first_met_on=m["first_met_on"],
        birthday=m["birthday"],
        anniversary=m["anniversary"],
        linkedin_url=m["linkedin_url"],
        snoozed_until=m["snoozed_until"],
        last_touch_at=utc(m["last_touch_at"]),
        archived_at=utc(m["archived_at"]),
        archive_reason=m["archive_reason"],
        created_at=utc(m["created_at"]),
        updated_at=utc(m["updated_at"]),
    )


@functools.cache
def _rows_by_key_query(form: str) -> Any:
    return select(s.people).where(bound_one_of(s.people.c.id, "keys", form))


def rows_by_key(conn: Connection, keys: Sequence[int]) -> list[Person]:
    """These people (without details), in the order of `keys`."""
    if not keys:
        return []
    form = bound_form(conn, len(keys))
    found = {r.id: _person_from_row(r) for r in conn.execute(
        _rows_by_key_query(form), {"keys": bound_values(form, keys)})}
    return [found[k] for k in keys if k in found]


def get_person(conn: Connection, key: int, *, details: bool = True) -> Person | None:
    row = conn.execute(select(s.people).where(s.people.c.id == key, _live)).first()
    if row is None:
        return None
    person = _person_from_row(row)
    if row.met_via_id:
        person.met_via = ref_by_key(conn, row.met_via_id)
    if details:
        load_details(conn, [person])
    return person


# The details of a page of people (contact points, roles, tags) are one statement, made
# once: building it cost as much as running it, and a statement's fixed cost (a round
# trip to a PostgreSQL server) is most of the cost of reading the few rows of a page.
# Every list, search and person page reads them. Each part fills the same columns:
#
#   part      id       a          b          c       d           flag        at / d1 / d2
#   contact   its id   value      normalized label   source      is_primary  created_at
#   role      its id   org's id   org's name title   department  is_current  start / end
#   tag       0        name
#
# and `rank` orders rows within a part: contact points by key, roles newest first
# (after the current ones), tags by name.
_ROLE_PART = len(CONTACT_TABLES)
_TAG_PART = _ROLE_PART + 1


@functools.cache
def _details_query(form: str) -> Any:
    """Made once per form of binding the keys (key_lists.bound_form: a person page's one
    key is bound as itself, which PostgreSQL plans once)."""
    def keys(column: Any) -> Any:
        return bound_one_of(column, "keys", form)

    no_date = cast(null(), Date)
    parts = []
    for n, table in enumerate(CONTACT_TABLES.values()):
        normalized = table.c.get("normalized", table.c.get("e164"))
        parts.append(select(
            literal(n).label("part"), table.c.person_id, table.c.id.label("id"),
            table.c.id.label("rank"), table.c.value.label("a"),
            (normalized if normalized is not None else null()).label("b"),
            table.c.label.label("c"), table.c.source.label("d"),
            table.c.is_primary.label("flag"), table.c.created_at.label("at"),
            no_date.label("d1"), no_date.label("d2"),
        ).where(keys(table.c.person_id)))
    r, o = s.roles, s.orgs
    parts.append(
        select(literal(_ROLE_PART), r.c.person_id, r.c.id, -r.c.id, o.c.public_id, o.c.name,
               r.c.title, r.c.department, r.c.is_current, null(), r.c.start_date,
               r.c.end_date)
        .join(o, o.c.id == r.c.org_id)
        .where(keys(r.c.person_id), o.c.deleted_at.is_(None)))
    t, tg = s.tags, s.taggings
    parts.append(
        select(literal(_TAG_PART), tg.c.subject_id, literal(0), literal(0), t.c.name, null(),
               null(), null(), false(), null(), null(), null())
        .join(t, t.c.id == tg.c.tag_id)
        .where(tg.c.subject_kind == "person", keys(tg.c.subject_id)))
    rows = union_all(*parts).subquery()
    return select(rows).order_by(rows.c.part, rows.c.flag.desc(), rows.c.rank, rows.c.a)


_KINDS = [(kind, kind + ("es" if kind == "address" else "s")) for kind in CONTACT_TABLES]


def load_details(conn: Connection, people: Sequence[Person]) -> None:
    """Fill contact points, roles and tags for several people in one query."""
    by_key = {p.key: p for p in people}
    keys = list(by_key)
    if not keys:
        return
    form = bound_form(conn, len(keys))
    for r in conn.execute(_details_query(form), {"keys": bound_values(form, keys)}):
        part = r.part
        person = by_key[r.person_id]
        if part == _TAG_PART:
            person.tags.append(r.a)
        elif part == _ROLE_PART:
            person.roles.append(Role(
                org_id=r.a,
                org_name=r.b,
                title=r.c,
                department=r.d,
                start_date=r.d1,
                end_date=r.d2,
                is_current=bool(r.flag),
            ))
        else:
            kind, field = _KINDS[part]
            getattr(person, field).append(ContactPoint(
                kind=kind,
                value=r.a,
                normalized=r.b,
                label=r.c,
                is_primary=bool(r.flag),
                source=r.d,
                created_at=utc(r.at),
                id=f"{kind}:{r.id}",
                name=r.a,
            ))


def key_by_public_id(conn: Connection, public_id: str, *, prefix: bool = True) -> list[int]:
    rows = (
        conn.execute(select(s.people.c.id).where(s.people.c.public_id == public_id, _live))
        .scalars()
        .all()
    )
    if rows or not prefix:
        return list(rows)
    return list(
        conn.execute(
            select(s.people.c.id).where(s.people.c.public_id.like(public_id + "%"), _live).limit(10)
        ).scalars()
    )


def keys_by_folded_name(conn: Connection, folded: str) -> list[int]:
    return list(
        conn.execute(
            select(s.people.c.id).where(s.people.c.name_folded == folded, _live).limit(50)
        ).scalars()
    )


def keys_by_email(conn: Connection, email: str) -> list[int]:
    return list(
        conn.execute(
            select(s.person_emails.c.person_id).distinct()
            .join(s.people, s.people.c.id == s.person_emails.c.person_id)
            .where(s.person_emails.c.normalized == email.strip().lower(), _live)
            .limit(50)
        ).scalars()
    )


def keys_by_name_words(conn: Connection, words: Sequence[str], limit: int = 50) -> list[int]:
    """People whose folded name has a word starting with each of `words`."""
    conds = []
    for w in words:
        w = w.replace("%", "").replace("_", "")
        conds.append(
            or_(
                s.people.c.name_folded.like(w + "%"),
                s.people.c.name_folded.like("% " + w + "%"),
                s.people.c.name_folded.like("%-" + w + "%"),
            )
        )
    return list(
        conn.execute(
            select(s.people.c.id).where(and_(*conds), _live).order_by(s.people.c.name).limit(limit)
        ).scalars()
    )


def all_names(conn: Connection, limit: int = 2_000_000) -> list[tuple[int, str]]:
    return [
        (r.id, r.name_folded)
        for r in conn.execute(
            select(s.people.c.id, s.people.c.name_folded).where(_live).limit(limit)
        )
    ]


def describe(conn: Connection, keys: Sequence[int]) -> list[tuple[str, str, str]]:
    """(public id, name, org/title) for disambiguation lists."""
    if not keys:
        return []
    rows = conn.execute(
        select(s.people.c.id, s.people.c.public_id, s.people.c.name)
        .where(s.people.c.id.in_(list(keys)))
        .order_by(s.people.c.name)
    ).all()
    org_by = {}
    for r in conn.execute(
        select(s.roles.c.person_id, s.roles.c.title, s.orgs.c.name)
        .join(s.orgs, s.orgs.c.id == s.roles.c.org_id)
        .where(s.roles.c.person_id.in_(list(keys)), s.roles.c.is_current.is_(True))
    ):
        org_by[r.person_id] = ", ".join(x for x in (r.title, r.name) if x)
    return [(r.public_id, r.name, org_by.get(r.id, "")) for r in rows]


def list_people(
    conn: Connection,
    *,
    tag: str | None = None,
    tier: str | None = None,
    stage: str | None = None,
    org_key: int | None = None,
    archived: bool = False,
    touched_before: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
    name_prefix: str | None = None,
) -> PeoplePage:
    p = s.people
    conds: list[Any] = [
        _live,
        p.c.archived_at.isnot(None) if archived else p.c.archived_at.is_(None),
    ]
    if tier:
        conds.append(p.c.tier == tier.upper())
    if stage:
        conds.append(p.c.stage == stage)
    if touched_before is not None:
        conds.append(or_(p.c.last_touch_at.is_(None), p.c.last_touch_at < touched_before))
    name = None
    if name_prefix:
        # "a name word starts like each typed word", at a cost per page that does not
        # grow with the matches (store/name_words.py)
        from kithbook.store import name_words

        tokens = words(name_prefix)[:12]
        if not tokens:
            return PeoplePage(total=0, items=[])
        filtered = bool(tier or stage or touched_before or tag or org_key is not None)
        name = name_words.plan(conn, tokens, offset=offset, limit=limit, filtered=filtered)
    if tag:
        conds.append(
            p.c.id.in_(
                select(s.taggings.c.subject_id)
                .join(s.tags, s.tags.c.id == s.taggings.c.tag_id)
                .where(s.taggings.c.subject_kind == "person", s.tags.c.name == fold(tag))
            )
        )
    if org_key is not None:
        conds.append(p.c.id.in_(select(s.roles.c.person_id).where(s.roles.c.org_id == org_key)))
    where = and_(*conds, *(name.conds if name is not None else ()))
    bound = name.params if name is not None else {}
    if name is not None and name.bounded:
        # at most KEYED_CAP people can match: their keys in name order, in one statement,
        # give the page and the exact total. Counting them again beside the page would
        # read every match's row a second time (most of the cost of a search).
        keys = conn.execute(select(p.c.id).where(where).order_by(p.c.name_folded, p.c.id),
                            bound).scalars().all()
        people = rows_by_key(conn, keys[offset:offset + limit])
        load_details(conn, people)
        return PeoplePage(total=len(keys), items=people)
    rows = conn.execute(select(p).where(where).order_by(p.c.name_folded, p.c.id)
                        .limit(limit).offset(offset), bound).all()
    people = [_person_from_row(r) for r in rows]
    load_details(conn, people)
    # a name plan here is a walk or a filtered list past KEYED_CAP (bounded ones returned
    # above): its total is counted, up to a cap
    lower = False
    if name is not None and (not people or len(people) == limit):
        from kithbook.store.name_words import capped_count

        total, lower = capped_count(conn, p, conds, name)
        if people:  # the page itself may have seen further than the count went
            total = max(total, offset + len(people))
    elif name is not None:  # the page reached the end: exact
        total = offset + len(people)
    else:
        total = conn.execute(select(func.count()).select_from(p).where(where)).scalar_one()
    return PeoplePage(total=total, items=people, total_is_lower_bound=lower)


def count_people(conn: Connection, *, include_me: bool = True) -> int:
    q = select(func.count()).select_from(s.people).where(_live)
    if not include_me:
        q = q.where(s.people.c.is_me.is_(False))
    return conn.execute(q).scalar_one()


def set_last_touch(j: Journal, keys: Iterable[int], when: datetime) -> None:
    """Advance last_touch_at (never move it backwards: an old log is still a touch)."""
    for key in set(keys):
        current = j.conn.execute(
            select(s.people.c.last_touch_at).where(s.people.c.id == key)
        ).scalar()
        current = utc(current)
        if current is None or current < when:
            j.update(s.people, key, {"last_touch_at": when})


def add_role(
    j: Journal,
    person_key: int,
    org_key: int,
    title: str | None,
    *,
    source: str = "manual",
    start: date | None = None,
) -> None:
    existing = j.conn.execute(
        select(s.roles.c.id, s.roles.c.title).where(
            s.roles.c.person_id == person_key,
            s.roles.c.org_id == org_key,
            s.roles.c.is_current.is_(True),
        )
    ).first()
    if existing is not None:
        if title and existing.title != title:
            j.update(s.roles, existing.id, {"title": title})
        return
    j.insert(
        s.roles,
        {
            "person_id": person_key,
            "org_id": org_key,
            "title": title,
            "is_current": True,
            "source": source,
            "created_at": j.now,
            "start_date": start,
        },
    )


def end_other_roles(j: Journal, person_key: int, org_key: int, today: date) -> None:
    """Close the person's current roles at other organizations (they moved)."""
    for role in j.conn.execute(select(s.roles.c.id).where(
            s.roles.c.person_id == person_key, s.roles.c.org_id != org_key,
            s.roles.c.is_current.is_(True))).scalars().all():
        j.update(s.roles, role, {"is_current": False, "end_date": today})


def photos(conn: Connection, keys: Sequence[int]) -> dict[int, str]:
    """The photo of each of these people that has one."""
    return {r.id: r.photo for r in conn.execute(select(s.people.c.id, s.people.c.photo).where(
        s.people.c.id.in_(keys), s.people.c.photo.isnot(None)))}
