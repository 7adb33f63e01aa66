"""Capture readers: each kind of source read as a stream of `Batch`es, each batch
carrying the cursor to save with it, so a run that stops (a crash, a lost connection,
a time limit) resumes after the last batch written. Network sources live in
`imap_reader` and `caldav_reader`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from kithbook.domain.capture import Batch, Touch, judge_mail, judge_meeting
from kithbook.errors import ImportFailed
from kithbook.io import intake, mail
from kithbook.io.calendar_capture import Occurrence, read_calendar

BATCH = 500


@dataclass
class ReadContext:
    """What a reader needs to judge items: who I am, what never to capture, how much to
    keep, and the clock."""

    me: frozenset[str]
    never: list[str]
    privacy: str
    now: datetime
    tz: tzinfo
    since: datetime | None = None
    batch_size: int = BATCH
    extra: dict[str, object] = field(default_factory=dict)
    limits: intake.CaptureLimits = intake.CAPTURE

    @property
    def subject(self) -> bool:
        return self.privacy in ("subject", "snippet")

    @property
    def snippet(self) -> bool:
        return self.privacy == "snippet"


def mail_touch(raw: mail.RawMail, ctx: ReadContext, batch: Batch) -> None:
    """Judge one message and add it to the batch, or count why it was skipped."""
    batch.seen += 1
    refused = mail.screen(raw, ctx.limits, snippet=ctx.snippet)
    if refused is not None:
        batch.skip(refused)
        return
    try:
        m = mail.facts(raw, subject=ctx.subject, snippet=ctx.snippet)
    except Exception:  # the header parser on hostile bytes: skip, never stop the run
        batch.skip("unreadable message")
        return
    verdict = judge_mail(m, ctx.me, ctx.never)
    if not verdict.keep:
        batch.skip(verdict.reason)
        return
    if ctx.since is not None and m.when is not None and m.when < ctx.since:
        batch.skip("older than the source's start date")
        return
    assert m.when is not None and m.sender is not None
    key = m.message_id or mail.synthetic_key(raw, m)
    summary = m.subject
    if ctx.snippet and m.snippet:
        summary = f"{m.subject or ''} — {m.snippet}".strip(" —")
    batch.touches.append(Touch(
        origin="mail", key=key, thread=_thread(m, key), when=m.when,
        direction=verdict.direction, others=verdict.others, channel="email",
        initiator=m.sender.address, refs=m.refs, summary=summary, locator=raw.locator[:500],
    ))


def _thread(m: object, key: str) -> str:
    from kithbook.domain.capture import MailFacts, thread_key

    assert isinstance(m, MailFacts)
    return thread_key(m, key)


def _batches(items: Iterable[mail.RawMail], ctx: ReadContext,
             cursor_of: object) -> Iterator[Batch]:
    batch = Batch()
    last = None
    for raw in items:
        mail_touch(raw, ctx, batch)
        last = raw
        if batch.seen >= ctx.batch_size:
            batch.cursor = cursor_of(raw)  # type: ignore[operator]
            yield batch
            batch = Batch()
    if batch.seen and last is not None:
        batch.cursor = cursor_of(last)  # type: ignore[operator]
        yield batch


def read_mbox(path: Path, cursor: dict[str, object] | None, ctx: ReadContext
              ) -> Iterator[Batch]:
    if not path.is_file():
        raise ImportFailed(f"the mbox file {path} is not there.",
                           hint="Check the path, or remove this source.")
    start = mail.mbox_resume_offset(path, cursor)
    size = path.stat().st_size
    if start and start == size:
        return  # nothing appended since the last run
    items = mail.iter_mbox(path, start, want_body=ctx.snippet)
    yield from _batches(items, ctx, lambda raw: mail.mbox_fingerprint(path, int(raw.cursor)))


def read_maildir(root: Path, cursor: dict[str, object] | None, ctx: ReadContext
                 ) -> Iterator[Batch]:
    after = None
    found = cursor.get("after") if cursor else None
    if isinstance(found, list) and len(found) == 2:
        after = (int(found[0]), str(found[1]))
    files = mail.maildir_files(root, after)
    items = (mail.read_maildir_file(root, t, rel, p, want_body=ctx.snippet)
             for t, rel, p in files)
    yield from _batches(items, ctx, lambda raw: {"after": raw.cursor})


# -- calendars ----------------------------------------------------------------------------


def meeting_touch(occ: Occurrence, ctx: ReadContext, batch: Batch) -> None:
    batch.seen += 1
    verdict = judge_meeting(occ.status, occ.all_day, occ.organizer, occ.attendees, ctx.me,
                            ctx.never)
    parts = sorted(f"{p.address}:{ps}" for p, ps in occ.attendees)
    fp = hashlib.sha256("\x1f".join([
        occ.start.isoformat(), str(occ.minutes), occ.status, occ.summary or "", *parts,
        occ.organizer.address if occ.organizer else "",
    ]).encode()).hexdigest()
    if not verdict.keep:
        batch.skip(verdict.reason)
        # a meeting captured earlier and cancelled or declined since is taken back
        batch.touches.append(Touch(
            origin="calendar", key=occ.key, thread=occ.key, when=occ.start, direction="in",
            others=[], channel="meeting", locator=occ.locator[:500], fingerprint=fp,
            withdraw=True,
        ))
        return
    batch.touches.append(Touch(
        origin="calendar", key=occ.key, thread=occ.key, when=occ.start,
        direction=verdict.direction, others=verdict.others, channel="meeting",
        initiator=occ.organizer.address if occ.organizer else None, minutes=occ.minutes,
        summary=occ.summary, locator=occ.locator[:500], fingerprint=fp,
    ))


def calendar_batches(occurrences: list[Occurrence], ctx: ReadContext,
                     final_cursor: dict[str, object] | None, problems: list[str],
                     skipped: dict[str, int] | None = None) -> Iterator[Batch]:
    """Occurrences in batches; only the last batch carries the cursor (a calendar is
    read whole, so a run that stops halfway reads it again, deduplicated by keys).
    `skipped`: what was left unread before (a CalDAV object over the limits), counted
    in the first batch."""
    occurrences = sorted(occurrences, key=lambda o: o.start)
    batch = Batch(problems=list(problems), skipped=dict(skipped or {}))
    batch.seen = sum(batch.skipped.values())
    for occ in occurrences:
        meeting_touch(occ, ctx, batch)
        if batch.seen >= ctx.batch_size:
            yield batch
            batch = Batch()
    batch.cursor = final_cursor
    yield batch


def read_ics(path: Path, cursor: dict[str, object] | None, ctx: ReadContext
             ) -> Iterator[Batch]:
    if not path.is_file():
        raise ImportFailed(f"the calendar file {path} is not there.",
                           hint="Check the path, or remove this source.")
    limit = ctx.limits.calendar_bytes
    if path.stat().st_size > limit:  # before reading it
        raise ImportFailed(
            f"{path.name} is {intake.size(path.stat().st_size)}, more than the "
            f"{intake.size(limit)} a calendar file may be; nothing was written.",
            hint="Export a shorter date range, or raise max_capture_calendar_bytes in the "
                 "config file.")
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if cursor and cursor.get("sha256") == sha:
        pending = cursor.get("next_pending")
        if not pending or datetime.fromisoformat(str(pending)) > ctx.now:
            return  # unchanged, and nothing that was ahead has happened since
    read = read_calendar(data, now=ctx.now, since=ctx.since, tz=ctx.tz,
                         want_summary=ctx.subject, locator=path.name, limits=ctx.limits)
    final: dict[str, object] = {"sha256": sha,
             "next_pending": read.next_pending.isoformat() if read.next_pending else None}
    yield from calendar_batches(read.occurrences, ctx, final, read.problems)
