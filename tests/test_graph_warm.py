"""The warm graph (graph/warm.py) kept current by the database's change log equals the
graph rebuilt from scratch, after any sequence of writes, on SQLite and PostgreSQL; a
cache saved by one process is used by another and refused when stale."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kithbook.errors import KithbookError
from kithbook.services.dupes import DupesService
from kithbook.store import schema as s

OPS = st.one_of(
    st.tuples(st.just("add")),
    st.tuples(st.just("tie"), st.integers(0, 30), st.integers(0, 30), st.integers(1, 5)),
    st.tuples(st.just("log"), st.lists(st.integers(0, 30), min_size=1, max_size=4),
              st.integers(0, 900)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("drop_log"), st.integers(0, 30)),
    st.tuples(st.just("merge"), st.integers(0, 30), st.integers(0, 30)),
    st.tuples(st.just("undo")),
)


def _same(a: Any, b: Any) -> None:
    assert np.array_equal(np.asarray(a.ids), np.asarray(b.ids))
    assert np.array_equal(np.asarray(a.indptr), np.asarray(b.indptr))
    assert np.array_equal(np.asarray(a.indices), np.asarray(b.indices))
    assert np.array_equal(np.asarray(a.weights), np.asarray(b.weights))
    assert np.allclose(np.asarray(a.wsum), np.asarray(b.wsum))


def _apply(svc: Any, people: list[str], logs: list[str], op: tuple[Any, ...]) -> None:
    from kithbook.services.interactions import NewInteraction
    from kithbook.services.people import NewPerson

    def who(i: int) -> str:
        return people[i % len(people)]

    kind = op[0]
    if kind == "add" or len(people) < 2:
        people.append(svc.people.add(NewPerson(name=f"P{len(people)} Warm")).id)
        return
    if kind == "tie" and who(op[1]) != who(op[2]):
        svc.ties.tie(who(op[1]), who(op[2]), strength=op[3])
    elif kind == "log":
        when = svc.now - timedelta(days=op[2])
        it = svc.interactions.log(NewInteraction(
            with_people=sorted({who(i) for i in op[1]}), when=when, channel="call",
            initiated_by="me" if op[2] % 2 else None))
        logs.append(it.id)
    elif kind == "delete":
        svc.trash.delete(who(op[1]))
    elif kind == "drop_log" and logs:
        svc.trash.delete(logs[op[1] % len(logs)])
    elif kind == "merge" and who(op[1]) != who(op[2]):
        DupesService(svc).merge(who(op[1]), who(op[2]))
    elif kind == "undo":
        svc.history.undo()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=1, max_size=8))
def test_warm_graph_equals_rebuild(svc: Any, ops: list[tuple[Any, ...]]) -> None:
    from kithbook.graph import warm

    if not hasattr(svc, "_warm_people"):
        svc.people.set_me("Me Warm")
    people: list[str] = getattr(svc, "_warm_people", [])
    logs: list[str] = getattr(svc, "_warm_logs", [])
    svc._warm_people, svc._warm_logs = people, logs
    svc.network.graph()  # warm before the writes
    for op in ops:
        with contextlib.suppress(KithbookError):
            _apply(svc, people, logs, op)
    g = svc.network.graph()
    assert warm.LAST.how in ("warm", "delta")
    with svc.db.read() as conn:
        fresh = warm.build_from_store(conn, svc.network.graph_now(), dict(g.stamp or {}))
    _same(g, fresh)


def test_delta_is_used_and_exact_on_a_merge(svc: Any) -> None:
    from kithbook.graph import warm
    from kithbook.services.interactions import NewInteraction
    from kithbook.services.people import NewPerson

    svc.people.set_me("Ann")
    ids = [svc.people.add(NewPerson(name=n)).id for n in ("Bo", "Cy", "Di", "Ed")]
    svc.ties.tie(ids[0], ids[1], strength=4)
    svc.ties.tie(ids[2], ids[3], strength=2)
    svc.network.graph()
    svc.interactions.log(NewInteraction(with_people=[ids[0], ids[2]],
                                        when=svc.now - timedelta(days=3)))
    DupesService(svc).merge(ids[1], ids[3])
    g = svc.network.graph()
    assert warm.LAST.how == "delta" and warm.LAST.changed_people >= 3
    with svc.db.read() as conn:
        _same(g, warm.build_from_store(conn, svc.network.graph_now(), {}))
    svc.history.undo()
    g = svc.network.graph()
    assert warm.LAST.how == "delta"
    with svc.db.read() as conn:
        _same(g, warm.build_from_store(conn, svc.network.graph_now(), {}))


def test_a_bulk_load_renews_the_graph_and_the_log_resumes(svc: Any) -> None:
    """The demo's bulk load runs with the per-row log off (store/graph_log.suspended):
    a graph warmed before it must not pass for current after it, and the writes after
    it are logged again (a delta, equal to a rebuild)."""
    from kithbook.graph import warm
    from kithbook.services.demo import load_demo
    from kithbook.services.people import NewPerson
    from kithbook.store import graph_log as gl

    svc.people.set_me("Ann")
    before = svc.network.graph()
    with svc.db.read() as conn:
        epoch, rev = gl.epoch(conn), gl.revision(conn)
    load_demo(svc, 60, force=True, alliances=False, craft=False)
    with svc.db.read() as conn:  # nothing logged, a new identity instead (both engines)
        assert gl.epoch(conn) != epoch
        assert gl.revision(conn) == rev
    g = svc.network.graph()
    assert warm.LAST.how == "built"
    assert g.edges > before.edges
    with svc.db.read() as conn:
        _same(g, warm.build_from_store(conn, svc.network.graph_now(), {}))
    a, b = (svc.people.add(NewPerson(name=n)).id for n in ("Bulk After", "Load After"))
    svc.ties.tie(a, b, strength=3)
    g = svc.network.graph()
    assert warm.LAST.how == "delta" and warm.LAST.changed_people >= 2
    with svc.db.read() as conn:
        _same(g, warm.build_from_store(conn, svc.network.graph_now(), {}))


def test_the_log_is_off_only_inside_a_suspended_write(svc: Any) -> None:
    """`graph_log.suspended` turns the log off for its own writes only: the same
    transaction logs again after it, and a suspended write that fails leaves the next
    transaction (on a pooled connection) logging as before."""
    from kithbook.services.people import NewPerson
    from kithbook.store import graph_log as gl

    keys = [svc.people.add(NewPerson(name=f"Log {n}")).id for n in range(4)]
    with svc.db.read() as conn:
        ids = dict(conn.execute(select(s.people.c.public_id, s.people.c.id)).all())
    a, b, c, d = (ids[k] for k in keys)

    def log_rows(conn: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(gl.graph_log)).scalar_one())

    def tie(j: Any, x: int, y: int, n: int) -> None:
        j.conn.execute(s.ties.insert().values(
            public_id=f"tie_log{n}", a_id=min(x, y), b_id=max(x, y), kind="knows",
            strength=3, source="test", created_at=svc.now))

    with svc.db.read() as conn:
        logged, epoch = log_rows(conn), gl.epoch(conn)
    with svc.db.write("test", record=False, now=svc.now) as j:
        with gl.suspended(j.conn):
            tie(j, a, b, 1)
        assert log_rows(j.conn) == logged  # nothing logged inside
        tie(j, c, d, 2)
        assert log_rows(j.conn) == logged + 2  # logged again after it
    with svc.db.read() as conn:
        assert gl.epoch(conn) != epoch
        logged = log_rows(conn)
    for _ in range(3):  # every pooled connection's turn
        with pytest.raises(RuntimeError), \
                svc.db.write("test", record=False, now=svc.now) as j, gl.suspended(j.conn):
            tie(j, a, c, 3)
            raise RuntimeError("the bulk write fails")
    with svc.db.write("test", record=False, now=svc.now) as j:
        tie(j, b, d, 4)
    with svc.db.read() as conn:
        assert log_rows(conn) == logged + 2


def test_updates_log_only_the_rows_whose_graph_columns_changed(svc: Any) -> None:
    """The update triggers log a person whose `deleted_at` changed and an interaction
    whose time, channel, initiator or `deleted_at` changed, however many rows one
    statement updates, and nothing for other columns (PostgreSQL compares the
    statement's old and new rows as sets, migration 0016)."""
    from sqlalchemy import update

    from kithbook.services.people import NewPerson
    from kithbook.store import graph_log as gl

    keys = [svc.people.add(NewPerson(name=f"Trig {n}")).id for n in range(6)]
    with svc.db.read() as conn:
        ids = dict(conn.execute(select(s.people.c.public_id, s.people.c.id)).all())
    people = [ids[k] for k in keys]
    p = s.people

    def logged(conn: Any, since: int) -> list[tuple[Any, Any]]:
        return sorted(tuple(r) for r in conn.execute(
            select(gl.graph_log.c.person_id, gl.graph_log.c.interaction_id)
            .where(gl.graph_log.c.rev > since)))

    with svc.db.read() as conn:
        rev = gl.revision(conn)
    with svc.db.write("test", record=False, now=svc.now) as j:
        j.conn.execute(update(p).where(p.c.id.in_(people)).values(tier="B"))
        assert logged(j.conn, rev) == []
        j.conn.execute(update(p).where(p.c.id.in_(people[:2])).values(deleted_at=svc.now))
        assert logged(j.conn, rev) == [(k, None) for k in sorted(people[:2])]
        iid = j.conn.execute(s.interactions.insert().values(
            public_id="int_trigger_test", occurred_at=svc.now, channel="call",
            summary="a call", created_at=svc.now).returning(s.interactions.c.id)).scalar_one()
    with svc.db.read() as conn:
        rev = gl.revision(conn)
    with svc.db.write("test", record=False, now=svc.now) as j:
        it = s.interactions
        j.conn.execute(update(it).where(it.c.id == iid).values(summary="still a call"))
        assert logged(j.conn, rev) == []
        j.conn.execute(update(it).where(it.c.id == iid).values(channel="video"))
        assert logged(j.conn, rev) == [(None, iid)]


_CHILD = """
import json, sys
from datetime import date
from kithbook.config import Config
from kithbook.services.app import Services
from kithbook.graph import warm
s = Services.open(Config(db=sys.argv[1], as_of=date(2026, 11, 27)))
warm.CATCH_UP_SAVE = int(sys.argv[2])
g = s.network.graph()
print(json.dumps({"how": warm.LAST.how, "edges": g.edges, "rev": g.stamp["rev"]}))
"""


def _child(url: str, env: dict[str, str], catch_up_save: int = 1) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", _CHILD, url, str(catch_up_save)],
                         capture_output=True,
                         text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_cache_shared_between_processes_and_refused_when_stale(
    svc: Any, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from kithbook.graph import warm
    from kithbook.services.people import NewPerson

    cache = tmp_path / "cache"
    monkeypatch.setenv("KITHBOOK_CACHE_DIR", str(cache))
    env = {**os.environ, "KITHBOOK_CACHE_DIR": str(cache),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    svc.people.set_me("Ann")
    b = svc.people.add(NewPerson(name="Bo")).id
    c = svc.people.add(NewPerson(name="Cy")).id
    svc.ties.tie("me", b, strength=5)
    warm.forget()
    svc.network.graph()  # built here and saved
    assert warm.LAST.how == "built"
    first = _child(db_url, env)
    assert first["how"] == "loaded" and first["edges"] == 1
    svc.ties.tie(b, c, strength=3)  # the saved graph is now one change behind
    second = _child(db_url, env, catch_up_save=1000)  # a short catch-up is not saved
    assert second["how"] == "delta" and second["edges"] == 2
    assert second["rev"] > first["rev"]
    second = _child(db_url, env, catch_up_save=1)
    assert second["how"] == "delta" and second["edges"] == 2
    # it saved what it caught up: the next process loads that, with no delta to repeat
    again = _child(db_url, env)
    assert again == {**second, "how": "loaded"}
    # a cache from another database (another epoch) is refused
    with svc.db.engine.begin() as conn:
        from sqlalchemy import text
        conn.execute(text("UPDATE graph_rev SET epoch = 'other'"))
    third = _child(db_url, env)
    assert third["how"] == "built" and third["edges"] == 2


def test_a_large_ties_import_and_its_undo_renew_the_graph(
        svc: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ties import touching more people than a delta would patch (BULK_PEOPLE, lowered
    here to 3) writes no log rows on either engine, and the warm graph is rebuilt, equal
    to a rebuild, after the import and after its undo; a small one is still a delta."""
    from kithbook.graph import warm
    from kithbook.services.people import NewPerson
    from kithbook.store import graph_log as gl

    monkeypatch.setattr(gl, "BULK_PEOPLE", 3)
    svc.people.set_me("Ann")
    for n in range(6):
        svc.people.add(NewPerson(name=f"Bulk {n}", emails=[f"b{n}@example.com"]))
    svc.network.graph()

    def ties_csv(pairs: list[tuple[int, int]]) -> bytes:
        return ("person_a,person_b,strength\n" + "".join(
            f"b{x}@example.com,b{y}@example.com,4\n" for x, y in pairs)).encode()

    with svc.db.read() as conn:
        rev = gl.revision(conn)
    report = svc.transfer.import_bytes(ties_csv([(0, 1), (2, 3), (4, 5)]),
                                       filename="ties.csv", dry_run=False)
    assert report.created == 3
    with svc.db.read() as conn:
        assert gl.revision(conn) == rev
    for step in ("import", "undo"):
        g = svc.network.graph()
        assert warm.LAST.how == "built", step
        assert g.edges == (3 if step == "import" else 0)
        with svc.db.read() as conn:
            _same(g, warm.build_from_store(conn, svc.network.graph_now(), {}))
        if step == "import":
            svc.history.undo(report.id)
    svc.transfer.import_bytes(ties_csv([(0, 1)]), filename="one.csv", dry_run=False)
    g = svc.network.graph()
    assert warm.LAST.how == "delta" and g.edges == 1


@pytest.mark.postgres
def test_postgres_moves_the_revision_once_per_transaction(pg_migrated_url: str) -> None:
    """Migration 0014: every statement of one transaction logs under one revision (the
    counter row is updated once, not once per statement), the next transaction gets the
    next one, and nothing logged is lost."""
    from sqlalchemy import insert, select, text

    from kithbook.store import graph_log as gl
    from kithbook.store import schema as s
    from kithbook.store.db import open_database

    db = open_database(pg_migrated_url)
    now = datetime(2026, 11, 27, tzinfo=UTC)
    with db.engine.begin() as conn:
        before = gl.revision(conn)
        keys = [conn.execute(insert(s.people).values(
            public_id=f"per_rev{k:012d}", name=f"Rev {k}", name_folded=f"rev {k}",
            is_me=False, created_at=now, updated_at=now).returning(s.people.c.id)).scalar_one()
            for k in range(6)]
        for k in range(5):  # five statements, one tie each
            conn.execute(insert(s.ties).values(
                public_id=f"tie_rev{k:012d}", a_id=keys[k], b_id=keys[k + 1], kind="knows",
                strength=3, source="test", created_at=now))
    with db.engine.connect() as conn:
        revs = conn.execute(select(gl.graph_log.c.rev).where(gl.graph_log.c.rev > before)
                            ).scalars().all()
        assert set(revs) == {before + 1}
        assert len(revs) == 6 + 10  # six people, two ends of each of five ties
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE ties SET strength = 4 WHERE source = 'test'"))
    with db.engine.connect() as conn:
        assert gl.revision(conn) == before + 2
        assert set(gl.changed_people(conn, before + 1, before + 2).tolist()) == set(keys)
    db.close()
