"""The trash: soft delete of any record by id (people also by name), undoable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kithbook import ids
from kithbook.errors import InvalidInput, NotFound
from kithbook.services.catalog import use_case
from kithbook.store import schema as s
from kithbook.store import search as st_search

if TYPE_CHECKING:
    from kithbook.services.app import Services

_TABLES = {
    "org": (s.orgs, "name", "org"),
    "tie": (s.ties, "kind", None),
    "interaction": (s.interactions, "summary", "interaction"),
    "promise": (s.promises, "what", None),
    "note": (s.notes, "body", "note"),
}


class TrashService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case(writes=True)
    def delete(self, target: str) -> dict[str, Any]:
        """Move a person (by name or id) or another record (by id: an organization, an
        interaction...) to the trash: gone from every list, back with undo."""
        kind = ids.kind_of(target.strip().lower()) if ids.looks_like_id(target.strip()) else None
        if kind in (None, "person"):
            person, batch = self.svc.people.delete(target)
            return {"id": person.id, "name": person.name, "kind": "person", "undo_batch": batch}
        if kind not in _TABLES:
            raise InvalidInput(f"records of kind {kind} cannot be deleted here.", field="id")
        table, name_col, search_kind = _TABLES[kind]
        with self.svc.db.write(f"delete {kind}", actor=self.svc.actor, now=self.svc.now) as j:
            row = j.conn.execute(select(table.c.id, table.c[name_col]).where(
                table.c.public_id == target.strip().lower(), table.c.deleted_at.is_(None))
            ).first()
            if row is None:
                raise NotFound(f"no {kind} has the id '{target}' (already in the trash?).")
            j.update(table, row.id, {"deleted_at": j.now})
            if search_kind:
                st_search.reindex(j.conn, search_kind, row.id)
            return {"id": target.strip().lower(), "name": str(row[1] or kind)[:80],
                    "kind": kind, "undo_batch": j.batch_id}
