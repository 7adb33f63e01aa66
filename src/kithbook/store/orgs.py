"""Organizations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, or_, select

from kithbook.domain.models import Org, PersonRef
from kithbook.domain.text import fold
from kithbook.store import schema as s
from kithbook.store.journal import Journal
from kithbook.store.rows import utc

_live = s.orgs.c.deleted_at.is_(None)


def insert_org(j: Journal, public_id: str, name: str, **values: Any) -> int:
    key = j.insert(
        s.orgs,
        {
            "public_id": public_id,
            "name": name,
            "name_folded": fold(name),
            "created_at": j.now,
            "updated_at": j.now,
            **values,
        },
    )
    assert key is not None
    return key


def update_org(j: Journal, key: int, values: dict[str, Any]) -> None:
    if "name" in values:
        values = {**values, "name_folded": fold(values["name"])}
    j.update(s.orgs, key, {**values, "updated_at": j.now})


def _org(row: Any) -> Org:
    return Org(
        id=row.public_id,
        name=row.name,
        key=row.id,
        domain=row.domain,
        kind=row.kind,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
    )


def get_org(conn: Connection, key: int, *, people: bool = True) -> Org | None:
    row = conn.execute(select(s.orgs).where(s.orgs.c.id == key, _live)).first()
    if row is None:
        return None
    org = _org(row)
    if people:
        org.people = [
            PersonRef(id=r.public_id, name=r.name, key=r.id)
            for r in conn.execute(
                select(s.people.c.id, s.people.c.public_id, s.people.c.name)
                .join(s.roles, s.roles.c.person_id == s.people.c.id)
                .where(
                    s.roles.c.org_id == key,
                    s.roles.c.is_current.is_(True),
                    s.people.c.deleted_at.is_(None),
                )
                .order_by(s.people.c.name)
            )
        ]
        from kithbook.store.tags import tags_of

        org.tags = tags_of(conn, "org", key)
    return org


def find_org_keys(conn: Connection, text: str) -> list[int]:
    """Exact public id, exact folded name, exact domain; then word-prefix matches."""
    text = text.strip()
    exact = (
        conn.execute(
            select(s.orgs.c.id).where(
                or_(
                    s.orgs.c.public_id == text,
                    s.orgs.c.name_folded == fold(text),
                    s.orgs.c.domain == text.lower(),
                ),
                _live,
            )
        )
        .scalars()
        .all()
    )
    if exact:
        return list(exact)
    folded = fold(text).replace("%", "")
    return list(
        conn.execute(
            select(s.orgs.c.id)
            .where(
                or_(
                    s.orgs.c.name_folded.like(folded + "%"),
                    s.orgs.c.name_folded.like("% " + folded + "%"),
                ),
                _live,
            )
            .order_by(s.orgs.c.name)
            .limit(20)
        ).scalars()
    )


def key_by_domain(conn: Connection, domain: str) -> int | None:
    return conn.execute(
        select(s.orgs.c.id).where(s.orgs.c.domain == domain.lower(), _live).limit(1)
    ).scalar()


def list_orgs(
    conn: Connection, *, limit: int = 50, offset: int = 0, name_prefix: str | None = None
) -> tuple[list[Org], int]:
    conds: list[Any] = [_live]
    if name_prefix:
        f = fold(name_prefix).replace("%", "")
        conds.append(
            or_(s.orgs.c.name_folded.like(f + "%"), s.orgs.c.name_folded.like("% " + f + "%"))
        )
    total = conn.execute(select(func.count()).select_from(s.orgs).where(*conds)).scalar_one()
    rows = conn.execute(
        select(s.orgs).where(*conds).order_by(s.orgs.c.name_folded).limit(limit).offset(offset)
    ).all()
    return [_org(r) for r in rows], total


def describe(conn: Connection, keys: list[int]) -> list[tuple[str, str, str]]:
    return [
        (r.public_id, r.name, r.domain or "")
        for r in conn.execute(select(s.orgs).where(s.orgs.c.id.in_(keys)).order_by(s.orgs.c.name))
    ]
