"""Undo and the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kithbook.errors import Conflict, NotFound
from kithbook.services.catalog import use_case
from kithbook.services.results import ChangeBatch, Undone
from kithbook.store import economics as st_money
from kithbook.store import history as st
from kithbook.store import search as st_search
from kithbook.store.journal import undo_batch
from kithbook.store.rows import utc

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services


def _refuse_if_money_would_change(conn: Connection, batch_id: str) -> None:
    """An issued statement never changes (docs/economics.md, "Storage"): undoing the
    booking of an entry it lists would change it, and undoing an agreement's creation
    would delete its ledger and statements with it. Both are refused with what to do."""
    entries = st_money.issued_entries_inserted_by(conn, batch_id)
    if entries:
        name, seq, period = entries[0]
        raise Conflict(
            f"ledger entry #{seq} of {name} is on the issued statement for period {period}; "
            "undoing its booking would change that statement.",
            hint=f"Reverse entry #{seq} of {name} instead: the reversing entry goes into "
                 "the next open period and the issued statement stays as it is.",
            remedy="economics.reverse")
    agreements = st_money.agreements_with_records_inserted_by(conn, batch_id)
    if agreements:
        name, n_entries, n_issued = agreements[0]
        raise Conflict(
            f"{name} has {n_entries} ledger entries and {n_issued} issued statements; "
            "undoing its creation would delete them.",
            hint="Undo its later changes first, newest first.", remedy="history.recent")


class HistoryService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case()
    def recent(self, limit: int = 20) -> list[ChangeBatch]:
        """The audit trail: recent change batches, newest first, with the ids undo takes."""
        with self.svc.db.read() as conn:
            rows = st.recent_batches(conn, limit=limit, undone=True)
        return [
            ChangeBatch(
                id=r["batch_id"],
                name=r["action"],
                at=utc(r["at"]),
                actor=r["actor"],
                changes=int(r["changes"]),
                undone=r["undone_at"] is not None,
            )
            for r in rows
        ]

    @use_case(writes=True)
    def undo(self, batch_id: str | None = None) -> Undone:
        """Reverse one batch: the given one, or the most recent that is not undone."""
        from kithbook import collector

        with collector.paused(), self.svc.db.write(
                "undo", actor=self.svc.actor, now=self.svc.now, record=False) as j:
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
                        f"no change batch '{batch_id}' to undo.", remedy="history.recent"
                    )
                action = found[0]["action"]
            _refuse_if_money_would_change(j.conn, batch_id)
            subjects = st.touched_subjects(j.conn, batch_id)
            count = undo_batch(j.conn, batch_id, j.now)
            st_search.reindex_many(j.conn, subjects)
        return Undone(id=batch_id, name=action, changes_reversed=count)
