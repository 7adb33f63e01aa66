"""Keyed journal entries: one change journal row for many rows changed alike.

A ties import of 183,831 ties wrote 183,831 journal rows (each with its JSON key), and
its undo read them all back and deleted the ties 500 at a time. Now rows inserted
together, or updated from the same values to the same values, share one entry that
names their keys as runs (store/journal.py, store/key_runs.py): `op` gains the keyed
operations `insert_keys` and `update_keys` (longer than the six characters it allowed),
and `row_count` says how many rows an entry covers, so the audit trail still counts
rows. Every existing entry covers one row.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite cannot change a column's type in place: the batch copies `changes` to a
    # new table. No table refers to `changes`, so dropping the old copy cascades nothing
    # (env.py's rule against rebuilding tables is about the tables others refer to).
    with op.batch_alter_table("changes") as batch:
        batch.alter_column("op", existing_type=sa.String(length=6), type_=sa.String(length=12),
                           existing_nullable=False)
        batch.add_column(sa.Column("row_count", sa.Integer(), nullable=False,
                                   server_default=sa.text("1")))


def downgrade() -> None:
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("row_count")
        batch.alter_column("op", existing_type=sa.String(length=12), type_=sa.String(length=6),
                           existing_nullable=False)
