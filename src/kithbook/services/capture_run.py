"""One capture run of one source: read in batches, write each batch with the cursor
after it in one transaction, all under one journal batch id (one `undo`). A crash, a
lost connection or a time limit leaves whole batches only; the next run starts after
the last one written and its message keys keep anything from counting twice."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from kithbook import ids
from kithbook.domain.capture import Batch
from kithbook.errors import Conflict, ImportFailed, KithbookError
from kithbook.io.capture_readers import ReadContext, read_ics, read_maildir, read_mbox
from kithbook.io.imap_reader import TIMEOUT
from kithbook.io.intake import CaptureLimits
from kithbook.services.capture import PasswordPrompt, RunReport, run_report, utc_start
from kithbook.services.capture_writer import BatchWriter, PersonIndex, RunStats
from kithbook.store import capture as st
from kithbook.store.capture_schema import capture_sources

if TYPE_CHECKING:
    from kithbook.services.app import Services


def _tz(svc: Services) -> tzinfo:
    try:
        return ZoneInfo(svc.config.timezone or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _password(row: dict[str, Any], prompt: PasswordPrompt | None) -> str:
    from kithbook.io import secrets

    found = secrets.get_password(row["public_id"])
    if found is None and prompt is not None:
        found = prompt(f"Password for {row['settings'].get('user')} ({row['name']})")
    if not found:
        raise ImportFailed(
            f"no password for the source '{row['name']}' in the OS keyring.",
            hint="Store it with the source's edit command (it goes to the keyring), or run "
                 "interactively to be asked.",
        )
    return found


def _reader(svc: Services, row: dict[str, Any], ctx: ReadContext,
            prompt: PasswordPrompt | None) -> Iterator[Batch]:
    kind, loc, cur = row["kind"], row["location"], row["cursor"]
    settings = row["settings"] or {}
    if kind == "mbox":
        return read_mbox(Path(loc), cur, ctx)
    if kind == "maildir":
        return read_maildir(Path(loc), cur, ctx)
    if kind == "ics":
        return read_ics(Path(loc), cur, ctx)
    if kind == "imap":
        from kithbook.io.imap_reader import ImapSettings, read_imap

        imap = ImapSettings(host=loc, user=settings["user"], port=int(settings.get("port") or (
            143 if settings.get("starttls") else 993)), starttls=bool(settings.get("starttls")),
            folders=list(settings.get("folders") or ["INBOX"]), ca_file=settings.get("ca_file"),
            timeout=float(settings.get("timeout") or TIMEOUT))
        return read_imap(imap, _password(row, prompt), cur, ctx)
    from kithbook.io.caldav_reader import CaldavSettings, read_caldav

    cal = CaldavSettings(url=loc, user=settings.get("user"), ca_file=settings.get("ca_file"),
                         timeout=float(settings.get("timeout") or TIMEOUT))
    password = _password(row, prompt) if settings.get("user") else None

    def keys_at(href: str) -> list[str]:
        with svc.db.read() as conn:
            return st.item_keys_at(conn, "calendar", href)

    return read_caldav(cal, password, cur, ctx, keys_at)


def run_source(svc: Services, row: dict[str, Any], *, deadline: float | None,
               max_items: int | None, prompt: PasswordPrompt | None) -> RunReport:
    """Run one source, refused while another process runs the same one (two runs would
    read the same messages from the same cursor and race to write them)."""
    from kithbook.store.run_lock import source_lock

    with source_lock(svc.db, int(row["id"])) as free:
        if not free:
            raise Conflict(f"capture of '{row['name']}' is already running in another "
                           "process.", hint="Wait for it to finish: the next run goes on "
                           "from where it stops.")
        return _run_source(svc, row, deadline=deadline, max_items=max_items, prompt=prompt)


def _run_source(svc: Services, row: dict[str, Any], *, deadline: float | None,
                max_items: int | None, prompt: PasswordPrompt | None) -> RunReport:
    now = svc.now
    batch_id = ids.new_id("batch")
    run_pid = ids.new_id("capture_run")
    settings = row["settings"] or {}
    with svc.db.write("capture run", record=False, now=now) as j:
        run_key = st.start_run(j.conn, public_id=run_pid, source_key=row["id"],
                               batch_id=batch_id, now=now)
    with svc.db.read() as conn:
        people = PersonIndex(st.person_email_index(conn), settings.get("me") or [])
    ctx = ReadContext(me=people.me, never=list(settings.get("never") or []),
                      privacy=settings.get("privacy", "metadata"), now=now, tz=_tz(svc),
                      since=utc_start(settings.get("since")),
                      limits=CaptureLimits.from_config(svc.config))
    stats = RunStats()
    status, message = "done", None
    action = f"capture {row['name']}"[:40]
    writer: BatchWriter | None = None
    try:
        for batch in _reader(svc, row, ctx, prompt):
            with svc.db.write(action, actor=svc.actor, now=now, batch_id=batch_id) as j:
                if writer is None:
                    me_key = svc.people.ensure_me(j)
                    writer = BatchWriter(source_key=row["id"], source_pid=row["public_id"],
                                         run_key=run_key, me_key=me_key, people=people,
                                         stats=stats)
                writer.write(j, batch)
                if batch.cursor is not None:
                    j.update(capture_sources, row["id"], {"cursor": batch.cursor})
                st.save_run(j.conn, run_key, stats=stats.to_json())
            if deadline is not None and time.monotonic() >= deadline:
                status, message = "partial", "stopped at the time limit; the next run goes on"
                break
            if max_items is not None and stats.seen >= max_items:
                status, message = "partial", "stopped at the item limit; the next run goes on"
                break
    except KithbookError as exc:
        status = "partial" if stats.seen else "failed"
        message = str(exc)
    except MemoryError:
        status, message = "failed", "out of memory; what was written before is kept"
    with svc.db.write("capture run", record=False, now=now) as j:
        st.save_run(j.conn, run_key, stats=stats.to_json(), status=status,
                    finished_at=svc.now if svc.config.as_of is None else now, message=message)
        found = st.runs(j.conn, source_key=row["id"], limit=1)
    return run_report(found[0])
