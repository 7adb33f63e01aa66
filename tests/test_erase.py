"""Erasure for personal-data requests leaves no bytes behind and keeps everyone else.

Each scenario ends in a raw byte scan of the database, its write-ahead log, the cache
folders beside it and the upload preview folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kithbook.config import Config
from kithbook.errors import InvalidInput, NotFound
from kithbook.services.app import Services
from kithbook.services.interactions import NewInteraction
from kithbook.services.people import NewPerson
from kithbook.services.places import places

CANARIES = (b"canary-mail-7f3q", b"canary-note-9x2k", b"+1 202 555 0147", b"Zebediah",
            b"zebediah", b"canary-chat-5m1z", b"Quartermaine", b"quartermaine",
            b"canary-old-mail-2p8w")


def _open(path: Path) -> Services:
    return Services.open(Config(db=str(path), as_of=date(2026, 11, 27)))


def raw_scan(path: Path) -> bytes:
    """Every byte Kithbook keeps about this database: the file, its WAL and shared
    memory, and every file in the folders beside it (caches, previews)."""
    data = b""
    for p in sorted(path.parent.iterdir()):
        if not p.name.startswith(path.name):
            continue
        files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()]
        for f in files:
            data += f.read_bytes()
    return data


def _assert_clean(path: Path) -> None:
    raw = raw_scan(path)
    found = [c for c in CANARIES if c in raw]
    assert found == [], found


def _seed(svc: Services) -> str:
    svc.people.set_me("Alex Morgan")
    svc.people.add(NewPerson(name="Sam Chen", emails=["sam@example.com"]))
    target = svc.people.add(NewPerson(
        name="Zebediah Quartermaine", emails=["canary-mail-7f3q@example.com"],
        phones=["+1 202 555 0147"], org="Acme", tags=["vip"], note="canary-note-9x2k"))
    svc.ties.tie(target.id, "Sam Chen", strength=4)
    svc.interactions.log(NewInteraction(with_people=[target.id], summary="canary-chat-5m1z"))
    svc.interactions.log(NewInteraction(with_people=[target.id, "Sam Chen"],
                                        summary="group lunch with Zebediah Quartermaine"))
    svc.promises.make("send the deck", to=target.id)
    svc.annotate.note("Sam Chen", "Sam met Zebediah Quartermaine at the expo")
    svc.people.edit(target.id, tier="A")  # more journal entries holding their data
    from kithbook.store.capture_schema import capture_contacts

    with svc.db.write("seed", record=False) as j:  # a correspondent seen in captured mail
        j.conn.execute(capture_contacts.insert().values(
            address="canary-mail-7f3q@example.com", display_name="Zebediah Quartermaine",
            first_seen=j.now, last_seen=j.now, status="seen"))
    return target.id


def test_erase_leaves_no_bytes_and_keeps_others(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    svc = _open(path)
    target = _seed(svc)
    assert b"canary-mail-7f3q" in raw_scan(path)
    with pytest.raises(InvalidInput):
        svc.privacy.erase("me")
    preview = svc.privacy.erase(target, dry_run=True)
    assert preview.dry_run and preview.removed["people"] == 1
    result = svc.privacy.erase(target)
    assert result.removed["people"] == 1 and result.removed["interactions"] == 1
    assert result.redacted["notes"] == 1 and result.redacted["interactions"] == 1
    svc.close()
    _assert_clean(path)

    svc = _open(path)
    with pytest.raises(NotFound):
        svc.people.resolve(target)
    sam = svc.people.show("Sam Chen")
    assert sam.emails[0].value == "sam@example.com"
    assert [n.body for n in sam.notes] == ["Sam met [erased] at the expo"]
    lunch = [i for i in sam.timeline if "group lunch" in (i.summary or "")]
    assert lunch[0].summary == "group lunch with [erased]"
    assert {p.name for p in lunch[0].participants} == {"Alex Morgan", "Sam Chen"}
    assert svc.search.find("zebediah") == [] and svc.search.find("quartermaine") == []
    tombstones = [h for h in svc.history.recent(50) if h.name == "erase person"]
    assert [t.id for t in tombstones] == [f"erase-{target}"]
    while True:  # every earlier change can still be undone, none brings them back
        try:
            svc.history.undo()
        except NotFound:
            break
    with pytest.raises(NotFound):
        svc.people.resolve(target)
    svc.close()
    _assert_clean(path)


def test_merge_then_erase_takes_the_duplicate_and_undo_cannot_return_it(
        tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    svc = _open(path)
    svc.people.set_me("Alex Morgan")
    keep = svc.people.add(NewPerson(name="Zebediah Quartermaine",
                                    emails=["canary-mail-7f3q@example.com"]))
    dupe = svc.people.add(NewPerson(name="Zeb Quartermaine",
                                    emails=["canary-old-mail-2p8w@example.com"],
                                    phones=["+1 202 555 0147"]))
    from kithbook.services.dupes import DupesService

    merge = DupesService(svc).merge(keep.id, dupe.id)
    result = svc.privacy.erase(keep.id)
    assert {p.id for p in result.erased} == {keep.id, dupe.id}
    with pytest.raises(NotFound):
        svc.history.undo(merge.id)  # the merge's entries went with them
    with pytest.raises(NotFound):
        svc.privacy.erase(dupe.id)
    svc.close()
    _assert_clean(path)


def test_a_person_in_the_trash_can_be_erased(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    svc = _open(path)
    target = _seed(svc)
    deleted, batch = svc.people.delete(target)
    result = svc.privacy.erase("Zebediah Quartermaine")  # by name, though in the trash
    assert [p.id for p in result.erased] == [target]
    with pytest.raises(NotFound):
        svc.history.undo(batch)
    svc.close()
    _assert_clean(path)


def test_erase_then_undo_of_an_older_batch(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    svc = _open(path)
    svc.people.set_me("Alex Morgan")
    imported = svc.transfer.import_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zebediah Quartermaine\r\n"
        b"EMAIL:canary-mail-7f3q@example.com\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Other Person\r\nEMAIL:other@example.com\r\n"
        b"END:VCARD\r\n", filename="cards.vcf", dry_run=False)
    svc.privacy.erase("Zebediah Quartermaine")
    svc.history.undo(imported.id)  # the rest of the import goes; the erased stay gone
    with pytest.raises(NotFound):
        svc.people.resolve("Other Person")
    svc.close()
    _assert_clean(path)


def test_erasure_discards_upload_previews_and_graph_cache(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    svc = _open(path)
    _seed(svc)
    where = places(svc.config)
    where.previews.mkdir()
    (where.previews / "tok.bin").write_bytes(b"FN:Zebediah Quartermaine")
    where.graph_cache.mkdir()
    (where.graph_cache / "ids.npy").write_bytes(b"x")
    result = svc.privacy.erase("Zebediah Quartermaine")
    assert result.previews_discarded == 1 and result.graph_cache_cleared
    svc.close()
    _assert_clean(path)


def test_erase_lists_older_copies_and_restore_erases_again(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    svc = _open(path)
    target = _seed(svc)
    old = svc.database.backup(tmp_path / "before.db")
    result = svc.privacy.erase(target)
    assert str(old.path) in [c.id for c in result.older_copies]
    svc.database.restore(tmp_path / "before.db")
    with pytest.raises(NotFound):
        svc.people.resolve(target)
    assert svc.people.resolve("Sam Chen").name == "Sam Chen"
    svc.close()
    _assert_clean(path)


def test_an_old_file_copied_back_by_hand_forgets_them_at_the_next_start(
        tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "k.db"
    svc = _open(path)
    target = _seed(svc)
    svc.database.backup(tmp_path / "old-copy.db")
    svc.privacy.erase(target)
    svc.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copy(tmp_path / "old-copy.db", path)
    svc = _open(path)
    with pytest.raises(NotFound):
        svc.people.resolve(target)
    svc.close()
    _assert_clean(path)


def test_json_backup_import_does_not_bring_them_back(tmp_path: Path) -> None:
    svc = _open(tmp_path / "k.db")
    target = _seed(svc)
    backup = svc.transfer.export_bytes("json")
    svc.privacy.erase(target)
    report = svc.transfer.import_bytes(backup, filename="old.json", dry_run=False)
    assert report.skipped >= 1
    with pytest.raises(NotFound):
        svc.people.resolve(target)
    svc.close()


def test_subject_access_holds_everything_about_them(tmp_path: Path) -> None:
    import json

    from kithbook.domain.models import as_dict

    svc = _open(tmp_path / "k.db")
    target = _seed(svc)
    sar = svc.privacy.subject_access(target)
    text = json.dumps(as_dict(sar))
    for canary in ("canary-mail-7f3q", "canary-note-9x2k", "+1 202 555 0147",
                   "canary-chat-5m1z", "group lunch", "Sam met Zebediah", "send the deck",
                   "vip"):
        assert canary in text, canary
    assert {"people", "person_emails", "person_phones", "roles", "ties", "promises",
            "notes", "taggings", "interactions"} <= set(sar.records)
    svc.close()
