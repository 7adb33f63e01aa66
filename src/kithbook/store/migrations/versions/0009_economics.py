"""Alliance economics: agreements and their terms, the append-only ledger, issued
statements, partners' answers and partners' own reports (docs/economics.md, "Storage").

Only new tables: nothing existing is rebuilt. Money is text holding exact decimals.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kithbook.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('econ_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_folded', sa.String(length=300), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('royalty','buying','bid','exit')", name=op.f('ck_econ_agreements_kind')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_econ_agreements_alliance_id_alliances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_econ_agreements')),
    sa.UniqueConstraint('public_id', name=op.f('uq_econ_agreements_public_id'))
    )
    op.create_index(op.f('ix_econ_agreements_alliance_id'), 'econ_agreements', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_econ_agreements_name_folded'), 'econ_agreements', ['name_folded'], unique=False)
    op.create_table('econ_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('booked', sa.Date(), nullable=False),
    sa.Column('amount', kithbook.store.types.DecimalText(length=48), nullable=False),
    sa.Column('units', kithbook.store.types.DecimalText(length=48), nullable=False),
    sa.Column('party', sa.String(length=300), nullable=True),
    sa.Column('ref', sa.String(length=200), nullable=False),
    sa.Column('product', sa.String(length=200), nullable=False),
    sa.Column('reverses', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['econ_agreements.id'], name=op.f('fk_econ_entries_agreement_id_econ_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_econ_entries')),
    sa.UniqueConstraint('agreement_id', 'seq', name=op.f('uq_econ_entries_agreement_id_seq'))
    )
    op.create_index(op.f('ix_econ_entries_agreement_id'), 'econ_entries', ['agreement_id'], unique=False)
    op.create_table('econ_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['econ_agreements.id'], name=op.f('fk_econ_reports_agreement_id_econ_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_econ_reports')),
    sa.UniqueConstraint('public_id', name=op.f('uq_econ_reports_public_id'))
    )
    op.create_index(op.f('ix_econ_reports_agreement_id'), 'econ_reports', ['agreement_id'], unique=False)
    op.create_table('econ_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['econ_agreements.id'], name=op.f('fk_econ_statements_agreement_id_econ_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_econ_statements')),
    sa.UniqueConstraint('agreement_id', 'period', name=op.f('uq_econ_statements_agreement_id_period')),
    sa.UniqueConstraint('public_id', name=op.f('uq_econ_statements_public_id'))
    )
    op.create_index(op.f('ix_econ_statements_agreement_id'), 'econ_statements', ['agreement_id'], unique=False)
    op.create_table('econ_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=300), nullable=False),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("verdict IN ('confirmed','disputed')", name=op.f('ck_econ_responses_verdict')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_econ_responses_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['statement_id'], ['econ_statements.id'], name=op.f('fk_econ_responses_statement_id_econ_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_econ_responses'))
    )
    op.create_index(op.f('ix_econ_responses_person_id'), 'econ_responses', ['person_id'], unique=False)
    op.create_index(op.f('ix_econ_responses_statement_id'), 'econ_responses', ['statement_id'], unique=False)


def downgrade() -> None:
    for table in ("econ_responses", "econ_statements", "econ_reports", "econ_entries",
                  "econ_agreements"):
        op.drop_table(table)
