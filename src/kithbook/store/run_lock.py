"""One run at a time per capture source, across processes (a cron job and a manual run,
two web workers). The lock belongs to the operating system or the database server, not
to a row, so a run killed with kill -9 never leaves it held: the next run starts at once
and resumes from the source's cursor.

SQLite: an exclusive `flock` on a file beside the database (`<db>.capture-<key>.lock`).
PostgreSQL: a session advisory lock held on a connection of its own for the run.
An in-memory SQLite database is one process's alone: nothing to lock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select

from kithbook.store.db import Database

# PostgreSQL advisory locks share one 64-bit space per database: ours are this plus the
# source's key, out of the way of anything small an administrator might use.
_PG_BASE = 0x4B42_0000_0000  # "KB"


@contextmanager
def source_lock(db: Database, key: int) -> Iterator[bool]:
    """Hold the run lock of capture source `key`; yields False (and holds nothing) when
    another process holds it."""
    if db.dialect == "postgresql":
        conn = db.engine.connect()
        try:
            got = bool(conn.execute(select(func.pg_try_advisory_lock(_PG_BASE + key))).scalar())
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(select(func.pg_advisory_unlock(_PG_BASE + key)))
                    conn.commit()
        finally:
            conn.close()
        return
    path = db.sqlite_path
    if path is None:
        yield True
        return
    import fcntl

    fd = os.open(f"{path}.capture-{key}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
