"""A person's anniversary, beside their birthday: address books carry it (vCard
ANNIVERSARY, Apple's X-ABDATE labelled Anniversary, Google's "Anniversary" event,
Outlook's Anniversary column) and the agenda and the calendar feed remind of it.
Stored as the birthday is: YYYY-MM-DD, or --MM-DD when the year is unknown.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("people", sa.Column("anniversary", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("anniversary")
