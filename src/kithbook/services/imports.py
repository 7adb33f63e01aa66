"""Importing contact files (LinkedIn, Google, Outlook, vCard) and ties CSV.

Every import is planned first: each row is matched to a person, against the database
and against earlier rows of the same file, by the first key that hits: Kithbook id (our
own exports), LinkedIn URL, email, E.164 phone, exact name + organization, then for a
LinkedIn connection its folded name + "Connected On" day when exactly one person has
both (services/import_plan.py, `Planner._connection`). Guards:
an email or phone match needs the two names to share a word (a shared mailbox or office
line is not one person; fax/main/company lines are never keys), and a name match never
joins two different LinkedIn profiles. A preview stops after planning and reports the
counts, what would be added, and every unreadable row. A real import writes the plan in
one transaction, journaled (see import_writer) so `kithbook undo` reverses it; it only
adds what is new and fills empty fields, so re-importing a file, or a newer export of
the same source, creates no duplicates. Every detail and role written carries
`source` = the import's id; the imports row says which file, when, with what outcome.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kithbook import ids
from kithbook.errors import ImportFailed
from kithbook.io import intake, sources
from kithbook.io.linkedin_archive import ArchiveTouch
from kithbook.io.records import ImportedContact, ImportedTie, RowError
from kithbook.services.import_archive import TouchPlan, plan_touches, write_touches
from kithbook.services.import_plan import CONTACT_KINDS, Planner, plan_contacts
from kithbook.services.import_report import ImportReport
from kithbook.services.import_writer import write_plan
from kithbook.store import import_queries as q
from kithbook.store import schema as s

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services
    from kithbook.store.journal import Journal

MAX_ROWS = 1_000_000


def user_zone(svc: Services) -> tzinfo:
    """The configured time zone (`timezone` in the config file, KITHBOOK_TIMEZONE), in
    which a time a file writes without a zone is read: LinkedIn's 2018 export wrote the
    exporting user's wall clock (io/linkedin_archive.py, parse_datetime). UTC when the
    name is unknown to this machine's zone database."""
    try:
        return ZoneInfo(svc.config.timezone or "UTC")
    except (ValueError, ZoneInfoNotFoundError):
        return UTC


def _read(svc: Services, data: bytes, filename: str, fmt: str | None,
          region: str | None, detected: bool = False, text: str | None = None,
          archive: intake.ZipArchive | None = None
          ) -> tuple[str, list[ImportedContact], list[RowError]]:
    region = (region or svc.config.region or "US").upper()
    fmt, items = sources.read_all(data, filename, fmt, region,
                                  limits=intake.Limits.from_config(svc.config),
                                  detected=detected, text=text, archive=archive,
                                  zone=user_zone(svc))
    if fmt not in sources.CONTACT_FORMATS:
        raise ImportFailed(f"{filename} is a {fmt} file, not a contacts file.")
    contacts = [i for i in items if isinstance(i, ImportedContact)]
    errors = [i for i in items if isinstance(i, RowError)]
    for c in contacts:
        if c.unreadable:
            kept = "; ".join(f"{col}: {raw!r}" for col, raw in c.unreadable)
            extra = f"Kept as given by the {fmt} import (could not be read): {kept}"
            c.note = f"{c.note}\n\n{extra}" if c.note else extra
    if len(contacts) > MAX_ROWS:
        raise ImportFailed(f"{filename} has {len(contacts)} contacts, over {MAX_ROWS}.")
    return fmt, contacts, errors


@contextmanager
def _no_gc() -> Iterator[None]:
    """Large imports allocate hundreds of thousands of small containers; the cyclic
    collector would rescan them all many times over (a third of the run time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def import_bytes(svc: Services, data: bytes, *, filename: str, dry_run: bool,
                 fmt: str | None = None, region: str | None = None,
                 with_content: bool = False, format_detected: bool = False,
                 decoded: str | None = None, **_: Any) -> ImportReport:
    """`with_content`: a LinkedIn archive's messages keep their words, not only their
    subject (services/import_archive.py). `format_detected`: `fmt` was detected from
    `data` (services/transfer.py), so it is not detected again; `decoded`: the whole of
    `data` as text when detection decoded it, so it is not decoded again."""
    with _no_gc():
        return _import(svc, data, filename, dry_run, fmt or _.get("format"), region,
                       with_content, format_detected, decoded)


def _import(svc: Services, data: bytes, filename: str, dry_run: bool, fmt: str | None,
            region: str | None, with_content: bool = False,
            format_detected: bool = False, decoded: str | None = None) -> ImportReport:
    touches: list[ArchiveTouch] = []
    owner = None
    if data.startswith(b"PK\x03\x04") and fmt in (None, "linkedin"):
        # a LinkedIn archive: opened once, for Connections.csv, the touches and the owner
        limits = intake.Limits.from_config(svc.config)
        intake.check_size(data, filename or "the file", limits)
        with intake.ZipArchive(data, filename or "the file", limits) as archive:
            fmt, contacts, errors = _read(svc, data, filename, fmt, region,
                                          format_detected, decoded, archive)
            touches, more, _found = sources.archive_touches(archive, filename,
                                                            zone=user_zone(svc))
            owner = sources.archive_owner(archive) if touches else None
        errors += more
    else:
        fmt, contacts, errors = _read(svc, data, filename, fmt, region, format_detected,
                                      decoded)
    report = ImportReport(id="", name=filename, format=fmt, dry_run=dry_run,
                          errors=[{"line": e.line, "reason": e.reason} for e in errors],
                          warnings=[{"line": c.line, "reason": f"{col} {raw[:60]!r} could not be "
                                     "read; kept as given on the person"}
                                    for c in contacts for col, raw in c.unreadable])
    contacts, report.skipped = _without_erased(svc, contacts)
    if dry_run:
        with svc.db.read() as conn:
            planner = plan_contacts(conn, contacts, fmt)
            _count(report, planner)
            if touches:
                report.details.update(plan_touches(
                    conn, planner, touches, with_content=with_content, owner=owner).details())
        return report
    with svc.db.write(f"import {fmt}", actor=svc.actor, now=svc.now) as j:
        planner = plan_contacts(j.conn, contacts, fmt)
        _count(report, planner)
        tplan = plan_touches(j.conn, planner, touches, with_content=with_content,
                             owner=owner) \
            if touches else None
        if tplan is not None:
            report.details.update(tplan.details())
        report.id = j.batch_id
        _write(j, planner, fmt, filename, hashlib.sha256(data).hexdigest(), report, tplan)
    report.next_steps = next_steps(fmt, report)
    return report


def next_steps(fmt: str, report: ImportReport) -> list[dict[str, str]]:
    """What to do after an import, in the product's words (front ends add the how)."""
    if not (report.created or report.updated):
        return []
    steps = [{"step": "today", "text": "Open today's agenda: its first-day triage suggests "
              "your A-list, needs found in notes, introducers to record and birthdays."},
             {"step": "tier", "text": "Rank the people who matter most as tier A: they are "
              "due for a first contact now."}]
    if fmt == "linkedin":
        steps.append({"step": "import", "text": "Import your own address book too (Google or "
                      "Outlook CSV, vCard): those are people you know, stronger ties."})
    else:
        steps.append({"step": "import", "text": "Import your LinkedIn export too (the zip "
                      "brings your messages as interactions)."})
    steps.append({"step": "path", "text": "Find a warm introduction to someone through the "
                  "people you just imported."})
    return steps


def _without_erased(svc: Services, contacts: list[ImportedContact]
                    ) -> tuple[list[ImportedContact], int]:
    """Cards from our own older exports carry the public id: people erased since are
    not brought back (docs/personal-data.md)."""
    from kithbook.store.erasure_register import erased_before

    uids = [c.uid for c in contacts if c.uid]
    if not uids:
        return contacts, 0
    with svc.db.read() as conn:
        gone = erased_before(conn, uids)
    if not gone:
        return contacts, 0
    return [c for c in contacts if c.uid not in gone], sum(1 for c in contacts
                                                           if c.uid in gone)


def _count(report: ImportReport, planner: Planner) -> None:
    o = dict(planner.outcomes)
    for plan in planner.plans:
        if plan.key is not None:
            if plan.changes():
                o["updated"] += 1
            else:
                o["skipped"] += 1
    report.created, report.updated = o["created"], o["updated"]
    report.merged, report.skipped = o["merged"], report.skipped + o["skipped"]
    plans = planner.plans
    orgs = {folded for p in plans for folded, *_ in p.roles}
    details: dict[str, dict[str, int]] = {
        "people": {"created": o["created"], "updated": o["updated"],
                   "merged": o["merged"], "skipped": o["skipped"],
                   # LinkedIn connections found by name and "Connected On" day alone
                   # (an export without profile URLs; company or position changed)
                   "recognised_by_name_and_connected_on": planner.by_connection},
        "orgs": {"created": len(orgs - set(q.org_keys(planner.conn, orgs)))},
    }
    for kind in CONTACT_KINDS:
        details[kind + ("es" if kind == "address" else "s")] = {
            "added": sum(len(p.contacts[kind]) for p in plans)}
    details["roles"] = {"added": sum(len(p.roles) for p in plans)}
    details["tags"] = {"added": sum(len(p.tags) for p in plans)}
    details["notes"] = {"added": sum(len(p.notes) for p in plans)}
    report.details = details


def _write(j: Journal, planner: Planner, fmt: str, filename: str, sha: str,
           report: ImportReport, touches: TouchPlan | None = None) -> None:
    from kithbook.store import people as st_people

    imp_id = ids.new_id("import")
    write_plan(j, planner, source=imp_id, fmt=fmt)
    if touches is not None and touches.touches:
        me = st_people.me_key(j.conn)
        assert me is not None  # write_plan ties everyone imported to me
        moved = write_touches(j, touches, me=me, source=imp_id)
        report.details["interactions"]["people_touched"] = moved
    j.insert(s.imports, {
        "public_id": imp_id, "filename": filename[:500], "sha256": sha, "format": fmt,
        "imported_at": j.now, "batch_id": j.batch_id,
        "stats": {"created": report.created, "updated": report.updated,
                  "merged": report.merged, "skipped": report.skipped,
                  "unreadable": len(report.errors)},
    })


# -- ties CSV ---------------------------------------------------------------------------

def import_ties(svc: Services, data: bytes, *, filename: str, dry_run: bool,
                format_detected: bool = False, decoded: str | None = None,
                **_: Any) -> ImportReport:
    _fmt, items = sources.read_all(data, filename, "ties",
                                   limits=intake.Limits.from_config(svc.config),
                                   detected=format_detected, text=decoded)
    report = ImportReport(id="", name=filename, format="ties", dry_run=dry_run)
    ties = [t for t in items if isinstance(t, ImportedTie)]
    report.errors = [{"line": e.line, "reason": e.reason} for e in items
                     if isinstance(e, RowError)]
    if dry_run:
        with svc.db.read() as conn:
            _plan_ties(svc, conn, ties, report, None, filename)
        return report
    with svc.db.write("import ties", actor=svc.actor, now=svc.now) as j:
        _plan_ties(svc, j.conn, ties, report, j, filename)
        report.id = j.batch_id
        j.insert(s.imports, {
            "public_id": ids.new_id("import"), "filename": filename[:500],
            "sha256": hashlib.sha256(data).hexdigest(), "format": "ties",
            "imported_at": j.now, "batch_id": j.batch_id,
            "stats": {"created": report.created, "updated": report.updated},
        })
    return report


def _pair_order(row: dict[str, Any]) -> tuple[int, int]:
    return row["a_id"], row["b_id"]


def _plan_ties(svc: Services, conn: Connection, ties: list[ImportedTie], report: ImportReport,
               j: Journal | None, filename: str) -> None:
    """Resolve both sides of every tie (one batch through the resolver), count, and
    write them when `j` is given: in a few statements, each tie journaled, so one undo
    reverses the import exactly (a tie at a time ran at ~1,500 ties a second)."""
    from kithbook.store.ties import tie_rows, upsert_ties

    found = svc.resolve.people_batch(conn, [r for t in ties for r in (t.person_a, t.person_b)])
    plan: dict[tuple[int, int, str], ImportedTie] = {}
    for t in ties:
        a, b = found.get(t.person_a), found.get(t.person_b)
        bad = [(ref, k) for ref, k in ((t.person_a, a), (t.person_b, b))
               if not isinstance(k, int)]
        if bad:
            report.errors.append({"line": t.line, "reason": str(bad[0][1])})
            continue
        assert isinstance(a, int) and isinstance(b, int)
        if a == b:
            report.errors.append({"line": t.line, "reason": "both sides are one person"})
            continue
        pair = (min(a, b), max(a, b), t.kind)
        report.merged += pair in plan
        plan[pair] = t
    existing = tie_rows(conn, plan)
    source = f"ties:{filename}"[:200]
    new: list[dict[str, Any]] = []
    changed: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    for (a, b, kind), t in plan.items():
        row = existing.get((a, b, kind))
        if row is None:
            new.append({"a_id": a, "b_id": b, "kind": kind, "strength": t.strength,
                        "since": None, "note": None, "source": source,
                        "created_at": svc.now})
        elif row.strength == t.strength and row.deleted_at is None:
            report.skipped += 1
        else:
            changed.append((row.id, {"strength": row.strength, "deleted_at": row.deleted_at},
                            {"strength": t.strength, "deleted_at": None}))
    report.created += len(new)
    report.updated += len(changed)
    if j is not None:
        # in key order: the pair index and the people's tie indexes then grow at their
        # ends instead of taking each row at a random page
        new.sort(key=_pair_order)
        for tie, public_id in zip(new, ids.new_ids("tie", len(new)), strict=True):
            tie["public_id"] = public_id
        upsert_ties(j, new, changed)
