"""The trash: soft delete of any record by id (people also by name), undoable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kithbook import ids
from kithbook.errors import InvalidInput, NotFound
from kithbook.services.catalog import use_case
from kithbook.services.results import Trashed
from kithbook.store import search as st_search
from kithbook.store import trash as st_trash

if TYPE_CHECKING:
    from kithbook.services.app import Services


class TrashService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case(writes=True)
    def delete(self, target: str) -> Trashed:
        """Move a person (by name or id) or another record (by id: an organization, an
        interaction...) to the trash: gone from every list, back with undo."""
        kind = ids.kind_of(target.strip().lower()) if ids.looks_like_id(target.strip()) else None
        if kind in (None, "person"):
            person, batch = self.svc.people.delete(target)
            return Trashed(id=person.id, name=person.name, kind="person", undo_batch=batch)
        if kind not in st_trash.TRASHABLE:
            raise InvalidInput(f"records of kind {kind} cannot be deleted here.", field="id")
        public_id = target.strip().lower()
        search_kind = st_trash.TRASHABLE[kind][2]
        with self.svc.db.write(f"delete {kind}", actor=self.svc.actor, now=self.svc.now) as j:
            found = st_trash.live_record(j.conn, kind, public_id)
            if found is None:
                raise NotFound(f"no {kind} has the id '{target}' (already in the trash?).")
            key, name = found
            st_trash.move_to_trash(j, kind, key)
            if search_kind:
                st_search.reindex(j.conn, search_kind, key)
            return Trashed(id=public_id, name=str(name or kind)[:80], kind=kind,
                           undo_batch=j.batch_id)
