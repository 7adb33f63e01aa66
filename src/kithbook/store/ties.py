"""Declared ties between people: one row per unordered pair and kind (a_id < b_id)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, bindparam, or_, select

from kithbook.domain.models import PersonRef, Tie
from kithbook.store import schema as s
from kithbook.store.journal import Journal
from kithbook.store.people import refs_by_keys

_live = s.ties.c.deleted_at.is_(None)


def upsert_tie(
    j: Journal,
    public_id: str,
    a: int,
    b: int,
    *,
    kind: str,
    strength: int,
    since: date | None = None,
    note: str | None = None,
    source: str = "manual",
) -> tuple[int, bool]:
    """Returns (tie key, created?). Re-declaring a tie updates strength and note."""
    lo, hi = (a, b) if a < b else (b, a)
    row = j.conn.execute(
        select(s.ties).where(s.ties.c.a_id == lo, s.ties.c.b_id == hi, s.ties.c.kind == kind)
    ).first()
    if row is not None:
        values: dict[str, Any] = {"strength": strength, "deleted_at": None}
        if since is not None:
            values["since"] = since
        if note is not None:
            values["note"] = note
        j.update(s.ties, row.id, values)
        return row.id, False
    key = j.insert(
        s.ties,
        {
            "public_id": public_id,
            "a_id": lo,
            "b_id": hi,
            "kind": kind,
            "strength": strength,
            "since": since,
            "note": note,
            "source": source,
            "created_at": j.now,
        },
    )
    assert key is not None
    return key, True


@dataclass(frozen=True)
class TieRow:
    id: int
    strength: int
    deleted_at: Any


def tie_rows(conn: Connection, keys: Iterable[tuple[int, int, str]]
             ) -> dict[tuple[int, int, str], TieRow]:
    """(a, b, kind) with a < b -> the tie row, for those that exist: a query per 500
    distinct first people, not one per tie."""
    wanted = set(keys)
    firsts = sorted({k[0] for k in wanted})
    t = s.ties.c
    out: dict[tuple[int, int, str], TieRow] = {}
    for i in range(0, len(firsts), 500):
        for r in conn.execute(select(t.id, t.a_id, t.b_id, t.kind, t.strength, t.deleted_at)
                              .where(t.a_id.in_(firsts[i:i + 500]))):
            key = (r.a_id, r.b_id, r.kind)
            if key in wanted:
                out[key] = TieRow(r.id, r.strength, r.deleted_at)
    return out


def upsert_ties(j: Journal, new: list[dict[str, Any]],
                changed: list[tuple[int, dict[str, Any], dict[str, Any]]]) -> None:
    """Write many ties in a few statements, each row journaled as `upsert_tie` would
    journal it (so one undo reverses them exactly): `new` rows to insert, `changed` as
    (tie key, before, after) with the same columns in every `after`."""
    from kithbook.store.capture import bulk_update
    from kithbook.store.graph_log import suspended_for
    from kithbook.store.import_queries import BulkWriter

    writer = BulkWriter(j.conn, batch_id=j.batch_id, now=j.logged_at, actor=j.actor,
                        action=j.action)
    people = len({r["a_id"] for r in new} | {r["b_id"] for r in new}) + 2 * len(changed)
    with suspended_for(j.conn, people):
        writer.insert(s.ties, new, journal=j.record)
        j.count += len(new)
        bulk_update(j, s.ties, changed)


def _ties_of_query() -> Any:
    pa, pb = s.people.alias("pa"), s.people.alias("pb")
    person: Any = bindparam("person")
    return (
        select(s.ties, pa.c.public_id.label("a_public_id"), pa.c.name.label("a_name"),
               pb.c.public_id.label("b_public_id"), pb.c.name.label("b_name"))
        .join(pa, pa.c.id == s.ties.c.a_id)
        .join(pb, pb.c.id == s.ties.c.b_id)
        .where(
            or_(s.ties.c.a_id == person, s.ties.c.b_id == person),
            _live,
            pa.c.deleted_at.is_(None),
            pb.c.deleted_at.is_(None),
        )
        .order_by(s.ties.c.strength.desc(), s.ties.c.id)
    )


# Made once: aliasing the people table twice proxies every column of it, which cost
# more than running the statement (a fifth of a person page). It reads the ends' ids and
# names from the rows it joins for their liveness, where a second statement read them
# again (a round trip of every person page).
_TIES_OF = _ties_of_query()


def ties_of(conn: Connection, person_key: int) -> list[Tie]:
    rows = conn.execute(_TIES_OF, {"person": person_key}).all()
    refs = {}
    for r in rows:
        refs[r.a_id] = PersonRef(id=r.a_public_id, name=r.a_name, key=r.a_id)
        refs[r.b_id] = PersonRef(id=r.b_public_id, name=r.b_name, key=r.b_id)
    return _ties(rows, refs)


def get_tie(conn: Connection, a: int, b: int) -> list[Tie]:
    lo, hi = (a, b) if a < b else (b, a)
    rows = conn.execute(
        select(s.ties).where(and_(s.ties.c.a_id == lo, s.ties.c.b_id == hi), _live)
    ).all()
    return _build(conn, rows)


def tie_by_public_id(conn: Connection, public_id: str) -> Tie | None:
    rows = conn.execute(select(s.ties).where(s.ties.c.public_id == public_id, _live)).all()
    built = _build(conn, rows)
    return built[0] if built else None


def _build(conn: Connection, rows: Sequence[Any]) -> list[Tie]:
    return _ties(rows, refs_by_keys(conn, [r.a_id for r in rows] + [r.b_id for r in rows]))


def _ties(rows: Sequence[Any], refs: dict[int, PersonRef]) -> list[Tie]:
    out = []
    for r in rows:
        a, b = refs[r.a_id], refs[r.b_id]
        out.append(
            Tie(
                id=r.public_id,
                name=f"{a.name} – {b.name}",
                a=a,
                b=b,
                kind=r.kind,
                strength=r.strength,
                since=r.since,
                note=r.note,
                source=r.source,
                key=r.id,
            )
        )
    return out


def tied_to(conn: Connection, person: int, kind: str) -> set[int]:
    """The people with a live or deleted tie of this kind to `person` (an import never
    brings back a tie the user removed)."""
    rows = conn.execute(
        select(s.ties.c.a_id, s.ties.c.b_id).where(
            s.ties.c.kind == kind, or_(s.ties.c.a_id == person, s.ties.c.b_id == person)
        )
    ).all()
    return {r.b_id if r.a_id == person else r.a_id for r in rows}


def live_tie_rows(conn: Connection) -> list[tuple[str, str, int, str, int, int]]:
    """Every live tie between two live people, oldest first: (public id of a, of b,
    strength, kind, key of a, key of b)."""
    a = s.people.alias("a")
    b = s.people.alias("b")
    return [(r.pa, r.pb, r.strength, r.kind, r.a_id, r.b_id) for r in conn.execute(
        select(a.c.public_id.label("pa"), b.c.public_id.label("pb"), s.ties.c.strength,
               s.ties.c.kind, s.ties.c.a_id, s.ties.c.b_id)
        .join(a, a.c.id == s.ties.c.a_id).join(b, b.c.id == s.ties.c.b_id)
        .where(s.ties.c.deleted_at.is_(None), a.c.deleted_at.is_(None),
               b.c.deleted_at.is_(None)).order_by(s.ties.c.id))]


@dataclass(frozen=True)
class TieState:
    """A tie row of one kind between two people, live or deleted."""

    strength: int
    deleted: bool


def tie_state(conn: Connection, a: int, b: int, kind: str) -> TieState | None:
    """The tie of this kind between `a` and `b` (either order), or None if there is none."""
    lo, hi = (a, b) if a < b else (b, a)
    row = conn.execute(
        select(s.ties.c.strength, s.ties.c.deleted_at).where(
            s.ties.c.a_id == lo, s.ties.c.b_id == hi, s.ties.c.kind == kind)
    ).first()
    if row is None:
        return None
    return TieState(strength=row.strength, deleted=row.deleted_at is not None)
