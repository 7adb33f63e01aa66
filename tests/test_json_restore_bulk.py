"""A JSON backup loads a table at a time (store/dump.py `load` through the bulk writer):
what it writes, skips and undoes is what the row-by-row load did, on both engines."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from kithbook.config import Config
from kithbook.services.app import Services
from kithbook.services.demo import load_demo
from kithbook.services.people import NewPerson
from kithbook.store import dump as st_dump


def _tables(svc: Services) -> dict[str, Any]:
    return json.loads(svc.transfer.export_bytes("json"))["tables"]


@pytest.mark.parametrize("chunk", [5000, 7])
def test_a_backup_merges_into_a_database_holding_part_of_it_and_undo_restores_it(
        db_url: str, tmp_path: Any, chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st_dump, "_CHUNK", chunk)  # 7: many rounds, the last one short
    source = Services.open(Config(db=f"sqlite:///{tmp_path / 'source.db'}",
                                  as_of=date(2026, 11, 27)))
    load_demo(source, 60, seed=11, alliances=False)
    source.annotate.tag(source.people.list().items[3].id, ["supplier"], [])
    backup = source.transfer.export_bytes("json")
    whole = _tables(source)
    source.close()

    target = Services.open(Config(db=db_url, as_of=date(2026, 11, 27)))
    # the target already holds a third of the people (with their e-mails and tags), and
    # one person of its own
    part = json.loads(backup)
    keep = {p["public_id"] for p in part["tables"]["people"][::3]}
    part["tables"] = {
        "people": [p | {"met_via_id": None} for p in part["tables"]["people"]
                   if p["public_id"] in keep],
        "person_emails": [e for e in part["tables"]["person_emails"] if e["person_id"] in keep],
        "taggings": [t for t in part["tables"]["taggings"]
                     if t["subject_kind"] == "person" and t["subject_id"] in keep],
    }
    target.transfer.import_bytes(json.dumps(part).encode(), filename="part.json",
                                 dry_run=False)
    mine = target.people.add(NewPerson(name="Only Here", emails=["only@here.example.com"]))
    before = _tables(target)

    preview = target.transfer.import_bytes(backup, filename="b.json", dry_run=True)
    assert _tables(target) == before  # a preview writes nothing
    report = target.transfer.import_bytes(backup, filename="b.json", dry_run=False)
    assert report.created == preview.created
    assert report.details["people"] == {"created": len(whole["people"]) - len(keep),
                                        "skipped": len(keep)}
    after = _tables(target)
    for name, rows in whole.items():  # everything the backup holds is there, once
        if name == "people":  # those held before keep what the target said of them
            assert {p["public_id"] for p in after[name]} >= {p["public_id"] for p in rows}
            assert len(after[name]) == len(rows) + 1
            continue
        held = [r for r in after[name] if r in rows]
        assert len(held) == len(rows), name
    assert any(p["public_id"] == mine.id for p in after["people"])
    assert [h.name for h in target.search.find("only here")] == ["Only Here"]
    again = target.transfer.import_bytes(backup, filename="b.json", dry_run=False)
    assert again.created == 0

    target.history.undo(report.id)
    assert _tables(target) == before
    target.close()


def test_a_detail_row_repeated_in_the_backup_is_written_once(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st_dump, "_CHUNK", 7)  # the repeat lands in another round
    svc = Services.open(Config(db=f"sqlite:///{tmp_path / 'kb.db'}",
                               as_of=date(2026, 11, 27)))
    load_demo(svc, 20, seed=2, alliances=False)
    doc = json.loads(svc.transfer.export_bytes("json"))
    svc.close()
    doc["tables"]["person_emails"].append(dict(doc["tables"]["person_emails"][0]))
    st_dump.validate(doc["tables"], filename="b.json")
    fresh = Services.open(Config(db=f"sqlite:///{tmp_path / 'fresh.db'}",
                                 as_of=date(2026, 11, 27)))
    fresh.transfer.import_bytes(json.dumps(doc).encode(), filename="b.json", dry_run=False)
    emails = _tables(fresh)["person_emails"]
    assert len(emails) == len(doc["tables"]["person_emails"]) - 1
    fresh.close()


def test_two_roles_at_one_organization_survive_the_round_trip(db_url: str,
                                                              tmp_path: Any) -> None:
    """An internship, then a job, at the same organization: both come back from a backup
    (the load used to key roles on person and organization alone and kept one), and
    importing the backup again adds neither twice."""
    from sqlalchemy import func, select

    from kithbook.store import schema as s

    source = Services.open(Config(db=f"sqlite:///{tmp_path / 'source.db'}",
                                  as_of=date(2026, 11, 27)))
    ann = source.people.add(NewPerson(name="Ann Two Roles", org="Acme", title="Engineer"))
    with source.db.write("second role", actor="me", now=source.now) as j:
        key = j.conn.execute(select(s.people.c.id).where(s.people.c.public_id == ann.id)
                             ).scalar_one()
        org = j.conn.execute(select(s.roles.c.org_id).where(s.roles.c.person_id == key)
                             ).scalar_one()
        j.insert(s.roles, {"person_id": key, "org_id": org, "title": "Intern",
                           "is_current": False, "start_date": date(2015, 1, 1),
                           "end_date": date(2016, 1, 1), "source": "test",
                           "created_at": source.now})
    backup = source.transfer.export_bytes("json")
    source.close()
    target = Services.open(Config(db=db_url, as_of=date(2026, 11, 27)))
    for _ in range(2):
        target.transfer.import_bytes(backup, filename="b.json", dry_run=False)
        with target.db.read() as conn:
            titles = sorted(conn.execute(select(s.roles.c.title)).scalars())
            assert titles == ["Engineer", "Intern"]
            assert conn.execute(select(func.count()).select_from(s.roles)).scalar() == 2
    assert _tables(target)["roles"] == json.loads(backup)["tables"]["roles"]
    target.close()
