"""Hostile mail and calendars through capture (RELIABILITY.md, check 3; io/intake.py,
CaptureLimits), following tests/test_hostile_imports.py: each run happens for real in a
forked child with a capped address space, which reports its peak memory.

A mailbox is never refused whole for one bad message: an oversized message, a header
longer than mail.HEAD_CAP, MIME parts nested past the bound are skipped, counted under
their reason in `capture report`, and the run goes on to the good messages after them.
A calendar file over the limits (size, events, nesting) is refused with one line and
nothing is written; a CalDAV object over them is skipped and counted.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kithbook.config import Config
from kithbook.io import intake, mail
from kithbook.services.app import Services
from kithbook.services.capture import NewSource
from kithbook.services.people import NewPerson

MiB = 1024 * 1024
BUDGET = 256 * MiB
ME = "alex@owner.example"
DATE = "Mon, 02 Nov 2026 09:15:00 +0000"


def _msg(n: int, *, head: bytes = b"", body: bytes = b"hello\n",
         sender: bytes = b"Maria Lopez <maria@northwind.example>") -> bytes:
    return (b"From: " + sender + b"\nTo: " + ME.encode() + b"\nDate: " + DATE.encode()
            + b"\nMessage-ID: <m%d@northwind.example>\nSubject: s%d\n" % (n, n) + head
            + b"\n" + body)


def _nested(depth: int) -> bytes:
    return b"".join(b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i)
                    for i in range(depth)) + b"Content-Type: text/plain\n\nhi\n"


# each hostile message, and the reason it must be counted under (None: kept)
MESSAGES: dict[str, tuple[Callable[[int], bytes], str | None]] = {
    "2 MiB message (limit 1 MiB)": (
        lambda n: _msg(n, body=b"x" * (2 * MiB) + b"\n"), "larger than 1.0 MB"),
    "300 KiB header": (
        lambda n: _msg(n, head=b"X-Junk: " + b"j" * (300 * 1024) + b"\n"),
        "header longer than 256 KB"),
    "MIME nested 300 deep": (
        lambda n: _msg(n, head=b"MIME-Version: 1.0\nContent-Type: multipart/mixed; "
                       b"boundary=top\n", body=b"--top\n" + _nested(300)),
        "MIME parts nested more than 32 deep"),
    "12,000 recipients": (
        lambda n: _msg(n, head=b"Cc: " + b", ".join(
            b"u%d@many.example" % i for i in range(12_000)) + b"\n"),
        "sent to more than 30 people"),
    "From nested in 100,000 comments": (
        lambda n: _msg(n, sender=b"(" * 100_000 + b"x@y.example"), "unreadable message"),
    "subject of 15,000 encoded words": (
        lambda n: _msg(n, head=b"X-S: 1\nSubject: " + b"=?utf-8?q?a?= " * 15_000 + b"\n"),
        None),
}


def _mbox(path: Path) -> None:
    with open(path, "wb") as fh:
        for n, (make, _) in enumerate(MESSAGES.values()):
            fh.write(b"From maria Mon Nov  2 09:15:00 2026\n" + make(n) + b"\n")
        fh.write(b"From maria Mon Nov  2 09:15:00 2026\n" + _msg(99) + b"\n")


def _maildir(root: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    for n, (make, _) in enumerate(MESSAGES.values()):
        (root / "cur" / f"{n}.host:2,S").write_bytes(make(n))
    (root / "cur" / "99.host:2,S").write_bytes(_msg(99))


def _ics(events: int, *, extra: bytes = b"", pad: int = 0) -> bytes:
    body = b"".join(
        b"BEGIN:VEVENT\r\nUID:e%d@x\r\nDTSTART:20260101T100000Z\r\nDTEND:20260101T110000Z"
        b"\r\nORGANIZER:mailto:maria@northwind.example\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:" % i
        + ME.encode() + b"\r\nEND:VEVENT\r\n" for i in range(events))
    return (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + body + extra
            + b"X-PAD:" + b"p" * pad + b"\r\nEND:VCALENDAR\r\n")


def _deep_ics() -> bytes:
    return _ics(1, extra=b"BEGIN:X-A\r\n" * 5_000 + b"END:X-A\r\n" * 5_000)


CALENDARS: dict[str, tuple[Callable[[], bytes], str]] = {
    "2 MiB calendar (limit 1 MiB)": (lambda: _ics(1, pad=2 * MiB),
                                     "is 2.0 MB, more than the 1.0 MB a calendar file may be"),
    "101 events (limit 100)": (lambda: _ics(101), "holds more than 100 events"),
    "components nested 5,000 deep": (_deep_ics, "nests calendar components more than 32"),
    # found by fuzz/fuzz_importers.py ics: the time zone lookup raised OSError (exit 70)
    "a TZID too long for a file name": (
        lambda: _ics(0, extra=b"BEGIN:VEVENT\r\nUID:tz@x\r\nDTSTART;TZID=Europe/"
                     + b"\xde" * 120 + b":20260105T100000\r\nEND:VEVENT\r\n"),
        "not a readable iCalendar file"),
}

LIMITS = "max_capture_message_bytes = 1048576\nmax_capture_calendar_bytes = 1048576\n" \
    "max_capture_events = 100\n"


def _config(tmp: Path) -> Config:
    from kithbook import config as cfg

    conf = tmp / "config.toml"
    conf.write_text(LIMITS)
    return cfg.load(db=str(tmp / "k.db"), env={"KITHBOOK_CONFIG": str(conf)})


def _child(tmp: str, kind: str, location: str, privacy: str, out: Any) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (4096 * MiB, hard))
    result: dict[str, object] = {}
    try:
        svc = Services.open(_config(Path(tmp)))
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        svc.capture.add(NewSource(kind=kind, name="src", location=location, me=[ME],
                                  privacy=privacy))
        [r] = svc.capture.run(["src"])
        [again] = svc.capture.report("src", limit=1)
        result.update(status=r.status, message=r.message, seen=r.seen, kept=r.kept,
                      skipped=dict(r.skipped), problems=list(r.problems),
                      reported=dict(again.skipped), base_kib=base)
        svc.close()
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        result["status"] = f"crashed: {type(exc).__name__}: {str(exc)[:200]}"
    result["peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.send(result)


def _run(tmp: Path, kind: str, location: Path, privacy: str = "metadata"
         ) -> dict[str, Any]:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(str(tmp), kind, str(location), privacy, child))
    proc.start()
    result: dict[str, Any] = parent.recv()
    proc.join()
    return result


def _seed(tmp: Path) -> None:
    svc = Services.open(_config(tmp))
    svc.people.set_me("Alex Owner")
    svc.people.add(NewPerson(name="Maria Lopez", emails=["maria@northwind.example"]))
    svc.close()


def _counts(tmp: Path) -> tuple[str, int, int]:
    con = sqlite3.connect(tmp / "k.db")
    try:
        return (con.execute("PRAGMA integrity_check").fetchone()[0],
                con.execute("SELECT count(*) FROM interactions").fetchone()[0],
                con.execute("SELECT count(*) FROM people").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("kind", ["mbox", "maildir"])
def test_hostile_messages_are_skipped_counted_and_the_run_goes_on(tmp_path: Path,
                                                                  kind: str) -> None:
    _seed(tmp_path)
    where = tmp_path / ("in.mbox" if kind == "mbox" else "md")
    _mbox(where) if kind == "mbox" else _maildir(where)
    got = _run(tmp_path, kind, where, privacy="snippet")
    assert got["status"] == "done", got
    assert got["seen"] == len(MESSAGES) + 1
    expected: dict[str, int] = {}
    for _, reason in MESSAGES.values():
        if reason is not None:
            expected[reason] = expected.get(reason, 0) + 1
    for reason, n in expected.items():
        assert got["skipped"].get(reason) == n, (reason, got["skipped"])
    assert got["reported"] == got["skipped"]  # what `capture report` shows
    # the good message at the end and the long subject were read
    assert got["kept"] == len(MESSAGES) + 1 - sum(expected.values())
    assert _counts(tmp_path)[0] == "ok"
    above = (got["peak_kib"] - got["base_kib"]) * 1024
    print(f"{kind}: skipped {got['skipped']}, +{above / MiB:.0f} MiB")
    assert above < BUDGET


@pytest.mark.parametrize("case", sorted(CALENDARS))
def test_hostile_calendar_is_refused_with_one_line(tmp_path: Path, case: str) -> None:
    _seed(tmp_path)
    make, words = CALENDARS[case]
    cal = tmp_path / "c.ics"
    cal.write_bytes(make())
    before = _counts(tmp_path)
    got = _run(tmp_path, "ics", cal)
    assert got["status"] == "failed", got
    message = str(got["message"])
    assert words in message and "\n" not in message and len(message) < 400, message
    assert _counts(tmp_path) == before


def test_a_calendar_bomb_at_the_default_limits_is_refused_before_parsing(
        tmp_path: Path) -> None:
    """150,000 events in 30 MB, under the size limit: refused on the count, in bounded
    memory (the iCalendar parser would hold every event at many times its size)."""
    from kithbook.errors import ImportFailed

    data = _ics(150_000)
    assert len(data) < intake.CAPTURE.calendar_bytes
    with pytest.raises(ImportFailed, match="more than 100,000 events") as exc:
        intake.check_calendar(data, "c.ics")
    assert "max_capture_events" in str(exc.value.hint)


def test_calendar_within_the_limits_still_reads(tmp_path: Path) -> None:
    _seed(tmp_path)
    cal = tmp_path / "c.ics"
    cal.write_bytes(_ics(100))
    got = _run(tmp_path, "ics", cal)
    assert got["status"] == "done" and got["kept"] == 100, got


def test_caldav_objects_over_the_limits_are_skipped_and_counted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from zoneinfo import ZoneInfo

    from kithbook.io import caldav_reader
    from kithbook.io.capture_readers import ReadContext

    objects = {"/c/good.ics": _ics(1).decode(), "/c/many.ics": _ics(101).decode(),
               "/c/deep.ics": _deep_ics().decode(), "/c/junk.ics": "BEGIN:VCALENDAR\r\n"}
    monkeypatch.setattr(caldav_reader, "_calendar", lambda settings, password: object())
    monkeypatch.setattr(caldav_reader, "_changes",
                        lambda cal, token, etags: (dict(objects), set(), "t1", None))
    ctx = ReadContext(me=frozenset({ME}), never=[], privacy="metadata",
                      now=datetime(2026, 12, 1, tzinfo=UTC), tz=ZoneInfo("UTC"),
                      limits=intake.CaptureLimits(events=100))
    batches = list(caldav_reader.read_caldav(
        caldav_reader.CaldavSettings(url="https://dav.example/c/", user=None), None, None,
        ctx, lambda href: []))
    skipped: dict[str, int] = {}
    for b in batches:
        for k, v in b.skipped.items():
            skipped[k] = skipped.get(k, 0) + v
    assert skipped["calendar object over the limits"] == 2, skipped
    assert sum(len(b.touches) for b in batches) == 1


def test_screen_reasons() -> None:
    limits = intake.CaptureLimits(message_bytes=1000, nesting=3)
    ok = mail.RawMail(locator="x", head=b"From: a@b.example\n\n", body=b"", size=999)
    assert mail.screen(ok, limits) is None
    big = mail.RawMail(locator="x", head=b"", body=b"", size=1001)
    assert mail.screen(big, limits) == "larger than 1,000 bytes"
    deep = mail.RawMail(locator="x", head=b"Content-Type: multipart/mixed\n\n",
                        body=b"Content-Type: multipart/mixed\n" * 3, size=10)
    assert mail.screen(deep, limits) is None  # nesting is read only for a snippet
    assert mail.screen(deep, limits, snippet=True) == "MIME parts nested more than 3 deep"
