"""LinkedIn's 2018 export writes times without a zone (`1/8/18, 6:14 PM`): the wall clock
of the user who exported it. They are read in the configured time zone, so a 2018
message is the same instant as the current export's (`2018-01-09 02:14:37 UTC`), and the
conversation-day key (the UTC day of that instant, docs/architecture.md) and the
message's stamp are the same in both vintages: re-importing the other vintage adds
nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from tests.test_linkedin_reimport import (
    ADA,
    CURRENT_CONNECTIONS,
    CURRENT_EVIDENCE,
    ME,
    OLD_CONNECTIONS,
    OLD_EVIDENCE,
    current_messages,
    old_messages,
    zipped,
)

from kithbook.io import linkedin
from kithbook.io import linkedin_archive as la
from kithbook.io.records import ImportedContact

LA = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(("text", "zone", "expected"), [
    # the 2018 wall clock, read where it was written
    ("1/8/18, 6:14 PM", LA, datetime(2018, 1, 9, 2, 14, tzinfo=UTC)),
    ("1/8/18, 6:14 PM", BERLIN, datetime(2018, 1, 8, 17, 14, tzinfo=UTC)),
    ("7/8/18, 6:14 PM", BERLIN, datetime(2018, 7, 8, 16, 14, tzinfo=UTC)),  # summer time
    ("1/8/18, 6:14 AM", TOKYO, datetime(2018, 1, 7, 21, 14, tzinfo=UTC)),
    ("1/8/18, 6:14 PM", UTC, datetime(2018, 1, 8, 18, 14, tzinfo=UTC)),
    # a time with its zone is read in it, whatever the user's
    ("2018-01-09 02:14:37 UTC", LA, datetime(2018, 1, 9, 2, 14, 37, tzinfo=UTC)),
    ("2018-01-09T02:14:37Z", TOKYO, datetime(2018, 1, 9, 2, 14, 37, tzinfo=UTC)),
    ("2018-01-09 03:14:37 +01:00", LA, datetime(2018, 1, 9, 2, 14, 37, tzinfo=UTC)),
    ("2018-01-08 21:14:37 -0500", BERLIN, datetime(2018, 1, 9, 2, 14, 37, tzinfo=UTC)),
    ("2018/01/09 02:14:37.250 UTC", LA, datetime(2018, 1, 9, 2, 14, 37, tzinfo=UTC)),
    # a bare date is the day written, in any zone
    ("5/10/17", BERLIN, datetime(2017, 5, 10, tzinfo=UTC)),
    ("5/10/17", LA, datetime(2017, 5, 10, tzinfo=UTC)),
])
def test_a_time_without_a_zone_is_the_users_wall_clock(text: str, zone: ZoneInfo,
                                                       expected: datetime) -> None:
    assert la.parse_datetime(text, False, zone) == expected


OLD = "First Name,Last Name,Email Address,Company,Position,Connected On\n"


def _connected(value: str, zone: ZoneInfo) -> date | None:
    (c,) = [c for c in linkedin.parse(OLD + f'Ada,L,,Acme,CEO,"{value}"\n', "US", zone)
            if isinstance(c, ImportedContact)]
    return c.connected_on


def test_connected_on_is_the_day_of_the_instant_in_utc() -> None:
    assert _connected("1/8/18, 6:14 PM", LA) == date(2018, 1, 9)  # 02:14 UTC
    assert _connected("1/8/18, 6:14 PM", BERLIN) == date(2018, 1, 8)
    assert _connected("1/8/18, 6:14 AM", TOKYO) == date(2018, 1, 7)
    assert _connected("08 Jan 2018", LA) == date(2018, 1, 8)  # no time: the day written


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2030, 1, 1)),
       st.sampled_from([LA, BERLIN, TOKYO, ZoneInfo("Asia/Kolkata"), ZoneInfo("UTC")]),
       st.booleans())
def test_both_vintages_give_a_message_the_same_day_and_stamp_in_any_zone(
        naive: datetime, zone: ZoneInfo, outgoing: bool) -> None:
    when = naive.replace(tzinfo=UTC, microsecond=0)
    local = when.astimezone(zone)
    # the hour that repeats when clocks go back is one wall clock for two instants
    # (the 2018 export cannot tell them apart): the first is read
    assert local.replace(fold=0).astimezone(UTC) - when in (timedelta(0), timedelta(hours=-1))
    if local.replace(fold=0).astimezone(UTC) != when:
        return
    s, r = (ME, ADA) if outgoing else (ADA, ME)
    row = ("c", s, r, when, "Hi", "x")
    (new,) = la.parse_messages(current_messages([row]), zone)
    (old,) = la.parse_messages(old_messages([("c", s, r, local, "Hi", "x")]), zone)
    assert isinstance(new, la.ArchiveTouch) and isinstance(old, la.ArchiveTouch)
    assert old.when == when.replace(second=0)  # 2018 wrote minutes
    d = "out" if outgoing else "in"
    assert la.thread_key("message", d, old.when) == la.thread_key("message", d, new.when)
    assert la.stamps([(old, d)]) == la.stamps([(new, d)])


# -- end to end, both engines ----------------------------------------------------------------

# an evening in Los Angeles: already the next day in UTC
EVENING = [("2-ada", ADA, ME, datetime(2018, 1, 9, 2, 14, 37, tzinfo=UTC), "Catch up",
            "Are you around?"),
           ("2-ada", ME, ADA, datetime(2018, 1, 9, 2, 20, 5, tzinfo=UTC), "RE: Catch up",
            "Yes, tomorrow")]


def _current() -> bytes:
    return zipped(CURRENT_CONNECTIONS, "messages.csv", current_messages(EVENING),
                  **CURRENT_EVIDENCE)


def _of_2018() -> bytes:  # written by LinkedIn in the exporting user's wall clock
    local = [(c, s, r, w.astimezone(LA), subj, words) for c, s, r, w, subj, words in EVENING]
    return zipped(OLD_CONNECTIONS, "Messages.csv", old_messages(local), **OLD_EVIDENCE)


@pytest.fixture
def la_svc(db_url: str):  # type: ignore[no-untyped-def]
    from kithbook.config import Config
    from kithbook.services.app import Services

    s = Services.open(Config(db=db_url, as_of=date(2026, 11, 27),
                             timezone="America/Los_Angeles"))
    yield s
    s.close()


def _messages(svc) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    items, _total = svc.interactions.timeline("Ada Lovelace")
    return [(i.occurred_at.astimezone(UTC).date().isoformat(),
             i.captured.items if i.captured else 0) for i in items if i.channel == "message"]


def _interactions(svc) -> int:  # type: ignore[no-untyped-def]
    from kithbook.store.schema import interactions

    with svc.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(interactions)).scalar_one())


@pytest.mark.parametrize("order", ["current first", "2018 first"])
def test_the_other_vintage_adds_nothing_in_the_users_zone(la_svc, order: str) -> None:  # type: ignore[no-untyped-def]
    first, second = (_current(), _of_2018()) if order == "current first" else (
        _of_2018(), _current())
    la_svc.transfer.import_bytes(first, filename="a.zip", dry_run=False)
    assert _messages(la_svc) == [("2018-01-09", 2)]
    before = _interactions(la_svc)
    preview = la_svc.transfer.import_bytes(second, filename="b.zip", dry_run=True)
    assert preview.details["interactions"]["created"] == 0
    assert preview.details["interactions"]["updated"] == 0
    assert preview.details["messages"]["added"] == 0
    la_svc.transfer.import_bytes(second, filename="b.zip", dry_run=False)
    assert _interactions(la_svc) == before
    assert _messages(la_svc) == [("2018-01-09", 2)]
    (msg,) = [i for i in la_svc.interactions.timeline("Ada Lovelace")[0]
              if i.channel == "message"]
    assert msg.occurred_at == datetime(2018, 1, 9, 2, 20, 5, tzinfo=UTC).replace(
        second=0 if order == "2018 first" else 5)


def test_a_2018_archive_imported_before_the_zone_was_set_adds_nothing_again(
        db_url: str) -> None:
    """An import made while times were read as UTC (before the time-zone setting, or with
    none set) keyed the 2018 messages by that reading. Setting the zone and importing the
    same archive again, or the current one, must not bring them in a second time."""
    from kithbook.config import Config
    from kithbook.services.app import Services

    def svc(zone: str | None) -> Services:
        return Services.open(Config(db=db_url, as_of=date(2026, 11, 27), timezone=zone))

    before_setting = svc(None)
    try:
        before_setting.transfer.import_bytes(_of_2018(), filename="a.zip", dry_run=False)
        as_utc = _messages(before_setting)
        count = _interactions(before_setting)
    finally:
        before_setting.close()
    assert as_utc == [("2018-01-08", 2)]  # 6:14 PM read as UTC: the wall-clock day
    after = svc("America/Los_Angeles")
    try:
        again = after.transfer.import_bytes(_of_2018(), filename="a.zip", dry_run=True)
        assert again.details["messages"]["added"] == 0, again.details
        assert again.details["interactions"]["created"] == 0
        after.transfer.import_bytes(_of_2018(), filename="a.zip", dry_run=False)
        assert _interactions(after) == count and _messages(after) == as_utc
        # a message the archive did not hold before still comes in, in the user's zone
        more = [*EVENING, ("2-ada", ADA, ME, datetime(2018, 1, 9, 3, 1, tzinfo=UTC),
                           "RE: Catch up", "See you")]
        grown = zipped(OLD_CONNECTIONS, "Messages.csv", old_messages(
            [(c, s, r, w.astimezone(LA), subj, words) for c, s, r, w, subj, words in more]),
            **OLD_EVIDENCE)
        report = after.transfer.import_bytes(grown, filename="b.zip", dry_run=False)
        assert report.details["interactions"]["created"] == 1, report.details
        assert _interactions(after) == count + 1
        assert _messages(after) == [("2018-01-09", 1), *as_utc]  # 7:01 PM in LA
    finally:
        after.close()
