"""vCard 3.0, CSV and ties CSV exports (JSON is the backup service's)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kithbook.domain.models import Person
from kithbook.io import csv_export, vcard_export
from kithbook.io.records import Address, ImportedContact, Value
from kithbook.store import notes as st_notes
from kithbook.store import people as st_people
from kithbook.store import ties as st_ties

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services

PAGE = 2000


def _people(conn: Connection, tag: str | None) -> Iterator[list[Person]]:
    offset = 0
    while True:
        page = st_people.list_people(conn, tag=tag, limit=PAGE, offset=offset).items
        if not page:
            return
        yield page
        offset += PAGE


def _extras(conn: Connection, keys: list[int]) -> tuple[dict[int, str], dict[int, list[str]]]:
    return st_people.photos(conn, keys), st_notes.person_note_bodies(conn, keys)


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
    with svc.db.read() as conn:
        keys: set[int] | None = None
        if tag:
            keys = set()
            for page in _people(conn, tag):
                keys.update(p.key for p in page)
        rows = st_ties.live_tie_rows(conn)
    buf = io.StringIO()
    csv_export.write_ties(((pa, pb, strength, kind) for pa, pb, strength, kind, ka, kb in rows
                           if keys is None or (ka in keys and kb in keys)), buf)
    return buf.getvalue().encode("utf-8")
