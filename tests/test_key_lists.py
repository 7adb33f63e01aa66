"""store/key_lists.py: `one_of` selects exactly the rows whose key is listed, on both
engines (an IN list on SQLite, one array parameter on PostgreSQL), and `parts` slices
a list into the statements it takes, losing nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from kithbook.services.people import NewPerson
from kithbook.store import key_lists
from kithbook.store import schema as s


def test_one_of_selects_exactly_the_listed_keys(svc: Any) -> None:
    for n in range(12):
        svc.people.add(NewPerson(name=f"Listed {n:02d}"))
    with svc.db.read() as conn:
        keys = sorted(conn.execute(select(s.people.c.id)).scalars())
        for wanted in ([], keys[:1], keys[::3], keys, [*keys[:2], max(keys) + 1000]):
            found = sorted(conn.execute(select(s.people.c.id).where(
                key_lists.one_of(conn, s.people.c.id, wanted))).scalars())
            assert found == sorted(set(wanted) & set(keys)), wanted
        # text keys go as text arrays
        names = sorted(conn.execute(select(s.people.c.name)).scalars())[:3]
        found = sorted(conn.execute(select(s.people.c.name).where(
            key_lists.one_of(conn, s.people.c.name, names))).scalars())
        assert found == names
    # a value longer than the column is not cut to fit it (PostgreSQL casts to
    # varchar(100)[] silently) and so matches nothing
    full = "t" * s.tags.c.name.type.length
    with svc.db.write("test", record=False, now=svc.now) as j:
        j.conn.execute(s.tags.insert().values(name=full))
    with svc.db.read() as conn:
        for wanted, hits in (([full], 1), ([full + "u"], 0)):
            rows = conn.execute(select(s.tags.c.id).where(
                key_lists.one_of(conn, s.tags.c.name, wanted))).all()
            assert len(rows) == hits, wanted


@pytest.mark.parametrize("size", [0, 1, 500, 501, 10_001, 25_000])
def test_parts_cover_every_key_once_in_slices_the_engine_takes(
        svc: Any, size: int) -> None:
    values = list(range(size))
    with svc.db.read() as conn:
        pieces = list(key_lists.parts(conn, values))
        limit = key_lists.PG_PART if conn.dialect.name == "postgresql" \
            else key_lists.SQLITE_PART
    assert [v for piece in pieces for v in piece] == values
    assert all(0 < len(piece) <= limit for piece in pieces)


def test_bound_one_of_selects_the_bound_keys_in_every_form(svc: Any) -> None:
    """A statement made once per form (`bound_form`: one value as itself, else an
    array on PostgreSQL and an IN list on SQLite) selects exactly the bound values."""
    for n in range(6):
        svc.people.add(NewPerson(name=f"Bound {n:02d}"))
    with svc.db.read() as conn:
        keys = sorted(conn.execute(select(s.people.c.id)).scalars())
        names = sorted(conn.execute(select(s.people.c.name)).scalars())
        for column, pool, missing in ((s.people.c.id, keys, max(keys) + 1000),
                                      (s.people.c.name, names, "Bound 99")):
            for wanted in (pool[:1], [missing], pool[1::2], [*pool[:2], missing]):
                form = key_lists.bound_form(conn, len(wanted))
                assert form == ("one" if len(wanted) == 1 else
                                "array" if conn.dialect.name == "postgresql" else "list")
                query = select(column).where(key_lists.bound_one_of(column, "v", form))
                found = sorted(conn.execute(
                    query, {"v": key_lists.bound_values(form, wanted)}).scalars())
                assert found == sorted(set(wanted) & set(pool)), (form, wanted)
