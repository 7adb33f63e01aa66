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
from kithbook.services.catalog import use_case
from kithbook.services.places import places
from kithbook.services.results import Reindexed
from kithbook.store import backup as st_backup
from kithbook.store import cipher
from kithbook.store import erasure_register as st_register
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
class EncryptResult(Record):
    id: str  # the database file
    name: str  # "encrypted"
    key_in_keyring: bool  # else the passphrase is typed at every start
    plain_copies: list[str] = field(default_factory=list)  # older plain backups/exports


@dataclass
class CheckResult(Record):
    id: str  # the database
    name: str  # "ok" or "damaged"
    integrity: list[str] = field(default_factory=list)  # SQLite's findings; ["ok"] when sound
    foreign_keys: int = 0  # rows whose references point nowhere
    schema: str = ""


@dataclass
class Migration(Record):
    """The schema before and after a migration, and the backup taken first."""

    id: str  # the schema revision now
    name: str  # "schema"
    from_: str | None = field(default=None, metadata={"json": "from"})
    to: str | None = None
    backup: str | None = None


@dataclass
class DatabaseInfo(Record):
    """Where the database is and what it holds."""

    id: str  # the database URL
    name: str  # "kithbook"
    version: str
    database: str
    schema: str | None
    people: int


def migrate_schema(url: str) -> Migration:
    """Bring the schema of the database at `url` up to date (backed up first)."""
    db = Database(url)
    try:
        before = db.current_revision()
        saved = db.migrate()
        after = db.current_revision()
    finally:
        db.close()
    return Migration(id=str(after), name="schema", from_=before, to=after,
                     backup=str(saved) if saved else None)


def storage_fault(text: str, errno: int | None = None) -> StorageError | None:
    """A full disk or a failing device as one clear error; None for anything else."""
    from kithbook.store.engine import storage_fault as fault

    return fault(text, errno)


class DatabaseService:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    @use_case()
    def info(self) -> DatabaseInfo:
        """Where the database is, its schema, and how many people it holds."""
        from kithbook import __version__
        from kithbook.store import people as st_people

        with self.svc.db.read() as conn:
            people = st_people.count_people(conn)
        return DatabaseInfo(id=self.svc.db.url, name="kithbook", version=__version__,
                            database=self.svc.db.url, schema=self.svc.db.current_revision(),
                            people=people)

    @use_case(writes=True)
    def reindex(self) -> Reindexed:
        """Rebuild the search index from scratch; the number of documents."""
        from kithbook.store import search as st_search

        with self.svc.db.write("reindex", record=False) as j:
            count = int(st_search.rebuild_all(j.conn))
        return Reindexed(id="search", name="search index", documents=count)

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

    def encrypt(self, passphrase: str | None = None) -> EncryptResult:
        """Encrypt the SQLite database at rest (docs/encryption.md): a random key kept
        in the OS keyring, or a passphrase typed at every start. Stop the server first."""
        from kithbook.services import keys

        db = self.svc.db
        live = db.sqlite_path
        if live is None:
            raise StorageError("encryption at rest is for the SQLite file.",
                               hint="On PostgreSQL use the server's disk encryption.")
        if db.key is not None:
            raise StorageError("the database is already encrypted.")
        key = passphrase or keys.new_raw_key()
        if passphrase is not None and len(passphrase) < 12:
            raise StorageError("a passphrase needs at least 12 characters.")
        with db.read() as conn:
            written = [f.path for f in st_files.all_files(conn) if Path(f.path).exists()]
        counts = _counts(db)
        work = st_backup.temp_beside(live.with_name(live.name + ".encrypt"))
        try:
            db.checkpoint()
            cipher.encrypt_copy(live, work, key)
            check = Database(f"sqlite:///{work}", key=key)
            try:
                if _counts(check) != counts:
                    raise StorageError("the encrypted copy does not match; nothing changed.")
            finally:
                check.close()
            in_keyring = passphrase is None and keys.keyring_set(live, key)
            if passphrase is None and not in_keyring:
                raise StorageError("there is no usable OS keyring to keep the key in.",
                                   hint="Use a passphrase instead (it is asked at every "
                                   "start).")
            db.engine.dispose()
            for suffix in ("-wal", "-shm"):
                live.with_name(live.name + suffix).unlink(missing_ok=True)
            import os

            os.replace(work, live)
        finally:
            work.unlink(missing_ok=True)
        db.key = key
        from kithbook.store.engine import make_engine

        db.engine = make_engine(db.url, key)
        return EncryptResult(id=str(live), name="encrypted", key_in_keyring=in_keyring,
                             plain_copies=written)

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
            key = svc.db.key
            if key is not None and not cipher.is_encrypted(work):
                plain = work.with_name(work.name + ".plain")
                work.rename(plain)
                try:  # an older plain backup joins the encrypted database encrypted
                    st_backup.check_candidate(plain, known, set(s.metadata.tables))
                    cipher.encrypt_copy(plain, work, key)
                finally:
                    plain.unlink(missing_ok=True)
            checked = st_backup.check_candidate(work, known, set(s.metadata.tables),
                                                key=key)
            if checked.revision != known[-1]:
                candidate = Database(f"sqlite:///{work}", key=key)
                try:
                    candidate.migrate(backup=False)
                finally:
                    candidate.close()
            with svc.db.read() as conn:
                register = st_register.register_entries(conn)
            stamp = self._now().strftime("%Y%m%dT%H%M%SZ")
            safety = live.with_name(f"{live.name}.before-restore-{stamp}.bak")
            svc.db.backup_to(safety)
            svc.db.engine.dispose()  # no pooled connection keeps the old schema cached
            st_backup.copy_into(work, live, key=key)
        finally:
            work.unlink(missing_ok=True)
        self.note_written(safety, "backup")
        from kithbook.graph import warm
        from kithbook.store import graph_log

        with svc.db.write("restore: new graph identity", record=False) as j:
            graph_log.new_epoch(j.conn)
        warm.forget(svc.db)
        again = svc.privacy.reapply(register)
        return RestoreResult(id=str(source), name=source.name, schema_was=checked.revision,
                             people=checked.people, safety_copy=str(safety),
                             erased_again=again)


def _counts(db: Database) -> dict[str, int]:
    from kithbook.store.checks import row_counts

    return row_counts(db)
