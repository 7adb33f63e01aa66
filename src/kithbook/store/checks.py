"""Whole-database checks: SQLite's integrity check and dangling references."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from kithbook.store.db import Database


@dataclass(frozen=True)
class Integrity:
    integrity: list[str]
    foreign_keys: int
    schema: str


def integrity(db: Database) -> Integrity:
    with db.read() as conn:
        schema = str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar())
        if db.dialect != "sqlite":
            return Integrity(["ok"], 0, schema)
        found = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check(20)")]
        dangling = len(conn.exec_driver_sql("PRAGMA foreign_key_check").all())
    return Integrity(found, dangling, schema)
