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


def test_undo_of_a_tag_or_an_untag_updates_search_at_once(svc: Any) -> None:
    """Issue 13: anything undone is searchable (or gone from search) the moment the undo
    commits. A tag is part of its person's search text, so undoing a bulk tag or untag
    re-indexes the people whose taggings it reversed; undoing a tier change re-indexes
    nobody (the tier is not in the text)."""
    from kithbook.services.people import NewPerson

    ids = [svc.people.add(NewPerson(name=n)).id for n in ("Ann One", "Bo Two", "Cy Three")]
    everyone = PeopleSelection(ids=ids)

    def found() -> int:
        with svc.db.read() as conn:
            return len(st_search.search(conn, "zebrafish", kinds=("person",)))

    svc.bulk.edit(everyone, "tag", "zebrafish", preview=False)
    assert found() == 3
    svc.history.undo()
    assert found() == 0
    svc.bulk.edit(everyone, "tag", "zebrafish", preview=False)
    svc.bulk.edit(everyone, "untag", "zebrafish", preview=False)
    assert found() == 0
    svc.history.undo()
    assert found() == 3
    svc.annotate.tag("Ann One", [], ["zebrafish"])
    assert found() == 2
    svc.history.undo()
    assert found() == 3
    before = _docs(svc)
    svc.bulk.edit(everyone, "tier", "A", preview=False)
    svc.history.undo()
    assert _docs(svc) == before


def test_find_a_name_typed_without_its_space(svc: Any) -> None:
    """Issue 13: people found by names typed in another spacing, by `find` as well as by
    the resolver: 'JoséGarcía' and 'josegarcia' find José García; a word that is no
    name finds nothing."""
    from kithbook.services.people import NewPerson

    jose = svc.people.add(NewPerson(name="José García"))
    svc.people.add(NewPerson(name="Maria Lopez"))
    for typed in ("JoséGarcía", "josegarcia", "Jose Garcia", "garcía"):
        hits = [h.id for h in svc.search.find(typed) if h.kind == "person"]
        assert hits == [jose.id], typed
    assert [h.id for h in svc.search.find("MariaLopez")] != []
    assert svc.search.find("zzqqxxyy") == []


def test_an_imports_bulk_documents_equal_one_by_one(svc: Any) -> None:
    """An import's documents and name words, written in bulk (COPY on PostgreSQL past 50
    rows), are the ones reindexing each person writes, and the names are found."""
    rows = [f"Bulkname{i:02d},Copyson {i:02d},bulk{i}@example.org,Clients" for i in range(40)]
    data = ("First Name,Last Name,E-mail 1 - Value,Labels\n" + "\n".join(rows) + "\n").encode()
    assert svc.transfer.import_bytes(data, filename="c.csv", dry_run=False).created == 40
    words = s.person_name_words

    def name_words() -> list[tuple[str, int]]:
        with svc.db.read() as conn:
            return sorted(tuple(r) for r in conn.execute(select(words.c.word,
                                                                words.c.person_id)))

    bulk, bulk_words = _docs(svc), name_words()
    assert len(bulk_words) >= 120
    with svc.db.read() as conn:
        people = list(conn.execute(select(s.people.c.id)).scalars())
    with svc.db.write("test", record=False) as j:
        for k in people:
            st_search.reindex(j.conn, "person", k)
    assert _docs(svc) == bulk
    # the name words are the words of the name documents
    names = [(ref, body) for kind, ref, body in bulk if kind == st_search.NAME]
    assert bulk_words == sorted((r["word"], r["person_id"])
                                for r in st_search.name_word_rows(names))
    assert svc.people.list(name_prefix="copys", limit=100).total == 40
