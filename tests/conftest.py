"""Shared fixtures: a real SQLite file per test, and the same tests on PostgreSQL when a
server is reachable (skipped with the reason otherwise)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PG_ADMIN_URL = os.environ.get(
    "KITHBOOK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _pg_reason() -> str | None:
    try:
        import psycopg  # noqa: F401
        from sqlalchemy import create_engine, text
    except ImportError:
        return "psycopg is not installed (pip install 'kithbook[postgres]')"
    try:
        eng = create_engine(
            PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        eng.dispose()
    except Exception as exc:  # any failure to connect means: no server here
        return f"no PostgreSQL server reachable at {PG_ADMIN_URL}: {type(exc).__name__}"
    return None


_PG_SKIP = _pg_reason()


# -- fast paths for what every test pays ------------------------------------------------
#
# Two costs were paid over and over without testing anything new (measured 2026-12-01,
# a full run of 13 min 17 s on 2 workers):
#
# - `typer.testing.CliRunner.invoke` turns the Typer app into a Click command on every
#   call (about 80 ms for 212 commands); the suite makes thousands of CLI calls. The
#   command is built from decorators run at import time, so building it once per app
#   and reusing it is what the real entry point does within one process.
# - a new SQLite file is migrated from nothing by Alembic (about 350 ms). Each test
#   process migrates one template for real, and a new, empty file in this process gets
#   a page copy of it (SQLite's backup API) with an identity of its own (the graph
#   epoch the migration draws at random). Migrations themselves are still tested from
#   nothing and from old files (test_migration_fixtures, test_store_reliability, every
#   subprocess test), and the template is itself made by `Database.migrate`.


def _cache_typer_commands() -> None:
    import typer.testing

    built: dict[int, Any] = {}
    real = typer.testing._get_command

    def get_command(app: Any) -> Any:
        if id(app) not in built:
            built[id(app)] = (app, real(app))  # keep `app` alive so its id stays its own
        return built[id(app)][1]

    typer.testing._get_command = get_command  # type: ignore[assignment]


_cache_typer_commands()

_sqlite_template: list[Path] = []


def _blank(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return (not path.exists() or path.stat().st_size == 0) and (
        not wal.exists() or wal.stat().st_size == 0)


def _template() -> Path:
    if not _sqlite_template:
        import tempfile

        from kithbook.store.db import Database

        path = Path(tempfile.mkdtemp(prefix="kithbook-template-")) / "template.db"
        db = Database(f"sqlite:///{path}")
        _real_migrate(db, backup=False)
        db.checkpoint()
        db.close()
        _sqlite_template.append(path)
    return _sqlite_template[0]


def _migrate_from_template(self: Any, *, backup: bool = True) -> Path | None:
    path = self.sqlite_path
    if path is not None and self.key is None and path.parent.is_dir() and _blank(path):
        import secrets
        import sqlite3

        source = _template()
        self.engine.dispose()
        src, dst = sqlite3.connect(source), sqlite3.connect(path)
        try:
            src.backup(dst)
            dst.execute("UPDATE graph_rev SET epoch = ?", (secrets.token_hex(8),))
            dst.commit()
        finally:
            src.close()
            dst.close()
    return _real_migrate(self, backup=backup)  # type: ignore[no-any-return]


def _use_sqlite_template() -> Any:
    from kithbook.store.db import Database

    real = Database.migrate
    Database.migrate = _migrate_from_template  # type: ignore[method-assign]
    return real


_real_migrate = _use_sqlite_template()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kithbook.db'}"


def _pg_admin() -> Any:
    from sqlalchemy import create_engine

    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _pg_create(template: str | None = None) -> str:
    from sqlalchemy import text

    name = f"kb_test_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        if template:
            # a template must have no other session while it is copied
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": template},
            )
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        else:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name


def _pg_drop(name: str) -> None:
    from sqlalchemy import text

    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _pg_base() -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty PostgreSQL database (migration tests start from nothing)."""
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    name = _pg_create()
    try:
        yield f"{_pg_base()}/{name}"
    finally:
        _pg_drop(name)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A database migrated once per test process, copied for each test that wants a
    migrated one: migrating from nothing costs seconds per test, a copy a fraction."""
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    from kithbook.store.db import Database

    name = _pg_create()
    db = Database(f"{_pg_base()}/{name}")
    db.migrate(backup=False)
    db.close()
    try:
        yield name
    finally:
        _pg_drop(name)


@pytest.fixture
def pg_migrated_url(pg_template: str) -> Iterator[str]:
    """A migrated PostgreSQL database of its own, with its own identity (the graph
    epoch the migration draws at random would otherwise be shared by every copy)."""
    import secrets

    from sqlalchemy import create_engine, text

    name = _pg_create(template=pg_template)
    url = f"{_pg_base()}/{name}"
    eng = create_engine(url)
    with eng.begin() as conn:
        conn.execute(text("UPDATE graph_rev SET epoch = :e"), {"e": secrets.token_hex(8)})
    eng.dispose()
    try:
        yield url
    finally:
        _pg_drop(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of each engine: a SQLite file (made on first open), or a migrated
    PostgreSQL copy. Tests of migrations from nothing use `empty_db_url`."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kithbook.db'}"
    return request.getfixturevalue("pg_migrated_url")  # type: ignore[no-any-return]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of each engine with nothing in it, not even the schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kithbook.db'}"
    return request.getfixturevalue("pg_url")  # type: ignore[no-any-return]


@pytest.fixture
def svc(db_url: str):  # type: ignore[no-untyped-def]
    from kithbook.config import Config
    from kithbook.services.app import Services

    s = Services.open(Config(db=db_url, as_of=__import__("datetime").date(2026, 11, 27)))
    yield s
    s.close()


@pytest.fixture
def client(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The web app over a fresh SQLite file, in process, with "me" already set.
    (test_web_api and test_web_security define their own, without "me".)"""
    from fastapi.testclient import TestClient

    from kithbook.config import Config
    from kithbook.web.app import create_app

    app = create_app(Config(db=str(tmp_path / "k.db")))
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        c.post("/api/v1/people", json={"name": "Me"})
        yield c


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module (tests/browser_kit.py)."""
    from browser_kit import chromium

    with chromium() as b:
        yield b
