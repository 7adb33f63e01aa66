"""Storage guarantees: pragmas on every connection, migrations from empty, backups,
concurrent writers, and all-or-nothing transactions."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect

from kithbook.errors import StorageError
from kithbook.store.db import Database, open_database


def test_pragmas_on_every_connection(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'k.db'}")
    for _ in range(3):
        with db.read() as conn:
            got = {
                p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                for p in (
                    "journal_mode",
                    "synchronous",
                    "foreign_keys",
                    "busy_timeout",
                    "trusted_schema",
                    "secure_delete",
                )
            }
        assert got == {
            "journal_mode": "wal",
            "synchronous": 2,
            "foreign_keys": 1,
            "busy_timeout": 5000,
            "trusted_schema": 0,
            "secure_delete": 1,
        }
    db.close()


def test_migrations_from_empty_on_both(empty_db_url: str) -> None:
    db = Database(empty_db_url)
    assert db.current_revision() is None
    db.migrate()
    assert db.current_revision() == db.head_revision()
    with db.read() as conn:
        names = set(inspect(conn).get_table_names())
    assert {"people", "orgs", "ties", "interactions", "promises", "notes", "changes"} <= names
    assert db.migrate() is None  # idempotent
    db.close()


def test_refuses_a_foreign_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE stuff (x)")
    con.commit()
    con.close()
    with pytest.raises(StorageError, match="not a Kithbook one"):
        open_database(f"sqlite:///{path}")


def test_online_backup_is_consistent_while_in_use(tmp_path: Path) -> None:
    from kithbook import ids
    from kithbook.store import people as st

    path = tmp_path / "k.db"
    db = open_database(f"sqlite:///{path}")
    with db.write("x") as j:
        st.insert_person(j, ids.new_id("person"), "Kept Person")
    with db.read():  # a reader holds a snapshot while the backup runs
        backup = db.backup_to(tmp_path / "copy.db")
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert con.execute("SELECT name FROM people").fetchall() == [("Kept Person",)]
    assert not (tmp_path / "copy.db.part").exists()
    db.close()


def test_write_is_all_or_nothing(tmp_path: Path) -> None:
    from kithbook import ids
    from kithbook.store import people as st

    db = open_database(f"sqlite:///{tmp_path / 'k.db'}")
    with pytest.raises(RuntimeError), db.write("x") as j:
        st.insert_person(j, ids.new_id("person"), "Half Written")
        raise RuntimeError("boom")
    with db.read() as conn:
        assert st.count_people(conn) == 0
    db.close()


def test_concurrent_writers_do_not_lock_out(tmp_path: Path) -> None:
    from kithbook import ids
    from kithbook.store import people as st

    url = f"sqlite:///{tmp_path / 'k.db'}"
    open_database(url).close()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        db = Database(url)
        try:
            for i in range(25):
                with db.write("x") as j:
                    count = st.count_people(j.conn)  # read, then write in one transaction
                    st.insert_person(j, ids.new_id("person"), f"P{n}-{i}-{count}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db = Database(url)
    with db.read() as conn:
        assert st.count_people(conn) == 100
    db.close()


def _upgrade_to(db: Database, revision: str) -> None:
    from alembic import command

    cfg = db._alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn.execution_options(kb_write=True)
        command.upgrade(cfg, revision)
        conn.commit()


def test_upgrade_keeps_data_and_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    db = Database(f"sqlite:///{path}")
    _upgrade_to(db, "0001")
    with db.write("seed", record=False) as j:
        j.conn.exec_driver_sql(
            "INSERT INTO people (public_id, name, name_folded, is_me, created_at, updated_at) "
            "VALUES ('per_0000000000000001', 'Old Friend', 'old friend', 0, "
            "'2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
    backup = db.migrate()
    assert backup is not None and backup.exists()
    assert db.current_revision() == db.head_revision()
    old = sqlite3.connect(backup)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert old.execute("SELECT name FROM people").fetchall() == [("Old Friend",)]
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT name FROM people").scalars().all() == ["Old Friend"]
        # 0003 gave the existing person a name-only search document
        assert conn.exec_driver_sql(
            "SELECT body FROM search_docs WHERE kind = 'name'").scalars().all() == ["old friend"]
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    db.close()


def test_schema_and_migrations_agree(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from kithbook.store import graph_log
    from kithbook.store.schema import metadata

    db = open_database(db_url)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), [metadata, graph_log.metadata])
    # the search index objects are made by hand per backend; everything else must match
    assert [d for d in diff if "search" not in str(d) and "tsv" not in str(d)] == []
    db.close()


def test_downgrade_to_empty_and_up_again(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    db = open_database(db_url)
    cfg = db._alembic_config()
    for step, target in ((command.downgrade, "base"), (command.upgrade, "head")):
        with db.engine.connect() as conn:
            cfg.attributes["connection"] = conn.execution_options(kb_write=True)
            step(cfg, target)
            conn.commit()
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
        assert bool(tables) == (target == "head"), tables
    assert db.current_revision() == db.head_revision()
    db.close()


def test_schema_head_constant_matches_alembic(tmp_path: Path) -> None:
    from kithbook.store.db import SCHEMA_HEAD

    db = Database(f"sqlite:///{tmp_path / 'k.db'}")
    assert db.head_revision() == SCHEMA_HEAD
    db.close()
