"""Notes and tags on anything: a person (by name, email or id), an organization (by
name or id) or an interaction (by id)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kithbook import ids
from kithbook.domain.models import Note, Person
from kithbook.errors import InvalidInput
from kithbook.services.catalog import use_case
from kithbook.services.results import Tagged
from kithbook.store import notes as st_notes
from kithbook.store import search as st_search
from kithbook.store import tags as st_tags

if TYPE_CHECKING:

    from kithbook.services.app import Services


SUBJECT_KINDS = ("person", "org", "interaction")


class AnnotateService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case(writes=True)
    def note(self, target: str | Person, body: str,
             kinds: tuple[str, ...] = SUBJECT_KINDS) -> Note:
        """Add a Markdown note to a person, an organization or an interaction."""
        if not body.strip():
            raise InvalidInput("the note is empty.", field="body")
        with self.svc.db.write("add note", actor=self.svc.actor, now=self.svc.now) as j:
            found = self.svc.resolve.subject(j.conn, target, kinds=kinds)
            kind, key = found.kind, found.key
            nkey = st_notes.insert_note(j, ids.new_id("note"), kind, key, body)
            st_search.reindex(j.conn, "note", nkey)
            return st_notes.by_keys(j.conn, [nkey])[0]

    @use_case(writes=True)
    def tag(self, target: str, add: list[str], remove: list[str]) -> Tagged:
        """Add and remove tags on a person, an organization or an interaction."""
        if not add and not remove:
            raise InvalidInput("which tags? Give at least one.", field="tag")
        with self.svc.db.write("tag", actor=self.svc.actor, now=self.svc.now) as j:
            found = self.svc.resolve.subject(j.conn, target, kinds=SUBJECT_KINDS)
            kind, key = found.kind, found.key
            for name in add:
                if not name.strip():
                    raise InvalidInput("a tag cannot be empty.", field="tag")
                st_tags.add_tag(j, kind, key, name)
            for name in remove:
                st_tags.remove_tag(j, kind, key, name)
            st_search.reindex(j.conn, kind, key)
            public_id, name = st_notes.subject_ref(j.conn, kind, key)
            return Tagged(id=public_id, name=name or kind, kind=kind,
                          tags=st_tags.tags_of(j.conn, kind, key))

