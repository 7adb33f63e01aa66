"""Promises both ways: made, kept, broken, released."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from kithbook import ids
from kithbook.domain.models import PROMISE_STATUSES, Promise
from kithbook.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kithbook.services.catalog import use_case
from kithbook.services.resolve import PersonLike
from kithbook.store import people as st_people
from kithbook.store import promises as st
from kithbook.store import schema as s

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services


class PromiseService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case(writes=True)
    def make(
        self,
        what: str,
        *,
        to: PersonLike | None = None,
        from_: PersonLike | None = None,
        due: date | None = None,
        interaction: str | None = None,
    ) -> Promise:
        """Record a promise and when it is due: `to` X, I owe X; `from_` X, X owes me;
        both, X (from) owes Y (to)."""
        what = " ".join((what or "").split())
        if not what:
            raise InvalidInput("what was promised?", field="what")
        if not to and not from_:
            raise InvalidInput(
                "say who: the person you owe (to) or the person who owes you (from).", field="to"
            )
        with self.svc.db.write("promise", actor=self.svc.actor, now=self.svc.now) as j:
            me = self.svc.people.ensure_me(j)
            owed_to = self.svc.resolve.person_key(j.conn, to, field="to") if to else me
            owed_by = self.svc.resolve.person_key(j.conn, from_, field="from_") if from_ else me
            if owed_by == owed_to:
                raise InvalidInput("a promise is between two different people.", field="to")
            ikey = None
            if interaction:
                from kithbook.store import interactions as st_int

                ikey = st_int.key_by_public_id(j.conn, interaction)
                if ikey is None:
                    raise NotFound(f"no interaction has the id '{interaction}'.")
            key = st.insert_promise(
                j,
                ids.new_id("promise"),
                owed_by_id=owed_by,
                owed_to_id=owed_to,
                what=what,
                due=due,
                interaction_id=ikey,
            )
            result = st.get_promise(j.conn, key)
        assert result is not None
        return result

    def _key(self, conn: Connection, public_id: str) -> int:
        keys = st.get_promise_keys(conn, public_id.strip().lower())
        if not keys:
            raise NotFound(
                f"no promise has the id '{public_id}'.", remedy="promises.list"
            )
        if len(keys) > 1:
            raise Ambiguous(
                f"'{public_id}' is the start of several promise ids.",
                [(p.id, p.what, p.owed_to.name) for k in keys if (p := st.get_promise(conn, k))],
            )
        return keys[0]

    @use_case(writes=True)
    def close(self, public_id: str, status: str, reason: str | None = None) -> Promise:
        """Close a promise as done, broken (with the reason) or released."""
        if status not in PROMISE_STATUSES or status == "open":
            raise InvalidInput(f"unknown status {status}", field="status")
        with self.svc.db.write(f"promise {status}", actor=self.svc.actor, now=self.svc.now) as j:
            key = self._key(j.conn, public_id)
            current = st.get_promise(j.conn, key)
            assert current is not None
            if current.status != "open":
                raise Conflict(
                    f"that promise is already {current.status}.", remedy="history.undo"
                )
            j.update(
                s.promises, key, {"status": status, "status_reason": reason, "closed_at": j.now}
            )
            if status == "done":
                # a promise kept is a touch with the person it was kept for
                st_people.set_last_touch(j, [current.owed_to.key, current.owed_by.key], j.now)
            result = st.get_promise(j.conn, key)
        assert result is not None
        return result

    @use_case(writes=True)
    def reopen(self, public_id: str) -> Promise:
        """Open a closed promise again."""
        with self.svc.db.write("promise reopen", actor=self.svc.actor, now=self.svc.now) as j:
            key = self._key(j.conn, public_id)
            j.update(s.promises, key, {"status": "open", "status_reason": None, "closed_at": None})
            result = st.get_promise(j.conn, key)
        assert result is not None
        return result

    @use_case()
    def list(
        self,
        *,
        status: str | None = "open",
        person: str | None = None,
        direction: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[Promise], int]:
        """Promises, soonest due first, with the total: open ones by default (`status`
        None for all), `direction` mine (I owe) or theirs (owed to me), of one person."""
        with self.svc.db.read() as conn:
            me = st_people.me_key(conn)
            owed_by = owed_to = None
            if direction == "mine":
                owed_by = me
            elif direction == "theirs":
                owed_to = me
            if person:
                pkey = self.svc.resolve.person_key(conn, person)
                if direction == "theirs":
                    owed_by = pkey
                elif direction == "mine":
                    owed_to = pkey
                else:
                    items = st.promises_of(conn, pkey, status=status, limit=limit)
                    return items, len(items)
            return st.list_promises(
                conn, status=status, owed_by=owed_by, owed_to=owed_to, limit=limit, offset=offset
            )
