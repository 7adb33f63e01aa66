"""The list of copies Kithbook wrote outside the database (backups, exports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from kithbook.store import schema as s
from kithbook.store.rows import utc


@dataclass(frozen=True)
class WrittenFile:
    path: str
    kind: str  # backup, auto-backup, export
    written_at: datetime


def record(conn: Connection, path: str, kind: str, now: datetime) -> None:
    conn.execute(insert(s.written_files).values(path=path, kind=kind, written_at=now))


def all_files(conn: Connection) -> list[WrittenFile]:
    w = s.written_files
    return [WrittenFile(r.path, r.kind, utc(r.written_at))  # type: ignore[arg-type]
            for r in conn.execute(select(w.c.path, w.c.kind, w.c.written_at).order_by(w.c.id))]
