"""Index what the agenda's day-one part reads every day (store/triage_queries.py): the
people with a birthday, those with an anniversary (partial indexes holding only them),
and people by tier and last touch (a tier's people never contacted; the organizations
of the A-list). `today` read the whole people table for each of the four: 90 ms of its
190 at 100,000 people.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_PARTIAL = {"ix_people_birthday": "birthday IS NOT NULL",
            "ix_people_anniversary": "anniversary IS NOT NULL"}


def upgrade() -> None:
    for name, where in _PARTIAL.items():
        op.create_index(name, "people", ["id"], sqlite_where=sa.text(where),
                        postgresql_where=sa.text(where))
    op.create_index("ix_people_tier_touch", "people", ["tier", "last_touch_at"])


def downgrade() -> None:
    op.drop_index("ix_people_tier_touch", table_name="people")
    for name in reversed(list(_PARTIAL)):
        op.drop_index(name, table_name="people")
