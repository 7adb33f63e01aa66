"""Revision 0001: people, organizations, their contact details, roles and declared
ties."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TABLES = (
    "orgs",
    "people",
    "person_addresses",
    "person_emails",
    "person_phones",
    "person_urls",
    "roles",
    "ties",
)


def create() -> None:
    op.create_table(
        "orgs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_folded", sa.String(length=300), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orgs")),
        sa.UniqueConstraint("public_id", name=op.f("uq_orgs_public_id")),
    )
    op.create_index(op.f("ix_orgs_domain"), "orgs", ["domain"], unique=False)
    op.create_index(op.f("ix_orgs_name_folded"), "orgs", ["name_folded"], unique=False)
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_folded", sa.String(length=300), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=True),
        sa.Column("family_name", sa.String(length=200), nullable=True),
        sa.Column("nickname", sa.String(length=200), nullable=True),
        sa.Column("is_me", sa.Boolean(), nullable=False),
        sa.Column("tier", sa.String(length=1), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=True),
        sa.Column("cadence_days", sa.Integer(), nullable=True),
        sa.Column("how_met", sa.Text(), nullable=True),
        sa.Column("met_via_id", sa.Integer(), nullable=True),
        sa.Column("first_met_on", sa.Date(), nullable=True),
        sa.Column("birthday", sa.String(length=10), nullable=True),
        sa.Column("photo", sa.Text(), nullable=True),
        sa.Column("linkedin_url", sa.String(length=400), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("last_touch_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archive_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("tier IN ('A','B','C') OR tier IS NULL", name=op.f("ck_people_tier")),
        sa.CheckConstraint(
            "cadence_days IS NULL OR cadence_days > 0", name=op.f("ck_people_cadence")
        ),
        sa.ForeignKeyConstraint(
            ["met_via_id"],
            ["people.id"],
            name=op.f("fk_people_met_via_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("public_id", name=op.f("uq_people_public_id")),
    )
    op.create_index(op.f("ix_people_last_touch_at"), "people", ["last_touch_at"], unique=False)
    op.create_index(op.f("ix_people_linkedin_url"), "people", ["linkedin_url"], unique=False)
    op.create_index("ix_people_live", "people", ["deleted_at", "archived_at"], unique=False)
    op.create_index(op.f("ix_people_name_folded"), "people", ["name_folded"], unique=False)
    op.create_table(
        "person_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("street", sa.Text(), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=40), nullable=True),
        sa.Column("country", sa.String(length=200), nullable=True),
        sa.Column("label", sa.String(length=60), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_addresses_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_addresses")),
    )
    op.create_index(
        op.f("ix_person_addresses_person_id"), "person_addresses", ["person_id"], unique=False
    )
    op.create_table(
        "person_emails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("normalized", sa.String(length=320), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_emails_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_emails")),
    )
    op.create_index(
        op.f("ix_person_emails_normalized"), "person_emails", ["normalized"], unique=False
    )
    op.create_index(
        op.f("ix_person_emails_person_id"), "person_emails", ["person_id"], unique=False
    )
    op.create_table(
        "person_phones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("e164", sa.String(length=32), nullable=True),
        sa.Column("label", sa.String(length=60), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_phones_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_phones")),
    )
    op.create_index(op.f("ix_person_phones_e164"), "person_phones", ["e164"], unique=False)
    op.create_index(
        op.f("ix_person_phones_person_id"), "person_phones", ["person_id"], unique=False
    )
    op.create_table(
        "person_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=1000), nullable=False),
        sa.Column("normalized", sa.String(length=1000), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=True),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_urls_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_urls")),
    )
    op.create_index(op.f("ix_person_urls_person_id"), "person_urls", ["person_id"], unique=False)
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("department", sa.String(length=300), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["orgs.id"], name=op.f("fk_roles_org_id_orgs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_roles_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
    )
    op.create_index("ix_roles_current", "roles", ["org_id", "is_current"], unique=False)
    op.create_index(op.f("ix_roles_org_id"), "roles", ["org_id"], unique=False)
    op.create_index(op.f("ix_roles_person_id"), "roles", ["person_id"], unique=False)
    op.create_table(
        "ties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("strength", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("a_id < b_id", name=op.f("ck_ties_ordered")),
        sa.CheckConstraint("strength BETWEEN 1 AND 5", name=op.f("ck_ties_strength")),
        sa.ForeignKeyConstraint(
            ["a_id"], ["people.id"], name=op.f("fk_ties_a_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["b_id"], ["people.id"], name=op.f("fk_ties_b_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ties")),
        sa.UniqueConstraint("a_id", "b_id", "kind", name=op.f("uq_ties_a_id_b_id_kind")),
        sa.UniqueConstraint("public_id", name=op.f("uq_ties_public_id")),
    )
    op.create_index("ix_ties_a", "ties", ["a_id"], unique=False)
    op.create_index(op.f("ix_ties_b_id"), "ties", ["b_id"], unique=False)


def drop() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
