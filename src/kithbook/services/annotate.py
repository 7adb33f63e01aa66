"""Notes and tags on anything: a person (by name, email or id), an organization (by
name or id) or an interaction (by id)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kithbook import ids
from kithbook.domain.models import Note
from kithbook.errors import InvalidInput, NotFound
from kithbook.store import interactions as st_int
from kithbook.store import notes as st_notes
from kithbook.store import search as st_search
from kithbook.store import tags as st_tags

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services


class AnnotateService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def _subject(self, conn: Connection, target: str) -> tuple[str, int]:
        text = target.strip()
        kind = ids.kind_of(text.lower()) if ids.looks_like_id(text) else None
        if kind == "interaction":
            key = st_int.key_by_public_id(conn, text.lower())
            if key is None:
                raise NotFound(f"no interaction has the id '{target}'.")
            return "interaction", key
        if kind == "org":
            return "org", self.svc.orgs.resolve_key(conn, text.lower())
        if kind not in (None, "person"):
            raise InvalidInput(f"notes and tags go on people, organizations and interactions, "
                               f"not on a {kind}.", field="target")
        try:
            return "person", self.svc.people.resolve_key(conn, text)
        except NotFound:
            if kind == "person":
                raise
            try:
                return "org", self.svc.orgs.resolve_key(conn, text)
            except NotFound:
                raise NotFound(f"no person or organization matches '{target}'.",
                               hint="Check the spelling, or give an id.") from None

    def note(self, target: str, body: str) -> Note:
        if not body.strip():
            raise InvalidInput("the note is empty.", field="body")
        with self.svc.db.write("add note", actor=self.svc.actor, now=self.svc.now) as j:
            kind, key = self._subject(j.conn, target)
            nkey = st_notes.insert_note(j, ids.new_id("note"), kind, key, body)
            st_search.reindex(j.conn, "note", nkey)
            return st_notes.by_keys(j.conn, [nkey])[0]

    def tag(self, target: str, add: list[str], remove: list[str]) -> dict[str, object]:
        if not add and not remove:
            raise InvalidInput("which tags? Give at least one.", field="tag")
        with self.svc.db.write("tag", actor=self.svc.actor, now=self.svc.now) as j:
            kind, key = self._subject(j.conn, target)
            for name in add:
                if not name.strip():
                    raise InvalidInput("a tag cannot be empty.", field="tag")
                st_tags.add_tag(j, kind, key, name)
            for name in remove:
                st_tags.remove_tag(j, kind, key, name)
            st_search.reindex(j.conn, kind, key)
            return {"kind": kind, "tags": st_tags.tags_of(j.conn, kind, key),
                    **_describe(j.conn, kind, key)}


def _describe(conn: Connection, kind: str, key: int) -> dict[str, str]:
    from kithbook.store.notes import SUBJECT_TABLES

    table = SUBJECT_TABLES[kind]
    name_col = table.c.summary if kind == "interaction" else table.c.name
    from sqlalchemy import select

    row = conn.execute(select(table.c.public_id, name_col).where(table.c.id == key)).one()
    return {"id": row[0], "name": row[1] or kind}
