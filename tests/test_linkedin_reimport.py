"""Re-importing a LinkedIn archive (issue 13): what makes a conversation-day and a
message "already imported" is the same in a 2018 archive and a current one of the same
account (the people on it besides me, the UTC day, each message's direction and minute),
so importing both, in either order, gives each conversation-day once; a newer archive
that holds more messages of a day imported before adds them to that day's interaction,
as one undoable step, and the preview says so."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from typer.testing import CliRunner

from kithbook.io import linkedin_archive as la

ME = "https://www.linkedin.com/in/me-myself"
ADA = "https://www.linkedin.com/in/ada-lovelace"
BO = "https://www.linkedin.com/in/bo-chen"
CY = "https://www.linkedin.com/in/cy-diaz"

# -- builders: one account's archives of two vintages -------------------------------------

CURRENT_CONNECTIONS = (
    "Notes:\n\"When exporting your connection data, you may notice that some of the email "
    "addresses are missing.\"\n\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    f"Ada,Lovelace,{ADA},,Analytical,CEO,07 Dec 2017\n"
    f"Bo,Chen,{BO},,Acme,CTO,01 Mar 2016\n"
    f"Cy,Diaz,{CY},,Beta,VP,05 Jan 2018\n"
)
# 2018: no URL column, `Connected On` as `1/8/18, 6:14 PM`, member ids for e-mails
OLD_CONNECTIONS = (
    "First Name,Last Name,Email Address,Company,Position,Connected On\n"
    'Ada,Lovelace,urn:li:member:101,Analytical,CEO,"12/7/17, 9:00 AM"\n'
    'Bo,Chen,urn:li:member:102,Acme,CTO,"3/1/16, 9:00 AM"\n'
    'Cy,Diaz,urn:li:member:103,Beta,VP,"1/5/18, 9:00 AM"\n'
)
NEW_HEADER = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,"
              "RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n")
OLD_HEADER = "From,To,Date,Subject,Content,Direction,Folder\n"
NAMES = {ADA: "Ada Lovelace", BO: "Bo Chen", CY: "Cy Diaz", ME: "Mia Me"}

# (conversation, sender, recipient, UTC time, subject, words): the account's messages
JAN8 = [("2-ada", ADA, ME, datetime(2018, 1, 8, 18, 14, 37, tzinfo=UTC), "Catch up",
         "Are you around?"),
        ("2-ada", ME, ADA, datetime(2018, 1, 8, 18, 20, 5, tzinfo=UTC), "RE: Catch up",
         "Yes, tomorrow")]
JAN8_LATER = [("2-ada", ADA, ME, datetime(2018, 1, 8, 21, 2, 0, tzinfo=UTC), "",
               "Great, see you"),
              ("2-ada", ME, ADA, datetime(2018, 1, 8, 21, 2, 40, tzinfo=UTC), "",
               "See you")]  # two in one minute: both are kept
BO_DAY = [("2-bo", ME, BO, datetime(2017, 6, 1, 10, 0, tzinfo=UTC), "Hello Bo", "Hi")]
CY_DAY = [("2-cy", CY, ME, datetime(2018, 2, 1, 23, 30, tzinfo=UTC), "Late", "Night")]


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def current_messages(rows: list[tuple[str, str, str, datetime, str, str]]) -> str:
    return NEW_HEADER + _csv([
        [c, "", NAMES[s], s, NAMES[r], r, f"{w:%Y-%m-%d %H:%M:%S} UTC", subj, words, "INBOX"]
        for c, s, r, w, subj, words in rows])


def old_messages(rows: list[tuple[str, str, str, datetime, str, str]]) -> str:
    def when(w: datetime) -> str:
        return f"{w.month}/{w.day}/{w.year % 100:02d}, {w.hour % 12 or 12}:{w:%M} " \
               f"{'AM' if w.hour < 12 else 'PM'}"

    return OLD_HEADER + _csv([
        [NAMES[s], NAMES[r], when(w), subj, words, "OUTGOING" if s == ME else "INCOMING",
         "SENT" if s == ME else "INBOX"] for _c, s, r, w, subj, words in rows])


CURRENT_EVIDENCE = {
    "Invitations.csv": "From,To,Sent At,Message,Direction,inviterProfileUrl,"
                       "inviteeProfileUrl\n"
                       f'Mia Me,Cy Diaz,"1/5/18, 8:00 AM",Let us connect,OUTGOING,{ME},{CY}\n',
    "Endorsement_Received_Info.csv":
        "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,"
        "Endorser Public Url,Endorsement Status\n"
        "2017/05/10 12:30:00 UTC,Python,Bo,Chen,www.linkedin.com/in/bo-chen,ACCEPTED\n",
    "Recommendations_Received.csv":
        "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n"
        'Ada,Lovelace,Analytical,CEO,"Mia is great","01/02/18, 09:44 PM",VISIBLE\n',
}
# the 2018 files: no profile URLs, other date formats
OLD_EVIDENCE = {
    "Invitations.csv": "From,To,Sent At,Message,Direction\n"
                       'Mia Me,Cy Diaz,"1/5/18, 8:00 AM",Let us connect,OUTGOING\n',
    "Endorsement_Received_Info.csv":
        "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,"
        "Endorsement Status\n"
        "5/10/17,Python,Bo,Chen,ACCEPTED\n",
    "Recommendations_Received.csv":
        "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n"
        'Ada,Lovelace,Analytical,CEO,"Mia is great","1/2/18, 9:44 PM",VISIBLE\n',
}
PROFILE = "First Name,Last Name,Headline\nMia,Me,Engineer\n"


def zipped(connections: str, messages_name: str, messages: str, **more: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Connections.csv", connections)
        zf.writestr(messages_name, messages)
        zf.writestr("Profile.csv", PROFILE)
        for name, text in more.items():
            zf.writestr(name, text)
    return buf.getvalue()


def current(rows: list[tuple[str, str, str, datetime, str, str]], **more: str) -> bytes:
    return zipped(CURRENT_CONNECTIONS, "messages.csv", current_messages(rows),
                  **{**CURRENT_EVIDENCE, **more})


def vintage_2018(rows: list[tuple[str, str, str, datetime, str, str]], **more: str) -> bytes:
    return zipped(OLD_CONNECTIONS, "Messages.csv", old_messages(rows),
                  **{**OLD_EVIDENCE, **more})


# -- the keying rule, pure -------------------------------------------------------------------

def _touches(text: str) -> list[la.ArchiveTouch]:
    return [t for t in la.parse_messages(text) if isinstance(t, la.ArchiveTouch)]


def test_both_vintages_give_a_message_the_same_day_and_stamp() -> None:
    rows = [*JAN8, *JAN8_LATER]
    new, old = _touches(current_messages(rows)), _touches(old_messages(rows))
    assert [t.conversation for t in new] == ["2-ada"] * 4  # LinkedIn's id ...
    assert all(t.conversation.startswith("with:") for t in old)  # ... or none in 2018
    directions = ["in", "out", "in", "out"]
    for touches in (new, old):
        assert {la.thread_key("message", d, t.when)
                for t, d in zip(touches, directions, strict=True)} == {"message:2018-01-08"}
    assert la.stamps(list(zip(new, directions, strict=True))) == la.stamps(
        list(zip(old, directions, strict=True))) == [
        "in@18:14#0", "out@18:20#0", "in@21:02#0", "out@21:02#0"]


def test_the_day_is_the_utc_day_and_given_is_apart_from_received() -> None:
    late = datetime(2018, 2, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert la.thread_key("message", "in", late) == "message:2018-02-02"
    when = datetime(2017, 5, 10, 12, 30, tzinfo=UTC)
    assert la.thread_key("endorsement", "in", when) == "endorsement:2017-05-10"
    assert la.thread_key("endorsement", "out", when) == "endorsement-given:2017-05-10"
    assert la.thread_key("invitation", "out", when) == la.thread_key("invitation", "in", when)


def _msg(when: datetime) -> la.ArchiveTouch:
    return la.ArchiveTouch("message", 0, when, la.Party("x"))


_day = datetime(2025, 11, 3, tzinfo=UTC)
_moments = st.lists(st.tuples(st.integers(0, 24 * 3600 - 1), st.sampled_from(["in", "out"])),
                    max_size=25)


@settings(max_examples=150, deadline=None)
@given(_moments, st.integers(0, 25), st.randoms(use_true_random=False))
def test_stamps_are_unique_order_free_and_a_later_export_keeps_the_earlier_ones(
        moments: list[tuple[int, str]], cut: int, rnd) -> None:  # type: ignore[no-untyped-def]
    pairs = [(_msg(_day + timedelta(seconds=s)), d) for s, d in moments]
    all_stamps = la.stamps(pairs)
    assert len(set(all_stamps)) == len(all_stamps)
    # the order of the rows in the file does not matter
    shuffled = list(range(len(pairs)))
    rnd.shuffle(shuffled)
    assert sorted(la.stamps([pairs[i] for i in shuffled])) == sorted(all_stamps)
    # an export taken mid-day holds the day's first messages: their stamps are kept,
    # so a later export adds exactly the messages after the cut
    by_time = sorted(range(len(pairs)), key=lambda i: (pairs[i][0].when, i))
    early = [pairs[i] for i in by_time[:cut]]
    assert set(la.stamps(early)) <= set(all_stamps)
    assert len(set(all_stamps) - set(la.stamps(early))) == len(pairs) - len(early)
    # a 2018 export writes no seconds: the same messages, the same stamps
    minutes = [(_msg(t.when.replace(second=0)), d) for t, d in pairs]
    assert sorted(la.stamps(minutes)) == sorted(all_stamps)


def test_an_endorsement_is_told_apart_by_its_skill() -> None:
    when = datetime(2017, 5, 10, tzinfo=UTC)
    a = la.ArchiveTouch("endorsement", 1, when, la.Party("Bo"), topic="Python")
    b = la.ArchiveTouch("endorsement", 2, when, la.Party("Bo"), topic="Rust")
    assert la.stamps([(a, "in"), (b, "in")]) == ["in:python#0", "in:rust#0"]
    assert la.stamps([(b, "in")]) == ["in:rust#0"]


# -- end to end, both engines ----------------------------------------------------------------

def _days(svc, name: str) -> list[tuple[str, str, int]]:  # type: ignore[no-untyped-def]
    """(channel, UTC day, capture marks) of a person's interactions, oldest first."""
    items, _total = svc.interactions.timeline(name)
    return sorted((i.channel, i.occurred_at.astimezone(UTC).date().isoformat(),
                   i.captured.items if i.captured else 0) for i in items)


def _count(svc, table) -> int:  # type: ignore[no-untyped-def]
    with svc.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


EVERY_DAY = {  # what both archives hold, each conversation-day once
    "Ada Lovelace": [("message", "2018-01-08", 2), ("social", "2018-01-02", 1)],
    "Bo Chen": [("message", "2017-06-01", 1), ("social", "2017-05-10", 1)],
    "Cy Diaz": [("message", "2018-02-01", 1), ("social", "2018-01-05", 1)],
}


def _assert_every_day_once(svc) -> None:  # type: ignore[no-untyped-def]
    for name, days in EVERY_DAY.items():
        assert _days(svc, name) == sorted(days), name


def test_current_then_2018_counts_each_day_once(svc) -> None:  # type: ignore[no-untyped-def]
    from kithbook.store.schema import interactions

    rows = [*JAN8, *BO_DAY, *CY_DAY]
    first = svc.transfer.import_bytes(current(rows), filename="now.zip", dry_run=False)
    assert first.details["interactions"]["created"] == 6
    _assert_every_day_once(svc)
    preview = svc.transfer.import_bytes(vintage_2018(rows), filename="2018.zip", dry_run=True)
    assert preview.created == 0
    assert preview.details["interactions"] == {"created": 0, "existing": 6, "updated": 0}
    second = svc.transfer.import_bytes(vintage_2018(rows), filename="2018.zip", dry_run=False)
    assert second.details["interactions"]["created"] == 0
    assert _count(svc, interactions) == 6
    _assert_every_day_once(svc)


def test_2018_then_current_counts_each_day_once_and_adds_what_2018_lacked(svc) -> None:  # type: ignore[no-untyped-def]
    from kithbook.store.schema import interactions

    svc.transfer.import_bytes(vintage_2018([*JAN8, *BO_DAY, *CY_DAY]), filename="2018.zip",
                              dry_run=False)
    _assert_every_day_once(svc)
    (jan8,) = [i for i in svc.interactions.timeline("Ada Lovelace")[0]
               if i.channel == "message"]
    assert jan8.summary == "LinkedIn: Catch up (2 messages)"
    # the current archive holds the same days, and later messages of 8 January
    data = current([*JAN8, *JAN8_LATER, *BO_DAY, *CY_DAY])
    preview = svc.transfer.import_bytes(data, filename="now.zip", dry_run=True)
    assert preview.details["interactions"] == {"created": 0, "existing": 5, "updated": 1}
    assert preview.details["messages"]["conversations_gaining"] == 1
    assert preview.details["messages"]["added"] == 2
    svc.transfer.import_bytes(data, filename="now.zip", dry_run=False)
    assert _count(svc, interactions) == 6
    (jan8,) = [i for i in svc.interactions.timeline("Ada Lovelace")[0]
               if i.channel == "message"]
    assert jan8.summary == "LinkedIn: Catch up (4 messages)"
    assert jan8.occurred_at == datetime(2018, 1, 8, 21, 2, tzinfo=UTC) + timedelta(seconds=40)
    assert jan8.captured is not None and jan8.captured.items == 4
    assert jan8.initiated_by is not None and jan8.initiated_by.name == "Ada Lovelace"


def test_a_grown_day_gains_its_new_messages_once_and_undo_takes_them_back(svc, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kithbook.store.capture_schema import captured
    from kithbook.store.schema import interactions

    first = svc.transfer.import_bytes(current(JAN8), filename="morning.zip", dry_run=False,
                                      with_content=True)
    ada = svc.people.resolve("Ada Lovelace")
    assert ada.last_touch_at == JAN8[1][3]
    before = [(i.summary, i.occurred_at) for i in svc.interactions.timeline("Ada Lovelace")[0]]
    marks = _count(svc, captured)
    # the export was taken mid-day: a later one holds the evening's messages too
    later = current([*JAN8, *JAN8_LATER])
    path = tmp_path / "evening.zip"
    path.write_bytes(later)
    res = CliRunner().invoke(__import__("kithbook.cli.main", fromlist=["app"]).app, [
        "--db", svc.config.db, "import", str(path), "--dry-run"])
    assert res.exit_code == 0, res.output
    assert "1 conversation gains messages (2 new messages)" in " ".join(res.output.split())

    grown = svc.transfer.import_bytes(later, filename="evening.zip", dry_run=False,
                                      with_content=True)
    assert grown.details["interactions"]["updated"] == 1
    assert grown.details["interactions"]["created"] == 0
    # the day, and the invitation, endorsement and recommendation of the archive
    assert _count(svc, interactions) == 4
    (jan8,) = [i for i in svc.interactions.timeline("Ada Lovelace")[0]
               if i.channel == "message"]
    assert jan8.summary is not None
    assert jan8.summary.split("\n\n") == ["LinkedIn: Catch up (4 messages)", "Are you around?",
                                          "Yes, tomorrow", "Great, see you", "See you"]
    assert jan8.occurred_at == JAN8_LATER[1][3]
    assert svc.people.resolve("Ada Lovelace").last_touch_at == JAN8_LATER[1][3]
    assert svc.search.find("Great see you")  # searchable at once
    assert _count(svc, captured) == marks + 2

    again = svc.transfer.import_bytes(later, filename="evening.zip", dry_run=False)
    assert again.details["interactions"] == {"created": 0, "existing": 4, "updated": 0}

    svc.history.undo(again.id)
    svc.history.undo(grown.id)  # one step: the gain goes, the morning's import stays
    assert [(i.summary, i.occurred_at)
            for i in svc.interactions.timeline("Ada Lovelace")[0]] == before
    assert svc.people.resolve("Ada Lovelace").last_touch_at == JAN8[1][3]
    assert _count(svc, captured) == marks
    svc.history.undo(first.id)
    assert _count(svc, interactions) == 0 and _count(svc, captured) == 0


def test_evidence_of_both_vintages_and_a_grown_endorsement_day(svc) -> None:  # type: ignore[no-untyped-def]
    svc.transfer.import_bytes(vintage_2018(BO_DAY), filename="2018.zip", dry_run=False)
    more = CURRENT_EVIDENCE["Endorsement_Received_Info.csv"] + (
        "2017/05/10 18:00:00 UTC,Rust,Bo,Chen,www.linkedin.com/in/bo-chen,ACCEPTED\n")
    report = svc.transfer.import_bytes(
        current(BO_DAY, **{"Endorsement_Received_Info.csv": more}), filename="now.zip",
        dry_run=False)
    assert report.details["endorsements"]["conversations_gaining"] == 1
    assert report.details["invitations"]["conversations_gaining"] == 0
    assert report.details["interactions"]["created"] == 0
    social = [i for i in svc.interactions.timeline("Bo Chen")[0] if i.channel == "social"]
    assert [i.summary for i in social] == ["Endorsed you on LinkedIn for Python, Rust"]
    assert _days(svc, "Cy Diaz") == [("social", "2018-01-05", 1)]  # the invitation once
    assert _days(svc, "Ada Lovelace") == [("social", "2018-01-02", 1)]


def test_a_day_is_found_by_its_people_after_a_merge(svc) -> None:  # type: ignore[no-untyped-def]
    from kithbook.services.people import NewPerson
    from kithbook.store.schema import interactions

    data = current(BO_DAY)
    svc.transfer.import_bytes(data, filename="now.zip", dry_run=False)
    # Bo, typed by hand as "Robert Chen", takes over the imported Bo (and his URL)
    robert = svc.people.add(NewPerson(name="Robert Chen"))
    imported = svc.people.resolve(BO)
    svc.dupes.merge(robert.id, imported.id)
    assert svc.people.resolve(BO).id == robert.id
    again = svc.transfer.import_bytes(data, filename="now.zip", dry_run=False)
    assert again.details["interactions"]["created"] == 0
    assert _count(svc, interactions) == 4
    assert _days(svc, "Robert Chen") == [("message", "2017-06-01", 1),
                                         ("social", "2017-05-10", 1)]
