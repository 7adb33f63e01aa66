"""Capture: mail and calendar sources become interactions (docs/capture.md)."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kithbook.domain.capture import (
    DEFAULT_NEVER,
    MailFacts,
    Party,
    canonical_address,
    judge_mail,
    never_matches,
)
from kithbook.errors import ImportFailed
from kithbook.io import mail
from kithbook.io.calendar_capture import read_calendar

DATA = Path(__file__).parent / "data" / "capture"
ME = "alex@owner.example"
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


# -- addresses and rules ----------------------------------------------------------------


@pytest.mark.parametrize(("raw", "canon"), [
    ("J.Doe+crm@GoogleMail.com", "jdoe@gmail.com"),
    ("j.doe@gmail.com", "jdoe@gmail.com"),
    ("Maria+news@Outlook.com", "maria@outlook.com"),
    ("first.last@company.example", "first.last@company.example"),  # dots matter there
    ("first+tag@company.example", "first+tag@company.example"),  # unknown provider
    ("<Sam@Fastmail.com>", "sam@fastmail.com"),
])
def test_canonical_addresses(raw: str, canon: str) -> None:
    assert canonical_address(raw) == canon


def test_never_capture_patterns() -> None:
    assert never_matches("noreply@github.com", DEFAULT_NEVER)
    assert never_matches("x@bounce.mailer.example", DEFAULT_NEVER)
    assert never_matches("anne@corp.example", ["@corp.example"])
    assert never_matches("anne@eu.corp.example", ["@corp.example"])
    assert not never_matches("anne@notcorp.example", ["@corp.example"])
    assert not never_matches("maria@northwind.example", DEFAULT_NEVER)


def _facts(**kw: object) -> MailFacts:
    base: dict[str, object] = {
        "message_id": "m1", "sender": Party("x@y.example"), "recipients": [Party(ME)],
        "when": NOW}
    base.update(kw)
    return MailFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kw", "reason"), [
    ({"auto_submitted": "auto-replied"}, "automated (Auto-Submitted)"),
    ({"precedence": "bulk"}, "bulk mail (Precedence)"),
    ({"list_id": "<l.example>"}, "mailing list (List-Id)"),
    ({"list_unsubscribe": True}, "newsletter (List-Unsubscribe)"),
    ({"sender": Party("no-reply@shop.example")}, "never-capture address"),
    ({"recipients": [Party("other@z.example")]}, "not addressed to you"),
    ({"when": None}, "no readable date"),
    ({"sender": Party(ME), "recipients": [Party("alex+notes@owner.example")]},
     "only yourself or never-capture addresses"),
])
def test_judge_mail_skips_with_a_reason(kw: dict[str, object], reason: str) -> None:
    v = judge_mail(_facts(**kw), frozenset({ME}), DEFAULT_NEVER)
    assert not v.keep and v.reason == reason


def test_judge_mail_direction_and_aliases() -> None:
    v = judge_mail(_facts(sender=Party("alex+work@owner.example"),
                          recipients=[Party("m@n.example")]), frozenset({ME}), DEFAULT_NEVER)
    assert v.keep and v.direction == "out" and [p.address for p in v.others] == ["m@n.example"]


# -- mbox reading ------------------------------------------------------------------------


def _stdlib_count(path: Path) -> list[int]:
    box = mailbox.mbox(str(path), create=False)
    try:
        return [len(bytes(box.get_bytes(k))) for k in box.iterkeys()]
    finally:
        box.close()


def test_mbox_stream_matches_the_standard_library() -> None:
    ours = list(mail.iter_mbox(DATA / "inbox.mbox"))
    assert len(ours) == len(_stdlib_count(DATA / "inbox.mbox")) == 10
    first = mail.facts(ours[0], subject=True, snippet=False)
    assert first.sender == Party("maria@northwind.example", "María López")
    assert first.subject == "Packaging quote – next steps"
    reply = mail.facts(ours[1], subject=True)
    assert reply.subject == "Re: Packaging quote - next steps"  # folded header
    assert reply.refs == ["thread1-a@northwind.example"]
    assert [p.name for p in reply.recipients][0] == "María López"  # ISO-8859-1 word
    broken = mail.facts(ours[5])
    assert broken.when == datetime(2026, 11, 4, 10, tzinfo=UTC)  # from the From_ line


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["a@x.example", "b@y.example", ME]),
                          st.text(alphabet="abc From>\n", max_size=80)),
                min_size=1, max_size=12),
       st.integers(min_value=0, max_value=5))
def test_mbox_offsets_resume_exactly(tmp_path_factory: pytest.TempPathFactory,
                                     msgs: list[tuple[str, str]], cut: int) -> None:
    path = tmp_path_factory.mktemp("mb") / "x.mbox"
    with open(path, "wb") as fh:
        for n, (sender, body) in enumerate(msgs):
            body = "\n".join(">" + ln if ln.startswith("From ") else ln
                             for ln in body.split("\n"))
            fh.write(f"From {sender} Mon Nov  2 09:15:00 2026\nMessage-ID: <m{n}@t>\n"
                     f"From: {sender}\nTo: {ME}\nDate: Mon, 2 Nov 2026 09:15:00 +0000\n\n"
                     f"{body}\n\n".encode())
    whole = list(mail.iter_mbox(path))
    assert len(whole) == len(msgs) == len(_stdlib_count(path))
    assert [mail.facts(r).message_id for r in whole] == [f"m{n}@t" for n in range(len(msgs))]
    cut = min(cut, len(whole) - 1)
    offset = int(whole[cut].cursor)  # type: ignore[call-overload]
    rest = list(mail.iter_mbox(path, offset))
    assert [r.locator for r in rest] == [r.locator for r in whole[cut + 1:]]


def test_not_an_mbox_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.mbox"
    bad.write_bytes(b"\x00\x01PK binary junk")
    with pytest.raises(ImportFailed, match="not an mbox file"):
        list(mail.iter_mbox(bad))


def test_hostile_headers_stay_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    with open(path, "wb") as fh:
        fh.write(b"From a Mon Nov  2 09:15:00 2026\nSubject: " + b"x" * (3 * mail.HEAD_CAP))
        fh.write(b"\n\nbody\n")
        fh.write(b"From b Mon Nov  2 09:15:00 2026\nFrom: b@x.example\n\n" + b"y\n" * 300_000)
    msgs = list(mail.iter_mbox(path))
    assert len(msgs) == 2
    assert all(len(m.head) <= mail.HEAD_CAP for m in msgs)
    assert msgs[1].size > 600_000 and msgs[1].body == b""


# -- calendars -----------------------------------------------------------------------------


def test_calendar_occurrences() -> None:
    from zoneinfo import ZoneInfo

    read = read_calendar((DATA / "meetings.ics").read_bytes(), now=NOW, since=None,
                         tz=ZoneInfo("UTC"), want_summary=True)
    weekly = sorted((o.start, o.status) for o in read.occurrences
                    if o.uid == "weekly-sync@owner.example")
    # every Monday 10:00 Berlin up to now, except the EXDATE; the 19th is cancelled and
    # the 26th moved to 14:00; DST moves the UTC hour from 8 to 9
    assert weekly[0] == (datetime(2026, 10, 5, 8, tzinfo=UTC), "")
    assert (datetime(2026, 10, 12, 8, tzinfo=UTC), "") not in weekly
    assert (datetime(2026, 10, 19, 8, tzinfo=UTC), "CANCELLED") in weekly
    assert (datetime(2026, 10, 26, 13, tzinfo=UTC), "") in weekly
    assert weekly[-1] == (datetime(2026, 11, 23, 9, tzinfo=UTC), "")
    assert len(weekly) == 7
    lunch = [o for o in read.occurrences if o.uid == "lunch@owner.example"][0]
    assert lunch.start == datetime(2026, 11, 10, 17, tzinfo=UTC) and lunch.minutes == 60
    assert not [o for o in read.occurrences if o.uid in ("future@owner.example",
                                                         "forever@owner.example")]
    assert read.next_pending is not None and read.next_pending > NOW
    assert any("too dense" in p for p in read.problems)


def test_broken_calendar_is_one_clear_error() -> None:
    from zoneinfo import ZoneInfo

    with pytest.raises(ImportFailed, match="not a readable iCalendar"):
        read_calendar(b"hello world", now=NOW, since=None, tz=ZoneInfo("UTC"))
    read = read_calendar(b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:garbage\nEND:VEVENT\n"
                         b"END:VCALENDAR\n", now=NOW, since=None, tz=ZoneInfo("UTC"))
    assert read.occurrences == [] and "unreadable" in read.problems[0]


_LOCAL = st.text(alphabet="abcdefghij.+-_", min_size=1, max_size=10).filter(
    lambda s: not s.startswith(".") and not s.endswith(".") and ".." not in s)
_NAME = st.text(alphabet="abcdefgh XYZ", max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_NAME, _LOCAL, st.sampled_from(["x.example", "mail.y.org"]),
                          st.booleans()), min_size=1, max_size=4))
def test_fast_address_split_agrees_with_the_standard_library(
        items: list[tuple[str, str, str, bool]]) -> None:
    from email.utils import getaddresses

    value = ", ".join(f"{name} <{local}@{dom}>" if named else f"{local}@{dom}"
                      for name, local, dom, named in items)
    # display names are compared as capture keeps them: spaces collapsed
    ours = [(" ".join(n.split()), a) for n, a in mail._split([value])]
    theirs = [(" ".join(n.split()), a) for n, a in getaddresses([value])]
    assert ours == theirs
