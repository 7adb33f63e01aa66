"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from kithbook.store.migrations.initial_schema import activity, contacts, system

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # in dependency order: activity refers to people and orgs
    contacts.create()
    activity.create()
    system.create()
    _create_search_index()


def _create_search_index() -> None:
    # search_docs.body holds case- and accent-folded text; each backend indexes it
    # its own way behind kithbook.store.search.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_docs', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "ALTER TABLE search_docs ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED"
        )
        op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    system.drop()
    activity.drop()
    contacts.drop()
