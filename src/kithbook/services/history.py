"""Undo and the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kithbook.errors import NotFound
from kithbook.store import history as st
from kithbook.store import search as st_search
from kithbook.store.journal import undo_batch

if TYPE_CHECKING:
    from kithbook.services.app import Services


class HistoryService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def recent(self, limit: int = 20) -> list[dict[str, Any]]:
        with self.svc.db.read() as conn:
            rows = st.recent_batches(conn, limit=limit, undone=True)
        return [
            {
                "id": r["batch_id"],
                "name": r["action"],
                "at": r["at"],
                "actor": r["actor"],
                "changes": r["changes"],
                "undone": r["undone_at"] is not None,
            }
            for r in rows
        ]

    def undo(self, batch_id: str | None = None) -> dict[str, Any]:
        """Reverse one batch: the given one, or the most recent that is not undone."""
        with self.svc.db.write("undo", actor=self.svc.actor, now=self.svc.now, record=False) as j:
            if batch_id is None:
                latest = st.recent_batches(j.conn, limit=1)
                if not latest:
                    raise NotFound("there is nothing to undo.")
                batch_id = latest[0]["batch_id"]
                action = latest[0]["action"]
            else:
                found = [
                    b for b in st.recent_batches(j.conn, limit=10_000) if b["batch_id"] == batch_id
                ]
                if not found:
                    raise NotFound(
                        f"no change batch '{batch_id}' to undo.",
                        hint="`kithbook history` lists them.",
                    )
                action = found[0]["action"]
            subjects = st.touched_subjects(j.conn, batch_id)
            count = undo_batch(j.conn, batch_id, j.now)
            st_search.reindex_many(j.conn, subjects)
        return {"id": batch_id, "name": action, "changes_reversed": count}
