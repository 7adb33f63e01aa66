"""The trash for records other than people: find a live record by its public id and
mark it deleted (journaled, so undo brings it back)."""

from __future__ import annotations

from sqlalchemy import Connection, Table, select

from kithbook.store import schema as s
from kithbook.store.journal import Journal

# kind -> (table, the column that names a record of it, its search index kind or None)
TRASHABLE: dict[str, tuple[Table, str, str | None]] = {
    "org": (s.orgs, "name", "org"),
    "tie": (s.ties, "kind", None),
    "interaction": (s.interactions, "summary", "interaction"),
    "promise": (s.promises, "what", None),
    "note": (s.notes, "body", "note"),
}


def live_record(conn: Connection, kind: str, public_id: str) -> tuple[int, str | None] | None:
    """The key and name of the live record of this kind with this exact public id."""
    table, name_col, _search = TRASHABLE[kind]
    row = conn.execute(select(table.c.id, table.c[name_col]).where(
        table.c.public_id == public_id, table.c.deleted_at.is_(None))).first()
    return None if row is None else (int(row[0]), row[1])


def move_to_trash(j: Journal, kind: str, key: int) -> None:
    """Mark one record deleted now."""
    j.update(TRASHABLE[kind][0], key, {"deleted_at": j.now})
