"""PostgreSQL: one graph revision per transaction, not per statement.

Migration 0010's statement triggers took the next revision by updating the one counter
row of `graph_rev` for every statement that changed ties, participants or people. In a
transaction of many statements (an executemany of single-row INSERTs, an undo, a merge of
many people) each update added another version of that same row, which the next update
had to step over: 16,000 tie INSERTs in one transaction took 1.85 s, 8,000 took 0.58 s,
and bench/evidence_bench.py's load of 166,000 ties as single-row INSERTs (SQLAlchemy's
executemany) was still running after 13 minutes.

Now the counter moves once per transaction: the trigger updates the row only when the
transaction id it holds (`xact`) is not the current one, and every log row of the
transaction carries that revision. The row lock taken by the first update is still held
to commit, so revisions still commit in order (docs/graph-cache.md). 16,000 INSERTs:
0.47 s. SQLite's row triggers never used the counter; the column is added there too so
both engines have one schema.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_0010 = importlib.import_module("kithbook.store.migrations.versions.0010_graph_log")


def _pg_function(name: str, select_rows: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r bigint;
BEGIN
    IF NOT EXISTS ({select_rows}) THEN RETURN NULL; END IF;
    UPDATE graph_rev SET rev = rev + 1, xact = txid_current()
        WHERE id = 1 AND xact IS DISTINCT FROM txid_current();
    SELECT rev INTO r FROM graph_rev WHERE id = 1;
    INSERT INTO graph_log (rev, person_id, interaction_id)
        SELECT r, x.person_id, x.interaction_id FROM ({select_rows}) AS x;
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    op.add_column("graph_rev", sa.Column("xact", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for trig, _event, _referencing, rows in _0010._PG:
            op.execute(_pg_function(f"{trig}_fn", rows))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trig, _event, _referencing, rows in _0010._PG:
            op.execute(_0010._pg_function(f"{trig}_fn", rows))
    with op.batch_alter_table("graph_rev") as batch:
        batch.drop_column("xact")
