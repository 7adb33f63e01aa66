"""Erasing a person for a personal-data request: every row about them, their search
documents and every journal entry that copied their data, leaving only a tombstone.
Unlike everything else a user does, this cannot be undone; that is its point."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text

from kithbook.store import schema as s
from kithbook.store.capture import forget_person
from kithbook.store.search import NAME, put_doc

PERSON_COLUMNS = ("person_id", "owed_by_id", "owed_to_id", "giver_id", "receiver_id",
                  "a_id", "b_id", "met_via_id", "initiated_by_id")


def erase_person(conn: Connection, key: int, me: int | None, now: Any) -> dict[str, int]:
    removed: Counter[str] = Counter()
    ip = s.interaction_participants
    # interactions that were only between them and me go; shared ones just lose them
    mine = select(ip.c.interaction_id).where(ip.c.person_id == key)
    others = (
        select(ip.c.interaction_id, func.count().label("n"))
        .where(ip.c.interaction_id.in_(mine), ip.c.person_id.not_in([key, me or -1]))
        .group_by(ip.c.interaction_id)
    )
    shared = {r.interaction_id for r in conn.execute(others) if r.n > 0}
    private = [i for i in conn.execute(mine).scalars() if i not in shared]
    for kind, keys in (("interaction", private), ("person", [key])):
        note_keys = conn.execute(select(s.notes.c.id).where(
            s.notes.c.subject_kind == kind, s.notes.c.subject_id.in_(keys))).scalars().all()
        for nkey in note_keys:
            put_doc(conn, "note", nkey, None)
        removed["notes"] += conn.execute(delete(s.notes).where(
            s.notes.c.id.in_(note_keys))).rowcount or 0
    for ikey in private:
        put_doc(conn, "interaction", ikey, None)
    removed["taggings"] += conn.execute(delete(s.taggings).where(
        s.taggings.c.subject_kind == "person", s.taggings.c.subject_id == key)).rowcount or 0
    removed["taggings"] += conn.execute(delete(s.taggings).where(
        s.taggings.c.subject_kind == "interaction", s.taggings.c.subject_id.in_(private))
    ).rowcount or 0
    removed["interactions"] += conn.execute(delete(s.interactions).where(
        s.interactions.c.id.in_(private))).rowcount or 0
    removed["captured mail and calendar entries"] += forget_person(conn, key)
    for table in (s.person_emails, s.person_phones, s.person_urls, s.person_addresses,
                  s.roles, s.needs_offers, ip):
        removed[table.name] += conn.execute(delete(table).where(
            table.c.person_id == key)).rowcount or 0
    removed["ties"] += conn.execute(delete(s.ties).where(
        (s.ties.c.a_id == key) | (s.ties.c.b_id == key))).rowcount or 0
    removed["promises"] += conn.execute(delete(s.promises).where(
        (s.promises.c.owed_by_id == key) | (s.promises.c.owed_to_id == key))).rowcount or 0
    removed["ledger"] += conn.execute(delete(s.ledger).where(
        (s.ledger.c.giver_id == key) | (s.ledger.c.receiver_id == key))).rowcount or 0
    put_doc(conn, "person", key, None)
    put_doc(conn, NAME, key, None)
    public_id = conn.execute(select(s.people.c.public_id).where(s.people.c.id == key)).scalar()
    removed["people"] += conn.execute(delete(s.people).where(s.people.c.id == key)).rowcount or 0
    removed["journal entries"] = _scrub_journal(conn, key, set(private))
    conn.execute(insert(s.changes).values(
        batch_id=f"erase-{public_id}", at=now, actor="me", action="erase person",
        table_name="people", row_key={"public_id": public_id}, op="delete", before=None,
        after=None, undone_at=now))  # a tombstone: what was erased, nothing of it
    return {k: v for k, v in removed.items() if v}


def _mentions(row: dict[str, Any] | None, key: int, interactions: set[int]) -> bool:
    if not row:
        return False
    if any(row.get(col) == key for col in PERSON_COLUMNS):
        return True
    return row.get("interaction_id") in interactions


def _scrub_journal(conn: Connection, key: int, interactions: set[int]) -> int:
    gone = []
    for ch in conn.execute(select(s.changes.c.id, s.changes.c.table_name, s.changes.c.row_key,
                                  s.changes.c.before, s.changes.c.after)):
        rk = ch.row_key or {}
        direct = (ch.table_name == "people" and rk.get("id") == key) or (
            ch.table_name == "interactions" and rk.get("id") in interactions)
        subject = any(r and r.get("subject_kind") == "person" and r.get("subject_id") == key
                      for r in (ch.before, ch.after, rk))
        if direct or subject or _mentions(ch.before, key, interactions) or _mentions(
                ch.after, key, interactions) or _mentions(rk, key, interactions):
            gone.append(ch.id)
    for start in range(0, len(gone), 500):
        conn.execute(delete(s.changes).where(s.changes.c.id.in_(gone[start:start + 500])))
    return len(gone)


def purge_leftovers(conn: Connection) -> None:
    """After the erase committed: merge the full-text segments so deleted terms leave
    the index (secure_delete then zeroes the freed pages)."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
