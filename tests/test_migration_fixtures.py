"""Every released schema version upgrades to head without losing a row, and a kill at
any statement of the upgrade leaves the old schema or the new one, never a mix.

Fixtures in tests/data/schemas/ were written by the Kithbook that released each
version (tests/data/schemas/make_fixture.sh)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kithbook.store.db import SCHEMA_HEAD, open_database

FIXTURES = sorted((Path(__file__).parent / "data" / "schemas").glob("kithbook-*.db"))
# Documented changes of row counts per upgrade (none so far).
EXPECTED_CHANGES: dict[str, dict[str, int]] = {}

_CHILD = r"""
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from kithbook.store.db import Database
kill_at = int(os.environ["KILL_AT"])
seen = 0
@event.listens_for(Engine, "before_cursor_execute")
def _count(conn, cursor, statement, params, context, executemany):
    global seen
    if conn.get_execution_options().get("kb_write"):
        seen += 1
        if seen == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
db = Database("sqlite:///" + sys.argv[1])
db.migrate(backup=False)
print(seen)
"""


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'search_fts%'"
            " AND name NOT LIKE 'sqlite_%'")]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def _revision(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


def test_there_is_a_fixture_for_each_released_version() -> None:
    assert [p.stem.removeprefix("kithbook-") for p in FIXTURES] == ["0003"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_upgrades_to_head_keeping_every_row(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    shutil.copy(fixture, path)
    version = _revision(path)
    before = _counts(path)
    db = open_database(f"sqlite:///{path}")
    with db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() \
            == SCHEMA_HEAD
    db.close()
    after = _counts(path)
    for table, n in before.items():
        if table == "alembic_version":
            continue
        assert after[table] == n + EXPECTED_CHANGES.get(version, {}).get(table, 0), table
    backups = list(tmp_path.glob("k.db.pre-*.bak"))
    assert backups and _revision(backups[0]) == version  # backed up before upgrading
    assert before["people"] > 0 and before["changes"] > 0


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_upgrade_fills_the_name_words_from_the_name_documents(fixture: Path,
                                                              tmp_path: Path) -> None:
    """Migration 0013: people search by prefix reads person_name_words, which must hold
    the words of every live person's name document from the first open on."""
    path = tmp_path / "k.db"
    shutil.copy(fixture, path)
    open_database(f"sqlite:///{path}").close()
    con = sqlite3.connect(path)
    try:
        docs = con.execute("SELECT d.ref_id, d.body FROM search_docs d JOIN people p "
                           "ON p.id = d.ref_id WHERE d.kind = 'name' "
                           "AND p.deleted_at IS NULL").fetchall()
        rows = set(con.execute("SELECT word, person_id FROM person_name_words").fetchall())
    finally:
        con.close()
    assert rows == {(w, key) for key, body in docs for w in body.split()} != set()


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_a_kill_during_the_upgrade_leaves_old_or_new(fixture: Path, tmp_path: Path) -> None:
    env = {**os.environ, "KILL_AT": "0"}
    probe = tmp_path / "probe.db"
    shutil.copy(fixture, probe)
    done = subprocess.run([sys.executable, "-c", _CHILD, str(probe)], env=env,
                          capture_output=True, text=True, check=True)
    statements = int(done.stdout.strip())
    assert statements > 0
    old = _revision(fixture)
    head_tables = set(_counts(probe))
    old_tables = set(_counts(fixture))
    outcomes = set()
    # every statement while there are few; else an even spread (the first and the last
    # included) to keep the suite fast: bench/crash_loop.py sweeps them all
    points = sorted({1, statements, *range(1, statements + 1, max(1, statements // 5))})
    for kill_at in points:
        path = tmp_path / f"k{kill_at}.db"
        shutil.copy(fixture, path)
        run = subprocess.run([sys.executable, "-c", _CHILD, str(path)],
                             env={**env, "KILL_AT": str(kill_at)}, capture_output=True)
        assert run.returncode in (0, -signal.SIGKILL)
        rev = _revision(path)
        tables = set(_counts(path))
        assert (rev, tables) in ((old, old_tables), (SCHEMA_HEAD, head_tables)), kill_at
        outcomes.add(rev)
        db = open_database(f"sqlite:///{path}")  # a rerun finishes the upgrade
        with db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        db.close()
        assert _revision(path) == SCHEMA_HEAD
    assert old in outcomes
