"""Shared fixtures: a real SQLite file per test, and the same tests on PostgreSQL when a
server is reachable (skipped with the reason otherwise)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kithbook.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    from sqlalchemy import create_engine, text

    name = f"kb_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
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
