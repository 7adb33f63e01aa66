"""Every LinkedIn export vintage imports: table tests of real shapes and a property test
of the import-cell date reader (docs/architecture.md, import contract)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kithbook.io import linkedin, sources
from kithbook.io.csv_common import parse_date
from kithbook.io.records import ImportedContact, RowError

PREAMBLE = ('Notes:\n"When exporting your connection data, you may notice that some of the '
            'email addresses are missing."\n\n')
NEW = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
OLD = "First Name,Last Name,Email Address,Company,Position,Connected On\n"


def people(text: str, region: str = "US") -> list[ImportedContact]:
    items = list(linkedin.parse(text, region))
    assert not [i for i in items if isinstance(i, RowError)]
    return [i for i in items if isinstance(i, ImportedContact)]


@pytest.mark.parametrize(("text", "expected"), [
    (PREAMBLE + NEW + "Ada,L,https://www.linkedin.com/in/ada,,Acme,CEO,07 Dec 2025\n",
     date(2025, 12, 7)),
    (NEW + "Ada,L,https://www.linkedin.com/in/ada,,Acme,CEO,1 Jan 2026\n", date(2026, 1, 1)),
    (OLD + 'Ada,L,urn:li:member:12345,Acme,CEO,"1/8/18, 6:14 PM"\n', date(2018, 1, 8)),
    (OLD + "Ada,L,,Acme,CEO,1/8/18 18:14\n", date(2018, 1, 8)),
    (NEW + "Ada,L,https://www.linkedin.com/in/ada,,Acme,CEO,5-Jan-26\n", date(2026, 1, 5)),
    (NEW + "Ada,L,,,Acme,CEO,05-JAN-2026\n", date(2026, 1, 5)),
    (NEW + "Ada,L,,,Acme,CEO,2026-01-05\n", date(2026, 1, 5)),
    (NEW + "Ada,L,,,Acme,CEO,2026-01-05 10:11:12 UTC\n", date(2026, 1, 5)),
    (NEW + "Ada,L,,,Acme,CEO,05.01.2026\n", date(2026, 1, 5)),
    (NEW + "Ada,L,,,Acme,CEO,05.01.26 18:14\n", date(2026, 1, 5)),
    (NEW + "Ada,L,,,Acme,CEO,\"Jan 5, 2026\"\n", date(2026, 1, 5)),
    # European file: a day over 12 on another row settles the order for the whole file
    (NEW + "Ada,L,,,Acme,CEO,05/01/2026\nBo,M,,,Acme,CFO,13/01/2026\n", date(2026, 1, 5)),
    # American file: a month-first value settles it the other way
    (NEW + "Ada,L,,,Acme,CEO,05/01/2026\nBo,M,,,Acme,CFO,01/13/2026\n", date(2026, 5, 1)),
])
def test_connected_on_of_every_vintage(text: str, expected: date) -> None:
    assert people(text)[0].connected_on == expected


def test_unsettled_numeric_dates_follow_the_region() -> None:
    text = NEW + "Ada,L,,,Acme,CEO,05/01/2026\n"
    assert people(text, "US")[0].connected_on == date(2026, 5, 1)
    assert people(text, "DE")[0].connected_on == date(2026, 1, 5)


def test_2018_export_with_member_urn_in_the_email_column() -> None:
    text = OLD + 'Ada,Lovelace,urn:li:member:12345,Acme,CEO,"1/8/18, 6:14 PM"\n'
    (ada,) = people(text)
    assert ada.emails == [] and ada.member_id == "urn:li:member:12345"
    assert [u.label for u in ada.urls] == ["LinkedIn member"]
    assert ada.unreadable == []


@pytest.mark.parametrize(("cell", "column"), [
    ("Connected On", "sometime in spring"), ("URL", "https://example.com/x"),
    ("Email Address", "not an email"),
])
def test_an_unreadable_optional_cell_keeps_the_person(cell: str, column: str) -> None:
    row = {"URL": "https://www.linkedin.com/in/ada", "Email Address": "",
           "Connected On": "07 Dec 2025"}
    row[cell] = column
    text = NEW + f"Ada,L,{row['URL']},{row['Email Address']},Acme,CEO,{row['Connected On']}\n"
    (ada,) = people(text)
    assert ada.unreadable == [(cell, column)]


def test_unreadable_cell_is_a_warning_and_a_note_on_import(svc) -> None:  # type: ignore[no-untyped-def]
    data = (NEW + "Ada,L,,,Acme,CEO,sometime\nBo,M,,,Acme,CFO,07 Dec 2025\n").encode()
    report = svc.transfer.import_bytes(data, filename="c.csv", fmt=None, dry_run=True)
    assert report.created == 2 and report.errors == []
    assert [w["line"] for w in report.warnings] == [2]
    svc.transfer.import_bytes(data, filename="c.csv", fmt=None, dry_run=False)
    hits = svc.search.find("sometime")
    assert [h.kind for h in hits] == ["note"]


def test_current_export_resaved_by_a_spreadsheet_imports_whole() -> None:
    rows = "".join(f"P{i},Q,https://www.linkedin.com/in/p{i},,Acme,CEO,{i % 28 + 1}-Jan-26\n"
                   for i in range(50))
    fmt, items = sources.read_all((NEW + rows).encode(), "Connections.csv")
    assert fmt == "linkedin" and len(items) == 50
    assert all(isinstance(i, ImportedContact) and i.connected_on for i in items)


FORMATS = ["%d %b %Y", "%Y-%m-%d", "%d-%b-%y", "%d.%m.%Y", "%b %d, %Y", "%d %B %Y",
           "%m/%d/%Y", "%m/%d/%y, %I:%M %p", "%Y-%m-%d %H:%M:%S UTC", "%d-%b-%Y"]


@given(st.dates(min_value=date(1971, 1, 1), max_value=date(2068, 12, 31)),
       st.sampled_from(FORMATS))
def test_every_written_date_reads_back(d: date, fmt: str) -> None:
    from datetime import datetime

    text = datetime(d.year, d.month, d.day, 18, 14).strftime(fmt)
    dayfirst = True if fmt.startswith("%d.") else None
    assert parse_date(text, dayfirst) == d


@given(st.text(max_size=40))
def test_date_reader_never_raises(text: str) -> None:
    parse_date(text)
    parse_date(text, True)
