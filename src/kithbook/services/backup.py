"""The JSON backup: export everything, import it back (preview first, one transaction)."""

from __future__ import annotations

import io
from collections import Counter
from typing import IO, TYPE_CHECKING, Any

from kithbook.errors import Conflict, ImportFailed
from kithbook.io import json_backup
from kithbook.services.import_report import ImportReport
from kithbook.store import dump as st_dump
from kithbook.store import people as st_people
from kithbook.store import search as st_search

if TYPE_CHECKING:
    from kithbook.services.app import Services


class _DryRun(Exception):
    """Raised inside the transaction to roll a preview back."""


def export_bytes(svc: Services, *, tag: str | None = None) -> bytes:
    out = io.BytesIO()
    export_to(svc, out)
    return out.getvalue()


def export_to(svc: Services, out: IO[bytes]) -> None:
    """The backup written to `out` as it is read, a row at a time (one read transaction,
    so it is one consistent moment of the database)."""
    from kithbook.store.db import SCHEMA_HEAD  # Alembic would parse every migration

    with svc.db.read() as conn:
        json_backup.write(out, st_dump.dump_tables(conn), exported_at=svc.now,
                          schema=SCHEMA_HEAD)


def import_bytes(
    svc: Services, data: bytes, *, filename: str, dry_run: bool, **_: Any
) -> ImportReport:
    from kithbook.io.intake import Limits

    doc = json_backup.decode(data, filename=filename, limits=Limits.from_config(svc.config))
    st_dump.validate(doc["tables"], filename=filename)  # before anything is written
    report = ImportReport(id="", name=filename, format="json", dry_run=dry_run)
    counts: dict[str, Counter[str]] = {}
    try:
        with svc.db.write("import json", actor=svc.actor, now=svc.now) as j:
            report.id = j.batch_id
            empty = st_people.count_people(j.conn) == 0
            keep_me = st_people.me_key(j.conn) is not None
            for table, outcome in st_dump.load(j, doc["tables"], keep_me=keep_me):
                counts.setdefault(table, Counter())[outcome] += 1
            erased_again = _forget_erased(j)
            if erased_again:
                people = counts.setdefault("people", Counter())
                people["created"] -= erased_again
                people["skipped"] += erased_again
            if dry_run:
                raise _DryRun
            if empty:
                st_search.rebuild_all(j.conn)
            else:
                _reindex_batch(j)
    except _DryRun:
        pass
    except Conflict as exc:  # a rule only the database knows (a CHECK): name it
        cause = exc.__cause__
        detail = str(getattr(cause, "orig", None) or cause or exc.message)[:200]
        raise ImportFailed(f"{filename} is not a valid Kithbook backup: a row breaks a rule "
                           f"of the database ({detail}); nothing was written.") from exc
    else:
        if any(c.get("skipped") for c in counts.values()) and svc.db.dialect == "sqlite":
            from kithbook.store.erase import purge_leftovers

            purge_leftovers(svc.db.engine)
    report.details = {t: dict(c) for t, c in counts.items()}
    report.created = sum(c["created"] for c in counts.values())
    report.skipped = sum(c["skipped"] for c in counts.values())
    if dry_run:
        report.id = ""
    return report


def _forget_erased(j: Any) -> int:
    """People an earlier erasure removed come back from an older backup: erase them
    again inside the same transaction, journal entries included."""
    from kithbook.store import erase as st_erase
    from kithbook.store import erasure_register as st_register

    keys = st_register.registered_keys(j.conn)
    if not keys:
        return 0
    family: set[int] = set()
    for key in keys:
        family |= set(st_erase.merge_family(j.conn, key))
    me = st_people.me_key(j.conn)
    family.discard(me if me is not None else -1)
    scope = st_erase.plan(j.conn, sorted(family), me)
    st_erase.apply(j.conn, scope, j.now, f"erase-{j.batch_id}"[:32], new_register_entry=False)
    return len(family)


def _reindex_batch(j: Any) -> None:
    from kithbook.store.history import touched_subjects

    st_search.reindex_many(j.conn, touched_subjects(j.conn, j.batch_id))


class BackupService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def export_bytes(self) -> bytes:
        return export_bytes(self.svc)

    def import_bytes(self, data: bytes, *, filename: str, dry_run: bool) -> ImportReport:
        return import_bytes(self.svc, data, filename=filename, dry_run=dry_run)
