"""Alembic environment: always runs on a connection handed over by kithbook.store.db,
so the pragmas and BEGIN IMMEDIATE of our engine apply to migrations too."""

from __future__ import annotations

from alembic import context

from kithbook.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs alembic by hand
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("set sqlalchemy.url in alembic.ini to run migrations by hand")
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=False,  # never rebuild tables on SQLite: that cascades deletes
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
