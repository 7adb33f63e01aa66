"""Revision 0001: what happens between people: interactions, promises, notes, tags,
needs and offers, the give/ask ledger."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TABLES = (
    "notes",
    "tags",
    "interactions",
    "needs_offers",
    "taggings",
    "interaction_participants",
    "ledger",
    "promises",
)


def create() -> None:
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
        sa.UniqueConstraint("public_id", name=op.f("uq_notes_public_id")),
    )
    op.create_index("ix_notes_subject", "notes", ["subject_kind", "subject_id"], unique=False)
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
    )
    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("initiated_by_id", sa.Integer(), nullable=True),
        sa.Column("they_want", sa.Text(), nullable=True),
        sa.Column("i_want", sa.Text(), nullable=True),
        sa.Column("agreed", sa.Text(), nullable=True),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["initiated_by_id"],
            ["people.id"],
            name=op.f("fk_interactions_initiated_by_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
        sa.UniqueConstraint("public_id", name=op.f("uq_interactions_public_id")),
    )
    op.create_index(
        op.f("ix_interactions_occurred_at"), "interactions", ["occurred_at"], unique=False
    )
    op.create_table(
        "needs_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('need','offer')", name=op.f("ck_needs_offers_kind")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_needs_offers_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_needs_offers")),
        sa.UniqueConstraint("public_id", name=op.f("uq_needs_offers_public_id")),
    )
    op.create_index(op.f("ix_needs_offers_person_id"), "needs_offers", ["person_id"], unique=False)
    op.create_table(
        "taggings",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_taggings_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("tag_id", "subject_kind", "subject_id", name=op.f("pk_taggings")),
    )
    op.create_index("ix_taggings_subject", "taggings", ["subject_kind", "subject_id"], unique=False)
    op.create_table(
        "interaction_participants",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_participants_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_interaction_participants_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "interaction_id", "person_id", name=op.f("pk_interaction_participants")
        ),
    )
    op.create_index(
        "ix_interaction_participants_person",
        "interaction_participants",
        ["person_id", "interaction_id"],
        unique=False,
    )
    op.create_table(
        "ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("what", sa.Text(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["giver_id"], ["people.id"], name=op.f("fk_ledger_giver_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_ledger_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"],
            ["people.id"],
            name=op.f("fk_ledger_receiver_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger")),
        sa.UniqueConstraint("public_id", name=op.f("uq_ledger_public_id")),
    )
    op.create_index(op.f("ix_ledger_giver_id"), "ledger", ["giver_id"], unique=False)
    op.create_index(op.f("ix_ledger_receiver_id"), "ledger", ["receiver_id"], unique=False)
    op.create_table(
        "promises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("owed_by_id", sa.Integer(), nullable=False),
        sa.Column("owed_to_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open','done','broken','released')", name=op.f("ck_promises_status")
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_promises_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owed_by_id"],
            ["people.id"],
            name=op.f("fk_promises_owed_by_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owed_to_id"],
            ["people.id"],
            name=op.f("fk_promises_owed_to_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promises")),
        sa.UniqueConstraint("public_id", name=op.f("uq_promises_public_id")),
    )
    op.create_index(op.f("ix_promises_due"), "promises", ["due"], unique=False)
    op.create_index("ix_promises_open_due", "promises", ["status", "due"], unique=False)
    op.create_index(op.f("ix_promises_owed_by_id"), "promises", ["owed_by_id"], unique=False)
    op.create_index(op.f("ix_promises_owed_to_id"), "promises", ["owed_to_id"], unique=False)
    op.create_index(op.f("ix_promises_status"), "promises", ["status"], unique=False)
    # ### end Alembic commands ###


def drop() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
