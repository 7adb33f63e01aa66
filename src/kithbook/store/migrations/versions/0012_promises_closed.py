"""Index the promises a person kept by when they were closed: the agenda's "ask for a
referral after a kept promise" (store/craft_agenda.py::kept_by_me) reads the promises I
kept in the last 14 days (owed_by_id = me, closed_at in a range). Without it the query
read every promise I ever made; with (owed_by_id, closed_at) it reads the range only.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_promises_owed_by_closed", "promises", ["owed_by_id", "closed_at"])


def downgrade() -> None:
    op.drop_index("ix_promises_owed_by_closed", table_name="promises")
