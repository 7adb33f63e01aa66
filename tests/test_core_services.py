"""The rolodex core through its services, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from kithbook.errors import Ambiguous, Conflict, InvalidInput, NotFound
from kithbook.services.interactions import NewInteraction
from kithbook.services.people import NewPerson


def _seed(svc) -> None:  # type: ignore[no-untyped-def]
    svc.people.set_me("Alex Morgan")
    svc.people.add(NewPerson(name="Sam Chen", emails=["sam@northwind.example"]))
    svc.people.add(
        NewPerson(
            name="Maria Lopez",
            emails=["Maria@Northwind.example"],
            org="Northwind",
            title="CFO",
            tier="a",
            cadence="monthly",
            met_via="Sam Chen",
            how_met="Chamber breakfast",
        )
    )


def test_add_and_show_person(svc) -> None:  # type: ignore[no-untyped-def]
    _seed(svc)
    profile = svc.people.show("maria lopez")
    assert profile.name == "Maria Lopez"
    assert profile.tier == "A" and profile.cadence_days == 30
    assert profile.emails[0].value == "maria@northwind.example"
    assert profile.roles[0].org_name == "Northwind"
    assert profile.met_via is not None and profile.met_via.name == "Sam Chen"
    assert any(t.other_person.name == "Sam Chen" for t in profile.ties)
    assert any(t["other"]["name"] == "Sam Chen" for t in profile.to_dict()["ties"])


def test_resolution_by_id_email_partial_and_errors(svc) -> None:  # type: ignore[no-untyped-def]
    _seed(svc)
    maria = svc.people.resolve("Maria Lopez")
    assert svc.people.resolve(maria.id).id == maria.id
    assert svc.people.resolve("maria@northwind.example").id == maria.id
    assert svc.people.resolve("lopez").id == maria.id
    svc.people.add(NewPerson(name="Maria Schmidt"))
    with pytest.raises(Ambiguous) as exc:
        svc.people.resolve("maria")
    assert {c[1] for c in exc.value.candidates} == {"Maria Lopez", "Maria Schmidt"}
    with pytest.raises(NotFound) as nf:
        svc.people.resolve("Maria Lopes")
    assert "Did you mean Maria Lopez" in str(nf.value)


def test_duplicate_email_is_a_conflict(svc) -> None:  # type: ignore[no-untyped-def]
    _seed(svc)
    with pytest.raises(Conflict):
        svc.people.add(NewPerson(name="Someone Else", emails=["maria@northwind.example"]))
    with pytest.raises(InvalidInput):
        svc.people.add(NewPerson(name="Bad Email", emails=["not-an-email"]))


def test_log_resets_touch_and_keeps_contract(svc) -> None:  # type: ignore[no-untyped-def]
    _seed(svc)
    i = svc.interactions.log(
        NewInteraction(
            with_people=["Maria Lopez", "Sam Chen"],
            channel="meeting",
            minutes=45,
            they_want="a second supplier",
            i_want="an intro to their COO",
            agreed=["I send a quote by Friday", "Coffee at the expo"],
        )
    )
    assert {p.name for p in i.participants} == {"Alex Morgan", "Maria Lopez", "Sam Chen"}
    assert i.agreed == ["I send a quote by Friday", "Coffee at the expo"]
    maria = svc.people.resolve("Maria Lopez")
    assert maria.last_touch_at == i.occurred_at
    timeline, total = svc.interactions.timeline("Sam Chen")
    assert total == 1 and timeline[0].id == i.id


def test_promises_both_ways_and_done(svc) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    _seed(svc)
    mine = svc.promises.make("send the quote", to="Maria Lopez", due=date(2026, 12, 4))
    theirs = svc.promises.make("intro to the COO", from_="Sam Chen", due=date(2026, 12, 10))
    assert mine.owed_by.name == "Alex Morgan" and mine.owed_to.name == "Maria Lopez"
    assert theirs.owed_by.name == "Sam Chen" and theirs.owed_to.name == "Alex Morgan"
    done = svc.promises.close(mine.id[:10], "done")
    assert done.status == "done" and done.closed_at is not None
    with pytest.raises(Conflict):
        svc.promises.close(mine.id, "broken")
    open_items, total = svc.promises.list(status="open")
    assert [p.id for p in open_items] == [theirs.id] and total == 1


def test_search_folds_accents_and_covers_kinds(svc) -> None:  # type: ignore[no-untyped-def]
    _seed(svc)
    svc.people.add(NewPerson(name="Jürgen Müller", org="Acme Corp", note="Loves sailing"))
    svc.interactions.log(NewInteraction(with_people=["Maria Lopez"], summary="Acme tender"))
    assert [h.name for h in svc.search.find("muller")] == ["Jürgen Müller"]
    kinds = {h.kind for h in svc.search.find("acme")}
    assert {"person", "org", "interaction"} <= kinds
    assert [h.kind for h in svc.search.find("sailing")] == ["note"]
    assert svc.search.find("") == []
    assert svc.search.find('"; DROP TABLE people; --') == []


def test_delete_and_undo(svc) -> None:  # type: ignore[no-untyped-def]
    _seed(svc)
    person, batch = svc.people.delete("Maria Lopez")
    with pytest.raises(NotFound):
        svc.people.resolve("Maria Lopez")
    assert svc.search.find("maria") == []
    svc.history.undo(batch)
    assert svc.people.resolve("Maria Lopez").id == person.id
    assert [h.name for h in svc.search.find("maria")] == ["Maria Lopez"]


def test_undo_last_add_removes_everything_it_made(svc) -> None:  # type: ignore[no-untyped-def]
    _seed(svc)
    svc.history.undo()  # the Maria add: person, email, role, org, tie
    with pytest.raises(NotFound):
        svc.people.resolve("Maria Lopez")
    with pytest.raises(NotFound):
        svc.orgs.show("Northwind")
    assert svc.people.resolve("Sam Chen").name == "Sam Chen"


def test_tie_validation(svc) -> None:  # type: ignore[no-untyped-def]
    _seed(svc)
    t = svc.ties.tie("Maria Lopez", "Sam Chen", kind="colleague", strength=4)
    assert t.strength == 4 and t.kind == "colleague"
    again = svc.ties.tie("Sam Chen", "Maria Lopez", kind="colleague", strength=2)
    assert again.id == t.id and again.strength == 2
    with pytest.raises(InvalidInput):
        svc.ties.tie("Sam Chen", "Maria Lopez", strength=9)
    with pytest.raises(InvalidInput):
        svc.ties.tie("Sam Chen", "Sam Chen")


def test_demo_then_everyday_writes(svc) -> None:  # type: ignore[no-untyped-def]
    from kithbook.services.demo import load_demo

    result = load_demo(svc, 40, seed=1)
    assert result.people == 42 and result.to_dict()["people"] == 42
    person = svc.people.add(NewPerson(name="After Demo", org="Brand New Org", note="hi"))
    svc.interactions.log(NewInteraction(with_people=[person.id], summary="first chat"))
    svc.promises.make("call back", to=person.id)
    assert [h.name for h in svc.search.find("after demo")] == ["After Demo"]


def test_notes_and_tags_on_anything(svc) -> None:  # type: ignore[no-untyped-def]
    _seed(svc)
    n = svc.annotate.note("Northwind", "Buying group **candidate**")
    assert n.subject_kind == "org" and n.subject_name == "Northwind"
    i = svc.interactions.log(NewInteraction(with_people=["Sam Chen"], summary="lunch"))
    svc.annotate.note(i.id, "He paid")
    result = svc.annotate.tag("Northwind", ["buying-group", "Supplier"], [])
    assert result.tags == ["buying-group", "supplier"] and result.kind == "org"
    assert result.to_dict() == {"kind": "org", "tags": ["buying-group", "supplier"],
                                "id": result.id, "name": "Northwind"}
    assert svc.annotate.tag(i.id, ["lunch"], []).tags == ["lunch"]
    assert svc.annotate.tag("Sam Chen", [], ["nope"]).tags == []
    assert {h.kind for h in svc.search.find("candidate")} == {"note"}
    assert svc.orgs.profile("Northwind").notes[0].body.startswith("Buying group")
    with pytest.raises(NotFound):
        svc.annotate.note("Nobody Known", "x")
    with pytest.raises(InvalidInput):
        svc.annotate.note("Sam Chen", "   ")


def test_people_name_search_matches_names_only(svc) -> None:  # type: ignore[no-untyped-def]
    _seed(svc)
    svc.people.add(NewPerson(name="Aaliyah Khan", org="Marigold Labs", title="Marketing Lead",
                             emails=["mar.khan@example.com"]))
    svc.people.add(NewPerson(name="Marco Wilson"))
    found = svc.people.list(name_prefix="mar")
    people, total = found.items, found.total
    assert [p.name for p in people] == ["Marco Wilson", "Maria Lopez"] and total == 2
    assert "Aaliyah Khan" in {h.name for h in svc.search.find("marigold")}  # find: all text
    person, batch = svc.people.delete("Marco Wilson")
    assert [p.name for p in svc.people.list(name_prefix="mar").items] == ["Maria Lopez"]
    svc.history.undo(batch)
    svc.people.edit("Marco Wilson", name="Marcus Wilson")
    assert [p.name for p in svc.people.list(name_prefix="marcus").items] == ["Marcus Wilson"]
