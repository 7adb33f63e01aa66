"""The Database: an engine, its migrations, and read / write transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, select

from kithbook import ids
from kithbook.errors import StorageError
from kithbook.store import schema as s
from kithbook.store.engine import make_engine, translate_db_errors
from kithbook.store.journal import Journal

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions. Every command opens the database, and
# asking Alembic (which parses every migration script) costs ~100 ms; comparing this
# constant with alembic_version costs a query. tests/test_store_reliability.py keeps
# it equal to Alembic's own head.
SCHEMA_HEAD = "0017"


def utcnow() -> datetime:
    return datetime.now(UTC)


# (batch id, action) that every journaled write joins while `Database.grouped` runs
_GROUP: ContextVar[tuple[str, str] | None] = ContextVar("kithbook_write_group", default=None)


class Database:
    def __init__(self, url: str, *, key: str | None = None) -> None:
        self.url = url
        self.key = key  # an encrypted SQLite file's key; never printed
        with translate_db_errors():
            self.engine: Engine = make_engine(url, key)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def sqlite_path(self) -> Path | None:
        if self.dialect != "sqlite" or self.url in ("sqlite://", "sqlite:///:memory:"):
            return None
        return Path(self.url.split(":///", 1)[1])

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with translate_db_errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(
        self,
        action: str,
        *,
        actor: str = "me",
        record: bool = True,
        now: datetime | None = None,
        batch_id: str | None = None,
    ) -> Iterator[Journal]:
        """One write transaction (BEGIN IMMEDIATE on SQLite), journaled as one batch.
        A long job that commits in steps (a capture run) passes the same `batch_id` to
        each step, so `undo` reverses the whole job; inside `grouped`, every write
        without its own `batch_id` joins the group's batch under the group's action."""
        group = _GROUP.get()
        if batch_id is None and group is not None:
            batch_id, action = group
        with translate_db_errors(), self.engine.connect() as conn:
            conn = conn.execution_options(kb_write=True)
            with conn.begin():
                yield Journal(
                    conn,
                    batch_id=batch_id or ids.new_id("batch"),
                    action=action,
                    now=now or utcnow(),
                    actor=actor,
                    record=record,
                    logged_at=utcnow(),
                )

    @contextmanager
    def grouped(self, action: str) -> Iterator[str]:
        """Journal every write made inside (through any use case, in this thread or
        task) as one batch named `action`, so one `undo` reverses them all: `kithbook
        demo` loads the network, the alliances and the craft samples as one unit. Each
        write still commits on its own; yields the batch id."""
        batch = ids.new_id("batch")
        token = _GROUP.set((batch, action))
        try:
            yield batch
        finally:
            _GROUP.reset(token)

    # -- migrations -----------------------------------------------------------------

    def _alembic_config(self) -> Any:
        from alembic.config import Config as AlembicConfig

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return cfg

    def _stored_revision(self) -> str | None:
        from sqlalchemy import text
        from sqlalchemy.exc import DBAPIError

        try:
            with self.engine.connect() as conn:
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:  # a new or foreign database: let Alembic look properly
            return None

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with translate_db_errors(), self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(self._alembic_config()).get_current_head()
        assert head is not None
        return head

    def is_kithbook(self) -> bool:
        with translate_db_errors(), self.engine.connect() as conn:
            return inspect(conn).has_table("alembic_version") and inspect(conn).has_table("people")

    def migrate(self, *, backup: bool = True) -> Path | None:
        """Bring the schema to head. Backs an existing SQLite file up first."""
        if self._stored_revision() == SCHEMA_HEAD:
            return None
        current = self.current_revision()
        head = self.head_revision()
        if current == head:
            return None
        saved = None
        if current is not None and self.sqlite_path is not None and backup:
            saved = self.backup_to(
                self.sqlite_path.with_name(f"{self.sqlite_path.name}.pre-{head}.bak")
            )
        elif current is None and self.sqlite_path is not None:
            with self.engine.connect() as conn:
                names = inspect(conn).get_table_names()
            if names:
                raise StorageError(
                    f"{self.sqlite_path} is an SQLite database but not a Kithbook one.",
                    hint="Open a new file or an existing Kithbook database.",
                    remedy="database.choose",
                )
        from alembic import command

        cfg = self._alembic_config()
        with translate_db_errors(), self.engine.connect() as conn:
            conn = conn.execution_options(kb_write=True)
            # One transaction around every pending migration: Alembic would commit after
            # each one, and a kill between two would leave an in-between version.
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        return saved

    # -- backup ---------------------------------------------------------------------

    def backup_to(self, target: Path) -> Path:
        """Online backup (VACUUM INTO a temporary file, fsynced, checked, renamed):
        see store/backup.py."""
        from kithbook.store.backup import online_backup

        src_path = self.sqlite_path
        if src_path is None:
            raise StorageError(
                "online backup is for SQLite files.",
                hint="Use pg_dump for PostgreSQL (RELIABILITY.md has the drill).")
        return online_backup(src_path, Path(target), key=self.key)

    def known_revisions(self) -> list[str]:
        """Every revision, oldest first."""
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(self._alembic_config())
        return [r.revision for r in reversed(list(script.walk_revisions()))]

    def checkpoint(self) -> None:
        """Fold the SQLite write-ahead log into the database file and empty it."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def get_meta(self, key: str) -> str | None:
        with self.read() as conn:
            return conn.execute(select(s.meta.c.value).where(s.meta.c.key == key)).scalar()


def set_meta(j: Journal, key: str, value: str) -> None:
    """Store one setting in the `meta` table, inserting or replacing it."""
    exists = j.conn.execute(select(s.meta.c.key).where(s.meta.c.key == key)).first()
    if exists is None:
        j.insert(s.meta, {"key": key, "value": value})
    else:
        j.update(s.meta, {"key": key}, {"value": value})


def open_database(url: str, *, migrate: bool = True, key: str | None = None) -> Database:
    db = Database(url, key=key)
    if migrate:
        db.migrate()
    return db
