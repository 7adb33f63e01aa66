"""SQL for duplicate detection and merging: compact candidates for every live person,
and the journaled moves that fold one person into another."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Column, Connection, Table, select

from kithbook.domain.dupes import Candidate
from kithbook.domain.text import fold
from kithbook.store import schema as s
from kithbook.store.journal import Journal

_live = s.people.c.deleted_at.is_(None)


def candidates(conn: Connection) -> list[Candidate]:
    emails: dict[int, set[str]] = defaultdict(set)
    phones: dict[int, set[str]] = defaultdict(set)
    orgs: dict[int, set[str]] = defaultdict(set)
    for r in conn.execute(select(s.person_emails.c.person_id, s.person_emails.c.normalized)):
        emails[r.person_id].add(r.normalized)
    for r in conn.execute(select(s.person_phones.c.person_id, s.person_phones.c.e164)
                          .where(s.person_phones.c.e164.isnot(None))):
        phones[r.person_id].add(r.e164)
    for r in conn.execute(
        select(s.roles.c.person_id, s.orgs.c.name_folded)
        .join(s.orgs, s.orgs.c.id == s.roles.c.org_id)
        .where(s.roles.c.is_current.is_(True), s.orgs.c.deleted_at.is_(None))
    ):
        orgs[r.person_id].add(r.name_folded)
    out = []
    for row in conn.execute(
        select(s.people.c.id, s.people.c.public_id, s.people.c.name, s.people.c.name_folded,
               s.people.c.given_name, s.people.c.family_name, s.people.c.linkedin_url)
        .where(_live, s.people.c.is_me.is_(False)).order_by(s.people.c.id)
    ):
        out.append(Candidate(
            key=row.id, id=row.public_id, name=row.name, name_folded=row.name_folded,
            given=fold(row.given_name), family=fold(row.family_name),
            emails=frozenset(emails.get(row.id, ())), phones=frozenset(phones.get(row.id, ())),
            linkedin=row.linkedin_url, orgs=frozenset(orgs.get(row.id, ())),
        ))
    return out


def org_rows(conn: Connection) -> list[tuple[int, str, str, str, str | None]]:
    return [(r.id, r.public_id, r.name, r.name_folded, r.domain) for r in conn.execute(
        select(s.orgs.c.id, s.orgs.c.public_id, s.orgs.c.name, s.orgs.c.name_folded,
               s.orgs.c.domain).where(s.orgs.c.deleted_at.is_(None)))]


# -- merging ---------------------------------------------------------------------------

_SCALARS = ("given_name", "family_name", "nickname", "tier", "stage", "cadence_days",
            "how_met", "met_via_id", "birthday", "anniversary", "photo", "linkedin_url",
            "snoozed_until")
_DETAILS: dict[str, tuple[Table, str]] = {
    "email": (s.person_emails, "normalized"), "phone": (s.person_phones, "e164"),
    "url": (s.person_urls, "normalized"), "address": (s.person_addresses, "value"),
}


def org_refs(conn: Connection, keys: list[int]) -> dict[int, tuple[str, str]]:
    """The public id and name of each of these organizations."""
    return {r.id: (r.public_id, r.name) for r in conn.execute(
        select(s.orgs.c.id, s.orgs.c.name, s.orgs.c.public_id).where(s.orgs.c.id.in_(keys)))}


def people_at_orgs(conn: Connection, org_keys: list[int]) -> set[int]:
    """Everyone with a role (current or past) at any of these organizations."""
    return {r for (r,) in conn.execute(
        select(s.roles.c.person_id).where(s.roles.c.org_id.in_(org_keys)))}


def merge_people(j: Journal, keep: int, gone: int) -> dict[str, int]:
    """Fold person `gone` into `keep`, journaled; returns counts of what moved."""
    conn = j.conn
    moved: dict[str, int] = defaultdict(int)
    a = conn.execute(select(s.people).where(s.people.c.id == keep)).one()._mapping
    b = conn.execute(select(s.people).where(s.people.c.id == gone)).one()._mapping
    fill: dict[str, Any] = {k: b[k] for k in _SCALARS if a[k] in (None, "") and b[k]}
    if fill.get("met_via_id") == keep:
        fill.pop("met_via_id")
    if b["first_met_on"] and (a["first_met_on"] is None or b["first_met_on"] < a["first_met_on"]):
        fill["first_met_on"] = b["first_met_on"]
    touch_a, touch_b = a["last_touch_at"], b["last_touch_at"]
    if touch_b and (touch_a is None or str(touch_b) > str(touch_a)):
        fill["last_touch_at"] = touch_b
    if fill:
        j.update(s.people, keep, {**fill, "updated_at": j.now})
        moved["fields"] = len(fill)
    for kind, (table, col) in _DETAILS.items():
        have = {r.v or r.value for r in conn.execute(
            select(table.c[col].label("v"), table.c.value).where(table.c.person_id == keep))}
        for r in conn.execute(select(table).where(table.c.person_id == gone)).all():
            norm = r._mapping[col] or r.value
            if norm in have:
                j.delete(table, r.id)
            else:
                have.add(norm)
                j.update(table, r.id, {"person_id": keep})
                moved[kind] += 1
    orgs_have = {r.org_id for r in conn.execute(
        select(s.roles.c.org_id).where(s.roles.c.person_id == keep))}
    for r in conn.execute(select(s.roles).where(s.roles.c.person_id == gone)).all():
        if r.org_id in orgs_have:
            j.delete(s.roles, r.id)
        else:
            j.update(s.roles, r.id, {"person_id": keep})
            moved["roles"] += 1
    moved["ties"] = _move_ties(j, keep, gone)
    for r in conn.execute(select(s.interaction_participants).where(
            s.interaction_participants.c.person_id == gone)).all():
        key = {"interaction_id": r.interaction_id, "person_id": gone}
        j.delete(s.interaction_participants, key)
        both = conn.execute(select(s.interaction_participants).where(
            s.interaction_participants.c.interaction_id == r.interaction_id,
            s.interaction_participants.c.person_id == keep)).first()
        if both is None:
            j.insert(s.interaction_participants,
                     {"interaction_id": r.interaction_id, "person_id": keep})
        moved["interactions"] += 1
    for r in conn.execute(select(s.taggings).where(
            s.taggings.c.subject_kind == "person", s.taggings.c.subject_id == gone)).all():
        j.delete(s.taggings, {"tag_id": r.tag_id, "subject_kind": "person",
                              "subject_id": gone})
        exists = conn.execute(select(s.taggings).where(
            s.taggings.c.tag_id == r.tag_id, s.taggings.c.subject_kind == "person",
            s.taggings.c.subject_id == keep)).first()
        if exists is None:
            j.insert(s.taggings, {"tag_id": r.tag_id, "subject_kind": "person",
                                  "subject_id": keep})
    for r in conn.execute(select(s.notes.c.id).where(
            s.notes.c.subject_kind == "person", s.notes.c.subject_id == gone)).all():
        j.update(s.notes, r.id, {"subject_id": keep})
        moved["notes"] += 1
    skip = {"ties", "people", "roles", "interaction_participants",
            *(t.name for t, _ in _DETAILS.values())}
    for name, n in _repoint(j, gone, keep, skip=skip).items():
        moved[name] += n
    j.update(s.people, gone, {"deleted_at": j.now, "updated_at": j.now,
                              "archive_reason": f"merged into {a['public_id']}"})
    return dict(moved)


def person_reference_columns(skip: set[str]) -> Iterator[tuple[Table, Column[Any]]]:
    """Every column that points at people (promises, ledger, needs, met_via...) in a
    table with an `id`, outside the tables in `skip` that the caller moves itself;
    `people.met_via_id` always counts. Walking the schema means a table added later is
    repointed without anyone remembering to list it."""
    for table in s.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        for col in table.c:
            if not any(fk.column.table.name == "people" for fk in col.foreign_keys):
                continue
            if table.name in skip and not (table.name == "people" and col.name == "met_via_id"):
                continue
            yield table, col


def _repoint(j: Journal, gone: int, keep: int, *, skip: set[str]) -> dict[str, int]:
    """Every other column that points at people."""
    count: dict[str, int] = defaultdict(int)
    for table, col in person_reference_columns(skip):
        for r in j.conn.execute(select(table.c.id).where(col == gone)).all():
            if table.name == "people" and r.id == keep:
                j.update(table, r.id, {col.name: None})
                continue
            j.update(table, r.id, {col.name: keep})
            count[table.name] += 1
    return count


def _move_ties(j: Journal, keep: int, gone: int) -> int:
    conn = j.conn
    t = s.ties
    moved = 0
    rows = conn.execute(select(t).where((t.c.a_id == gone) | (t.c.b_id == gone))).all()
    for r in rows:
        other = r.b_id if r.a_id == gone else r.a_id
        if other == keep:
            j.delete(t, r.id)
            continue
        lo, hi = min(keep, other), max(keep, other)
        clash = conn.execute(select(t).where(t.c.a_id == lo, t.c.b_id == hi,
                                             t.c.kind == r.kind)).first()
        if clash is not None:
            if r.strength > clash.strength:
                j.update(t, clash.id, {"strength": r.strength})
            j.delete(t, r.id)
        else:
            j.update(t, r.id, {"a_id": lo, "b_id": hi})
        moved += 1
    return moved


def merge_orgs(j: Journal, keep: int, gone: int) -> dict[str, int]:
    """Fold organization `gone` into `keep`: roles, tags, notes and every other column
    that points at organizations move; `gone` goes to the trash. Journaled."""
    conn = j.conn
    moved: dict[str, int] = defaultdict(int)
    a = conn.execute(select(s.orgs).where(s.orgs.c.id == keep)).one()._mapping
    b = conn.execute(select(s.orgs).where(s.orgs.c.id == gone)).one()._mapping
    fill = {k: b[k] for k in ("domain", "kind") if not a[k] and b[k]}
    if fill:
        j.update(s.orgs, keep, {**fill, "updated_at": j.now})
        moved["fields"] = len(fill)
    current = {(r.person_id, r.title) for r in conn.execute(
        select(s.roles.c.person_id, s.roles.c.title).where(s.roles.c.org_id == keep))}
    for r in conn.execute(select(s.roles).where(s.roles.c.org_id == gone)).all():
        if (r.person_id, r.title) in current:
            j.delete(s.roles, r.id)
        else:
            j.update(s.roles, r.id, {"org_id": keep})
            moved["roles"] += 1
    for r in conn.execute(select(s.taggings).where(
            s.taggings.c.subject_kind == "org", s.taggings.c.subject_id == gone)).all():
        j.delete(s.taggings, {"tag_id": r.tag_id, "subject_kind": "org", "subject_id": gone})
        if conn.execute(select(s.taggings).where(
                s.taggings.c.tag_id == r.tag_id, s.taggings.c.subject_kind == "org",
                s.taggings.c.subject_id == keep)).first() is None:
            j.insert(s.taggings, {"tag_id": r.tag_id, "subject_kind": "org",
                                  "subject_id": keep})
    for r in conn.execute(select(s.notes.c.id).where(
            s.notes.c.subject_kind == "org", s.notes.c.subject_id == gone)).all():
        j.update(s.notes, r.id, {"subject_id": keep})
        moved["notes"] += 1
    for table in s.metadata.sorted_tables:  # alliances and anything added later
        if table.name in ("roles", "orgs") or "id" not in table.c:
            continue
        for col in table.c:
            if any(fk.column.table.name == "orgs" for fk in col.foreign_keys):
                for r in conn.execute(select(table.c.id).where(col == gone)).all():
                    j.update(table, r.id, {col.name: keep})
                    moved[table.name] += 1
    j.update(s.orgs, gone, {"deleted_at": j.now, "updated_at": j.now})
    return dict(moved)
