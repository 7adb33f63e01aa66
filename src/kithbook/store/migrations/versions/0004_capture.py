"""Capture: mail and calendar sources, their runs, captured items, correspondents.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "capture_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("cursor", sa.JSON(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("deleted_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_sources")),
        sa.UniqueConstraint("public_id", name=op.f("uq_capture_sources_public_id")),
    )
    op.create_table(
        "capture_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(32), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("stats", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["capture_sources.id"], ondelete="CASCADE",
                                name=op.f("fk_capture_runs_source_id_capture_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_runs")),
        sa.UniqueConstraint("public_id", name=op.f("uq_capture_runs_public_id")),
    )
    op.create_index(op.f("ix_capture_runs_source_id"), "capture_runs", ["source_id"])
    op.create_table(
        "captured",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("item_key", sa.String(500), nullable=False),
        sa.Column("thread_key", sa.String(500), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("locator", sa.String(500), nullable=True),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("direction", sa.String(4), nullable=False),
        sa.Column("parties", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.ForeignKeyConstraint(["interaction_id"], ["interactions.id"], ondelete="CASCADE",
                                name=op.f("fk_captured_interaction_id_interactions")),
        sa.ForeignKeyConstraint(["source_id"], ["capture_sources.id"], ondelete="SET NULL",
                                name=op.f("fk_captured_source_id_capture_sources")),
        sa.ForeignKeyConstraint(["run_id"], ["capture_runs.id"], ondelete="SET NULL",
                                name=op.f("fk_captured_run_id_capture_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captured")),
        sa.UniqueConstraint("origin", "item_key", name=op.f("uq_captured_origin_item_key")),
    )
    op.create_index(op.f("ix_captured_interaction_id"), "captured", ["interaction_id"])
    op.create_index(op.f("ix_captured_source_id"), "captured", ["source_id"])
    op.create_index(op.f("ix_captured_run_id"), "captured", ["run_id"])
    op.create_index("ix_captured_thread", "captured", ["origin", "thread_key"])
    op.create_table(
        "capture_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(300), nullable=True),
        sa.Column("msgs_in", sa.Integer(), nullable=False),
        sa.Column("msgs_out", sa.Integer(), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="SET NULL",
                                name=op.f("fk_capture_contacts_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_contacts")),
        sa.UniqueConstraint("address", name=op.f("uq_capture_contacts_address")),
    )
    op.create_index(op.f("ix_capture_contacts_person_id"), "capture_contacts", ["person_id"])


def downgrade() -> None:
    op.drop_table("capture_contacts")
    op.drop_table("captured")
    op.drop_table("capture_runs")
    op.drop_table("capture_sources")
