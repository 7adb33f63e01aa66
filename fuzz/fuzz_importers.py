"""Coverage-guided fuzzing of the contact parsers with atheris (RELIABILITY.md, check 5).
Not run by the test suite: atheris is a development tool (`pip install atheris`, a
wheel for CPython 3.11 on Linux x86-64), not a dependency.

    python fuzz/fuzz_importers.py vcard -max_total_time=300
    python fuzz/fuzz_importers.py csv -max_total_time=300 -timeout=10
    python fuzz/fuzz_importers.py vcard -len_control=0 -max_len=65536 -max_total_time=300
    python fuzz/fuzz_importers.py ics -max_total_time=300 -timeout=10   # capture: .ics
    python fuzz/fuzz_importers.py mbox -max_total_time=300 -timeout=10  # capture: mbox
    python fuzz/fuzz_importers.py archive -max_total_time=300 -timeout=10  # LinkedIn archive
    python fuzz/fuzz_importers.py json -max_total_time=300 -timeout=10  # JSON backup
    python fuzz/fuzz_importers.py vcard path/to/crash-...     # replay one finding

(libFuzzer grows inputs slowly: a short run stays under a few hundred bytes unless
`-len_control=0` lets it try long ones from the start.)

The contract under test is the import contract (docs/architecture.md): whatever the
bytes, reading a file through io/sources.read_all, within the io/intake.py limits,
either gives records (RowErrors among them) or raises one ImportFailed. Any other
exception is a finding, and so is a single input that runs past libFuzzer's -timeout
(one record whose work is unbounded: the time limit of an import is checked between
records). The capture targets hold capture to its own contract: an .ics is read
(io/calendar_capture.read_calendar) or refused with one ImportFailed; every message of
an mbox is judged or skipped with a reason (io/capture_readers.mail_touch), never
raised. The archive target reads one member of a LinkedIn data archive (messages,
invitations, endorsements, recommendations; io/linkedin_archive.parse), in UTC or in
a zone with summer time, and takes each row as a touch or a RowError, never an
exception. The CSV target picks one of the four CSV formats from the first byte and
often puts that format's header first, so the mutations reach the row readers instead
of stopping at "no header row found".
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    import dateutil.rrule  # noqa: F401 - what the capture readers parse with
    import icalendar  # noqa: F401

    from kithbook.errors import ImportFailed
    from kithbook.io import (  # noqa: F401 - the readers sources imports lazily
        calendar_capture,
        capture_readers,
        csv_common,
        detect,
        google_csv,
        intake,
        json_backup,
        linkedin,
        linkedin_archive,
        mail,
        normalize,
        outlook_csv,
        sources,
        ties_csv,
        vcard,
    )
    from kithbook.store import dump

HEADERS = {
    "linkedin": b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    "google": b"Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,"
              b"Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,Birthday,Notes\n",
    "outlook": b"First Name,Middle Name,Last Name,E-mail Address,Mobile Phone,Company,"
               b"Job Title,Birthday,Notes\n",
    "ties": b"person_a,person_b,strength,kind,since\n",
}
FORMATS = sorted(HEADERS)
LIMITS = intake.Limits(seconds=30.0)


def _read(data: bytes, name: str, fmt: str) -> None:
    with contextlib.suppress(ImportFailed):
        sources.read_all(data, name, fmt=fmt, limits=LIMITS)


def vcard_target(data: bytes) -> None:
    _read(data, "fuzz.vcf", "vcard")


def csv_target(data: bytes) -> None:
    if not data:
        return
    fmt = FORMATS[data[0] % len(FORMATS)]
    body = data[1:]
    if data[0] & 0x80:  # half the time, a header the reader accepts
        body = HEADERS[fmt] + body
    _read(body, f"fuzz-{fmt}.csv", fmt)


def _ctx() -> object:
    from datetime import UTC, datetime

    from kithbook.io.capture_readers import ReadContext

    return ReadContext(me=frozenset({"me@x.example"}), never=[], privacy="snippet",
                       now=datetime(2026, 12, 1, tzinfo=UTC), tz=UTC)


def ics_target(data: bytes) -> None:
    from datetime import UTC, datetime

    with contextlib.suppress(ImportFailed):
        calendar_capture.read_calendar(data, now=datetime(2026, 12, 1, tzinfo=UTC),
                                       since=None, tz=UTC, want_summary=True,
                                       locator="fuzz.ics")


MBOX = None


def mbox_target(data: bytes) -> None:
    import tempfile
    from pathlib import Path

    from kithbook.domain.capture import Batch

    global MBOX
    if MBOX is None:
        MBOX = Path(tempfile.mkdtemp(prefix="kithbook-fuzz-mbox-")) / "in.mbox"
    MBOX.write_bytes(b"From x Mon Nov  2 09:15:00 2026\n" + data)
    ctx = _ctx()
    batch = Batch()
    for raw in mail.iter_mbox(MBOX, want_body=True):
        capture_readers.mail_touch(raw, ctx, batch)  # type: ignore[arg-type]


ARCHIVE_MEMBERS = sorted(linkedin_archive.MEMBERS)
ARCHIVE_HEADERS = {
    "messages.csv": b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,"
                    b"RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n",
    "invitations.csv": b"From,To,Sent At,Message,Direction,inviterProfileUrl,"
                       b"inviteeProfileUrl\n",
    "endorsement_received_info.csv": b"Endorsement Date,Skill Name,Endorser First Name,"
                                     b"Endorser Last Name,Endorser Public Url,"
                                     b"Endorsement Status\n",
    "endorsement_given_info.csv": b"Endorsement Date,Skill Name,Endorsee First Name,"
                                  b"Endorsee Last Name,Endorsee Public Url,"
                                  b"Endorsement Status\n",
    "recommendations_received.csv": b"First Name,Last Name,Company,Job Title,Text,"
                                    b"Creation Date,Status\n",
    "recommendations_given.csv": b"First Name,Last Name,Company,Job Title,Text,"
                                 b"Creation Date,Status\n",
}
ZONES: list[object] = []


def archive_target(data: bytes) -> None:
    from datetime import UTC
    from zoneinfo import ZoneInfo

    if not data:
        return
    if not ZONES:
        ZONES.extend([UTC, ZoneInfo("America/Los_Angeles")])
    member = ARCHIVE_MEMBERS[data[0] % len(ARCHIVE_MEMBERS)]
    body = data[1:]
    if data[0] & 0x80:  # half the time, a header the reader accepts
        body = ARCHIVE_HEADERS[member] + body
    zone = ZONES[(data[0] >> 6) & 1]
    for it in linkedin_archive.parse(member, body.decode("utf-8", "replace"), zone):  # type: ignore[arg-type]
        assert isinstance(it, (linkedin_archive.ArchiveTouch, linkedin_archive.RowError))


def json_target(data: bytes) -> None:
    """A JSON backup read as the import reads it: decoded (the tables' rows a row at a
    time), every row walked, then validated; any exception but ImportFailed is a
    finding."""
    with contextlib.suppress(ImportFailed):
        doc = json_backup.decode(data, filename="fuzz.json", limits=LIMITS)
        for rows in doc["tables"].values():
            for _row in rows:
                pass
        dump.validate(doc["tables"], filename="fuzz.json")


SEEDS = {
    "vcard": [
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Bee\r\nN:Bee;Ann;;;\r\nEMAIL;TYPE=work:"
        b"ann@example.com\r\nTEL;TYPE=cell:+1 555 0100\r\nORG:Acme;Sales\r\nTITLE:CEO\r\n"
        b"ADR;TYPE=home:;;1 Main St;Springfield;IL;62701;USA\r\nBDAY:1980-02-03\r\n"
        b"NOTE:line\\nline\r\nCATEGORIES:a,b\r\nEND:VCARD\r\n",
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=A9;A=\r\n"
        b"b\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n /9j/4AAQ\r\n\r\nEND:VCARD\r\n",
    ],
    "ics": [
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@x\r\nDTSTART;TZID=Europe/"
        b"Paris:20260105T100000\r\nDTEND;TZID=Europe/Paris:20260105T110000\r\nRRULE:FREQ="
        b"WEEKLY;COUNT=5;BYDAY=MO\r\nEXDATE;TZID=Europe/Paris:20260112T100000\r\n"
        b"ORGANIZER;CN=Maria:mailto:maria@x.example\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:"
        b"me@x.example\r\nSUMMARY:Sync\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
        b"RECURRENCE-ID;TZID=Europe/Paris:20260119T100000\r\nDTSTART;TZID=Europe/Paris:"
        b"20260119T120000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    ],
    "json": [
        b'{"format": "kithbook-backup", "version": 1, "schema": "0014", "tables": '
        b'{"people": [{"public_id": "per_1", "name": "Ann", "created_at": '
        b'"2026-01-01T00:00:00+00:00", "updated_at": "2026-01-01T00:00:00+00:00"}], '
        b'"ties": [], "person_emails": [{"person_id": "per_1", "value": "a@x.com", '
        b'"normalized": "a@x.com"}]}}',
    ],
    "mbox": [
        b"From: Maria <maria@x.example>\nTo: me@x.example, \"Sam, C\" <sam@y.example>\n"
        b"Date: Mon, 02 Nov 2026 09:15:00 +0000\nMessage-ID: <a@x>\nReferences: <r@x>\n"
        b"Subject: =?utf-8?q?caf=C3=A9?=\nMIME-Version: 1.0\nContent-Type: multipart/"
        b"alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\nhello\n--b--\n"
        b"From y Mon Nov  2 09:15:00 2026\nFrom: me@x.example\nTo: maria@x.example\n"
        b"Date: Tue, 03 Nov 2026 09:15:00 +0000\nIn-Reply-To: <a@x>\n\nre\n",
    ],
    "archive": [bytes([0x80 | 0x40 | ARCHIVE_MEMBERS.index(m)]) + row for m, row in (
        ("messages.csv", b"2-ada,Catch up,Ada Lovelace,https://www.linkedin.com/in/ada,"
                         b"Me Myself,https://www.linkedin.com/in/me,\"1/8/18, 6:14 PM\","
                         b"Catch up,Are you around?,INBOX\n"),
        ("invitations.csv", b"Me Myself,Ada Lovelace,\"1/8/18, 6:14 PM\",Hi,OUTGOING,"
                            b"https://www.linkedin.com/in/me,https://www.linkedin.com/in/ada\n"),
        ("endorsement_received_info.csv", b"2018/01/09 02:14:37 UTC,Python,Ada,Lovelace,"
                                          b"https://www.linkedin.com/in/ada,ACCEPTED\n"),
        ("recommendations_given.csv", b"Ada,Lovelace,Acme,CEO,Great,\"01/08/18, 6:14 PM\","
                                      b"VISIBLE\n"),
    )],
    "csv": [bytes([0x80 | FORMATS.index(f)]) + row for f, row in (
        ("linkedin", b'Ann,Bee,https://www.linkedin.com/in/ann,ann@x.com,Acme,CEO,'
                     b'07 Dec 2025\n'),
        ("google", b"Ann Bee,Ann,Bee,* work,ann@x.com,Mobile,+1 555 0100,Acme,1980-02-03,"
                   b"hi\n"),
        ("outlook", b"Ann,,Bee,ann@x.com,+1 555 0100,Acme,CEO,2/3/1980,hi\n"),
        ("ties", b"ann@x.com,bob@x.com,3,friend,2020-01-01\n"),
    )],
}


def main() -> None:
    targets = {"vcard": vcard_target, "csv": csv_target, "ics": ics_target,
               "mbox": mbox_target, "archive": archive_target, "json": json_target}
    if len(sys.argv) < 2 or sys.argv[1] not in targets:
        sys.exit("usage: fuzz_importers.py vcard|csv|ics|mbox|archive|json [libFuzzer "
                 "options] [corpus dirs]")
    which = sys.argv.pop(1)
    target = targets[which]
    args = list(sys.argv)
    if not any(not a.startswith("-") for a in args[1:]):  # no corpus named: seed one
        import tempfile
        from pathlib import Path

        seeds = Path(tempfile.mkdtemp(prefix=f"kithbook-fuzz-{which}-"))
        for n, seed in enumerate(SEEDS[which]):
            (seeds / f"seed{n}").write_bytes(seed)
        args.append(str(seeds))
    atheris.Setup(args, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
