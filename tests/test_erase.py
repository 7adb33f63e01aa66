"""Erasure for personal-data requests leaves no bytes behind and keeps everyone else."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kithbook.config import Config
from kithbook.errors import InvalidInput, NotFound
from kithbook.services.app import Services
from kithbook.services.erase import erase_person
from kithbook.services.interactions import NewInteraction
from kithbook.services.people import NewPerson

CANARIES = (b"canary-mail-7f3q", b"canary-note-9x2k", b"+1 202 555 0147", b"Zebediah",
            b"canary-chat-5m1z")


def _raw(path: Path) -> bytes:
    data = b""
    for p in (path, path.with_name(path.name + "-wal")):
        if p.exists():
            data += p.read_bytes()
    return data


def test_erase_leaves_no_bytes_and_keeps_others(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    svc = Services.open(Config(db=str(path), as_of=date(2026, 11, 27)))
    svc.people.set_me("Alex Morgan")
    svc.people.add(NewPerson(name="Sam Chen", emails=["sam@example.com"]))
    target = svc.people.add(NewPerson(
        name="Zebediah Quartermaine", emails=["canary-mail-7f3q@example.com"],
        phones=["+1 202 555 0147"], org="Acme", tags=["vip"], note="canary-note-9x2k"))
    svc.ties.tie(target.id, "Sam Chen", strength=4)
    private = svc.interactions.log(NewInteraction(with_people=[target.id],
                                                  summary="canary-chat-5m1z"))
    shared = svc.interactions.log(NewInteraction(with_people=[target.id, "Sam Chen"],
                                                 summary="group lunch"))
    svc.promises.make("send the deck", to=target.id)
    svc.people.edit(target.id, tier="A")  # more journal entries holding their data
    assert all(c in _raw(path) for c in CANARIES[:2])

    with pytest.raises(InvalidInput):
        erase_person(svc, "me")
    result = erase_person(svc, target.id)
    assert result["removed"]["people"] == 1 and result["removed"]["interactions"] == 1
    svc.close()

    raw = _raw(path)
    for canary in CANARIES:
        assert canary not in raw, canary
    svc = Services.open(Config(db=str(path), as_of=date(2026, 11, 27)))
    with pytest.raises(NotFound):
        svc.people.resolve(target.id)
    with pytest.raises(NotFound):
        svc.interactions.get(private.id)
    kept = svc.interactions.get(shared.id)
    assert {p.name for p in kept.participants} == {"Alex Morgan", "Sam Chen"}
    assert svc.people.resolve("Sam Chen").emails[0].value == "sam@example.com"
    assert svc.search.find("zebediah") == [] and svc.search.find("quartermaine") == []
    tombstones = [h for h in svc.history.recent(50) if h["name"] == "erase person"]
    assert [t["id"] for t in tombstones] == [f"erase-{target.id}"]
    svc.history.undo()  # earlier changes stay undoable after an erase
    svc.close()
