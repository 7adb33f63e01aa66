"""vCard 3.0, CSV and ties CSV exports (JSON is the backup service's)."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import select

from kithbook.domain.models import Person
from kithbook.io import csv_export, vcard_export
from kithbook.io.records import Address, ImportedContact, Value
from kithbook.store import people as st_people
from kithbook.store import schema as s

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services

PAGE = 2000


def _people(conn: Connection, tag: str | None) -> Iterator[list[Person]]:
    offset = 0
    while True:
        page, _total = st_people.list_people(conn, tag=tag, limit=PAGE, offset=offset)
        if not page:
            return
        yield page
        offset += PAGE


def _extras(conn: Connection, keys: list[int]) -> tuple[dict[int, str], dict[int, list[str]]]:
    photos: dict[int, str] = {}
    notes: dict[int, list[str]] = defaultdict(list)
    for r in conn.execute(select(s.people.c.id, s.people.c.photo).where(
            s.people.c.id.in_(keys), s.people.c.photo.isnot(None))):
        photos[r.id] = r.photo
    for r in conn.execute(select(s.notes.c.subject_id, s.notes.c.body).where(
            s.notes.c.subject_kind == "person", s.notes.c.subject_id.in_(keys),
            s.notes.c.deleted_at.is_(None)).order_by(s.notes.c.id)):
        notes[r.subject_id].append(r.body)
    return photos, notes


def to_contact(p: Person, photo: str | None = None, notes: list[str] | None = None
               ) -> ImportedContact:
    current = [r for r in p.roles if r.is_current]
    first = current[0] if current else None
    return ImportedContact(
        name=p.name, given_name=p.given_name, family_name=p.family_name, nickname=p.nickname,
        emails=[Value(e.value, e.label, e.is_primary, e.normalized) for e in p.emails],
        phones=[Value(x.value, x.label, x.is_primary, x.normalized) for x in p.phones],
        urls=[Value(u.value, u.label, u.is_primary, u.normalized) for u in p.urls],
        addresses=[Address(a.value, a.label, is_primary=a.is_primary) for a in p.addresses],
        org=first.org_name if first else None, title=first.title if first else None,
        department=first.department if first else None,
        more_roles=[(r.org_name, r.title, r.department) for r in current[1:]],
        note="\n\n".join(notes) if notes else None, birthday=p.birthday,
        anniversary=p.anniversary, photo=photo,
        linkedin_url=p.linkedin_url, uid=p.id, tags=list(p.tags),
    )


def contacts(svc: Services, tag: str | None = None) -> Iterator[ImportedContact]:
    with svc.db.read() as conn:
        for page in _people(conn, tag):
            photos, notes = _extras(conn, [p.key for p in page])
            for p in page:
                yield to_contact(p, photos.get(p.key), notes.get(p.key))


def export_vcard(svc: Services, *, tag: str | None = None) -> bytes:
    buf = io.StringIO()
    vcard_export.write(contacts(svc, tag), buf, rev=svc.now)
    return buf.getvalue().encode("utf-8")


def export_csv(svc: Services, *, tag: str | None = None) -> bytes:
    buf = io.StringIO()
    csv_export.write_contacts(list(contacts(svc, tag)), buf)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_ties(svc: Services, *, tag: str | None = None) -> bytes:
    a = s.people.alias("a")
    b = s.people.alias("b")
    with svc.db.read() as conn:
        keys: set[int] | None = None
        if tag:
            keys = set()
            for page in _people(conn, tag):
                keys.update(p.key for p in page)
        rows = conn.execute(
            select(a.c.public_id.label("pa"), b.c.public_id.label("pb"), s.ties.c.strength,
                   s.ties.c.kind, s.ties.c.a_id, s.ties.c.b_id)
            .join(a, a.c.id == s.ties.c.a_id).join(b, b.c.id == s.ties.c.b_id)
            .where(s.ties.c.deleted_at.is_(None), a.c.deleted_at.is_(None),
                   b.c.deleted_at.is_(None)).order_by(s.ties.c.id)
        ).all()
    buf = io.StringIO()
    csv_export.write_ties(((r.pa, r.pb, r.strength, r.kind) for r in rows
                           if keys is None or (r.a_id in keys and r.b_id in keys)), buf)
    return buf.getvalue().encode("utf-8")
