"""A LinkedIn data-archive zip brings what it holds beyond Connections.csv: messages of
both vintages become interactions (one per conversation per day, with date and
direction), invitations, endorsements and recommendations become evidence; metadata
only unless asked; re-import is a no-op and one undo removes it all."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kithbook.io import linkedin_archive as la
from kithbook.io import sources
from kithbook.io.records import RowError

CONNECTIONS = (
    "Notes:\n\"When exporting your connection data, you may notice that some of the email "
    "addresses are missing.\"\n\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Analytical,CEO,07 Dec 2025\n"
    "Bo,Chen,https://www.linkedin.com/in/bo-chen,bo@example.com,Acme,CTO,01 Mar 2024\n"
    "Cy,Diaz,https://www.linkedin.com/in/cy-diaz,,Beta,VP,05 Jan 2026\n"
)
ME = "https://www.linkedin.com/in/me-myself"
NEW_MESSAGES = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
    "DATE,SUBJECT,CONTENT,FOLDER\n"
    # Ada writes first, I answer the same day: one interaction, initiated by Ada, both ways
    f"c1,,Ada Lovelace,https://www.linkedin.com/in/ada-lovelace,Mia Me,{ME},"
    "2025-11-03 09:00:00 UTC,Engines,Secret plans for the engine,INBOX\n"
    f"c1,,Mia Me,{ME},Ada Lovelace,https://www.linkedin.com/in/ada-lovelace,"
    "2025-11-03 14:22:05 UTC,,Sounds good,INBOX\n"
    # the next day in the same thread: a second interaction, mine
    f"c1,,Mia Me,{ME},Ada Lovelace,https://www.linkedin.com/in/ada-lovelace,"
    "2025-11-04 08:00:00 UTC,,One more thing,INBOX\n"
    # I write to Bo
    f"c2,,Mia Me,{ME},Bo Chen,https://www.linkedin.com/in/bo-chen,"
    "2025-10-01 10:00:00 UTC,Hello Bo,Private words,INBOX\n"
    # a stranger writes: not in the network, counted, not created
    f"c3,,Zed Stranger,https://www.linkedin.com/in/zed,Mia Me,{ME},"
    "2025-09-01 10:00:00 UTC,Sales pitch,Buy now,INBOX\n"
    # a draft was never sent: not a touch
    f"c2,,Mia Me,{ME},Bo Chen,https://www.linkedin.com/in/bo-chen,"
    "2025-12-01 10:00:00 UTC,,Unsent,DRAFT\n"
    # unreadable date: a row error, nothing else lost
    f"c4,,Ada Lovelace,https://www.linkedin.com/in/ada-lovelace,Mia Me,{ME},"
    "someday,,x,INBOX\n"
)
OLD_MESSAGES = (
    "From,To,Date,Subject,Content,Direction,Folder\n"
    'Cy Diaz,Mia Me,"1/8/18, 6:14 PM",Catch up,Old words,INCOMING,INBOX\n'
    'Mia Me,Cy Diaz,"1/9/18, 9:00 AM",RE: Catch up,Old reply,OUTGOING,SENT\n'
)
INVITATIONS = (
    "From,To,Sent At,Message,Direction\n"
    '"Mia Me","Cy Diaz","1/5/26, 8:00 AM","Let us connect",OUTGOING\n'
    '"Nobody Known","Mia Me","1/6/26, 8:00 AM",,INCOMING\n'
)
ENDORSEMENTS = (
    "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,"
    "Endorser Public Url,Endorsement Status\n"
    "2024/05/10 12:30:00 UTC,Python,Bo,Chen,www.linkedin.com/in/bo-chen,ACCEPTED\n"
)
RECOMMENDATIONS = (
    "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n"
    'Ada,Lovelace,Analytical,CEO,"Mia is great","06/22/25, 09:44 PM",VISIBLE\n'
)


def archive(messages: str = NEW_MESSAGES, **more: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Connections.csv", CONNECTIONS)
        zf.writestr("messages.csv", messages)
        for name, text in more.items():
            zf.writestr(name, text)
    return buf.getvalue()


GIVEN = (
    "Endorsement Date,Skill Name,Endorsee First Name,Endorsee Last Name,"
    "Endorsee Public Url,Endorsement Status\n"
    "2024/06/10 12:30:00 UTC,Rust,Cy,Diaz,www.linkedin.com/in/cy-diaz,ACCEPTED\n"
)
FULL = {"Invitations.csv": INVITATIONS, "Endorsement_Received_Info.csv": ENDORSEMENTS,
        "Recommendations_Received.csv": RECOMMENDATIONS, "Endorsement_Given_Info.csv": GIVEN}


# -- the parser ---------------------------------------------------------------------------

def test_both_message_vintages_parse() -> None:
    new = list(la.parse_messages(NEW_MESSAGES))
    assert sum(isinstance(x, RowError) for x in new) == 1
    first = new[0]
    assert isinstance(first, la.ArchiveTouch)
    assert first.when == datetime(2025, 11, 3, 9, 0, tzinfo=UTC)
    assert first.sender == la.Party("Ada Lovelace", "https://www.linkedin.com/in/ada-lovelace")
    assert first.recipients == [la.Party("Mia Me", ME)] and first.conversation == "c1"
    old = list(la.parse_messages(OLD_MESSAGES))
    assert [(t.when, t.direction) for t in old if isinstance(t, la.ArchiveTouch)] == [
        (datetime(2018, 1, 8, 18, 14, tzinfo=UTC), "in"),
        (datetime(2018, 1, 9, 9, 0, tzinfo=UTC), "out")]


def test_the_archive_members_are_read_bounded() -> None:
    touches, errors, found = sources.archive_touches(archive(**FULL), "a.zip")
    assert found == list(la.MEMBERS)[:-1]  # no Recommendations_Given.csv
    assert sorted({t.kind for t in touches}) == ["endorsement", "invitation", "message",
                                                 "recommendation"]
    assert [e.reason for e in errors] == ["messages.csv: message date 'someday' cannot be read"]


def test_a_member_over_the_limits_costs_only_itself(svc) -> None:  # type: ignore[no-untyped-def]
    from kithbook.io import intake

    big = NEW_MESSAGES + "".join(
        f"c{i},,Bo Chen,https://www.linkedin.com/in/bo-chen,Mia Me,{ME},"
        "2025-01-01 10:00:00 UTC,,x,INBOX\n" for i in range(30))
    limits = intake.Limits(rows=20)
    touches, errors, _found = sources.archive_touches(archive(big, **FULL), "a.zip", limits)
    assert {t.kind for t in touches} == {"invitation", "endorsement", "recommendation"}
    assert errors[0].reason.startswith("messages.csv was not read: messages.csv in a.zip "
                                       "has more than 20 rows")


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
_date = st.one_of(_cell, st.sampled_from(["2025-11-03 14:22:05 UTC", "1/8/18, 6:14 PM",
                                          "13/13/13", "2024/02/30 10:00:00 UTC", "0:99"]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_cell, _cell, _cell, _cell, _date, _cell,
                          st.sampled_from(["INCOMING", "OUTGOING", "", "x"])), max_size=8),
       st.booleans())
def test_never_crashes_every_row_is_a_touch_or_an_error(rows: list[tuple[str, ...]],
                                                        old: bool) -> None:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    if old:
        w.writerow(["From", "To", "Date", "Subject", "Content", "Direction", "Folder"])
        for a, b, _u, _v, d, s, dirn in rows:
            w.writerow([a, b, d, s, s, dirn, "INBOX"])
    else:
        w.writerow(["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL",
                    "TO", "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER"])
        for a, b, u, v, d, s, _dirn in rows:
            w.writerow(["c", "", a, u, b, v, d, s, s, "INBOX"])
    text = buf.getvalue()
    out = list(la.parse_messages(text))
    nonblank = sum(1 for r in rows if any(c.strip() for c in (
        (r[0], r[1], r[4], r[5], r[5], r[6], "INBOX") if old else
        ("c", "", r[0], r[2], r[1], r[3], r[4], r[5], r[5], "INBOX"))))
    assert all(isinstance(x, la.ArchiveTouch | RowError) for x in out)
    assert len(out) == nonblank  # every row read is one message or one RowError
    for x in out:
        if isinstance(x, la.ArchiveTouch):
            assert x.when.tzinfo is not None and x.kind == "message"
            assert x.sender is not None or x.direction == "out"


# -- the import ----------------------------------------------------------------------------

def _gone(svc, name: str) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from kithbook.errors import KithbookError

    with pytest.raises(KithbookError):
        svc.people.resolve(name)


def _interactions(svc, name: str):  # type: ignore[no-untyped-def]
    items, _total = svc.interactions.timeline(name)
    return sorted(items, key=lambda i: i.occurred_at)


def test_messages_become_interactions_once_and_undo_removes_them(svc) -> None:  # type: ignore[no-untyped-def]
    data = archive(NEW_MESSAGES, **FULL)
    preview = svc.transfer.import_bytes(data, filename="archive.zip", dry_run=True)
    assert preview.created == 3
    assert preview.details["messages"] == {"read": 5, "matched": 4, "unmatched": 1,
                                           "conversations_gaining": 0, "added": 0}
    # 3 message days, an invitation, an endorsement each way, a recommendation
    assert preview.details["interactions"]["created"] == 7
    report = svc.transfer.import_bytes(data, filename="archive.zip", dry_run=False)
    assert report.details["interactions"]["created"] == 7
    assert report.details["invitations"] == {"read": 2, "matched": 1, "unmatched": 1,
                                             "conversations_gaining": 0, "added": 0}

    ada = _interactions(svc, "Ada Lovelace")
    assert [(i.channel, i.occurred_at, i.initiated_by and i.initiated_by.name)
            for i in ada] == [
        ("social", datetime(2025, 6, 22, 21, 44, tzinfo=UTC), "Ada Lovelace"),
        ("message", datetime(2025, 11, 3, 14, 22, 5, tzinfo=UTC), "Ada Lovelace"),
        ("message", datetime(2025, 11, 4, 8, 0, tzinfo=UTC), "Me")]
    assert ada[1].summary == "LinkedIn: Engines (2 messages)"  # the subject, no words
    assert all("Secret" not in (i.summary or "") for i in ada)
    bo = _interactions(svc, "Bo Chen")
    assert [(i.channel, i.initiated_by and i.initiated_by.name) for i in bo] == [
        ("social", "Bo Chen"), ("message", "Me")]
    assert "Python" in (bo[0].summary or "")
    cy = _interactions(svc, "Cy Diaz")  # my endorsement, the invitation I sent
    assert [(i.channel, i.initiated_by and i.initiated_by.name, i.occurred_at.year)
            for i in cy] == [("social", "Me", 2024), ("social", "Me", 2026)]
    assert cy[0].summary == "You endorsed them on LinkedIn for Rust"
    # messages advance the keep-in-touch clock; an endorsement does not
    assert svc.people.resolve("Ada Lovelace").last_touch_at == datetime(2025, 11, 4, 8, 0,
                                                                    tzinfo=UTC)
    assert svc.people.resolve("Bo Chen").last_touch_at == datetime(2025, 10, 1, 10, 0, tzinfo=UTC)
    _gone(svc, "Zed Stranger")

    again = svc.transfer.import_bytes(data, filename="archive.zip", dry_run=False)
    assert again.created == 0
    assert again.details["interactions"] == {"created": 0, "existing": 7, "updated": 0}
    assert len(_interactions(svc, "Ada Lovelace")) == 3

    svc.history.undo(again.id)
    svc.history.undo(report.id)
    _gone(svc, "Ada Lovelace")
    with svc.db.read() as conn:  # nothing of the archive is left behind
        from sqlalchemy import func, select

        from kithbook.store.capture_schema import captured
        from kithbook.store.schema import interactions
        assert conn.execute(select(func.count()).select_from(interactions)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(captured)).scalar() == 0


def test_old_vintage_messages_and_existing_people(svc) -> None:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("Connections.csv", CONNECTIONS)
    svc.transfer.import_bytes(buf.getvalue(), filename="c.zip", dry_run=False)
    # a later archive: the people are already there, only the messages are new
    report = svc.transfer.import_bytes(archive(OLD_MESSAGES), filename="a.zip", dry_run=False)
    assert report.created == 0 and report.details["interactions"]["created"] == 2
    cy = _interactions(svc, "Cy Diaz")
    assert [(i.occurred_at.date().isoformat(), i.initiated_by and i.initiated_by.name)
            for i in cy] == [("2018-01-08", "Cy Diaz"), ("2018-01-09", "Me")]


def test_with_content_keeps_the_words(svc) -> None:  # type: ignore[no-untyped-def]
    svc.transfer.import_bytes(archive(), filename="a.zip", dry_run=False, with_content=True)
    ada = _interactions(svc, "Ada Lovelace")
    assert "Secret plans for the engine" in (ada[0].summary or "")


def test_profile_names_the_owner_of_a_single_conversation(svc) -> None:  # type: ignore[no-untyped-def]
    # one conversation: both sides are in it once; Profile.csv says who I am even when
    # my name is also a connection's
    one = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,"
           "RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n"
           f"c9,,Mia Me,{ME},Bo Chen,https://www.linkedin.com/in/bo-chen,"
           "2025-10-01 10:00:00 UTC,Hi,x,INBOX\n")
    profile = "First Name,Last Name,Maiden Name,Headline\nMia,Me,,Engineer\n"
    svc.transfer.import_bytes(archive(one, **{"Profile.csv": profile}), filename="a.zip",
                              dry_run=False)
    (bo,) = _interactions(svc, "Bo Chen")
    assert bo.initiated_by is not None and bo.initiated_by.name == "Me"


_any = st.text(alphabet=st.sampled_from(list('ab,"\n\r;:/ -0123456789UTCPM')), max_size=300)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(la.MEMBERS)), st.sampled_from(["", *(
    h.split("\n")[0] + "\n" for h in (NEW_MESSAGES, OLD_MESSAGES, INVITATIONS, ENDORSEMENTS,
                                       RECOMMENDATIONS))]), _any)
def test_any_text_in_any_member_is_touches_or_row_errors(member: str, header: str,
                                                        body: str) -> None:
    for x in la.parse(member, header + body):
        assert isinstance(x, la.ArchiveTouch | RowError)


def test_cli_json_report_carries_the_counts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kithbook.cli.main import app

    path = tmp_path / "archive.zip"
    path.write_bytes(archive(NEW_MESSAGES, **FULL))
    db = f"sqlite:///{tmp_path / 'k.db'}"
    runner = CliRunner()
    res = runner.invoke(app, ["--db", db, "--json", "import", str(path)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["details"]["interactions"]["created"] == 7
    assert out["details"]["messages"]["matched"] == 4
    res = runner.invoke(app, ["--db", db, "import", str(path), "--dry-run"])
    assert res.exit_code == 0, res.output
    assert "0 new interactions (7 already imported)" in " ".join(res.output.split())


def test_web_import_keeps_words_only_when_asked(client) -> None:  # type: ignore[no-untyped-def]
    from tests.test_web_pages import post

    page = client.get("/import").text
    assert 'name="with_content"' in page
    r = post(client, "/import/preview", {"with_content": "1"},
             files={"file": ("archive.zip", archive())})
    assert r.status_code == 200 and "messages" in r.text
    assert "0 conversations gaining" in r.text  # what a newer archive would add to old days
    tok = r.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    r = post(client, "/import/confirm", {"token": tok})
    assert r.status_code == 200 and 'id="import-done"' in r.text
    ada = client.get("/api/v1/people/Ada Lovelace/timeline").json()
    assert "Secret plans" in json.dumps(ada)


def test_the_zip_is_opened_once_per_import(svc, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Connections.csv, the other members and Profile.csv come from one opening
    from kithbook.io import intake

    opened: list[int] = []
    real = intake.zipfile.ZipFile

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        opened.append(1)
        return real(*a, **k)

    data = archive(NEW_MESSAGES, **FULL, **{"Profile.csv": "First Name,Last Name\nMia,Me\n"})
    monkeypatch.setattr(intake.zipfile, "ZipFile", counting)
    report = svc.transfer.import_bytes(data, filename="a.zip", dry_run=True)
    assert report.details["interactions"]["created"] == 7
    assert len(opened) == 1
