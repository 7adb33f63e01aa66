"""Writing an import plan: bulk inserts (journaled per row), the few updates through the
Journal, and search documents for what changed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kithbook import ids
from kithbook.io import normalize
from kithbook.store import import_queries as q
from kithbook.store import schema as s
from kithbook.store import search as st_search
from kithbook.store.journal import Journal

if TYPE_CHECKING:
    from kithbook.services.import_plan import Plan, Planner

_TABLES = {"email": s.person_emails, "phone": s.person_phones, "url": s.person_urls,
           "address": s.person_addresses}


def write_plan(j: Journal, planner: Planner, *, source: str, fmt: str) -> None:
    conn = j.conn
    bulk = q.BulkWriter(conn, batch_id=j.batch_id, now=j.logged_at, actor=j.actor, action=j.action)
    plans = [p for p in planner.plans if p.key is None or p.changes()]
    now = j.now

    # organizations and tags first: people's rows point at them
    org_names: dict[str, str] = {}
    for p in plans:
        for folded, name, _, _ in p.roles:
            org_names.setdefault(folded, name)
    org_key = q.org_keys(conn, org_names)
    new_orgs = [f for f in org_names if f not in org_key]
    org_ids = bulk.insert(s.orgs, [
        {"public_id": ids.new_id("org"), "name": org_names[f], "name_folded": f,
         "created_at": now, "updated_at": now} for f in new_orgs])
    org_key.update(zip(new_orgs, org_ids, strict=True))
    tag_names = {t for p in plans for t in p.tags}
    tag_key = q.tag_keys(conn, tag_names)
    new_tags = sorted(t for t in tag_names if t not in tag_key)
    tag_key.update(zip(new_tags, bulk.insert(s.tags, [{"name": t} for t in new_tags]),
                       strict=True))

    # new people
    fresh = [p for p in plans if p.key is None]
    rows = []
    for p in fresh:
        row = {"public_id": ids.new_id("person"), "is_me": False, "created_at": now,
               "updated_at": now, "given_name": None, "family_name": None, "nickname": None,
               "birthday": None, "anniversary": None, "photo": None, "linkedin_url": None,
               "first_met_on": None}
        row.update(p.person)
        rows.append(row)
    for p, key in zip(fresh, bulk.insert(s.people, rows), strict=True):
        p.key = key
        p.fresh = True

    # updates to people who were already there (fill what is empty)
    touched: list[int] = []
    for p in plans:
        if p.fresh or p.key is None:
            continue
        touched.append(p.key)
        if p.person:
            j.update(s.people, p.key, {**p.person, "updated_at": now})

    # details, roles, tags, notes. Rows that belong to a person this import creates are
    # not journaled one by one: undoing the person's insert removes them (ON DELETE
    # CASCADE), which halves the journal of a large first import.
    for kind, table in _TABLES.items():
        for fresh_side in (True, False):
            detail_rows = [{"person_id": p.key, "source": source, "created_at": now, **d}
                           for p in plans if p.fresh is fresh_side for d in p.contacts[kind]]
            bulk.insert(table, detail_rows, journal=not fresh_side)
    role_rows = []
    for p in plans:
        assert p.key is not None
        existing = [] if p.fresh or not p.roles else q.current_roles(conn, p.key)
        for folded, _name, title, dept in p.roles:
            okey = org_key[folded]
            if p.older:  # an older export's job is a past one: the current stays
                role_rows.append({"person_id": p.key, "org_id": okey, "title": title,
                                  "department": dept, "is_current": False,
                                  "source": source, "created_at": now})
                continue
            same = [r for r in existing if r.org_id == okey]
            if same:
                if title and same[0].title != title:
                    j.update(s.roles, same[0].id, {"title": title})
                continue
            if not p.fresh and fmt == "linkedin":  # LinkedIn lists the current job only
                for r in existing:
                    if r.source.startswith("imp_") and r.is_current:
                        j.update(s.roles, r.id, {"is_current": False})
            role_rows.append({"person_id": p.key, "org_id": okey, "title": title,
                              "department": dept, "is_current": True, "source": source,
                              "created_at": now})
    fresh_keys = {p.key for p in fresh}
    bulk.insert(s.roles, [r for r in role_rows if r["person_id"] in fresh_keys], journal=False)
    bulk.insert(s.roles, [r for r in role_rows if r["person_id"] not in fresh_keys])
    bulk.insert(s.taggings, [
        {"tag_id": tag_key[t], "subject_kind": "person", "subject_id": p.key}
        for p in plans for t in p.tags])
    note_rows = [
        {"public_id": ids.new_id("note"), "subject_kind": "person", "subject_id": p.key,
         "body": body, "created_at": now, "updated_at": now}
        for p in plans for body in p.notes]
    note_keys = bulk.insert(s.notes, note_rows)
    # imported notes are searchable when the import commits (no `reindex` needed)
    q.add_search_docs(conn, [("note", key, body_of(str(r["body"])))
                             for key, r in zip(note_keys, note_rows, strict=True)])

    _ties_to_me(j, bulk, plans, fmt=fmt, source=source)

    # search documents: built in memory for new people, recomputed for the others
    docs = [("person", p.key, body_of(_person_text(p, org_names))) for p in fresh]
    docs += [("name", p.key, body_of(p.person.get("name") or "")) for p in fresh]
    q.add_search_docs(conn, [(k, key, body) for k, key, body in docs if key is not None])
    docs_orgs = [("org", org_key[f], body_of(org_names[f])) for f in new_orgs]
    q.add_search_docs(conn, docs_orgs)
    st_search.reindex_many(conn, [("person", k) for k in touched])


# You are at the centre of what you import (docs/architecture.md, import contract): a
# LinkedIn connection is a weak tie between you and them that began at "Connected On"; a
# person in your own address book is someone you know. These ties are not declared by
# you: their kind says where they came from and `source` names the import.
IMPORT_TIES = {"linkedin": ("linkedin", 1)}
ADDRESS_BOOK = ("address-book", 2)


def _ties_to_me(j: Journal, bulk: q.BulkWriter, plans: list[Plan], *, fmt: str,
                source: str) -> None:
    from kithbook.store import people as st_people
    from kithbook.store.ties import tied_to

    kind, strength = IMPORT_TIES.get(fmt, ADDRESS_BOOK)
    me = st_people.me_key(j.conn)
    if me is None:
        me = st_people.insert_person(j, ids.new_id("person"), "Me", is_me=True)
        st_search.reindex(j.conn, "person", me)
    already = tied_to(j.conn, me, kind)
    rows: list[dict[str, Any]] = []
    fresh_flags: list[bool] = []
    for p in plans:
        if p.key is None or p.key == me or p.key in already:
            continue
        already.add(p.key)
        lo, hi = (me, p.key) if me < p.key else (p.key, me)
        rows.append({"public_id": ids.new_id("tie"), "a_id": lo, "b_id": hi, "kind": kind,
                     "strength": strength, "since": p.connected_on,
                     "note": None, "source": source, "created_at": j.now, "deleted_at": None})
        fresh_flags.append(p.fresh)
    # a new person's tie goes with the person on undo (ON DELETE CASCADE)
    bulk.insert(s.ties, [r for r, f in zip(rows, fresh_flags, strict=True) if f],
                journal=False)
    bulk.insert(s.ties, [r for r, f in zip(rows, fresh_flags, strict=True) if not f])


_WORD = re.compile(r"\w+", re.UNICODE)


def body_of(raw: str) -> str:
    """store.search.body_of with the ASCII fast path of normalize.fast_fold."""
    return " ".join(_WORD.findall(normalize.fast_fold(raw)))


def _person_text(p: Plan, org_names: dict[str, str]) -> str:
    parts: list[Any] = [p.person.get("name"), p.person.get("nickname"),
                        p.person.get("linkedin_url")]
    for kind in ("email", "phone", "url", "address"):
        parts += [d["value"] for d in p.contacts[kind]]
    parts += [d.get("e164") for d in p.contacts["phone"]]
    for folded, _name, title, _dept in p.roles:
        parts += [title, org_names.get(folded)]
    parts += list(p.tags)
    return " ".join(str(x) for x in parts if x)
