"""Import service: previews, idempotent re-import, provenance, undo, all-or-nothing."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kithbook.errors import ImportFailed
from kithbook.store import schema as s

DATA = Path(__file__).parent / "data"
CSV = DATA / "csv"


def _count(svc: Any, table: Any) -> int:
    with svc.db.read() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _snapshot(svc: Any) -> dict[str, int]:
    tables = (s.people, s.person_emails, s.person_phones, s.person_urls, s.roles, s.orgs,
              s.notes, s.taggings, s.imports, s.ties)
    return {t.name: _count(svc, t) for t in tables}


def test_preview_then_import_then_reimport(svc: Any) -> None:
    path = CSV / "linkedin_connections.csv"
    before = _snapshot(svc)
    preview = svc.transfer.import_file(path, dry_run=True)
    assert (preview.created, preview.updated, preview.skipped) == (5, 0, 0)
    assert _snapshot(svc) == before  # a preview writes nothing
    real = svc.transfer.import_file(path, dry_run=False)
    assert real.created == 5 and real.id.startswith("bat_")
    after = _snapshot(svc)
    assert after["people"] == before["people"] + 5 + 1  # and you ("me"), their centre
    assert after["ties"] == before["ties"] + 5  # a LinkedIn connection is a tie to you
    again = svc.transfer.import_file(path, dry_run=False)
    assert (again.created, again.updated, again.skipped) == (0, 0, 5)
    assert _snapshot(svc)["people"] == after["people"]
    assert _snapshot(svc)["person_urls"] == after["person_urls"]
    # the same export without the preamble, and the zip, match the same people
    for other in ("linkedin_no_preamble.csv", "Basic_LinkedInDataExport_01-02-2026.zip"):
        rep = svc.transfer.import_file(CSV / other, dry_run=False)
        assert rep.created == 0
    assert _snapshot(svc)["people"] == after["people"]


def test_connected_on_and_provenance(svc: Any) -> None:
    rep = svc.transfer.import_file(CSV / "linkedin_connections.csv", dry_run=False)
    ada = svc.people.resolve("Ada Lovelace")
    assert str(ada.first_met_on) == "2025-12-07"
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-lovelace"
    with svc.db.read() as conn:
        imp = conn.execute(select(s.imports)).one()
    assert imp.batch_id == rep.id and imp.format == "linkedin"
    assert all(u.source == imp.public_id for u in ada.urls)
    assert ada.roles[0].org_name == "Analytical Engines"


def test_newer_export_updates_what_changed(svc: Any, tmp_path: Path) -> None:
    svc.transfer.import_file(CSV / "linkedin_no_preamble.csv", dry_run=False)
    text = (CSV / "linkedin_no_preamble.csv").read_text()
    text = text.replace("Analytical Engines,Programmer", "Babbage Ltd,Chief Programmer")
    text = text.replace(",,Babbage", ",ada@babbage.example,Babbage")
    newer = tmp_path / "Connections.csv"
    newer.write_text(text)
    rep = svc.transfer.import_file(newer, dry_run=False)
    assert (rep.created, rep.updated, rep.skipped) == (0, 1, 4)
    ada = svc.people.resolve("Ada Lovelace")
    assert [e.value for e in ada.emails] == ["ada@babbage.example"]
    current = [r.org_name for r in ada.roles if r.is_current]
    assert current == ["Babbage Ltd"]


def test_undo_reverses_an_import(svc: Any) -> None:
    before = _snapshot(svc)
    rep = svc.transfer.import_file(CSV / "google_contacts.csv", dry_run=False, region="US")
    assert rep.created == 3 and len(rep.errors) == 1
    svc.history.undo(rep.id)
    assert _snapshot(svc) == before
    assert not _hits(svc, "garcia")


def _hits(svc: Any, text: str) -> list[Any]:
    with svc.db.read() as conn:
        from kithbook.store.search import search

        return search(conn, text)


def test_search_finds_imported_people(svc: Any) -> None:
    svc.transfer.import_file(CSV / "google_contacts.csv", dry_run=False, region="US")
    assert _hits(svc, "garcia")
    assert _hits(svc, "acme")


@pytest.mark.parametrize("name", ["empty.csv", "binary.csv", "truncated_quote.csv",
                                  "not_contacts.csv"])
def test_broken_files_touch_nothing(svc: Any, name: str) -> None:
    before = _snapshot(svc)
    with pytest.raises(ImportFailed):
        svc.transfer.import_file(CSV / name, dry_run=False)
    assert _snapshot(svc) == before


def test_truncated_vcard_touches_nothing(svc: Any) -> None:
    before = _snapshot(svc)
    with pytest.raises(ImportFailed):
        svc.transfer.import_file(DATA / "broken_truncated.vcf", dry_run=False)
    assert _snapshot(svc) == before


def test_failure_in_the_middle_rolls_everything_back(svc: Any, monkeypatch: Any) -> None:
    from kithbook.services import import_writer

    before = _snapshot(svc)
    real = import_writer.q.add_search_docs

    def boom(conn: Any, docs: Any) -> None:
        real(conn, docs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_writer.q, "add_search_docs", boom)
    with pytest.raises(RuntimeError):
        svc.transfer.import_file(CSV / "linkedin_connections.csv", dry_run=False)
    assert _snapshot(svc) == before


@pytest.mark.parametrize("path", sorted((DATA / "vcards").glob("*.vcf")), ids=lambda p: p.name)
def test_every_vcard_fixture_imports(svc: Any, path: Path) -> None:
    rep = svc.transfer.import_file(path, dry_run=False)
    assert rep.created + rep.merged >= 1 and not rep.errors
    again = svc.transfer.import_file(path, dry_run=False)
    assert again.created == 0


def test_vcard_export_reimports_without_duplicates(svc: Any, tmp_path: Path) -> None:
    for path in sorted((DATA / "vcards").glob("*.vcf")):
        svc.transfer.import_file(path, dry_run=False)
    people = _count(svc, s.people)
    out = svc.transfer.export_file("vcard", tmp_path / "all.vcf")
    import vobject

    cards = list(vobject.readComponents(out.read_text()))
    assert len(cards) == people
    assert all(c.uid.value and c.rev.value for c in cards)
    rep = svc.transfer.import_file(out, dry_run=False)
    assert rep.created == 0 and _count(svc, s.people) == people
    out_csv = svc.transfer.export_file("csv", tmp_path / "all.csv")
    rep = svc.transfer.import_file(out_csv, dry_run=False)
    assert rep.created == 0 and _count(svc, s.people) == people


def test_ties_import(svc: Any) -> None:
    svc.transfer.import_file(CSV / "linkedin_connections.csv", dry_run=False)
    to_me = _count(svc, s.ties)  # the import tied each connection to you
    assert to_me == 5
    preview = svc.transfer.import_file(CSV / "ties.csv", dry_run=True)
    assert preview.created == 2 and _count(svc, s.ties) == to_me
    rep = svc.transfer.import_file(CSV / "ties.csv", dry_run=False)
    assert rep.created == 2 and [e["line"] for e in rep.errors] == [4, 5, 6]
    again = svc.transfer.import_file(CSV / "ties.csv", dry_run=False)
    assert again.created == 0 and again.skipped == 2
    assert b"person_a,person_b" in svc.transfer.export_bytes("ties")


def test_a_ties_import_updates_revives_and_undoes_exactly(svc: Any) -> None:
    """The batched tie writer: new ties, a changed strength and a deleted tie declared
    again, in one import that one undo reverses row for row."""
    from kithbook.services.people import NewPerson

    names = [f"Tie Person {i}" for i in range(6)]
    for n in names:
        svc.people.add(NewPerson(name=n))
    svc.ties.tie(names[0], names[1], strength=2)
    svc.ties.tie(names[2], names[3], strength=4)
    gone = svc.ties.tie(names[4], names[5], strength=1)
    svc.trash.delete(gone.id)

    def state() -> set[tuple[Any, ...]]:
        with svc.db.read() as conn:
            return {(r.a_id, r.b_id, r.kind, r.strength, r.deleted_at is None)
                    for r in conn.execute(select(s.ties))}

    before = state()
    rows = [f"{names[0]},{names[1]},5", f"{names[2]},{names[3]},4",
            f"{names[4]},{names[5]},3", f"{names[0]},{names[5]},2",
            f"{names[5]},{names[0]},1,colleague", f"{names[1]},{names[0]},3"]
    data = ("person_a,person_b,strength,kind\n" + "\n".join(rows) + "\n").encode()
    preview = svc.transfer.import_bytes(data, filename="t.csv", dry_run=True)
    assert (preview.created, preview.updated, preview.skipped, preview.merged) == (2, 2, 1, 1)
    assert state() == before
    rep = svc.transfer.import_bytes(data, filename="t.csv", dry_run=False)
    assert (rep.created, rep.updated, rep.skipped) == (2, 2, 1)
    after = state()
    assert len(after) == len(before) + 2
    assert {(x[3], x[4]) for x in after - before} == {(3, True), (2, True), (1, True)}
    assert [t.strength for t in svc.ties.of(names[4])] == [3]  # declared again: alive
    svc.history.undo()
    assert state() == before


def test_within_file_duplicates_are_merged(svc: Any, tmp_path: Path) -> None:
    f = tmp_path / "dupes.vcf"
    f.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo Bloggs\r\nEMAIL:jo@x.example\r\nEND:VCARD"
                 "\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Joanna Bloggs\r\nEMAIL:JO@x.example\r\n"
                 "TEL:+44 20 7946 0000\r\nEND:VCARD\r\n")
    rep = svc.transfer.import_file(f, dry_run=False)
    assert (rep.created, rep.merged) == (1, 1)
    jo = svc.people.resolve("jo@x.example")
    assert len(jo.phones) == 1 and len(jo.emails) == 1


@pytest.mark.parametrize("path", sorted((DATA / "vcards").glob("*.vcf")), ids=lambda p: p.name)
def test_vcard_fixture_loses_nothing_in_the_database(svc: Any, path: Path) -> None:
    from kithbook.io import sources
    from kithbook.io.records import ImportedContact

    _, items = sources.read_all(path.read_bytes(), path.name, region="US")
    cards = [c for c in items if isinstance(c, ImportedContact)]
    svc.transfer.import_file(path, dry_run=False)
    with svc.db.read() as conn:
        names = set(conn.execute(select(s.people.c.name)).scalars())
        emails = set(conn.execute(select(s.person_emails.c.value)).scalars())
        phones = set(conn.execute(select(s.person_phones.c.value)).scalars())
        orgs = set(conn.execute(select(s.orgs.c.name)).scalars())
        notes = "\n".join(conn.execute(select(s.notes.c.body)).scalars())
    for c in cards:
        merged_into_other = c.name not in names  # same email/phone as an earlier card
        assert not merged_into_other or any(e.value in emails for e in c.emails) or any(
            p.value in phones for p in c.phones)
        assert {e.value for e in c.emails} <= emails
        assert {p.value for p in c.phones} <= phones
        assert {o for o in [c.org, *(r[0] for r in c.more_roles)] if o} <= orgs
        assert c.note is None or c.note in notes


_HEADERS = [
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    b"First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Value\n",
    b"First Name,Last Name,E-mail Address,Company,Mobile Phone,Birthday\n",
    b"BEGIN:VCARD\r\nVERSION:3.0\r\n",
    b"person_a,person_b,strength,kind\n",
]


@pytest.mark.parametrize("header", _HEADERS, ids=["linkedin", "google", "outlook", "vcard",
                                                  "ties"])
def test_malformed_files_never_raise_unhandled(sqlite_url: str, header: bytes) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from kithbook.config import Config
    from kithbook.errors import KithbookError
    from kithbook.services.app import Services

    svc = Services.open(Config(db=sqlite_url))

    @given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    def run(tail: bytes) -> None:
        for dry_run in (True, False):
            with contextlib.suppress(KithbookError):
                svc.transfer.import_bytes(header + tail, filename="fuzz", dry_run=dry_run)

    try:
        run()
    finally:
        svc.close()


def test_same_name_and_company_with_two_linkedin_profiles_stay_two(svc: Any,
                                                                    tmp_path: Path) -> None:
    f = tmp_path / "Connections.csv"
    f.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                 "John,Smith,https://www.linkedin.com/in/john-smith-1,,Acme,CEO,01 Jan 2025\n"
                 "John,Smith,https://www.linkedin.com/in/john-smith-2,,Acme,CTO,01 Jan 2025\n"
                 "John,Smith,,,Acme,,01 Jan 2025\n")
    rep = svc.transfer.import_file(f, dry_run=False)
    assert (rep.created, rep.merged) == (2, 1)
    g = tmp_path / "more.csv"
    g.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                 "John,Smith,https://www.linkedin.com/in/john-smith-3,,Acme,CFO,01 Jan 2025\n")
    assert svc.transfer.import_file(g, dry_run=False).created == 1


def test_shared_mailbox_or_office_line_does_not_merge_people(svc: Any, tmp_path: Path) -> None:
    f = tmp_path / "outlook.csv"
    f.write_text("First Name,Last Name,E-mail Address,Company,Company Main Phone,Mobile Phone\n"
                 "Ann,Bell,info@acme.example,Acme,+1 212 555 0100,+1 212 555 0111\n"
                 "Carl,Dahl,info@acme.example,Acme,+1 212 555 0100,\n"
                 "Ann,Bell-Smith,,Acme,,+1 212 555 0111\n")
    rep = svc.transfer.import_file(f, dry_run=False)
    assert (rep.created, rep.merged) == (2, 1)
