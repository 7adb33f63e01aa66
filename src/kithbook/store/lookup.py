"""Batch lookups behind the one resolver (services/resolve.py): people and
organizations by public id (or its start), email, LinkedIn URL, folded name, name
words and organization membership. Every function takes many values at once, so a
single reference and a 30,000-row import run the same queries.

Trashed records are filtered in Python, not in the WHERE clause: with `deleted_at IS
NULL` there, SQLite (no ANALYZE statistics) picks the partial "live" index and scans
every live person per chunk instead of using the name / URL index.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, and_, or_, select

from kithbook.store import schema as s
from kithbook.store.key_lists import bound_form, bound_one_of, bound_values, distinct_parts


@functools.cache
def _grouped_query(table: Table, value_col: str, key_col: str, live: Table | None,
                   form: str) -> Any:
    """Made once per lookup: building the statement cost more than running it (every
    name typed, on every front end, goes through here)."""
    value, key = table.c[value_col], table.c[key_col]
    owner = live if live is not None else table
    query = select(value.label("v"), key.label("k"), owner.c.deleted_at).where(
        bound_one_of(value, "values", form))
    if live is not None:
        query = query.join(live, live.c.id == key)
    return query


def _grouped(conn: Connection, table: Table, value_col: str, key_col: str,
             values: Iterable[str], live: Table | None = None) -> dict[str, list[int]]:
    """value -> sorted keys of live records whose `value_col` equals it."""
    out: dict[str, set[int]] = defaultdict(set)
    # PostgreSQL takes a part as one array parameter, so it costs no statement text to
    # build and parse (a ties import's 36,000 emails were 73 statements of 500 each);
    # one reference typed (a person page) binds its one value (key_lists.bound_form)
    for chunk in distinct_parts(conn, values):
        form = bound_form(conn, len(chunk))
        query = _grouped_query(table, value_col, key_col, live, form)
        for r in conn.execute(query, {"values": bound_values(form, chunk)}):
            if r.deleted_at is None:
                out[r.v].add(r.k)
    return {v: sorted(keys) for v, keys in out.items()}


# -- people -----------------------------------------------------------------------------

def people_by_public_ids(conn: Connection, public_ids: Iterable[str]) -> dict[str, list[int]]:
    """Exact public ids -> person keys."""
    return _grouped(conn, s.people, "public_id", "id", public_ids)


def people_by_id_prefix(conn: Connection, prefix: str, limit: int = 10) -> list[int]:
    """People whose public id starts with `prefix` (at most `limit`)."""
    clean = prefix.replace("%", "").replace("_", r"\_")
    rows = conn.execute(
        select(s.people.c.id, s.people.c.deleted_at)
        .where(s.people.c.public_id.like(clean + "%", escape="\\"))
        .order_by(s.people.c.id).limit(limit * 4)
    )
    return [r.id for r in rows if r.deleted_at is None][:limit]


def people_by_emails(conn: Connection, emails: Iterable[str]) -> dict[str, list[int]]:
    """Normalized emails -> person keys."""
    return _grouped(conn, s.person_emails, "normalized", "person_id", emails, live=s.people)


def people_by_linkedin(conn: Connection, urls: Iterable[str]) -> dict[str, list[int]]:
    """LinkedIn identity URLs -> person keys, from the profile column and from the
    URLs people were given by hand (stored in the same identity form when LinkedIn)."""
    urls = list(urls)
    found = _grouped(conn, s.people, "linkedin_url", "id", urls)
    by_detail = _grouped(conn, s.person_urls, "normalized", "person_id", urls, live=s.people)
    for url, keys in by_detail.items():
        found[url] = sorted(set(found.get(url, [])) | set(keys))
    return found


def people_by_folded_names(conn: Connection, names: Iterable[str]) -> dict[str, list[int]]:
    """Folded full names -> person keys."""
    return _grouped(conn, s.people, "name_folded", "id", names)


def people_by_name_words(conn: Connection, words: Sequence[str], limit: int = 50) -> list[int]:
    """Live people whose folded name has a word starting with each of `words`."""
    conds = []
    for w in words:
        w = w.replace("%", "").replace("_", "")
        conds.append(or_(
            s.people.c.name_folded.like(w + "%"),
            s.people.c.name_folded.like("% " + w + "%"),
            s.people.c.name_folded.like("%-" + w + "%"),
        ))
    return list(conn.execute(
        select(s.people.c.id).where(and_(*conds), s.people.c.deleted_at.is_(None))
        .order_by(s.people.c.name).limit(limit)
    ).scalars())


def person_names(conn: Connection, limit: int = 300_000) -> list[tuple[int, str]]:
    """(key, folded name) of live people, for did-you-mean suggestions."""
    return [(r.id, r.name_folded) for r in conn.execute(
        select(s.people.c.id, s.people.c.name_folded)
        .where(s.people.c.deleted_at.is_(None)).limit(limit))]


def me(conn: Connection) -> int | None:
    """The owner's person key, if set."""
    return conn.execute(select(s.people.c.id).where(
        s.people.c.is_me.is_(True), s.people.c.deleted_at.is_(None)).limit(1)).scalar()


def describe_people(conn: Connection, keys: Sequence[int]) -> list[tuple[str, str, str]]:
    """(public id, name, "title, organization") for candidate lists, by name."""
    if not keys:
        return []
    rows = conn.execute(
        select(s.people.c.id, s.people.c.public_id, s.people.c.name)
        .where(s.people.c.id.in_(list(keys))).order_by(s.people.c.name, s.people.c.id)
    ).all()
    org_by: dict[int, str] = {}
    for r in conn.execute(
        select(s.roles.c.person_id, s.roles.c.title, s.orgs.c.name)
        .join(s.orgs, s.orgs.c.id == s.roles.c.org_id)
        .where(s.roles.c.person_id.in_(list(keys)), s.roles.c.is_current.is_(True))
    ):
        org_by[r.person_id] = ", ".join(x for x in (r.title, r.name) if x)
    return [(r.public_id, r.name, org_by.get(r.id, "")) for r in rows]


# -- organizations ------------------------------------------------------------------------

def orgs_by_text(conn: Connection, text: str, folded: str, limit: int = 20) -> list[int]:
    """Exact public id, folded name or domain; else names with a word starting so."""
    live = s.orgs.c.deleted_at.is_(None)
    exact = conn.execute(select(s.orgs.c.id).where(or_(
        s.orgs.c.public_id == text.lower(), s.orgs.c.name_folded == folded,
        s.orgs.c.domain == text.lower()), live).order_by(s.orgs.c.id)).scalars().all()
    if exact:
        return list(exact)
    clean = folded.replace("%", "").replace("_", "")
    if not clean:
        return []
    return list(conn.execute(
        select(s.orgs.c.id).where(or_(
            s.orgs.c.name_folded.like(clean + "%"), s.orgs.c.name_folded.like("% " + clean + "%")),
            live).order_by(s.orgs.c.name).limit(limit)).scalars())


def orgs_by_id_prefix(conn: Connection, prefix: str, limit: int = 10) -> list[int]:
    """The live organization with this public id, else those whose id starts so."""
    exact = conn.execute(select(s.orgs.c.id).where(
        s.orgs.c.public_id == prefix, s.orgs.c.deleted_at.is_(None))).scalars().all()
    if exact:
        return list(exact)
    clean = prefix.replace("%", "").replace("_", r"\_")
    return list(conn.execute(
        select(s.orgs.c.id).where(s.orgs.c.public_id.like(clean + "%", escape="\\"),
                                  s.orgs.c.deleted_at.is_(None))
        .order_by(s.orgs.c.id).limit(limit)).scalars())


def org_names(conn: Connection, limit: int = 300_000) -> list[tuple[int, str]]:
    """(key, folded name) of live organizations, for did-you-mean suggestions."""
    return [(r.id, r.name_folded) for r in conn.execute(
        select(s.orgs.c.id, s.orgs.c.name_folded)
        .where(s.orgs.c.deleted_at.is_(None)).limit(limit))]


def describe_orgs(conn: Connection, keys: Sequence[int]) -> list[tuple[str, str, str]]:
    """(public id, name, domain) for candidate lists, by name."""
    if not keys:
        return []
    return [(r.public_id, r.name, r.domain or "") for r in conn.execute(
        select(s.orgs.c.public_id, s.orgs.c.name, s.orgs.c.domain)
        .where(s.orgs.c.id.in_(list(keys))).order_by(s.orgs.c.name, s.orgs.c.id))]


def org_members(conn: Connection, org_key: int) -> list[int]:
    """Live people with a current role at the organization."""
    return list(conn.execute(
        select(s.roles.c.person_id).distinct()
        .join(s.people, s.people.c.id == s.roles.c.person_id)
        .where(s.roles.c.org_id == org_key, s.roles.c.is_current.is_(True),
               s.people.c.deleted_at.is_(None))).scalars())


# -- other records by public id -------------------------------------------------------------

_BY_KIND: dict[str, Table] = {
    "interaction": s.interactions, "promise": s.promises, "note": s.notes, "tie": s.ties,
}


def record_keys(conn: Connection, kind: str, public_id: str, limit: int = 10) -> list[int]:
    """Live records of `kind` whose public id is `public_id`, else starts with it."""
    table = _BY_KIND[kind]
    live = table.c.deleted_at.is_(None)
    exact = conn.execute(select(table.c.id).where(table.c.public_id == public_id, live)
                         ).scalars().all()
    if exact:
        return list(exact)
    clean = public_id.replace("%", "").replace("_", r"\_")
    return list(conn.execute(select(table.c.id).where(
        table.c.public_id.like(clean + "%", escape="\\"), live).order_by(table.c.id).limit(limit)
    ).scalars())


def record_refs(conn: Connection, kind: str, keys: Sequence[int]) -> list[tuple[str, str, str]]:
    """(public id, label, "") of records of `kind`, for messages and candidate lists."""
    table = _BY_KIND[kind]
    label = {"interaction": "summary", "promise": "what", "note": "body", "tie": "kind"}[kind]
    return [(r.public_id, (r.label or kind)[:80], "") for r in conn.execute(
        select(table.c.public_id, table.c[label].label("label")).where(table.c.id.in_(list(keys)))
        .order_by(table.c.id))]
