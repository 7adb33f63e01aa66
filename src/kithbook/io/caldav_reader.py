"""CalDAV, read-only (RFC 4791), through the `caldav` client library (an optional
extra: `pip install 'kithbook[caldav]'`). Incremental by sync token (RFC 6578
sync-collection); a server without it is read whole and each object is skipped when its
ETag has not changed. Events whose next occurrence lay in the future at the last run
are read again once it has passed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kithbook.domain.capture import Batch, Touch
from kithbook.errors import ImportFailed
from kithbook.io.calendar_capture import CalendarRead, read_calendar
from kithbook.io.capture_readers import ReadContext, calendar_batches
from kithbook.io.imap_reader import TIMEOUT, ConnectionLost

MAX_OBJECT_BYTES = 5 * 1024 * 1024


@dataclass
class CaldavSettings:
    url: str
    user: str | None
    ca_file: str | None = None
    timeout: float = TIMEOUT


def _calendar(settings: CaldavSettings, password: str | None) -> Any:
    try:
        import caldav
    except ImportError as exc:
        raise ImportFailed("CalDAV capture needs the caldav library.",
                           hint="Install it with: pip install 'kithbook[caldav]'") from exc
    if not settings.url.lower().startswith("https://") and not settings.url.lower().startswith(
            ("http://127.", "http://localhost", "http://[::1]")):
        raise ImportFailed("a CalDAV calendar is read over https only.",
                           hint="Use the https:// address of the calendar.")
    client = caldav.DAVClient(url=settings.url, username=settings.user, password=password,
                              ssl_verify_cert=settings.ca_file or True,
                              timeout=int(settings.timeout))
    return caldav.Calendar(client=client, url=settings.url)


def read_caldav(settings: CaldavSettings, password: str | None, cursor: dict[str, Any] | None,
                ctx: ReadContext, keys_at: Callable[[str], list[str]]) -> Iterator[Batch]:
    """Batches of changed occurrences. `keys_at(href)` names what was captured from an
    object, so an object deleted on the server takes its meetings back."""
    cursor = dict(cursor or {})
    pending: dict[str, str] = dict(cursor.get("pending") or {})
    etags: dict[str, str] | None = cursor.get("etags")
    try:
        cal = _calendar(settings, password)
        changed, deleted, token, etags = _changes(cal, cursor.get("sync_token"), etags)
        due = [h for h, when in pending.items()
               if datetime.fromisoformat(when) <= ctx.now and h not in changed]
        for href in due:
            try:
                obj = cal.event_by_url(href)
                obj.load()
                changed[href] = str(obj.data or "")
            except Exception:  # gone since: its meetings are taken back below
                deleted.add(href)
    except ImportFailed:
        raise
    except Exception as exc:  # the HTTP and DAV layers raise many kinds
        raise ConnectionLost(
            f"the CalDAV server did not answer properly ({type(exc).__name__}: {exc}).",
            hint="What was read before is kept; the next run tries again.",
        ) from exc
    occurrences = []
    problems: list[str] = []
    skipped: dict[str, int] = {}
    for href, data in changed.items():
        pending.pop(href, None)
        if len(data) > MAX_OBJECT_BYTES:
            problems.append(f"{href}: larger than {MAX_OBJECT_BYTES // 1024 // 1024} MB, skipped")
            skipped["calendar object over the limits"] = skipped.get(
                "calendar object over the limits", 0) + 1
            continue
        try:
            read: CalendarRead = read_calendar(data.encode(), now=ctx.now, since=ctx.since,
                                               tz=ctx.tz, want_summary=ctx.subject,
                                               locator=href, limits=ctx.limits)
        except ImportFailed as exc:
            problems.append(f"{href}: {exc.message}")
            reason = ("unreadable calendar object" if "not a readable" in exc.message
                      else "calendar object over the limits")
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        occurrences += read.occurrences
        problems += read.problems
        if read.next_pending is not None:
            pending[href] = read.next_pending.isoformat()
    final: dict[str, Any] = {"sync_token": token, "pending": pending}
    if etags is not None:
        final["etags"] = etags
    batches = list(calendar_batches(occurrences, ctx, final, problems, skipped))
    withdraw = Batch()
    for href in sorted(deleted):
        pending.pop(href, None)
        for key in keys_at(href):
            withdraw.touches.append(Touch(origin="calendar", key=key, thread=key,
                                          when=ctx.now, direction="in", others=[],
                                          channel="meeting", locator=href, withdraw=True))
    if withdraw.touches:
        batches.insert(0, withdraw)
    yield from batches


def _changes(cal: Any, token: str | None, etags: dict[str, str] | None
             ) -> tuple[dict[str, str], set[str], str | None, dict[str, str] | None]:
    """(changed href -> data, deleted hrefs, new sync token, etags when polling)."""
    if etags is None:
        try:
            coll = cal.objects_by_sync_token(sync_token=token, load_objects=True)
            changed: dict[str, str] = {}
            deleted: set[str] = set()
            for obj in coll:
                href = str(obj.url.path)
                if obj.data:
                    changed[href] = str(obj.data)
                elif token:
                    deleted.add(href)
            return changed, deleted, str(coll.sync_token) if coll.sync_token else None, None
        except Exception as exc:  # no sync-collection here: poll by ETag from now on
            if "sync" not in str(exc).lower() and "report" not in str(exc).lower() and \
                    "403" not in str(exc) and "501" not in str(exc):
                raise
            etags = {}
    new_etags: dict[str, str] = {}
    changed = {}
    for obj in cal.events():
        href = str(obj.url.path)
        data = str(obj.data or "")
        import hashlib

        tag = str(getattr(obj, "props", {}).get("{DAV:}getetag") or
                  hashlib.sha256(data.encode()).hexdigest())
        new_etags[href] = tag
        if etags.get(href) != tag:
            changed[href] = data
    deleted = set(etags) - set(new_etags)
    return changed, deleted, None, new_etags
