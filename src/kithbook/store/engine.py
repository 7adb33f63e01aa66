"""Opening databases: one place that sets SQLite's pragmas on every connection and
starts every write transaction with BEGIN IMMEDIATE (a deferred transaction that later
writes fails at once with "database is locked" under concurrent writers)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import NullPool, StaticPool

from kithbook.errors import Conflict, StorageError

SQLITE_PRAGMAS = (
    "journal_mode=WAL",
    # FULL: an acknowledged edit survives power loss; the cost (~0.25 ms a commit) is
    # invisible at human speed and bulk loads run in one transaction anyway.
    "synchronous=FULL",
    "foreign_keys=ON",
    "busy_timeout=5000",
    "trusted_schema=OFF",
    "secure_delete=ON",
)
# Page cache of a write transaction and of a read, in KiB (SQLite's own default for
# reads). A bulk write into indexes keyed at random (public ids, pairs of people)
# touches pages all over each index; with 2 MB they were written out and read back
# again within the transaction: a ties import of 183,831 ties took 16.0 s, 11.9 s with
# 64 MB. A read sets the small cache back, so pooled connections do not keep 64 MB each.
WRITE_CACHE_KIB = 65536
READ_CACHE_KIB = 2000


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves; pysqlite's implicit transactions would half-apply DDL.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    write = conn.get_execution_options().get("kb_write")
    cache = WRITE_CACHE_KIB if write else READ_CACHE_KIB
    info = conn.connection.info  # kept with the pooled connection
    if info.get("kb_cache_kib", READ_CACHE_KIB) != cache:  # a new one has SQLite's 2 MB
        conn.exec_driver_sql(f"PRAGMA cache_size=-{cache}")
        info["kb_cache_kib"] = cache
    conn.exec_driver_sql(f"BEGIN {'IMMEDIATE' if write else 'DEFERRED'}")


def make_engine(url: str, key: str | None = None) -> Engine:
    """An engine for `url`; `key` opens an encrypted SQLite file (store/cipher.py)."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        if not memory:
            path = Path(url.split(":///", 1)[1])
            if not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
        extra: dict[str, Any] = {}
        if key is not None:
            from kithbook.store import cipher

            extra["module"] = cipher.module()
        engine = create_engine(
            url,
            connect_args={"timeout": 5.0, "check_same_thread": False},
            poolclass=StaticPool if memory else None,
            **extra,
        )
        if key is not None:
            from kithbook.store import cipher

            def _keyed(dbapi_connection: Any, _record: Any) -> None:
                cipher.apply_key(dbapi_connection, key)  # before any other statement

            event.listen(engine, "connect", _keyed)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise StorageError(
                "PostgreSQL support is not installed.",
                hint="Run: pip install 'kithbook[postgres]'",
            ) from exc
        return create_engine(
            url, pool_pre_ping=True, poolclass=NullPool if "nullpool" in url else None
        )
    raise StorageError(
        f"unsupported database URL '{url}'",
        hint="Give a file path or a postgresql+psycopg:// URL.",
    )


# PostgreSQL's read_only_sql_transaction: a write sent to a hot standby
READ_ONLY_SQLSTATE = "25006"


def storage_fault(text: str, errno: int | None = None) -> StorageError | None:
    """A full disk or a failing device, as one clear line; None for anything else.
    SQLite rolls the transaction back in both cases, so nothing was half-written."""
    low = text.lower()
    if errno in (28, 27) or "disk is full" in low or "no space" in low or "too large" in low:
        return StorageError("the disk is full; nothing was written.",
                            hint="Free some space and try again.")
    if errno == 5 or "disk i/o error" in low or "input/output error" in low or (
            "file is not a database" in low) or "malformed" in low:
        return StorageError("the disk reported an error reading or writing the database; "
                            "nothing was written.",
                            hint="Check the disk, then check the database; restore a backup "
                            "if that reports damage.", remedy="database.check")
    return None


@contextmanager
def translate_db_errors() -> Iterator[None]:
    try:
        yield
    except IntegrityError as exc:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        raise Conflict(
            f"the change conflicts with what is stored ({text.strip()}); nothing was written.",
            hint="Check the input and try again.",
        ) from exc
    except (OperationalError, DBAPIError) as exc:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        if getattr(exc.orig, "sqlstate", None) == READ_ONLY_SQLSTATE or (
                "readonly database" in text):
            # a PostgreSQL hot standby (docs/scaling.md), or an SQLite file this user
            # may not write: the transaction was refused whole
            raise StorageError(
                "this database is read-only here (a replica, or a file you may not "
                "write); nothing was written.",
                hint="Send changes to the primary server, or check the file's permissions.",
            ) from exc
        fault = storage_fault(text)
        if fault is not None:
            raise fault from exc
        if not isinstance(exc, OperationalError):
            raise
        if "locked" in text:
            raise StorageError(
                "the database is busy (another Kithbook is writing).", hint="Try again."
            ) from exc
        if "unable to open" in text or "could not connect" in text or "Connection refused" in text:
            raise StorageError(
                f"cannot open the database: {text.strip()}",
                hint="Check the database's address and that the server is running.",
                remedy="database.choose",
            ) from exc
        if "no such table" in text or "does not exist" in text:
            raise StorageError(
                "the database is not a Kithbook database or is not migrated.",
                hint="Check the database's address, or upgrade the database.",
                remedy="database.migrate",
            ) from exc
        raise StorageError(f"database error: {text.strip()}") from exc
