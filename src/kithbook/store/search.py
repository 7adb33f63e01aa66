"""Full-text search behind one interface: SQLite FTS5 or PostgreSQL tsvector over the
same `search_docs` table. Bodies are stored as folded words joined by spaces, so both
backends tokenize them identically and `muller` finds `Müller`.

Search documents are derived data, not journaled: callers reindex what they touched."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select, text

from kithbook.domain.text import words
from kithbook.store import schema as s
from kithbook.store.key_lists import one_of, parts
from kithbook.store.keys import inserted_key
from kithbook.store.pg_copy import insert_rows

KINDS = ("person", "org", "interaction", "note")
# Each person also has a "name" document holding only their name, so that looking a
# person up by name (search as you type) does not match their email, title or company.
NAME = "name"
_ALL_KINDS = (*KINDS, NAME)


def _person_text(conn: Connection, key: int) -> str | None:
    p = conn.execute(select(s.people).where(s.people.c.id == key)).first()
    if p is None or p.deleted_at is not None:
        return None
    bits: list[Any] = [p.name, p.nickname, p.how_met, p.linkedin_url]
    for table, col in (
        (s.person_emails, "value"),
        (s.person_phones, "value"),
        (s.person_urls, "value"),
        (s.person_addresses, "value"),
    ):
        bits += conn.execute(select(table.c[col]).where(table.c.person_id == key)).scalars().all()
    bits += (
        conn.execute(select(s.person_phones.c.e164).where(s.person_phones.c.person_id == key))
        .scalars()
        .all()
    )
    for r in conn.execute(
        select(s.roles.c.title, s.orgs.c.name)
        .join(s.orgs, s.orgs.c.id == s.roles.c.org_id)
        .where(s.roles.c.person_id == key)
    ):
        bits += [r.title, r.name]
    bits += _tags(conn, "person", key)
    return " ".join(str(x) for x in bits if x)


def _tags(conn: Connection, kind: str, key: int) -> list[str]:
    return list(
        conn.execute(
            select(s.tags.c.name)
            .join(s.taggings, s.taggings.c.tag_id == s.tags.c.id)
            .where(s.taggings.c.subject_kind == kind, s.taggings.c.subject_id == key)
        ).scalars()
    )


def _org_text(conn: Connection, key: int) -> str | None:
    o = conn.execute(select(s.orgs).where(s.orgs.c.id == key)).first()
    if o is None or o.deleted_at is not None:
        return None
    return " ".join(x for x in [o.name, o.domain, o.kind, *_tags(conn, "org", key)] if x)


def _interaction_text(conn: Connection, key: int) -> str | None:
    i = conn.execute(select(s.interactions).where(s.interactions.c.id == key)).first()
    if i is None or i.deleted_at is not None:
        return None
    return " ".join(
        x
        for x in [
            i.summary,
            i.they_want,
            i.i_want,
            i.agreed,
            i.next_step,
            *_tags(conn, "interaction", key),
        ]
        if x
    )


def _note_text(conn: Connection, key: int) -> str | None:
    n = conn.execute(select(s.notes).where(s.notes.c.id == key)).first()
    if n is None or n.deleted_at is not None:
        return None
    return str(n.body)


_TEXT = {
    "person": _person_text,
    "org": _org_text,
    "interaction": _interaction_text,
    "note": _note_text,
}


def body_of(raw: str) -> str:
    return " ".join(words(raw))


# -- the words of people's names (person_name_words): kept equal to the words of their
# `name` documents at every place that writes or drops one ------------------------------

_W = s.person_name_words


def name_word_rows(docs: Iterable[tuple[int, str]]) -> list[dict[str, Any]]:
    """(person key, name document body) -> the rows of person_name_words."""
    return [{"word": w, "person_id": key}
            for key, body in docs for w in sorted({w[:300] for w in body.split()})]


def _drop_name_words(conn: Connection, keys: Sequence[int]) -> None:
    for part in parts(conn, keys):
        conn.execute(_W.delete().where(one_of(conn, _W.c.person_id, part)))


def add_name_words(conn: Connection, docs: Iterable[tuple[int, str]]) -> None:
    """Index the name words of people who have none yet (new name documents)."""
    insert_rows(conn, _W, name_word_rows(docs))


def _set_name_words(conn: Connection, bodies: dict[int, str | None]) -> None:
    _drop_name_words(conn, list(bodies))
    add_name_words(conn, [(k, b) for k, b in bodies.items() if b is not None])


def reindex(conn: Connection, kind: str, key: int) -> None:
    raw = _TEXT[kind](conn, key)
    put_doc(conn, kind, key, body_of(raw) if raw is not None else None)
    if kind == "person":
        name = _name_text(conn, key) if raw is not None else None
        put_doc(conn, NAME, key, body_of(name) if name is not None else None)


def _name_text(conn: Connection, key: int) -> str | None:
    return conn.execute(select(s.people.c.name).where(s.people.c.id == key)).scalar()


_SOURCE = {"person": s.people, "org": s.orgs, "interaction": s.interactions, "note": s.notes}


def _person_texts(conn: Connection, keys: Sequence[int]) -> dict[int, str]:
    """`_person_text` for many live people at once: one query per source table instead
    of ten per person (bulk tagging 10,000 people, undo, imports)."""
    texts: dict[int, list[Any]] = {}
    for p in conn.execute(
        select(s.people.c.id, s.people.c.name, s.people.c.nickname, s.people.c.how_met,
               s.people.c.linkedin_url)
        .where(one_of(conn, s.people.c.id, keys), s.people.c.deleted_at.is_(None))
    ):
        texts[p.id] = [p.name, p.nickname, p.how_met, p.linkedin_url]
    if not texts:
        return {}
    live = list(texts)
    for table, col in (
        (s.person_emails, "value"),
        (s.person_phones, "value"),
        (s.person_urls, "value"),
        (s.person_addresses, "value"),
        (s.person_phones, "e164"),
    ):
        for owner, value in conn.execute(
            select(table.c.person_id, table.c[col])
            .where(one_of(conn, table.c.person_id, live))
            .order_by(table.c.person_id, table.c.id)
        ):
            texts[owner].append(value)
    for r in conn.execute(
        select(s.roles.c.person_id, s.roles.c.title, s.orgs.c.name)
        .join(s.orgs, s.orgs.c.id == s.roles.c.org_id)
        .where(one_of(conn, s.roles.c.person_id, live))
        .order_by(s.roles.c.person_id, s.roles.c.id)
    ):
        texts[r.person_id] += [r.title, r.name]
    for subject, tag in conn.execute(
        select(s.taggings.c.subject_id, s.tags.c.name)
        .join(s.tags, s.tags.c.id == s.taggings.c.tag_id)
        .where(s.taggings.c.subject_kind == "person", one_of(conn, s.taggings.c.subject_id, live))
        .order_by(s.taggings.c.subject_id)
    ):
        texts[subject].append(tag)
    return {k: " ".join(str(x) for x in v if x) for k, v in texts.items()}


def reindex_many(conn: Connection, items: Iterable[tuple[str, int]]) -> None:
    """Reindex many records a chunk at a time (`_texts`: a few queries per chunk, not a
    few per record); records that are gone (an undone import) are dropped from the index
    in bulk."""
    by_kind: dict[str, list[int]] = {}
    for kind, key in dict.fromkeys(items):
        by_kind.setdefault(kind, []).append(key)
    for kind, keys in by_kind.items():
        for chunk in parts(conn, keys):
            texts = _texts(conn, kind, chunk)  # live records only
            _drop_docs(conn, kind, [k for k in chunk if k not in texts])
            _put_docs(conn, kind, {k: body_of(raw) for k, raw in texts.items()})
            if kind == "person":
                names = dict(conn.execute(
                    select(s.people.c.id, s.people.c.name).where(
                        one_of(conn, s.people.c.id, list(texts)))
                ).all())
                _put_docs(conn, NAME, {k: body_of(str(names.get(k) or "")) for k in texts})


def _put_docs(conn: Connection, kind: str, bodies: dict[int, str]) -> None:
    """`put_doc` for many records of one kind: unchanged documents are left alone, the
    others are replaced with one statement per step."""
    if not bodies:
        return
    sqlite = conn.dialect.name == "sqlite"
    old = conn.execute(
        select(s.search_docs.c.id, s.search_docs.c.ref_id, s.search_docs.c.body).where(
            s.search_docs.c.kind == kind, one_of(conn, s.search_docs.c.ref_id, list(bodies))
        )
    ).all()
    unchanged = {d.ref_id for d in old if d.body == bodies.get(d.ref_id)}
    stale = [d for d in old if d.ref_id not in unchanged]
    if stale:
        if sqlite:
            conn.execute(
                text("INSERT INTO search_fts(search_fts, rowid, body) "
                     "VALUES ('delete', :id, :body)"),
                [{"id": d.id, "body": d.body} for d in stale],
            )
        conn.execute(s.search_docs.delete().where(
            one_of(conn, s.search_docs.c.id, [d.id for d in stale])))
    fresh = {k: b for k, b in bodies.items() if k not in unchanged}
    if not fresh:
        return
    if kind == NAME:
        _set_name_words(conn, dict(fresh))
    conn.execute(s.search_docs.insert(),
                 [{"kind": kind, "ref_id": k, "body": b} for k, b in fresh.items()])
    if sqlite:
        conn.execute(
            text("INSERT INTO search_fts(rowid, body) VALUES (:id, :body)"),
            [{"id": d.id, "body": d.body} for d in conn.execute(
                select(s.search_docs.c.id, s.search_docs.c.body).where(
                    s.search_docs.c.kind == kind,
                    one_of(conn, s.search_docs.c.ref_id, list(fresh))))],
        )


def drop_docs(conn: Connection, kind: str, keys: list[int]) -> None:
    """Remove the documents of records that are gone (a person's name document too)."""
    _drop_docs(conn, kind, keys)


def _drop_docs(conn: Connection, kind: str, keys: list[int]) -> None:
    if not keys:
        return
    if kind == "person":
        _drop_docs(conn, NAME, keys)
    if kind == NAME:
        _drop_name_words(conn, keys)
    if conn.dialect.name != "sqlite":  # the index is the documents' own column
        for part in parts(conn, keys):
            conn.execute(s.search_docs.delete().where(
                s.search_docs.c.kind == kind, one_of(conn, s.search_docs.c.ref_id, part)))
        return
    docs = conn.execute(
        select(s.search_docs.c.id, s.search_docs.c.body).where(
            s.search_docs.c.kind == kind, s.search_docs.c.ref_id.in_(keys)
        )
    ).all()
    if not docs:
        return
    conn.execute(
        text("INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', :id, :body)"),
        [{"id": d.id, "body": d.body} for d in docs],
    )
    conn.execute(s.search_docs.delete().where(s.search_docs.c.id.in_([d.id for d in docs])))


def put_doc(conn: Connection, kind: str, key: int, body: str | None) -> None:
    sqlite = conn.dialect.name == "sqlite"
    old = conn.execute(
        select(s.search_docs.c.id, s.search_docs.c.body).where(
            s.search_docs.c.kind == kind, s.search_docs.c.ref_id == key
        )
    ).first()
    if old is not None and old.body == body:
        return
    if kind == NAME:
        _set_name_words(conn, {key: body})
    if old is not None:
        if sqlite:
            conn.execute(
                text(
                    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', :id, :body)"
                ),
                {"id": old.id, "body": old.body},
            )
        conn.execute(s.search_docs.delete().where(s.search_docs.c.id == old.id))
    if body is None:
        return
    doc_id = inserted_key(
        conn.execute(s.search_docs.insert().values(kind=kind, ref_id=key, body=body))
    )
    if sqlite:
        conn.execute(
            text("INSERT INTO search_fts(rowid, body) VALUES (:id, :body)"),
            {"id": doc_id, "body": body},
        )


def bulk_load(conn: Connection, docs: Sequence[tuple[str, int, str]]) -> None:
    """Fast path for loaders that start from an empty index: (kind, key, raw text)."""
    if not docs:
        return
    insert_docs(conn, docs)
    rebuild_index(conn)


def insert_docs(conn: Connection, docs: Sequence[tuple[str, int, str]]) -> None:
    """Documents written without touching the full-text index (the name words are kept
    in step): a loader that writes in chunks calls `rebuild_index` once at the end
    instead of once per chunk."""
    if docs:
        insert_rows(conn, s.search_docs, [{"kind": k, "ref_id": key, "body": body_of(raw)}
                                          for k, key, raw in docs])
        add_name_words(conn, [(key, body_of(raw)) for k, key, raw in docs if k == NAME])


def rebuild_index(conn: Connection) -> None:
    """SQLite's full-text index made again from the documents (PostgreSQL indexes the
    documents' own column)."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))


def rebuild_all(conn: Connection) -> int:
    """Recompute every document (used after bulk loads, undo and by `kithbook reindex`),
    reading the records a chunk at a time rather than one query per record."""
    conn.execute(s.search_docs.delete())
    conn.execute(_W.delete())
    count = 0
    docs: list[tuple[str, int, str]] = []
    for kind, table in _SOURCE.items():
        keys = list(conn.execute(select(table.c.id).where(table.c.deleted_at.is_(None))
                                 .order_by(table.c.id)).scalars())
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            texts = _texts(conn, kind, chunk)
            names = dict(conn.execute(select(s.people.c.id, s.people.c.name).where(
                s.people.c.id.in_(chunk))).all()) if kind == "person" else {}
            for key in chunk:
                if key in texts:
                    docs.append((kind, key, texts[key]))
                    count += 1
                    if kind == "person":
                        docs.append((NAME, key, names.get(key) or ""))
    bulk_load(conn, docs)
    from kithbook.store.pg_copy import analyze_grown

    analyze_grown(conn, {"search_docs": len(docs), "person_name_words": len(docs)})
    if conn.dialect.name == "sqlite" and not docs:
        conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    return count


# the columns of each record's own text, in the order `_TEXT` joins them
_OWN_TEXT = {
    "org": ("name", "domain", "kind"),
    "interaction": ("summary", "they_want", "i_want", "agreed", "next_step"),
    "note": ("body",),
}


def _texts(conn: Connection, kind: str, keys: Sequence[int]) -> dict[int, str]:
    """`_TEXT[kind]` for many live records at once (a few queries per chunk)."""
    if kind == "person":
        return _person_texts(conn, keys)
    table = _SOURCE[kind]
    texts: dict[int, list[Any]] = {
        r[0]: list(r[1:]) for r in conn.execute(
            select(table.c.id, *(table.c[c] for c in _OWN_TEXT[kind]))
            .where(one_of(conn, table.c.id, keys), table.c.deleted_at.is_(None)))}
    if kind == "note":  # a note's text is its body alone
        return {k: str(v[0]) for k, v in texts.items()}
    for subject, tag in conn.execute(
        select(s.taggings.c.subject_id, s.tags.c.name)
        .join(s.tags, s.tags.c.id == s.taggings.c.tag_id)
        .where(s.taggings.c.subject_kind == kind,
               one_of(conn, s.taggings.c.subject_id, list(texts)))
    ):
        texts[subject].append(tag)
    return {k: " ".join(x for x in v if x) for k, v in texts.items()}


def matching_keys(conn: Connection, query: str, kind: str) -> Any:
    """A subquery of the keys of `kind` records matching `query`, for callers that filter,
    count and order in SQL themselves (no ranking, no key list through Python).
    None when the query has no words."""
    from sqlalchemy import column

    tokens = words(query)[:12]
    if not tokens:
        return None
    docs = select(s.search_docs.c.ref_id).where(s.search_docs.c.kind == kind)
    if conn.dialect.name == "sqlite":
        match = " AND ".join(f'"{t}"*' for t in tokens)
        rowids = text("SELECT rowid FROM search_fts WHERE search_fts MATCH :m").bindparams(
            m=match).columns(column("rowid"))
        return docs.where(s.search_docs.c.id.in_(rowids))
    tsq = " & ".join(f"{t}:*" for t in tokens)
    return docs.where(text("search_docs.tsv @@ to_tsquery('simple', :q)").bindparams(q=tsq))


def search(
    conn: Connection, query: str, *, kinds: Sequence[str] = KINDS, limit: int = 50
) -> list[tuple[str, int, float]]:
    """(kind, key, score) best first; score is higher-is-better on both backends."""
    tokens = words(query)[:12]
    if not tokens:
        return []
    kinds = [k for k in kinds if k in _ALL_KINDS]
    if conn.dialect.name == "sqlite":
        match = " AND ".join(f'"{t}"*' for t in tokens)
        sql = text(
            "SELECT d.kind, d.ref_id, bm25(search_fts) AS r FROM search_fts "
            "JOIN search_docs d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH :m AND d.kind IN ("
            + ",".join(f"'{k}'" for k in kinds)
            + ") ORDER BY r LIMIT :lim"
        )
        rows = conn.execute(sql, {"m": match, "lim": limit}).all()
        return [(r.kind, r.ref_id, -float(r.r)) for r in rows]
    tsq = " & ".join(f"{t}:*" for t in tokens)
    sql = text(
        "SELECT kind, ref_id, ts_rank(tsv, q) AS r FROM search_docs, "
        "to_tsquery('simple', :q) q WHERE tsv @@ q AND kind IN ("
        + ",".join(f"'{k}'" for k in kinds)
        + ") ORDER BY r DESC, id LIMIT :lim"
    )
    rows = conn.execute(sql, {"q": tsq, "lim": limit}).all()
    return [(r.kind, r.ref_id, float(r.r)) for r in rows]
