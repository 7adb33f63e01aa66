"""Accepting proposed correspondents: each becomes a person with the address, and the
threads and meetings already captured with them become (or join) interactions, so
accepting someone late loses none of the history. One undo batch."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kithbook import ids
from kithbook.domain.capture import canonical_address, name_from_address
from kithbook.domain.models import PersonRef
from kithbook.errors import InvalidInput, NotFound
from kithbook.store import capture as st
from kithbook.store import people as st_people
from kithbook.store import search as st_search
from kithbook.store.capture_schema import capture_contacts, captured
from kithbook.store.journal import Journal
from kithbook.store.rows import utc

if TYPE_CHECKING:
    from kithbook.services.app import Services


def accept(svc: Services, addresses: list[str], *, everyone: bool) -> list[PersonRef]:
    if not addresses and not everyone:
        raise InvalidInput("name the correspondents to accept, or accept all proposed.",
                           field="addresses")
    out: list[PersonRef] = []
    with svc.db.write("capture accept", actor=svc.actor, now=svc.now) as j:
        me = svc.people.ensure_me(j)
        if everyone:
            rows, _ = st.contacts(j.conn, status="proposed", limit=100_000)
        else:
            found = st.contacts_by_address(j.conn, [canonical_address(a) for a in addresses])
            missing = [a for a in addresses if canonical_address(a) not in found]
            if missing:
                raise NotFound(f"no correspondent {missing[0]} on the review list.")
            rows = list(found.values())
        for row in rows:
            if row["status"] == "accepted" and row["person_id"]:
                continue
            out.append(_accept_one(j, me, row))
    return out


def _accept_one(j: Journal, me: int, row: dict[str, Any]) -> PersonRef:
    address = row["address"]
    name = name_from_address(address, row["display_name"])
    key = st_people.insert_person(j, ids.new_id("person"), name)
    st_people.add_contact(j, key, "email", {"value": address, "normalized": address,
                                            "is_primary": True, "source": "capture"})
    j.update(capture_contacts, row["id"], {"status": "accepted", "person_id": key})
    items = st.captured_with_party(j.conn, address)
    threads: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        threads[(item["origin"], item["thread_key"])].append(item)
    live = st.live_interaction_keys(j.conn, [i["interaction_id"] for i in items
                                            if i["interaction_id"] is not None])
    last: datetime | None = None
    for (origin, _thread), its in threads.items():
        when = max(utc(i["occurred_at"]) for i in its)  # type: ignore[type-var]
        assert when is not None
        existing = next((i["interaction_id"] for i in its if i["interaction_id"] in live), None)
        if existing is not None:
            parts = st.interaction_state(j.conn, [existing])[existing][2]
            if key not in parts:
                j.insert(_participants(), {"interaction_id": existing, "person_id": key})
        else:
            from kithbook.store import schema as s

            existing = j.insert(s.interactions, {
                "public_id": ids.new_id("interaction"), "occurred_at": when,
                "channel": "email" if origin == "mail" else "meeting",
                "source": f"capture:{_source_pid(j, its[0]['source_id'])}",
                "created_at": j.now,
                "initiated_by_id": None if len({i["direction"] for i in its}) > 1 else (
                    me if its[0]["direction"] == "out" else key),
            })
            assert existing is not None
            for p in (me, key):
                j.insert(_participants(), {"interaction_id": existing, "person_id": p})
        for i in its:
            if i["interaction_id"] != existing:
                j.update(captured, i["id"], {"interaction_id": existing})
        last = when if last is None or when > last else last
    if last is not None:
        st_people.set_last_touch(j, [key], last)
    st_search.reindex(j.conn, "person", key)
    return PersonRef(id=st_people.ref_by_key(j.conn, key).id, name=name, key=key)


def _participants() -> Any:
    from kithbook.store import schema as s

    return s.interaction_participants


def _source_pid(j: Journal, source_key: int | None) -> str:
    return st.source_public_id(j.conn, source_key)
