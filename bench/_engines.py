"""Where a benchmark runs: an SQLite file, or a scratch PostgreSQL database.

Every workload takes `--db`: nothing (an SQLite file in a temporary folder), a path
(that SQLite file), or a `postgresql+psycopg://` URL. For PostgreSQL a scratch database
is made beside the one the URL names and dropped at the end, so a run never touches
real data and two runs never see each other's rows.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def is_postgres(db: str | None) -> bool:
    return bool(db) and str(db).startswith("postgresql")


def engine_name(url: str) -> str:
    return "PostgreSQL" if is_postgres(url) else "SQLite"


@contextmanager
def scratch(db: str | None, name: str = "bench.db") -> Iterator[str]:
    """A database URL to run in: `db` if it is an SQLite path (kept afterwards), a new
    SQLite file in a temporary folder when `db` is None, or a scratch PostgreSQL database
    beside the one `db` names (dropped afterwards)."""
    if not is_postgres(db):
        if db:
            yield f"sqlite:///{Path(db).resolve()}"
            return
        with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
            yield f"sqlite:///{Path(tmp) / name}"
        return
    from sqlalchemy import create_engine, text

    assert db is not None
    scratch_name = f"kb_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(db, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{scratch_name}"'))
    try:
        yield f"{db.rsplit('/', 1)[0]}/{scratch_name}"
    finally:
        with admin.connect() as c:
            c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = :n"), {"n": scratch_name})
            c.execute(text(f'DROP DATABASE IF EXISTS "{scratch_name}"'))
        admin.dispose()


def settle(url: str) -> None:
    """After a bulk load on PostgreSQL, do what autovacuum would do next (VACUUM ANALYZE
    of every table): a run that starts at once otherwise measures autovacuum working
    beside it (a core of this 2-core machine, for most of a web run after loading
    100,000 people), not the steady state a team's database is in. SQLite: nothing."""
    if not is_postgres(url):
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text("VACUUM ANALYZE"))
    engine.dispose()
