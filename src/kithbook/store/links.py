"""Private response links (docs/private-links.md): rows by token hash or public id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from kithbook.store import schema_alliances as a
from kithbook.store.journal import Journal

LINKS = a.response_links


def insert_link(j: Journal, **values: Any) -> int:
    key = j.insert(LINKS, {"created_at": j.now, **values})
    assert key is not None
    return key


def by_hash(conn: Connection, token_hash: str) -> Any | None:
    return conn.execute(select(LINKS).where(LINKS.c.token_hash == token_hash)).first()


def by_key(conn: Connection, key: int) -> Any:
    return conn.execute(select(LINKS).where(LINKS.c.id == key)).one()


def keys_by_public_id(conn: Connection, public_id: str) -> list[int]:
    text = public_id.strip().lower()
    exact = conn.execute(select(LINKS.c.id).where(LINKS.c.public_id == text)).scalars().all()
    if exact:
        return list(exact)
    return list(conn.execute(select(LINKS.c.id).where(
        LINKS.c.public_id.like(text.replace("_", r"\_") + "%", escape="\\")).limit(10)
    ).scalars())


def rows(conn: Connection, *, purpose: str | None = None, subject_kind: str | None = None,
         subject_keys: list[int] | None = None, limit: int = 200) -> list[Any]:
    q = select(LINKS).order_by(LINKS.c.created_at.desc(), LINKS.c.id.desc()).limit(limit)
    if purpose is not None:
        q = q.where(LINKS.c.purpose == purpose)
    if subject_kind is not None:
        q = q.where(LINKS.c.subject_kind == subject_kind)
    if subject_keys is not None:
        q = q.where(LINKS.c.subject_id.in_(subject_keys))
    return list(conn.execute(q))
