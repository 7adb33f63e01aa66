"""The batched reindex (people a chunk at a time) writes exactly the documents the
one-record-at-a-time reindex writes, and search finds the same people after it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kithbook.services.bulk_edit import PeopleSelection
from kithbook.services.demo import load_demo
from kithbook.store import schema as s
from kithbook.store import search as st_search


def _docs(svc: Any) -> list[tuple[str, int, str]]:
    with svc.db.read() as conn:
        return sorted(
            (r.kind, r.ref_id, " ".join(sorted(r.body.split())))
            for r in conn.execute(select(s.search_docs.c.kind, s.search_docs.c.ref_id,
                                         s.search_docs.c.body))
        )


def test_batched_reindex_equals_one_by_one(svc: Any) -> None:
    load_demo(svc, 60, alliances=False)
    with svc.db.read() as conn:
        people = list(conn.execute(select(s.people.c.id).order_by(s.people.c.id)).scalars())
        ids = list(conn.execute(select(s.people.c.public_id).where(
            s.people.c.is_me.isnot(True)).order_by(s.people.c.id)).scalars())
    # a bulk tag goes through the batched path; a deleted person must lose its documents
    svc.bulk.edit(PeopleSelection(ids=ids[:25]), "tag", "zebrafish", preview=False)
    with svc.db.write("test", record=False) as j:
        j.conn.execute(s.people.update().where(s.people.c.id == people[-1])
                       .values(deleted_at=j.now))
        st_search.reindex_many(j.conn, [("person", k) for k in people])
    batched = _docs(svc)
    with svc.db.write("test", record=False) as j:
        for k in people:
            st_search.reindex(j.conn, "person", k)
    assert _docs(svc) == batched
    assert not [d for d in batched if d[1] == people[-1] and d[0] in ("person", "name")]
    with svc.db.read() as conn:
        hits = st_search.search(conn, "zebrafish", kinds=("person",), limit=100)
    assert len(hits) == 25
