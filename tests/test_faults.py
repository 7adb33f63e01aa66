"""A full disk gives one clear line and leaves the database as it was: the file-size
limit of a child process stands in for the full disk (writes fail with EFBIG, as they
would with ENOSPC), and the database is checked afterwards."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from kithbook.config import Config
from kithbook.services.app import Services
from kithbook.services.people import NewPerson


def _limited(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def _kithbook(db: Path, *args: str, limit: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kithbook", "--db", str(db), *args],
                          capture_output=True, text=True, preexec_fn=_limited(limit),
                          env=os.environ.copy())


def _state(db: Path) -> tuple[str, int, list[str]]:
    con = sqlite3.connect(db)
    try:
        return (con.execute("PRAGMA integrity_check").fetchone()[0],
                con.execute("SELECT count(*) FROM people").fetchone()[0],
                [r[0] for r in con.execute("SELECT name FROM people ORDER BY id")])
    finally:
        con.close()


def test_import_on_a_full_disk_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    svc = Services.open(Config(db=str(db)))
    svc.people.add(NewPerson(name="Kept Person", emails=["kept@example.com"]))
    svc.close()
    cards = tmp_path / "many.vcf"
    cards.write_text("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person Number{i}\r\nEMAIL:p{i}@example.com\r\n"
        f"NOTE:{'long note ' * 40}\r\nEND:VCARD\r\n" for i in range(3000)))
    before = _state(db)
    wal = db.with_name("k.db-wal")
    limit = db.stat().st_size + (wal.stat().st_size if wal.exists() else 0) + 64 * 1024
    run = _kithbook(db, "import", str(cards), limit=limit)
    assert run.returncode == 7, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "nothing was written" in lines[0], lines
    assert "disk" in lines[0] and "Traceback" not in run.stderr
    assert _state(db) == before  # integrity ok, the same people
    ok = subprocess.run([sys.executable, "-m", "kithbook", "--db", str(db), "import",
                         str(cards)], capture_output=True, text=True, env=os.environ.copy())
    assert ok.returncode == 0, ok.stderr  # works again once there is room
    assert _state(db)[1] > 3000


def test_backup_to_a_full_disk_leaves_no_file(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    svc = Services.open(Config(db=str(db)))
    for i in range(200):
        svc.people.add(NewPerson(name=f"Person Number{i}", how_met="x" * 500))
    svc.close()
    out = tmp_path / "out"
    out.mkdir()
    run = _kithbook(db, "backup", str(out / "copy.db"), limit=64 * 1024)
    assert run.returncode == 7, run.stderr
    assert "disk" in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "nothing was changed" in run.stderr
    assert list(out.iterdir()) == []
    assert _state(db)[0] == "ok"


def test_a_really_full_filesystem(tmp_path: Path) -> None:
    """The same on a 2 MiB tmpfs, where SQLite sees ENOSPC (needs root to mount)."""
    import pytest

    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(small)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()[:80]}")
    try:
        db = small / "k.db"
        svc = Services.open(Config(db=str(db)))
        svc.people.add(NewPerson(name="Kept Person"))
        svc.close()
        cards = tmp_path / "many.vcf"
        cards.write_text("".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person Number{i}\r\n"
            f"NOTE:{'long note ' * 60}\r\nEND:VCARD\r\n" for i in range(4000)))
        before = _state(db)
        run = subprocess.run([sys.executable, "-m", "kithbook", "--db", str(db), "import",
                              str(cards)], capture_output=True, text=True,
                             env=os.environ.copy())
        assert run.returncode == 7, run.stderr
        assert "disk is full" in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert _state(db) == before
    finally:
        subprocess.run(["umount", str(small)], capture_output=True)
