"""Backups that restore: whole or nothing under the target's name, automatic backups
with retention, and restores that check an untrusted file before replacing anything."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kithbook.config import Config
from kithbook.domain.retention import Policy, to_keep
from kithbook.errors import StorageError
from kithbook.services.app import Services
from kithbook.services.people import NewPerson


def _svc(path: Path, **cfg: object) -> Services:
    return Services.open(Config(db=str(path), as_of=date(2026, 11, 27), **cfg))  # type: ignore[arg-type]


def _names(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return sorted(r[0] for r in con.execute("SELECT name FROM people"))
    finally:
        con.close()


def test_backup_then_restore_round_trip(tmp_path: Path) -> None:
    svc = _svc(tmp_path / "k.db")
    svc.people.add(NewPerson(name="Kept Person"))
    taken = svc.database.backup(tmp_path / "b.db")
    svc.people.add(NewPerson(name="Added Later"))
    result = svc.database.restore(taken.path)
    assert result.people >= 1 and Path(result.safety_copy).exists()
    names = {p.name for p in svc.people.list().items}
    assert "Kept Person" in names and "Added Later" not in names
    assert "Added Later" in _names(Path(result.safety_copy))  # nothing is lost by a restore
    svc.close()


def test_a_killed_backup_leaves_nothing_under_the_target_name(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    svc = _svc(db)
    svc.people.add(NewPerson(name="Kept Person"))
    svc.close()
    child = (
        "import sys, os, signal, sqlite3\n"
        "from kithbook.store import backup\n"
        "real = sqlite3.connect\n"
        "class Conn:\n"
        "    def __init__(self, c): self.c = c\n"
        "    def execute(self, sql, *a):\n"
        "        if sql.startswith('VACUUM INTO'):\n"
        "            self.c.execute(sql, *a); os.kill(os.getpid(), signal.SIGKILL)\n"
        "        return self.c.execute(sql, *a)\n"
        "    def close(self): self.c.close()\n"
        "sqlite3.connect = lambda *a, **k: Conn(real(*a, **k))\n"
        "backup.online_backup(__import__('pathlib').Path(sys.argv[1]), "
        "__import__('pathlib').Path(sys.argv[2]))\n")
    target = tmp_path / "out" / "copy.db"
    target.parent.mkdir()
    run = subprocess.run([sys.executable, "-c", child, str(db), str(target)],
                         capture_output=True, env=os.environ.copy())
    assert run.returncode == -signal.SIGKILL
    assert not target.exists()
    leftovers = list(target.parent.iterdir())
    assert all(p.name.startswith(".") and p.name.endswith(".kbtmp") for p in leftovers)
    svc = _svc(db)
    svc.database.backup(target)  # the next backup into the folder cleans up after the kill
    assert [p.name for p in target.parent.iterdir()] == ["copy.db"]
    svc.close()


@pytest.mark.parametrize("damage", ["truncate", "flip", "trigger", "not_sqlite", "foreign",
                                    "future", "dangling"])
def test_restore_refuses_untrusted_files_and_touches_nothing(tmp_path: Path,
                                                              damage: str) -> None:
    svc = _svc(tmp_path / "k.db")
    svc.people.add(NewPerson(name="Live Person"))
    bad = svc.database.backup(tmp_path / "bad.db").path
    data = bad.read_bytes()
    if damage == "truncate":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        mutated = bytearray(data)
        for off in range(4096 + 100, len(mutated), 997):
            mutated[off] ^= 0xFF
        bad.write_bytes(bytes(mutated))
    elif damage == "not_sqlite":
        bad.write_bytes(b"hello, world\n" * 100)
    else:
        con = sqlite3.connect(bad)
        if damage == "trigger":
            con.execute("CREATE TRIGGER t AFTER INSERT ON people BEGIN DELETE FROM people; END")
        elif damage == "foreign":
            con.execute("DROP TABLE people")
        elif damage == "future":
            con.execute("UPDATE alembic_version SET version_num = '9999'")
        elif damage == "dangling":
            con.execute("INSERT INTO person_emails (person_id, value, normalized, is_primary,"
                        " source, created_at) VALUES (424242, 'x@y.z', 'x@y.z', 0, 'm', "
                        "'2026-01-01')")
        con.commit()
        con.close()
    with pytest.raises(StorageError):
        svc.database.restore(bad)
    svc.close()
    assert "Live Person" in _names(tmp_path / "k.db")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".kbtmp")]
    assert not list(tmp_path.glob("*.before-restore-*"))  # refused before replacing anything


def test_restore_of_an_older_schema_migrates_the_copy(tmp_path: Path) -> None:
    fixture = Path(__file__).parent / "data" / "schemas" / "kithbook-0003.db"
    svc = _svc(tmp_path / "k.db")
    result = svc.database.restore(fixture)
    assert result.schema_was == "0003" and result.people > 40
    assert len(svc.people.list().items) > 40
    assert fixture.read_bytes()[:16] == b"SQLite format 3\x00"  # the source is not touched
    svc.close()


def test_automatic_backups_follow_the_schedule_and_retention(tmp_path: Path) -> None:
    # a small policy over five months reaches every tier's limit with 150 backups (the
    # default 7 daily, 4 weekly, 12 monthly needed 400, each a real fsynced copy)
    svc = _svc(tmp_path / "k.db", backup_every_hours=24, backup_keep_daily=3,
               backup_keep_weekly=2, backup_keep_monthly=3)
    start = datetime(2025, 1, 1, 3, tzinfo=UTC)
    taken = 0
    for hour in range(0, 150 * 24, 6):  # 150 days, checked every 6 hours
        if svc.database.auto_backup(now=start + timedelta(hours=hour)) is not None:
            taken += 1
    assert taken == 150
    kept = svc.database.auto_backups()
    assert 3 <= len(kept) <= 3 + 2 + 3
    newest = kept[-1][1]
    assert newest == start + timedelta(hours=149 * 24)
    assert kept[0][1] < start + timedelta(days=120)  # a monthly one is older than the weeks
    assert svc.database.auto_backup(now=newest + timedelta(hours=1)) is None  # not due
    for path, _ in kept:
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA quick_check").fetchone() == ("ok",)
        con.close()
    svc.close()


def test_retention_keeps_daily_weekly_monthly() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    taken = [(f"b{i}", start + timedelta(days=i)) for i in range(120)]
    keep = to_keep(taken, Policy(daily=7, weekly=4, monthly=3))
    assert {f"b{i}" for i in range(113, 120)} <= keep  # the last seven days
    assert len(keep) <= 7 + 4 + 3
    assert "b119" in keep and "b0" not in keep


def test_a_restore_starts_a_new_graph_epoch(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A restored file carries the graph revision it had when backed up. If it kept its
    identity too, a graph cached after the backup would pass for current once new
    writes brought the revision back to the same number (docs/graph-cache.md)."""
    import numpy as np

    from kithbook.graph import warm

    monkeypatch.setenv("KITHBOOK_CACHE_DIR", str(tmp_path / "cache"))
    svc = _svc(tmp_path / "k.db")
    a, b, c, d = (svc.people.add(NewPerson(name=f"{n} Graph")).id for n in "ABCD")
    svc.ties.tie(a, b, strength=3)
    taken = svc.database.backup(tmp_path / "b.db")
    svc.ties.tie(a, c, strength=4)
    before = svc.network.graph()  # warm, and cached: a-b and a-c
    svc.database.restore(taken.path)
    svc.ties.tie(b, d, strength=2)  # the same number of changes since the backup
    got = svc.network.graph()
    with svc.db.read() as conn:
        fresh = warm.build_from_store(conn, svc.network.graph_now(), dict(got.stamp or {}))
    assert (got.stamp or {}).get("epoch") != (before.stamp or {}).get("epoch")
    assert np.array_equal(np.asarray(got.ids), np.asarray(fresh.ids))
    assert np.array_equal(np.asarray(got.indices), np.asarray(fresh.indices))
    assert np.array_equal(np.asarray(got.indptr), np.asarray(fresh.indptr))
    svc.close()
