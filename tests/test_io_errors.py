"""An I/O error at any statement of an import (RELIABILITY.md, check 10): SQLite's own
VFS is out of reach from Python, so the error ("disk I/O error", what SQLite reports
when the device fails) is injected before the k-th statement, for every k of the
import. Each run must end in one StorageError line, leave the database byte-equal in
content with `integrity_check` ok, and the same import must then succeed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from kithbook.config import Config
from kithbook.errors import StorageError
from kithbook.services.app import Services
from kithbook.services.people import NewPerson

CARDS = "".join(
    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person Number{i}\r\nEMAIL:p{i}@example.com\r\n"
    f"TEL:+44 20 7946 00{i:02d}\r\nORG:Org {i % 3}\r\nNOTE:note {i}\r\nEND:VCARD\r\n"
    for i in range(6)).encode()


def _state(db: Path) -> tuple[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT name FROM people ORDER BY id").fetchall()
        rows += con.execute("SELECT value FROM person_emails ORDER BY id").fetchall()
        rows += con.execute("SELECT count(*) FROM imports").fetchall()
        return con.execute("PRAGMA integrity_check").fetchone()[0], rows
    finally:
        con.close()


class Inject:
    """Raise 'disk I/O error' before statement number `at` (1-based); count them all."""

    def __init__(self, at: int | None) -> None:
        self.at = at
        self.seen = 0

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.seen += 1
        if self.seen == self.at:
            raise sqlite3.OperationalError("disk I/O error")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("base") / "k.db"
    svc = Services.open(Config(db=str(db)))
    svc.people.add(NewPerson(name="Kept Person", emails=["kept@example.com"]))
    svc.close()
    return db


def _import(db: Path, at: int | None) -> tuple[int, StorageError | None]:
    svc = Services.open(Config(db=str(db)))
    inject = Inject(at)
    event.listen(svc.db.engine, "before_cursor_execute", inject)
    try:
        svc.transfer.import_bytes(CARDS, filename="cards.vcf", dry_run=False)
        return inject.seen, None
    except StorageError as exc:
        return inject.seen, exc
    finally:
        event.remove(svc.db.engine, "before_cursor_execute", inject)
        svc.close()


def test_an_io_error_at_every_statement_of_an_import(base: Path, tmp_path: Path) -> None:
    probe = tmp_path / "probe.db"
    shutil.copy(base, probe)
    total, err = _import(probe, None)
    assert err is None and total > 5
    before = _state(base)
    failed = 0
    for k in range(1, total + 1):
        db = tmp_path / f"k{k}.db"
        shutil.copy(base, db)
        _, err = _import(db, k)
        if err is None:  # the statement was not part of the write (nothing to fail)
            continue
        failed += 1
        assert "disk reported an error" in str(err) and "\n" not in str(err), err
        assert _state(db) == before, k
        again, err2 = _import(db, None)
        assert err2 is None, (k, err2)
        assert len(_state(db)[1]) > len(before[1])
    print(f"{total} statements, {failed} injected faults, 0 changes")
    assert failed >= total // 2
