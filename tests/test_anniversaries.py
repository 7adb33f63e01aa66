"""Anniversaries (issue 13, day one: "upcoming birthdays and anniversaries"): read from
every address-book format that carries one, kept on the person, on the agenda and the
calendar feed as the day comes, written back to vCard."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kithbook.config import Config
from kithbook.domain.triage import UnknownPerson, anniversary_suggestions, next_birthday
from kithbook.services.app import Services

VCARDS = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Fourzero\r\nANNIVERSARY:20100612\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Apple\r\nitem1.X-ABDATE;type=pref:2015-06-10\r\n"
    "item1.X-ABLabel:_$!<Anniversary>!$_\r\nitem2.X-ABDATE:2001-01-01\r\n"
    "item2.X-ABLabel:_$!<Other>!$_\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cleo Noyear\r\n"
    "item1.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-06-20\r\n"
    "item1.X-ABLabel:_$!<Anniversary>!$_\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dan Garbled\r\nANNIVERSARY:sometime in june\r\n"
    "END:VCARD\r\n"
)
GOOGLE = (
    "Name,Given Name,Family Name,E-mail 1 - Value,Event 1 - Type,Event 1 - Value\n"
    "Eve Google,Eve,Google,eve@example.com,Anniversary,2012-06-11\n"
)
OUTLOOK = (
    "First Name,Last Name,E-mail Address,Birthday,Anniversary,Notes\n"
    "Finn,Outlook,finn@example.com,0/0/00,6/9/2005,old friend\n"
    "Gus,Badcell,gus@example.com,,not a date,\n"
)


def _svc(tmp_path: Any, day: date = date(2026, 6, 8)) -> Services:
    return Services.open(Config(db=str(tmp_path / "k.db"), as_of=day))


def _people(svc: Services) -> dict[str, Any]:
    page = svc.people.list(limit=100)
    items = page[0] if isinstance(page, tuple) else page.items
    return {p.name: svc.people.show(p.id) for p in items}


def test_read_from_vcard_google_and_outlook(tmp_path: Any) -> None:
    svc = _svc(tmp_path)
    try:
        svc.transfer.import_bytes(VCARDS.encode(), filename="c.vcf", dry_run=False)
        svc.transfer.import_bytes(GOOGLE.encode(), filename="g.csv", fmt="google",
                                  dry_run=False)
        svc.transfer.import_bytes(OUTLOOK.encode(), filename="o.csv", fmt="outlook",
                                  dry_run=False)
        people = _people(svc)

        def ann(name: str) -> Any:
            p = people[name]
            return p.anniversary

        assert ann("Ada Fourzero") == "2010-06-12"
        assert ann("Ben Apple") == "2015-06-10"  # the dated item labelled Anniversary only
        assert ann("Cleo Noyear") == "--06-20"
        assert ann("Eve Google") == "2012-06-11"
        assert ann("Finn Outlook") == "2005-06-09"
        assert ann("Dan Garbled") is None and ann("Gus Badcell") is None
        # an unreadable anniversary is kept as a note, never a reason to lose the person
        found = svc.search.find("sometime")
        assert "Dan Garbled" in str(found)
    finally:
        svc.close()


def test_on_the_agenda_and_the_feed_then_back_to_vcard(tmp_path: Any) -> None:
    svc = _svc(tmp_path)
    try:
        svc.transfer.import_bytes(VCARDS.encode(), filename="c.vcf", dry_run=False)
        agenda = svc.agenda.today(limit=100)
        items = {i.name: i for i in agenda.items if i.kind == "anniversary"}
        # 8 June: Ben's (10th, 11 years) and Ada's (12th, 16 years) within two weeks;
        # Cleo's on the 20th is 12 days ahead, also within; order by the day
        assert list(items) == ["Ben Apple", "Ada Fourzero", "Cleo Noyear"]
        assert "11 years" in items["Ben Apple"].why and items["Ben Apple"].due == date(
            2026, 6, 10)
        assert "years" not in items["Cleo Noyear"].why  # no year, no count
        ics = svc.agenda.ics().decode()
        assert "SUMMARY:Anniversary: Ada Fourzero" in ics
        assert "DTSTART;VALUE=DATE:20260612" in ics
        card = svc.transfer.export_bytes("vcard")
    finally:
        svc.close()
    again = Services.open(Config(db=str(tmp_path / "again.db"), as_of=date(2026, 6, 8)))
    try:
        again.transfer.import_bytes(card, filename="back.vcf", dry_run=False)
        people = _people(again)
        got = {n: (p["anniversary"] if isinstance(p, dict) else p.anniversary)
               for n, p in people.items()}
        assert got["Ada Fourzero"] == "2010-06-12" and got["Cleo Noyear"] == "--06-20"
    finally:
        again.close()


def test_the_rule_window_and_leap_day() -> None:
    today = date(2027, 2, 20)
    people = [UnknownPerson(key=1, id="per_a", name="Leap", anniversary="2004-02-29"),
              UnknownPerson(key=2, id="per_b", name="Far", anniversary="2000-06-01"),
              UnknownPerson(key=3, id="per_c", name="New", anniversary="2027-02-21")]
    got = anniversary_suggestions(people, today)
    assert [s.name for s in got] == ["Leap"]  # Far is months away; New has no year yet
    assert got[0].text == "2027-02-28" and "23 years" in got[0].why


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31)))
def test_the_next_occurrence_is_never_past_and_within_a_year(on: date, today: date) -> None:
    d = next_birthday(on.isoformat(), today)
    assert d is not None and 0 <= (d - today).days <= 366
    assert (d.month, d.day) == (on.month, on.day) or (on.month, on.day) == (2, 29)
