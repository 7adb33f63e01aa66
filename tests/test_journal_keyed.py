"""Keyed journal entries (store/keyed_changes.py): rows written alike share one entry,
and undo is still exact, row for row, on both engines."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kithbook.errors import Conflict
from kithbook.services.bulk_edit import PeopleSelection
from kithbook.services.people import NewPerson
from kithbook.store import schema as s

TABLES = (s.people, s.ties, s.taggings, s.tags, s.search_docs, s.person_name_words)


def _state(svc: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables these tests touch, with its keys: an exact undo gives
    back the very rows, not rows that look alike. (A search document's own key is not
    data: reindexing a record writes its document again under a new one.)"""
    with svc.db.read() as conn:
        return {t.name: sorted(tuple(repr(v) for k, v in r._mapping.items()
                                     if t is not s.search_docs or k != "id")
                               for r in conn.execute(select(t)))
                for t in TABLES}


def _entries(svc: Any, batch_id: str) -> list[Any]:
    with svc.db.read() as conn:
        return list(conn.execute(select(s.changes).where(s.changes.c.batch_id == batch_id)
                                 .order_by(s.changes.c.id)))


def _people(svc: Any, n: int) -> list[str]:
    names = [f"Keyed Person {i:02d}" for i in range(n)]
    tiers = ["A", "B", None]
    for i, name in enumerate(names):
        svc.people.add(NewPerson(name=name, emails=[f"keyed{i}@example.org"],
                                 tier=tiers[i % 3]))
    return names


def _ties_csv(n: int) -> bytes:
    rows = [f"keyed{a}@example.org,keyed{b}@example.org,{1 + (a + b) % 5}"
            for a in range(n) for b in range(a + 1, n)]
    return ("person_a,person_b,strength\n" + "\n".join(rows) + "\n").encode()


def test_a_ties_import_is_one_entry_and_one_exact_undo(svc: Any) -> None:
    _people(svc, 14)
    before = _state(svc)
    report = svc.transfer.import_bytes(_ties_csv(14), filename="t.csv", dry_run=False)
    assert report.created == 14 * 13 // 2
    latest = svc.history.recent(limit=1)[0]
    ties = [e for e in _entries(svc, latest.id) if e.table_name == "ties"]
    assert [(e.op, e.row_count) for e in ties] == [("insert_keys", report.created)]
    assert len(ties[0].row_key["id"]) == 1  # the keys drawn are one run
    with svc.db.read() as conn:  # the audit trail counts rows, not entries
        rows = conn.execute(select(func.sum(s.changes.c.row_count))
                            .where(s.changes.c.batch_id == latest.id)).scalar_one()
    assert latest.changes == rows >= report.created
    undone = svc.history.undo(latest.id)
    assert undone.changes_reversed == latest.changes
    assert _state(svc) == before


def test_erasure_takes_its_rows_out_of_a_keyed_entry(svc: Any) -> None:
    names = _people(svc, 8)
    svc.transfer.import_bytes(_ties_csv(8), filename="t.csv", dry_run=False)
    batch = svc.history.recent(limit=1)[0].id
    [entry] = [e for e in _entries(svc, batch) if e.table_name == "ties"]
    assert entry.row_count == 28
    svc.privacy.erase(names[3])
    [entry] = [e for e in _entries(svc, batch) if e.table_name == "ties"]
    assert entry.row_count == 21  # the 7 ties of the erased person left the entry
    with svc.db.read() as conn:
        left = set(conn.execute(select(s.ties.c.id)).scalars())
    from kithbook.store import key_runs

    assert set(key_runs.keys_of(entry.row_key["id"])) == left
    svc.history.undo(batch)
    with svc.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(s.ties)).scalar_one() == 0


def test_a_bulk_edit_shares_entries_and_undo_refuses_a_row_changed_since(svc: Any) -> None:
    names = _people(svc, 9)
    before = _state(svc)
    edit = svc.bulk.edit(PeopleSelection(search="keyed"), "tier", "C", preview=False)
    assert edit.changed == 9
    entries = _entries(svc, edit.id)
    # three old tiers, three entries of three people each
    assert sorted((e.op, e.row_count, str(e.before["tier"])) for e in entries) == [
        ("update_keys", 3, "A"), ("update_keys", 3, "B"), ("update_keys", 3, "None")]
    svc.people.edit(names[4], tier="A")
    with pytest.raises(Conflict):
        svc.history.undo(edit.id)
    svc.history.undo()  # the later edit first, then the bulk edit: exact
    svc.history.undo(edit.id)
    assert _state(svc) == before


def test_updates_of_distinct_rows_are_put_back_together(svc: Any) -> None:
    """Keyed updates of the same columns of distinct rows are reversed as one run (one
    check, one executemany); two that touch one row are not, so the order of reversal
    stays the row-by-row one."""
    from kithbook.store.journal import _runs

    _people(svc, 9)
    before = _state(svc)
    first = svc.bulk.edit(PeopleSelection(search="keyed"), "tier", "C", preview=False)
    entries = list(reversed(_entries(svc, first.id)))
    assert [len(run) for run in _runs(entries)] == [3]
    again = svc.bulk.edit(PeopleSelection(search="keyed"), "tier", "A", preview=False)
    both = list(reversed(_entries(svc, first.id) + _entries(svc, again.id)))
    assert [len(run) for run in _runs(both)] == [1, 3]  # the same people: apart
    svc.history.undo(again.id)
    svc.history.undo(first.id)
    assert _state(svc) == before


def test_undoing_a_bulk_tag_takes_it_out_of_search(svc: Any) -> None:
    _people(svc, 6)
    tagged = svc.bulk.edit(PeopleSelection(search="keyed"), "tag", "zitherists",
                           preview=False)
    [entry] = [e for e in _entries(svc, tagged.id) if e.table_name == "taggings"]
    assert (entry.op, entry.row_count, entry.row_key["subject_kind"]) == (
        "insert_keys", 6, "person")
    assert len(svc.search.find("zitherists", kinds=("person",))) == 6
    svc.history.undo(tagged.id)
    assert svc.search.find("zitherists", kinds=("person",)) == []


def _google_csv(n: int) -> bytes:
    """n contacts, every one labelled Clients, every third Friends too."""
    rows = [f"Labelled,Person {i:02d},labelled{i}@example.org,* myContacts ::: Clients"
            + (" ::: Friends" if i % 3 == 0 else "") for i in range(n)]
    return ("First Name,Last Name,E-mail 1 - Value,Labels\n" + "\n".join(rows) + "\n"
            ).encode()


def test_an_imports_taggings_share_an_entry_per_tag(svc: Any) -> None:
    before = _state(svc)
    report = svc.transfer.import_bytes(_google_csv(12), filename="contacts.csv",
                                       dry_run=False)
    assert report.created == 12
    taggings = [e for e in _entries(svc, report.id) if e.table_name == "taggings"]
    # keyed by person, one entry per tag (grouped by person it would be 12 entries)
    assert all(e.op == "insert_keys" and e.row_key["subject_kind"] == "person"
               and isinstance(e.row_key["tag_id"], int)
               and isinstance(e.row_key["subject_id"], list) for e in taggings)
    assert sorted(e.row_count for e in taggings) == [4, 12]  # Friends, Clients
    with svc.db.read() as conn:
        held = conn.execute(select(func.count()).select_from(s.taggings)).scalar_one()
    assert held == 16
    # an erased person's tagging leaves the entry; undo removes the others
    svc.privacy.erase("Labelled Person 03")
    taggings = [e for e in _entries(svc, report.id) if e.table_name == "taggings"]
    assert sorted(e.row_count for e in taggings) == [3, 11]
    svc.history.undo(report.id)
    after = _state(svc)
    assert after["taggings"] == before["taggings"] and after["people"] == before["people"]
    assert svc.search.find("Clients", kinds=("person",)) == []


def test_a_lone_composite_row_keeps_an_entry_of_its_own(svc: Any) -> None:
    report = svc.transfer.import_bytes(
        b"First Name,Last Name,E-mail 1 - Value,Labels\nSolo,Person,solo@example.org,"
        b"Clients\n", filename="one.csv", dry_run=False)
    [entry] = [e for e in _entries(svc, report.id) if e.table_name == "taggings"]
    # nothing shared: the entry names its row, with what identifies it
    assert entry.op == "insert" and entry.after["subject_id"] == entry.row_key["subject_id"]
    svc.history.undo(report.id)
    with svc.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(s.taggings)).scalar_one() == 0


def test_participants_are_keyed_by_the_column_that_leaves_fewest_entries() -> None:
    from kithbook.store.keyed_changes import inserted_entries

    # six conversations with two people: two entries of three conversations each
    rows = [{"interaction_id": i, "person_id": 40 + i % 2} for i in range(100, 106)]
    entries = inserted_entries({"table_name": "interaction_participants"},
                               s.interaction_participants, rows)
    assert entries is not None
    assert sorted((e["row_key"]["person_id"], e["row_key"]["interaction_id"], e["row_count"])
                  for e in entries) == [(40, [[100, 100], [102, 102], [104, 104]], 3),
                                        (41, [[101, 101], [103, 103], [105, 105]], 3)]
    # one conversation with six people: one entry keyed by person
    rows = [{"interaction_id": 7, "person_id": p} for p in range(1, 7)]
    [entry] = inserted_entries({}, s.interaction_participants, rows) or []
    assert entry["row_key"] == {"interaction_id": 7, "person_id": [[1, 6]]}
    # nothing shared: no keyed entries
    rows = [{"interaction_id": i, "person_id": i} for i in range(3)]
    assert inserted_entries({}, s.interaction_participants, rows) is None


ACTIONS = st.lists(st.one_of(
    st.tuples(st.just("tier"), st.sampled_from(["A", "B", "C", "none"]),
              st.sets(st.integers(0, 9), min_size=1)),
    st.tuples(st.sampled_from(["tag", "untag"]), st.sampled_from(["red", "blue"]),
              st.sets(st.integers(0, 9), min_size=1))), min_size=1, max_size=6)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_any_bulk_edits_undone_newest_first_give_back_every_row(
        svc: Any, actions: list[tuple[str, str, set[int]]]) -> None:
    """Every example starts from the state the previous one's undos gave back: a wrong
    undo shows up there, or in the next example. The people start with the tag "red"
    on every other one, so an untag has rows to take from the first action on."""
    with svc.db.read() as conn:
        have = conn.execute(select(func.count()).select_from(s.people)).scalar_one()
    if not have:
        _people(svc, 10)
        svc.bulk.edit(PeopleSelection(ids=[p.id for p in svc.people.list(limit=50).items
                                           if p.name.startswith("Keyed")
                                           and int(p.name[-2:]) % 2 == 0]),
                      "tag", "red", preview=False)
    people = {p.name: p.id for p in svc.people.list(limit=50).items}
    start = _state(svc)
    batches = []
    for action, value, who in actions:
        ids = [people[f"Keyed Person {i:02d}"] for i in sorted(who)]
        done = svc.bulk.edit(PeopleSelection(ids=ids), action, value, preview=False)
        if done.id:
            batches.append(done.id)
    for batch in reversed(batches):
        svc.history.undo(batch)
    assert _state(svc) == start
