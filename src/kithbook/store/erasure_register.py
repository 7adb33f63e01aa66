"""The erasure register (docs/personal-data.md): one entry per erasure, {"salt": random
hex, "ids": [HMAC-SHA256(salt, public id), ...]}. It recognises the erased records in
an older copy (a restored backup, an old export re-imported) and says nothing about who
they were.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select

from kithbook.store import schema as s
from kithbook.store.rows import utc


@dataclass(frozen=True)
class RegisterEntry:
    erased_at: datetime
    salt: str
    hashes: tuple[str, ...]

    def matches(self, public_id: str) -> bool:
        return digest(self.salt, public_id) in self.hashes


def digest(salt_value: str, public_id: str) -> str:
    return hmac.new(salt_value.encode(), public_id.encode(), hashlib.sha256).hexdigest()


def new_entry(public_ids: Sequence[str], now: datetime) -> RegisterEntry:
    key = secrets.token_hex(16)
    return RegisterEntry(now, key, tuple(sorted(digest(key, pid) for pid in public_ids)))


def register(conn: Connection, entry: RegisterEntry) -> None:
    conn.execute(insert(s.erasures).values(
        erased_at=entry.erased_at, hashes={"salt": entry.salt, "ids": list(entry.hashes)}))


def register_entries(conn: Connection) -> list[RegisterEntry]:
    out = []
    for r in conn.execute(select(s.erasures.c.erased_at, s.erasures.c.hashes)
                          .order_by(s.erasures.c.id)):
        data = r.hashes if isinstance(r.hashes, dict) else {}
        out.append(RegisterEntry(utc(r.erased_at), str(data.get("salt", "")),  # type: ignore[arg-type]
                                 tuple(str(h) for h in data.get("ids", ()))))
    return out


def count_register(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(s.erasures)).scalar() or 0)


def add_register_entries(conn: Connection, entries: Sequence[RegisterEntry]) -> int:
    """Add the entries this database lacks (it is an older copy); returns how many."""
    have = {(e.salt, e.hashes) for e in register_entries(conn)}
    added = 0
    for e in entries:
        if (e.salt, e.hashes) not in have:
            register(conn, e)
            have.add((e.salt, e.hashes))
            added += 1
    return added


def registered_keys(conn: Connection) -> list[int]:
    """People in this database that an erasure in the register removed: the database
    is an older copy, restored after they were erased."""
    entries = register_entries(conn)
    if not entries:
        return []
    return [r.id for r in conn.execute(select(s.people.c.id, s.people.c.public_id))
            if any(e.matches(r.public_id) for e in entries)]


def erased_before(conn: Connection, public_ids: Iterable[str]) -> set[str]:
    """The given public ids that an earlier erasure removed (an import of an old file
    must not bring them back)."""
    entries = register_entries(conn)
    if not entries:
        return set()
    return {pid for pid in public_ids if pid and any(e.matches(pid) for e in entries)}
