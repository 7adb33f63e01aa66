"""Keeping the database safe: backups (on demand and on a schedule, with retention),
restores of untrusted files, and the record of copies written outside the database
(RELIABILITY.md)."""

from __future__ import annotations

import contextlib
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kithbook.domain.models import Record
from kithbook.domain.retention import Policy, to_keep
from kithbook.errors import StorageError
from kithbook.services.places import places
from kithbook.store import backup as st_backup
from kithbook.store import erase as st_erase
from kithbook.store import schema as s
from kithbook.store import written_files as st_files
from kithbook.store.db import Database

if TYPE_CHECKING:
    from kithbook.services.app import Services

_AUTO = re.compile(r"^kithbook-(\d{8}T\d{6}Z)\.db$")


@dataclass
class BackupResult(Record):
    id: str  # the file's path
    name: str  # the file's name
    path: Path
    kind: str  # backup or auto-backup
    size: int
    taken_at: datetime
    expired: list[str] = field(default_factory=list)  # automatic backups removed


@dataclass
class RestoreResult(Record):
    id: str  # the restored file's path
    name: str
    schema_was: str
    people: int
    safety_copy: str  # the database as it was just before, kept beside it
    erased_again: int  # records an erasure made after the backup removed once more


@dataclass
class CheckResult(Record):
    id: str  # the database
    name: str  # "ok" or "damaged"
    integrity: list[str] = field(default_factory=list)  # SQLite's findings; ["ok"] when sound
    foreign_keys: int = 0  # rows whose references point nowhere
    schema: str = ""


class DatabaseService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def _now(self) -> datetime:
        # backups are real events on disk: the wall clock, even under --as-of
        return datetime.now(UTC)

    def note_written(self, path: Path, kind: str) -> None:
        """Remember a copy written outside the database (an erasure lists it)."""
        with self.svc.db.write("note file", record=False) as j:
            st_files.record(j.conn, str(Path(path).resolve()), kind, self._now())

    def backup(self, target: Path) -> BackupResult:
        """A consistent copy of the live database at `target`: written whole or not at
        all, fsynced, checked."""
        path = self.svc.db.backup_to(Path(target).expanduser())
        self.note_written(path, "backup")
        return BackupResult(id=str(path), name=path.name, path=path, kind="backup",
                            size=path.stat().st_size, taken_at=self._now())

    def check(self) -> CheckResult:
        """Check the database: SQLite's integrity check and the foreign keys."""
        from kithbook.store.checks import integrity

        found = integrity(self.svc.db)
        ok = found.integrity == ["ok"] and found.foreign_keys == 0
        return CheckResult(id=self.svc.db.url, name="ok" if ok else "damaged",
                           integrity=found.integrity, foreign_keys=found.foreign_keys,
                           schema=found.schema)

    # -- automatic backups --------------------------------------------------------------

    def auto_backups(self) -> list[tuple[Path, datetime]]:
        folder = places(self.svc.config).backups
        out = []
        if folder.is_dir():
            for p in folder.iterdir():
                m = _AUTO.match(p.name)
                if m:
                    at = datetime.strptime(m.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                    out.append((p, at))
        return sorted(out, key=lambda b: b[1])

    def auto_backup(self, *, force: bool = False, now: datetime | None = None
                    ) -> BackupResult | None:
        """Take a backup into the automatic folder if the newest one is older than the
        configured interval (or `force`), then expire old ones by the retention policy.
        Safe to call often: from a timer, or from a running server every hour."""
        cfg = self.svc.config
        now = now or self._now()
        existing = self.auto_backups()
        due = force or not existing or (
            cfg.backup_every_hours > 0
            and now - existing[-1][1] >= timedelta(hours=cfg.backup_every_hours))
        if not due:
            return None
        folder = places(cfg).backups
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            folder.chmod(0o700)  # backups are the whole network
        target = folder / f"kithbook-{now.strftime('%Y%m%dT%H%M%SZ')}.db"
        path = self.svc.db.backup_to(target)
        self.note_written(path, "auto-backup")
        expired = self.expire(now=now)
        return BackupResult(id=str(path), name=path.name, path=path, kind="auto-backup",
                            size=path.stat().st_size, taken_at=now, expired=expired)

    def expire(self, *, now: datetime | None = None) -> list[str]:
        """Delete automatic backups the retention policy no longer keeps."""
        cfg = self.svc.config
        taken = [(str(p), at) for p, at in self.auto_backups() if at <= (now or self._now())]
        keep = to_keep(taken, Policy(cfg.backup_keep_daily, cfg.backup_keep_weekly,
                                     cfg.backup_keep_monthly))
        gone = []
        for name, _ in taken:
            if name not in keep:
                with contextlib.suppress(OSError):
                    Path(name).unlink()
                    gone.append(name)
        return gone

    # -- restore -------------------------------------------------------------------------

    def restore(self, file: Path) -> RestoreResult:
        """Replace the database with a backup file after checking it as untrusted input
        (integrity, schema version, tables, foreign keys, no triggers). The database as
        it was is kept beside it; erasures recorded since the backup are applied again."""
        svc = self.svc
        live = svc.db.sqlite_path
        if live is None:
            raise StorageError("restoring a file is for SQLite databases.",
                               hint="On PostgreSQL use pg_restore (RELIABILITY.md).")
        source = Path(file).expanduser()
        if not source.is_file():
            raise StorageError(f"{source} is not a file.", hint="Check the path.")
        st_backup.clean_temporaries(live.parent)
        work = st_backup.temp_beside(live.with_name(live.name + ".restore"))
        try:
            try:
                shutil.copyfile(source, work)
            except OSError as exc:
                raise StorageError(f"cannot read {source}: {exc.strerror or exc}.",
                                   hint="Check the path and the free space.") from exc
            known = svc.db.known_revisions()
            checked = st_backup.check_candidate(work, known, set(s.metadata.tables))
            if checked.revision != known[-1]:
                candidate = Database(f"sqlite:///{work}")
                try:
                    candidate.migrate(backup=False)
                finally:
                    candidate.close()
            with svc.db.read() as conn:
                register = st_erase.register_entries(conn)
            stamp = self._now().strftime("%Y%m%dT%H%M%SZ")
            safety = live.with_name(f"{live.name}.before-restore-{stamp}.bak")
            svc.db.backup_to(safety)
            svc.db.engine.dispose()  # no pooled connection keeps the old schema cached
            st_backup.copy_into(work, live)
        finally:
            work.unlink(missing_ok=True)
        self.note_written(safety, "backup")
        again = svc.privacy.reapply(register)
        return RestoreResult(id=str(source), name=source.name, schema_was=checked.revision,
                             people=checked.people, safety_copy=str(safety),
                             erased_again=again)
