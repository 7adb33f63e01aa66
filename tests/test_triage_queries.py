"""The agenda's day-one reads (store/triage_queries.py) on both engines: who is unknown
(never touched or never ranked), which organizations you or your A-list share with
them, and who has a birthday or an anniversary on record. Migration 0017 indexes them;
the answers must not change with the plan."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from kithbook.services.people import NewPerson
from kithbook.store import schema as s
from kithbook.store import triage_queries as tq


def _set(svc: Any, name: str, **values: Any) -> None:
    with svc.db.write("test") as j:
        j.conn.execute(update(s.people).where(s.people.c.name == name).values(**values))


def _network(svc: Any) -> None:
    svc.people.set_me("Me Myself")
    svc.people.edit("Me Myself", org="Yew Ltd")
    for name, org, tier in (("Ann Alist", "Xeno Corp", "A"), ("Bo Sameorg", "Xeno Corp", None),
                            ("Cy Myorg", "Yew Ltd", None), ("Di Elsewhere", "Zed Inc", None),
                            ("Ed Ranked", "Zed Inc", "B"), ("Flo Touched", None, None),
                            ("Gus Archived", "Xeno Corp", None), ("Hal Gone", None, None)):
        svc.people.add(NewPerson(name=name, org=org, tier=tier))
    svc.agenda.touched("Ed Ranked")  # touched and ranked: known
    svc.agenda.touched("Flo Touched")  # touched, never ranked: unknown
    svc.agenda.archive("Gus Archived", "moved away")
    svc.people.delete("Hal Gone")
    _set(svc, "Bo Sameorg", birthday="1980-12-01")
    _set(svc, "Cy Myorg", birthday="--02-29", anniversary="2010-06-12")
    _set(svc, "Gus Archived", birthday="1970-01-01")  # archived: not on the agenda
    _set(svc, "Hal Gone", anniversary="2001-01-01")  # in the trash
    _set(svc, "Me Myself", birthday="1975-05-05")  # yours is not a reminder


def test_unknown_people_their_shared_organizations_and_count(svc: Any) -> None:
    _network(svc)
    me = svc.people.resolve("Me Myself").key
    with svc.db.read() as conn:
        unknown = {u.name: u for u in tq.unknown_people(conn, me)}
        count = tq.count_unknown(conn)
        without_me = {u.name: u.shared_org for u in tq.unknown_people(conn, None)}
    # Ann is ranked but never touched; Flo touched but never ranked; Ed is known
    assert set(unknown) == {"Ann Alist", "Bo Sameorg", "Cy Myorg", "Di Elsewhere",
                            "Flo Touched"}
    assert count == 5
    # Bo works where Ann (A-list) works, Cy where you do
    assert {n for n, u in unknown.items() if u.shared_org} == {"Ann Alist", "Bo Sameorg",
                                                               "Cy Myorg"}
    assert {n for n, shared in without_me.items() if shared} == {"Ann Alist", "Bo Sameorg"}
    # newest first, and the limit keeps the newest
    with svc.db.read() as conn:
        assert [u.name for u in tq.unknown_people(conn, me, limit=2)] == [
            "Flo Touched", "Di Elsewhere"]


def test_birthdays_and_anniversaries_of_the_live_people(svc: Any) -> None:
    _network(svc)
    with svc.db.read() as conn:
        births = {u.name: u.birthday for u in tq.with_birthdays(conn)}
        anniversaries = {u.name: u.anniversary for u in tq.with_anniversaries(conn)}
    assert births == {"Bo Sameorg": "1980-12-01", "Cy Myorg": "--02-29"}
    assert anniversaries == {"Cy Myorg": "2010-06-12"}


def test_sqlite_reads_the_day_one_indexes(tmp_path: Any) -> None:
    """The plans migration 0017 is for, on SQLite, of the statements the queries run:
    the partial indexes for birthdays and anniversaries, the tier index for a tier's
    untouched people and for the A-list's organizations, and for the unknown a walk
    newest first (no two-index OR, which sorted every match)."""
    from datetime import date

    from sqlalchemy import event

    from kithbook.config import Config
    from kithbook.services.app import Services

    svc = Services.open(Config(db=str(tmp_path / "k.db"), as_of=date(2026, 11, 27)))
    try:
        _network(svc)
        me = svc.people.resolve("Me Myself").key
        ran: list[tuple[str, Any]] = []

        def seen(_c: Any, _cur: Any, sql: str, params: Any, *_: Any) -> None:
            ran.append((sql, params))

        def plans(call: Any) -> list[str]:
            ran.clear()
            with svc.db.read() as conn:
                event.listen(svc.db.engine, "before_cursor_execute", seen)
                try:
                    call(conn)
                finally:
                    event.remove(svc.db.engine, "before_cursor_execute", seen)
                return [" | ".join(r[-1] for r in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + sql, params)) for sql, params in ran]

        assert "ix_people_birthday" in plans(tq.with_birthdays)[0]
        assert "ix_people_anniversary" in plans(tq.with_anniversaries)[0]
        assert "ix_people_tier_touch" in plans(
            lambda conn: tq.never_contacted(conn, date(2026, 11, 27)))[0]
        unknown, *_, shared = plans(lambda conn: tq.unknown_people(conn, me, limit=10))
        assert "MULTI-INDEX OR" not in unknown and "TEMP B-TREE" not in unknown, unknown
        assert "ix_people_tier_touch" in shared, shared
    finally:
        svc.close()
