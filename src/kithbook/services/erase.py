"""`kithbook erase PERSON`: remove everything about someone, for good."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kithbook.errors import InvalidInput
from kithbook.store import erase as st
from kithbook.store import people as st_people

if TYPE_CHECKING:
    from kithbook.services.app import Services


def erase_person(svc: Services, target: str) -> dict[str, Any]:
    with svc.db.write("erase person", actor=svc.actor, record=False, now=svc.now) as j:
        key = svc.resolve.person_key(j.conn, target)
        person = st_people.get_person(j.conn, key, details=False)
        assert person is not None
        if person.is_me:
            raise InvalidInput("you cannot erase yourself.", field="person")
        removed = st.erase_person(j.conn, key, st_people.me_key(j.conn), j.now)
    with svc.db.write("erase cleanup", record=False) as j:
        st.purge_leftovers(j.conn)
    if svc.db.dialect == "sqlite":
        # deleted pages also live in the write-ahead log until a checkpoint empties it
        with svc.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"id": person.id, "name": person.name, "removed": removed}
