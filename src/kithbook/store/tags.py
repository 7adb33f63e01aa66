"""Tags on anything (people, orgs, interactions, notes)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from kithbook.domain.text import fold
from kithbook.store import schema as s
from kithbook.store.journal import Journal


def tag_key(j: Journal, name: str) -> int:
    folded = fold(name).replace(" ", "-")
    key = j.conn.execute(select(s.tags.c.id).where(s.tags.c.name == folded)).scalar()
    if key is None:
        key = j.insert(s.tags, {"name": folded})
    assert key is not None
    return key


def add_tag(j: Journal, kind: str, subject_key: int, name: str) -> None:
    tkey = tag_key(j, name)
    exists = j.conn.execute(
        select(s.taggings.c.tag_id).where(
            s.taggings.c.tag_id == tkey,
            s.taggings.c.subject_kind == kind,
            s.taggings.c.subject_id == subject_key,
        )
    ).first()
    if exists is None:
        j.insert(s.taggings, {"tag_id": tkey, "subject_kind": kind, "subject_id": subject_key})


def remove_tag(j: Journal, kind: str, subject_key: int, name: str) -> bool:
    tkey = j.conn.execute(select(s.tags.c.id).where(s.tags.c.name == fold(name))).scalar()
    if tkey is None:
        return False
    key = {"tag_id": tkey, "subject_kind": kind, "subject_id": subject_key}
    before = j.count
    j.delete(s.taggings, key)
    return j.count > before


def tags_of(conn: Connection, kind: str, subject_key: int) -> list[str]:
    return list(
        conn.execute(
            select(s.tags.c.name)
            .join(s.taggings, s.taggings.c.tag_id == s.tags.c.id)
            .where(s.taggings.c.subject_kind == kind, s.taggings.c.subject_id == subject_key)
            .order_by(s.tags.c.name)
        ).scalars()
    )


def all_tags(conn: Connection) -> list[tuple[str, int]]:
    from sqlalchemy import func

    return [
        (r.name, r.n)
        for r in conn.execute(
            select(s.tags.c.name, func.count(s.taggings.c.tag_id).label("n"))
            .join(s.taggings, s.taggings.c.tag_id == s.tags.c.id, isouter=True)
            .group_by(s.tags.c.name)
            .order_by(s.tags.c.name)
        )
    ]
