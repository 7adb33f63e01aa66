"""SQLite backups and restores (RELIABILITY.md).

A backup is `VACUUM INTO` a hidden temporary file beside the target (a compact copy
that keeps no freed pages), fsynced, checked with `quick_check`, then renamed over the
target and the folder fsynced: the target name only ever holds a whole, checked copy.
A killed backup leaves at most a hidden `.NAME.PID.kbtmp` file, which the next backup
into that folder removes.

A restore treats the file as untrusted (SQLite's advice for databases of uncertain
provenance): a private copy is opened read-only with `trusted_schema=OFF`,
`cell_size_check=ON` and no memory mapping; `quick_check` runs first, then the schema
version, the tables, foreign keys and the absence of triggers and views are checked.
Only then is the copy migrated and written into the live database with SQLite's backup
API, which other connections see atomically.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kithbook.errors import StorageError
from kithbook.store import cipher
from kithbook.store.graph_log import SQLITE_TRIGGERS

TMP_SUFFIX = ".kbtmp"
_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.kbtmp$")
# fts5 keeps its index in these shadow tables; anything else virtual is foreign
_FTS_SHADOW = re.compile(r"^search_fts(_data|_idx|_docsize|_config|_content)?$")


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_temporaries(directory: Path) -> int:
    """Remove temporary files that killed backups or restores left in `directory`."""
    removed = 0
    with contextlib.suppress(OSError):
        for p in directory.iterdir():
            m = _TMP.match(p.name)
            if m and not _pid_alive(int(m.group("pid"))):
                with contextlib.suppress(OSError):
                    p.unlink()
                    removed += 1
    return removed


def temp_beside(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}{TMP_SUFFIX}")


def _io_error(what: str, exc: BaseException) -> StorageError:
    text = getattr(exc, "strerror", None) or str(exc)
    if "full" in text.lower() or getattr(exc, "errno", None) == 28:
        return StorageError(f"{what} failed: the disk is full.",
                            hint="Free some space and try again; nothing was changed.")
    return StorageError(f"{what} failed: {text}.",
                        hint="Check the free space and permissions; nothing was changed.")


def online_backup(source: Path, target: Path, *, key: str | None = None) -> Path:
    """Copy the live database at `source` to `target` (see the module docstring)."""
    target = Path(target)
    if not target.parent.is_dir():
        raise StorageError(f"the folder {target.parent} does not exist.",
                           hint="Create it first, or pick another place.")
    if target.resolve() == Path(source).resolve():
        raise StorageError("a backup cannot overwrite the database itself.",
                           hint="Pick another file name.")
    clean_temporaries(target.parent)
    tmp = temp_beside(target)
    tmp.unlink(missing_ok=True)
    try:
        src = cipher.connect(source, key, timeout=30)
        try:
            src.execute("PRAGMA busy_timeout=30000")
            src.execute("VACUUM INTO ?", (str(tmp),))
        finally:
            src.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        problem = quick_check(tmp, key)
        if problem:
            raise StorageError(f"the backup copy failed its check ({problem}).",
                               hint="Check the database itself.", remedy="database.check")
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except StorageError:
        tmp.unlink(missing_ok=True)
        raise
    except Exception as exc:  # sqlite3's, the SQLCipher module's, or the disk's
        tmp.unlink(missing_ok=True)
        raise _io_error(f"the backup to {target}", exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _untrusted(path: Path, key: str | None = None) -> Any:
    con = cipher.connect(f"file:{path}?mode=ro", key, uri=True, timeout=5)
    for pragma in ("trusted_schema=OFF", "cell_size_check=ON", "mmap_size=0"):
        con.execute(f"PRAGMA {pragma}")
    return con


def quick_check(path: Path, key: str | None = None) -> str | None:
    """None when the file passes SQLite's quick_check, else what it says."""
    try:
        con = _untrusted(path, key)
        try:
            rows = [r[0] for r in con.execute("PRAGMA quick_check").fetchall()]
        finally:
            con.close()
    except (sqlite3.Error, StorageError) as exc:
        return str(exc)
    except Exception as exc:  # the SQLCipher module's own error classes
        return str(exc)
    return None if rows == ["ok"] else "; ".join(str(r) for r in rows[:3])


@dataclass(frozen=True)
class FileCheck:
    revision: str
    people: int


def check_candidate(path: Path, known_revisions: list[str], tables: set[str], *,
                    key: str | None = None) -> FileCheck:
    """Validate a database file of unknown origin before anything uses it. Raises
    StorageError with what is wrong."""
    name = path.name
    with open(path, "rb") as fh:
        head = fh.read(16)
    if key is None and head != b"SQLite format 3\x00":
        raise StorageError(f"{name} is not an SQLite database.",
                           hint="Give a backup made by Kithbook.", remedy="database.backup")
    problem = quick_check(path, key)
    if problem:
        raise StorageError(f"{name} is damaged ({problem[:200]}).",
                           hint="Use another backup; the current database was not touched.")
    try:
        con = _untrusted(path, key)
        try:
            objects = con.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
            names = {n for t, n, _ in objects if t == "table"}
            if "alembic_version" not in names or "people" not in names:
                raise StorageError(f"{name} is an SQLite database but not a Kithbook one.",
                                   hint="Give a backup made by Kithbook.",
                                   remedy="database.backup")
            for kind, obj, sql in objects:
                if kind == "trigger" and sql == SQLITE_TRIGGERS.get(obj):
                    continue  # the graph change log's own (migration 0010)
                if kind in ("trigger", "view"):
                    raise StorageError(f"{name} contains a {kind} ({obj}) that Kithbook "
                                       "never makes; it is refused.",
                                       hint="Use a backup made by Kithbook.")
                if (kind == "table" and sql and "VIRTUAL TABLE" in sql.upper()
                        and not _FTS_SHADOW.match(obj)):
                    raise StorageError(f"{name} contains an unknown virtual table ({obj}).",
                                       hint="Use a backup made by Kithbook.")
            rev = con.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(rev[0]) if rev else ""
            if revision not in known_revisions:
                raise StorageError(
                    f"{name} has schema version {revision or 'none'}, which this Kithbook "
                    "does not know.", hint="Upgrade Kithbook to restore it.")
            if revision == known_revisions[-1] and not tables <= names:
                missing = ", ".join(sorted(tables - names))
                raise StorageError(f"{name} lacks tables ({missing}).",
                                   hint="Use a backup made by Kithbook.")
            bad = con.execute("PRAGMA foreign_key_check").fetchmany(3)
            if bad:
                raise StorageError(f"{name} has broken references (e.g. in {bad[0][0]}).",
                                   hint="Use another backup; the current database was "
                                   "not touched.")
            people = int(con.execute("SELECT count(*) FROM people").fetchone()[0])
        finally:
            con.close()
    except StorageError:
        raise
    except Exception as exc:  # sqlite3's or the SQLCipher module's own error classes
        raise StorageError(f"{name} cannot be read as a database ({exc}).",
                           hint="Use another backup; the current database was not touched."
                           ) from exc
    return FileCheck(revision=revision, people=people)


def copy_into(candidate: Path, live: Path, *, key: str | None = None) -> None:
    """Write the (checked, migrated) candidate into the live database through SQLite's
    backup API: it takes the write lock, and other connections see the old database or
    the new one, never a mix."""
    try:
        src = cipher.connect(candidate, key)
        dst = cipher.connect(live, key, timeout=30)
        try:
            dst.execute("PRAGMA busy_timeout=30000")
            src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
            src.close()
    except Exception as exc:  # sqlite3's or the SQLCipher module's own error classes
        raise _io_error("the restore", exc) from exc
