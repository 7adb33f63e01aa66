"""Markdown notes on people, organizations and interactions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from kithbook.domain.models import Note
from kithbook.store import schema as s
from kithbook.store.journal import Journal
from kithbook.store.rows import utc

SUBJECT_TABLES = {"person": s.people, "org": s.orgs, "interaction": s.interactions}


def insert_note(j: Journal, public_id: str, subject_kind: str, subject_key: int, body: str) -> int:
    key = j.insert(
        s.notes,
        {
            "public_id": public_id,
            "subject_kind": subject_kind,
            "subject_id": subject_key,
            "body": body,
            "created_at": j.now,
            "updated_at": j.now,
        },
    )
    assert key is not None
    return key


def subject_ref(conn: Connection, kind: str, key: int) -> tuple[str, str]:
    """The public id and name (an interaction's summary) of a note's subject, or two
    empty strings when it is gone."""
    table = SUBJECT_TABLES[kind]
    name_col = table.c.summary if kind == "interaction" else table.c.name
    row = conn.execute(
        select(table.c.public_id, name_col.label("name")).where(table.c.id == key)
    ).first()
    if row is None:
        return "", ""
    return row.public_id, row.name or ""


def _build(conn: Connection, rows: list[Any]) -> list[Note]:
    out = []
    for r in rows:
        sid, sname = subject_ref(conn, r.subject_kind, r.subject_id)
        first = (r.body.strip().splitlines() or [""])[0][:80]
        out.append(
            Note(
                id=r.public_id,
                name=first,
                subject_kind=r.subject_kind,
                subject_id=sid,
                subject_name=sname,
                body=r.body,
                created_at=utc(r.created_at),
                updated_at=utc(r.updated_at),
                key=r.id,
            )
        )
    return out


def notes_of(conn: Connection, kind: str, key: int) -> list[Note]:
    rows = conn.execute(
        select(s.notes)
        .where(
            s.notes.c.subject_kind == kind,
            s.notes.c.subject_id == key,
            s.notes.c.deleted_at.is_(None),
        )
        .order_by(s.notes.c.created_at.desc(), s.notes.c.id.desc())
    ).all()
    return _build(conn, list(rows))


def by_keys(conn: Connection, keys: list[int]) -> list[Note]:
    rows = conn.execute(
        select(s.notes).where(s.notes.c.id.in_(keys), s.notes.c.deleted_at.is_(None))
    ).all()
    return _build(conn, list(rows))


def key_by_public_id(conn: Connection, public_id: str) -> int | None:
    return conn.execute(
        select(s.notes.c.id).where(s.notes.c.public_id == public_id, s.notes.c.deleted_at.is_(None))
    ).scalar()


def person_note_bodies(conn: Connection, person_keys: Sequence[int]) -> dict[int, list[str]]:
    """The live notes on each of these people, oldest first."""
    out: dict[int, list[str]] = defaultdict(list)
    for r in conn.execute(select(s.notes.c.subject_id, s.notes.c.body).where(
            s.notes.c.subject_kind == "person", s.notes.c.subject_id.in_(person_keys),
            s.notes.c.deleted_at.is_(None)).order_by(s.notes.c.id)):
        out[r.subject_id].append(r.body)
    return out
