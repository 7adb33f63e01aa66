"""Personal-data requests: erasure that erases, and subject access (docs/personal-data.md).

`erase` removes a person and every duplicate merged with them from the database, the
change journal (so no undo brings them back), the search index, the graph cache and
the web's upload previews; it cannot be undone, and it names the backups and exports
on disk that were written before it and still hold the person. The erasure register
(keyed hashes of the erased public ids, no personal data) makes a restored older copy
forget them again. `subject_access` gives everything held about one person.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kithbook.domain.models import PersonRef, Record
from kithbook.errors import Ambiguous, InvalidInput, NotFound
from kithbook.io.atomic import write_bytes
from kithbook.services.places import places
from kithbook.store import erase as st
from kithbook.store import erase_report as st_report
from kithbook.store import erasure_register as st_register
from kithbook.store import people as st_people
from kithbook.store import written_files as st_files

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kithbook.services.app import Services


@dataclass
class OlderCopy(Record):
    """A file written before the erasure that may still hold the person."""

    id: str  # its path
    name: str  # its file name
    kind: str  # backup, auto-backup, pre-migration backup, export
    written_at: datetime | None = None


@dataclass
class ErasureResult(Record):
    id: str  # the tombstone's batch id in the history (not undoable)
    name: str
    erased: list[PersonRef] = field(default_factory=list)  # the person and merged duplicates
    removed: dict[str, int] = field(default_factory=dict)  # rows per table
    redacted: dict[str, int] = field(default_factory=dict)  # rows elsewhere naming them
    journal_entries_removed: int = 0
    journal_entries_redacted: int = 0
    previews_discarded: int = 0
    graph_cache_cleared: bool = False
    older_copies: list[OlderCopy] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class Mention(Record):
    id: str  # the public id (or key) of the row that names them
    name: str  # table.column
    text: str


@dataclass
class SubjectAccess(Record):
    """Everything held about one person (a subject access request), as JSON."""

    id: str
    name: str
    generated_at: datetime
    merged_records: list[PersonRef] = field(default_factory=list)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    shared_interactions: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    journal_entries: int = 0


class PrivacyService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    # -- finding the person ------------------------------------------------------------

    def _key(self, conn: Connection, target: str) -> int:
        """A live person through the usual resolver; else one in the trash."""
        try:
            return self.svc.resolve.person_key(conn, target)
        except NotFound:
            found = st.keys_including_trash(conn, target)
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise Ambiguous(f"'{target}' matches {len(found)} people, some in the trash.",
                                st_people.describe(conn, found)) from None
            raise

    def _family(self, conn: Connection, target: str) -> tuple[int, list[int], int | None]:
        key = self._key(conn, target)
        family = st.merge_family(conn, key)
        me = st_people.me_key(conn)
        if me is not None and me in family:
            raise InvalidInput("you cannot erase yourself.", field="person")
        return key, family, me

    # -- erasure -------------------------------------------------------------------------

    def erase(self, target: str, *, dry_run: bool = False) -> ErasureResult:
        """Erase a person for good (see the module docstring). With dry_run, only say
        what would go."""
        svc = self.svc
        if dry_run:
            with svc.db.read() as conn:
                key, family, me = self._family(conn, target)
                scope = st.plan(conn, family, me)
                refs = st_people.refs_by_keys(conn, family)
            ref = refs[key]
            return ErasureResult(
                id="", name=ref.name, erased=[refs[k] for k in family], dry_run=True,
                removed={t: len(rows) for t, rows in scope.rows.items() if rows},
                older_copies=self._older_copies())
        with svc.db.write("erase person", actor=svc.actor, record=False, now=svc.now) as j:
            key, family, me = self._family(j.conn, target)
            refs = st_people.refs_by_keys(j.conn, family)
            scope = st.plan(j.conn, family, me)
            batch = f"erase-{refs[key].id}"
            outcome = st.apply(j.conn, scope, j.now, batch)
            entries = st_register.register_entries(j.conn)
        st.purge_leftovers(svc.db.engine)
        self._write_register_copy(entries)
        return ErasureResult(
            id=batch, name=refs[key].name, erased=[refs[k] for k in family],
            removed=outcome["removed"], redacted=outcome["redacted"],
            journal_entries_removed=outcome["journal_dropped"],
            journal_entries_redacted=outcome["journal_rewritten"],
            previews_discarded=self._discard_previews(),
            graph_cache_cleared=self._clear_graph_cache(),
            older_copies=self._older_copies())

    def _discard_previews(self) -> int:
        """Uploaded files waiting for confirmation may hold the person: all go (the user
        uploads again). Folders of older Kithbook servers in the temporary folder too."""
        folders = [places(self.svc.config).previews]
        folders += Path(tempfile.gettempdir()).glob("kithbook-imports-*")
        count = 0
        for folder in folders:
            if not folder.is_dir():
                continue
            for item in folder.iterdir():
                with contextlib.suppress(OSError):
                    if item.is_dir():
                        shutil.rmtree(item)
                    else:
                        item.unlink()
                    count += 1
        return count

    def _clear_graph_cache(self) -> bool:
        cache = places(self.svc.config).graph_cache
        if cache.exists():
            shutil.rmtree(cache, ignore_errors=True)
            return True
        return False

    def _older_copies(self) -> list[OlderCopy]:
        """Backups and exports on disk, all written before the erasure: they hold the person
        until they expire or are deleted (docs/personal-data.md)."""
        found: dict[str, OlderCopy] = {}
        with self.svc.db.read() as conn:
            written = st_files.all_files(conn)
        for f in written:
            p = Path(f.path)
            if p.exists():  # written before this erasure, by definition
                found[str(p)] = OlderCopy(id=str(p), name=p.name, kind=f.kind,
                                          written_at=f.written_at)
        where = places(self.svc.config)
        candidates: list[tuple[Path, str]] = []
        if where.backups.is_dir():
            candidates += [(p, "auto-backup") for p in where.backups.iterdir() if p.is_file()]
        if where.db_path is not None:
            candidates += [(p, "pre-migration backup")
                           for p in where.db_path.parent.glob(where.db_path.name + ".pre-*.bak")]
        for p, kind in candidates:
            found.setdefault(str(p), OlderCopy(id=str(p), name=p.name, kind=kind))
        return sorted(found.values(), key=lambda c: c.id)

    # -- the register, outside the database -----------------------------------------------

    def _write_register_copy(self, entries: list[st_register.RegisterEntry]) -> None:
        path = places(self.svc.config).register_copy
        doc = {"format": "kithbook-erasures", "version": 1, "erasures": [
            {"at": e.erased_at.isoformat(), "salt": e.salt, "ids": list(e.hashes)}
            for e in entries]}
        with contextlib.suppress(OSError):  # the database's own register still holds it
            # a PostgreSQL database keeps its copy in the user data folder, which a new
            # machine does not have yet
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, json.dumps(doc, indent=1).encode())

    def _read_register_copy(self) -> list[st_register.RegisterEntry]:
        path = places(self.svc.config).register_copy
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            return [st_register.RegisterEntry(datetime.fromisoformat(e["at"]), str(e["salt"]),
                                     tuple(str(h) for h in e["ids"]))
                    for e in doc.get("erasures", [])]
        except (OSError, ValueError, KeyError, TypeError):
            return []

    def check_register(self) -> int:
        """Cheap check at start-up: if the copy beside the database knows erasures the
        database does not (an older file was copied back), re-apply them."""
        path = places(self.svc.config).register_copy
        if not path.exists():
            return 0
        outside = self._read_register_copy()
        with self.svc.db.read() as conn:
            inside = st_register.count_register(conn)
        if len(outside) <= inside:
            return 0
        return self.reapply(outside)

    def reapply(self, extra: list[st_register.RegisterEntry] | None = None) -> int:
        """Erase again, in this database, everyone an erasure in the register (or in
        `extra`, the register of the database this one replaces) removed. Returns how
        many records were erased again."""
        svc = self.svc
        extra = list(extra or []) + self._read_register_copy()
        with svc.db.write("erase person", actor=svc.actor, record=False, now=svc.now) as j:
            st_register.add_register_entries(j.conn, extra)
            keys = st_register.registered_keys(j.conn)
            me = st_people.me_key(j.conn)
            families: set[int] = set()
            for key in keys:
                families |= set(st.merge_family(j.conn, key))
            families.discard(me if me is not None else -1)
            if families:
                refs = st_people.refs_by_keys(j.conn, sorted(families))
                scope = st.plan(j.conn, sorted(families), me)
                scope_entries = st_register.register_entries(j.conn)
                st.apply(j.conn, scope, j.now, f"erase-{refs[sorted(families)[0]].id}",
                         new_register_entry=False)
            else:
                scope_entries = st_register.register_entries(j.conn)
        if families:
            st.purge_leftovers(svc.db.engine)
            self._clear_graph_cache()
        self._write_register_copy(scope_entries)
        return len(families)

    # -- subject access ------------------------------------------------------------------

    def subject_access(self, target: str) -> SubjectAccess:
        """Everything held about one person and the duplicates merged with them: every
        row that refers to them (the same rows erasure would remove), the shared
        interactions they took part in, and free text elsewhere that names them."""
        with self.svc.db.read() as conn:
            key, family, me = self._family(conn, target)
            refs = st_people.refs_by_keys(conn, family)
            scope = st.plan(conn, family, me)
            records = st_report.rows_of(conn, scope)
            shared = st_report.shared_interactions(conn, scope)
            mentions = [Mention(id=str(m[0]), name=m[1], text=m[2])
                        for m in st_report.mentions(conn, scope)]
            journal = st_report.journal_count(conn, scope)
        ref = refs[key]
        return SubjectAccess(
            id=ref.id, name=ref.name, generated_at=self.svc.now,
            merged_records=[refs[k] for k in family if k != key], records=records,
            shared_interactions=shared, mentions=mentions, journal_entries=journal)
