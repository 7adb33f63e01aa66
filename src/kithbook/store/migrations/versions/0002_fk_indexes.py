"""Index the foreign keys that deletes follow; drop the low-selectivity live index.

Deleting a person (undoing an import, a merge) made SQLite scan people.met_via_id and
interactions.initiated_by_id for every row. ix_people_live (deleted_at, archived_at)
matched almost every row, yet without statistics SQLite preferred it to the name and
id indexes, turning lookups into full scans.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_people_live", table_name="people")
    op.create_index("ix_people_met_via_id", "people", ["met_via_id"])
    op.create_index("ix_interactions_initiated_by_id", "interactions", ["initiated_by_id"])
    op.create_index("ix_promises_interaction_id", "promises", ["interaction_id"])
    op.create_index("ix_ledger_interaction_id", "ledger", ["interaction_id"])


def downgrade() -> None:
    op.drop_index("ix_ledger_interaction_id", table_name="ledger")
    op.drop_index("ix_promises_interaction_id", table_name="promises")
    op.drop_index("ix_interactions_initiated_by_id", table_name="interactions")
    op.drop_index("ix_people_met_via_id", table_name="people")
    op.create_index("ix_people_live", "people", ["deleted_at", "archived_at"])
