"""Rebuilding the whole search index (store/search.py `rebuild_all`, run after a JSON
backup loads into an empty database and by `kithbook reindex`) and reindexing many records
(`reindex_many`, after imports, bulk edits and undo), both a chunk at a time, give each
record the document that reindexing it alone gives."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kithbook.services.demo import load_demo
from kithbook.store import schema as s
from kithbook.store import search as st_search


def _docs(conn: Any) -> dict[tuple[str, int], list[str]]:
    return {(r.kind, r.ref_id): sorted(r.body.split()) for r in conn.execute(
        select(s.search_docs.c.kind, s.search_docs.c.ref_id, s.search_docs.c.body))}


def test_rebuild_all_equals_reindexing_each_record(svc: Any) -> None:
    load_demo(svc, 60, seed=5, alliances=False)
    person = svc.people.list().items[0]
    svc.annotate.tag(person.id, ["investor"], [])
    svc.annotate.note(person.id, "Met at the **harbour** fair")
    with svc.db.write("test", actor="me", now=svc.now) as j:
        conn = j.conn
        key = conn.execute(select(s.people.c.id).where(s.people.c.public_id == person.id)
                           ).scalar_one()
        st_search.rebuild_all(conn)
        whole = _docs(conn)
        records = [(kind, ref) for kind, table in (
            ("person", s.people), ("org", s.orgs), ("interaction", s.interactions),
            ("note", s.notes)) for ref in conn.execute(select(table.c.id)).scalars()]
        for kind, ref in records:
            st_search.drop_docs(conn, kind, [ref])
            st_search.reindex(conn, kind, ref)
        one_by_one = _docs(conn)
        for kind, ref in records:
            st_search.drop_docs(conn, kind, [ref])
        st_search.reindex_many(conn, records)
        many = _docs(conn)
    assert whole == one_by_one == many
    assert {k for k, _ in whole} == {"person", "name", "org", "interaction", "note"}
    assert "investor" in whole[("person", key)]
    assert any("harbour" in body for (kind, _), body in whole.items() if kind == "note")
