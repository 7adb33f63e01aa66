"""Day one with your own network (issue 13): you at the centre of what you import, the
first-day triage, promises above follow-ups, birthdays, the digest; and the end-to-end
first hour: empty database, a LinkedIn export, a Google CSV and a vCard file."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kithbook.domain import agenda as rules
from kithbook.domain import triage as tr
from kithbook.domain.agenda import PersonFacts
from kithbook.domain.models import PersonRef, Promise

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 12, 4)


def test_needs_and_introducers_are_read_from_notes() -> None:
    assert tr.needs_in("Met at the expo. She is looking for a bookkeeper.") == [
        "She is looking for a bookkeeper."]
    assert tr.needs_in("Likes jazz.") == []
    assert tr.introducer_in("Introduced by Sam Chen at the breakfast") == "Sam Chen"
    assert tr.introducer_in("met her through Joan Clarke.") == "Joan Clarke"
    assert tr.introducer_in("likes jazz") is None


def test_birthdays_upcoming_and_leap_day() -> None:
    assert tr.next_birthday("1985-12-06", TODAY) == date(2026, 12, 6)
    assert tr.next_birthday("--12-01", TODAY) == date(2027, 12, 1)
    assert tr.next_birthday("2000-02-29", date(2027, 2, 1)) == date(2027, 2, 28)
    people = [tr.UnknownPerson(1, "per_a", "Ann", birthday="1985-12-06"),
              tr.UnknownPerson(2, "per_b", "Bo", birthday="--12-04"),
              tr.UnknownPerson(3, "per_c", "Cy", birthday="1990-06-01")]
    got = tr.birthday_suggestions(people, TODAY)
    assert [(s.name, s.text) for s in got] == [("Bo", "2026-12-04"), ("Ann", "2026-12-06")]
    assert "turns 41" in got[1].why


def test_a_list_is_suggested_from_evidence() -> None:
    people = [
        tr.UnknownPerson(1, "per_new", "New Connection", connected_on=date(2026, 11, 1)),
        tr.UnknownPerson(2, "per_org", "Same Org", org="Acme", shared_org=True,
                         interactions=4, notes=("Needs a bookkeeper.",)),
        tr.UnknownPerson(3, "per_old", "Old Connection", connected_on=date(2015, 1, 1)),
        tr.UnknownPerson(4, "per_ranked", "Ranked", tier="B", shared_org=True),
    ]
    t = tr.triage(people, TODAY)
    assert [s.name for s in t.a_list] == ["Same Org", "New Connection"]
    assert "shares an organization" in t.a_list[0].why and "a note states a need" in \
        t.a_list[0].why
    assert [s.text for s in t.needs] == ["Needs a bookkeeper."]
    assert t.unknown == 4 and not t.empty


def _facts(tier: str | None, touched: datetime | None = None) -> PersonFacts:
    return PersonFacts(key=1, id="per_x", name="X", created_at=datetime(2026, 12, 1, tzinfo=UTC),
                       tier=tier, last_touch_at=touched)


def test_a_never_contacted_tier_a_person_is_due_now() -> None:
    item = rules.first_contact_item(_facts("A"), today=TODAY)
    assert item is not None and item.due == TODAY and item.kind == "keep_in_touch"
    assert rules.first_contact_item(_facts(None), today=TODAY) is None
    assert rules.first_contact_item(
        _facts("A", datetime(2026, 12, 2, tzinfo=UTC)), today=TODAY) is None


def test_a_promise_due_today_ranks_above_any_follow_up_or_keep_in_touch() -> None:
    me, other = PersonRef("per_me", "Me", 1), PersonRef("per_o", "O", 2)
    pr = Promise(id="pro_1", name="quote", what="quote", owed_by=me, owed_to=other, due=TODAY,
                 status="open", created_at=datetime(2026, 11, 1, tzinfo=UTC))
    item = rules.promise_item(pr, me_key=1, today=TODAY)
    assert item is not None and item.subject_id == "pro_1"
    top_keep = rules.keep_in_touch_score("A", "advocate", rules.LATENESS_CAP)
    top_follow = 60.0 + rules.TIER_WEIGHT["A"] / 3
    assert item.score > max(top_keep, top_follow)


def kb(db: Path, *args: str) -> Any:
    """The command line in process (a new Python per call cost a second each)."""
    from typer.testing import CliRunner

    from kithbook.cli.main import app

    r = CliRunner().invoke(app, ["--db", str(db), *args])
    assert r.exit_code == 0, (args, r.stderr, r.exception)
    return r


def test_first_hour_end_to_end(tmp_path: Path) -> None:
    """Empty database -> LinkedIn export + Google CSV + vCard: reach counts everyone, path
    finds someone in the address book, today has a triage section, imported notes are
    found by find (no reindex)."""
    db = tmp_path / "k.db"
    files = [DATA / "csv" / "linkedin_connections.csv", DATA / "csv" / "google_contacts.csv",
             DATA / "vcards" / "rfc6350-example.vcf"]
    created = 0
    for f in files:
        rep = json.loads(kb(db, "--json", "import", str(f)).stdout)
        created += rep["created"]
        assert rep["next_steps"], rep
    people = json.loads(kb(db, "--json", "people", "--limit", "1000").stdout)
    imported = [p for p in people["items"] if p["name"] != "Me"]
    assert len(imported) == created
    out = kb(db, "reach").stdout
    assert f"knows {created} people" in out, out
    # someone from the Google address book, reached directly through you
    path = json.loads(kb(db, "--json", "path", "Kenji Tanaka").stdout)
    assert path["reachable"] and path["routes"], path
    assert "address book" in kb(db, "--json", "strength", "Kenji Tanaka").stdout
    ada = kb(db, "--json", "strength", "Ada Lovelace").stdout
    assert "LinkedIn connection" in ada and "since 2025-12-07" in ada
    today = kb(db, "today").stdout
    assert "First-day triage" in today and "Well kept" not in today
    hits = json.loads(kb(db, "--json", "find", "jazz").stdout)
    assert any(h["kind"] == "note" for h in hits), hits
    digest = kb(db, "digest").stdout
    assert "Pick your A-list" in digest
    assert "<h1>" in kb(db, "digest", "--html").stdout


def test_web_import_says_what_next_and_today_has_the_triage(client) -> None:  # type: ignore[no-untyped-def]
    from tests.test_web_pages import post

    data = (DATA / "csv" / "linkedin_broken_rows.csv").read_bytes()
    r = post(client, "/import/preview", {}, files={"file": ("Connections.csv", data)})
    assert r.status_code == 200 and "kept as given" in r.text
    tok = r.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    r = post(client, "/import/confirm", {"token": tok})
    assert 'id="next-steps"' in r.text
    page = client.get("/").text
    assert 'id="triage"' in page and "Well kept" not in page
