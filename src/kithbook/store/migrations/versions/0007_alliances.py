"""Alliances: partners, goals and roles, communication, measures, health, exit; and
the private response links (docs/alliance-management.md, docs/private-links.md).

Only new tables: nothing existing is rebuilt. Money and measured values are text
columns holding exact decimals (the application's DecimalText).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alliances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_folded', sa.String(length=300), nullable=False),
    sa.Column('type', sa.String(length=30), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=True),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('planned_end_on', sa.Date(), nullable=True),
    sa.Column('notice_days', sa.Integer(), nullable=True),
    sa.Column('decision_on', sa.Date(), nullable=True),
    sa.Column('sla_hours', sa.Integer(), nullable=True),
    sa.Column('termination_code', sa.String(length=12), nullable=True),
    sa.Column('termination_reason', sa.Text(), nullable=True),
    sa.Column('lessons', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("stage IN ('explore','negotiate','launch','manage','terminate','closed')", name=op.f('ck_alliances_stage')),
    sa.CheckConstraint("termination_code IS NULL OR termination_code IN ('structural','process','external')", name=op.f('ck_alliances_termination_code')),
    sa.CheckConstraint('notice_days IS NULL OR notice_days >= 0', name=op.f('ck_alliances_notice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliances')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliances_public_id'))
    )
    op.create_index(op.f('ix_alliances_name_folded'), 'alliances', ['name_folded'], unique=False)
    op.create_table('alliance_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('min_group', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('min_group >= 1', name=op.f('ck_alliance_checks_min_group')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_checks_alliance_id_alliances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_checks')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_checks_public_id'))
    )
    op.create_index(op.f('ix_alliance_checks_alliance_id'), 'alliance_checks', ['alliance_id'], unique=False)
    op.create_table('alliance_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('added_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_documents_alliance_id_alliances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_documents')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_documents_public_id'))
    )
    op.create_index(op.f('ix_alliance_documents_alliance_id'), 'alliance_documents', ['alliance_id'], unique=False)
    op.create_table('alliance_forums',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('layer', sa.String(length=12), nullable=False),
    sa.Column('cadence_days', sa.Integer(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cadence_days > 0', name=op.f('ck_alliance_forums_cadence')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_forums_alliance_id_alliances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_forums')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_forums_public_id'))
    )
    op.create_index(op.f('ix_alliance_forums_alliance_id'), 'alliance_forums', ['alliance_id'], unique=False)
    op.create_table('alliance_partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('is_us', sa.Boolean(), nullable=False),
    sa.Column('sponsor_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('share_bp', sa.Integer(), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('share_bp IS NULL OR share_bp BETWEEN 0 AND 10000', name=op.f('ck_alliance_partners_share')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_partners_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_alliance_partners_org_id_orgs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sponsor_id'], ['people.id'], name=op.f('fk_alliance_partners_sponsor_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_partners')),
    sa.UniqueConstraint('alliance_id', 'org_id', name=op.f('uq_alliance_partners_alliance_id_org_id')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_partners_public_id'))
    )
    op.create_index(op.f('ix_alliance_partners_alliance_id'), 'alliance_partners', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_partners_org_id'), 'alliance_partners', ['org_id'], unique=False)
    op.create_index(op.f('ix_alliance_partners_sponsor_id'), 'alliance_partners', ['sponsor_id'], unique=False)
    op.create_table('alliance_stage_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('from_stage', sa.String(length=12), nullable=False),
    sa.Column('to_stage', sa.String(length=12), nullable=False),
    sa.Column('forced', sa.Boolean(), nullable=False),
    sa.Column('unmet', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_stage_log_alliance_id_alliances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_stage_log'))
    )
    op.create_index(op.f('ix_alliance_stage_log_alliance_id'), 'alliance_stage_log', ['alliance_id'], unique=False)
    op.create_table('response_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('subject_kind', sa.String(length=30), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('context', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_response_links_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_links')),
    sa.UniqueConstraint('public_id', name=op.f('uq_response_links_public_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_response_links_token_hash'))
    )
    op.create_index(op.f('ix_response_links_person_id'), 'response_links', ['person_id'], unique=False)
    op.create_index('ix_response_links_subject', 'response_links', ['subject_kind', 'subject_id'], unique=False)
    op.create_table('alliance_check_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['check_id'], ['alliance_checks.id'], name=op.f('fk_alliance_check_responses_check_id_alliance_checks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_check_responses_partner_id_alliance_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_check_responses'))
    )
    op.create_index(op.f('ix_alliance_check_responses_check_id'), 'alliance_check_responses', ['check_id'], unique=False)
    op.create_index(op.f('ix_alliance_check_responses_partner_id'), 'alliance_check_responses', ['partner_id'], unique=False)
    op.create_table('alliance_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.String(length=12), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('verdict', sa.String(length=10), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.CheckConstraint("verdict IN ('confirmed','disputed')", name=op.f('ck_alliance_confirmations_verdict')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_confirmations_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_confirmations_partner_id_alliance_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_alliance_confirmations_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_confirmations'))
    )
    op.create_index(op.f('ix_alliance_confirmations_alliance_id'), 'alliance_confirmations', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_confirmations_partner_id'), 'alliance_confirmations', ['partner_id'], unique=False)
    op.create_index(op.f('ix_alliance_confirmations_person_id'), 'alliance_confirmations', ['person_id'], unique=False)
    op.create_index('ix_alliance_confirmations_subject', 'alliance_confirmations', ['subject_kind', 'subject_id'], unique=False)
    op.create_table('alliance_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=True),
    sa.Column('departed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_contacts_partner_id_alliance_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_alliance_contacts_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_contacts')),
    sa.UniqueConstraint('partner_id', 'person_id', name=op.f('uq_alliance_contacts_partner_id_person_id'))
    )
    op.create_index(op.f('ix_alliance_contacts_partner_id'), 'alliance_contacts', ['partner_id'], unique=False)
    op.create_index(op.f('ix_alliance_contacts_person_id'), 'alliance_contacts', ['person_id'], unique=False)
    op.create_table('alliance_contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.String(length=48), nullable=False),
    sa.Column('rate', sa.String(length=48), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('cash','hours','asset','introduction')", name=op.f('ck_alliance_contributions_kind')),
    sa.CheckConstraint("stage IN ('committed','delivered')", name=op.f('ck_alliance_contributions_stage')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_contributions_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_contributions_partner_id_alliance_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_contributions')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_contributions_public_id'))
    )
    op.create_index(op.f('ix_alliance_contributions_alliance_id'), 'alliance_contributions', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_contributions_partner_id'), 'alliance_contributions', ['partner_id'], unique=False)
    op.create_table('alliance_exit_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_exit_items_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_exit_items_partner_id_alliance_partners'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_exit_items')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_exit_items_public_id'))
    )
    op.create_index(op.f('ix_alliance_exit_items_alliance_id'), 'alliance_exit_items', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_exit_items_partner_id'), 'alliance_exit_items', ['partner_id'], unique=False)
    op.create_table('alliance_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kpi', sa.String(length=200), nullable=True),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_goals_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_goals_partner_id_alliance_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_goals')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_goals_public_id'))
    )
    op.create_index(op.f('ix_alliance_goals_alliance_id'), 'alliance_goals', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_goals_partner_id'), 'alliance_goals', ['partner_id'], unique=False)
    op.create_table('alliance_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=True),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('minutes_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_meetings_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['forum_id'], ['alliance_forums.id'], name=op.f('fk_alliance_meetings_forum_id_alliance_forums'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_alliance_meetings_interaction_id_interactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_meetings')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_meetings_public_id'))
    )
    op.create_index(op.f('ix_alliance_meetings_alliance_id'), 'alliance_meetings', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_meetings_forum_id'), 'alliance_meetings', ['forum_id'], unique=False)
    op.create_index(op.f('ix_alliance_meetings_interaction_id'), 'alliance_meetings', ['interaction_id'], unique=False)
    op.create_table('alliance_obligations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_obligations_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_obligations_partner_id_alliance_partners'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_obligations')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_obligations_public_id'))
    )
    op.create_index(op.f('ix_alliance_obligations_alliance_id'), 'alliance_obligations', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_obligations_partner_id'), 'alliance_obligations', ['partner_id'], unique=False)
    op.create_table('alliance_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_decisions_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['alliance_meetings.id'], name=op.f('fk_alliance_decisions_meeting_id_alliance_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_decisions_partner_id_alliance_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_alliance_decisions_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_decisions')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_decisions_public_id'))
    )
    op.create_index(op.f('ix_alliance_decisions_alliance_id'), 'alliance_decisions', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_decisions_meeting_id'), 'alliance_decisions', ['meeting_id'], unique=False)
    op.create_index(op.f('ix_alliance_decisions_partner_id'), 'alliance_decisions', ['partner_id'], unique=False)
    op.create_index(op.f('ix_alliance_decisions_person_id'), 'alliance_decisions', ['person_id'], unique=False)
    op.create_table('alliance_objectives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('metric', sa.String(length=200), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=True),
    sa.Column('kind', sa.String(length=5), nullable=False),
    sa.Column('baseline', sa.String(length=48), nullable=True),
    sa.Column('target', sa.String(length=48), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('owner_partner_id', sa.Integer(), nullable=True),
    sa.Column('owner_person_id', sa.Integer(), nullable=True),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('weight BETWEEN 1 AND 100', name=op.f('ck_alliance_objectives_weight')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_objectives_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['goal_id'], ['alliance_goals.id'], name=op.f('fk_alliance_objectives_goal_id_alliance_goals'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_objectives_owner_partner_id_alliance_partners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_person_id'], ['people.id'], name=op.f('fk_alliance_objectives_owner_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_objectives')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_objectives_public_id'))
    )
    op.create_index(op.f('ix_alliance_objectives_alliance_id'), 'alliance_objectives', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_objectives_goal_id'), 'alliance_objectives', ['goal_id'], unique=False)
    op.create_index(op.f('ix_alliance_objectives_owner_partner_id'), 'alliance_objectives', ['owner_partner_id'], unique=False)
    op.create_index(op.f('ix_alliance_objectives_owner_person_id'), 'alliance_objectives', ['owner_person_id'], unique=False)
    op.create_table('alliance_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('promise_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_actions_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decision_id'], ['alliance_decisions.id'], name=op.f('fk_alliance_actions_decision_id_alliance_decisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_actions_partner_id_alliance_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['promise_id'], ['promises.id'], name=op.f('fk_alliance_actions_promise_id_promises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_actions')),
    sa.UniqueConstraint('promise_id', name=op.f('uq_alliance_actions_promise_id'))
    )
    op.create_index(op.f('ix_alliance_actions_alliance_id'), 'alliance_actions', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_actions_decision_id'), 'alliance_actions', ['decision_id'], unique=False)
    op.create_index(op.f('ix_alliance_actions_partner_id'), 'alliance_actions', ['partner_id'], unique=False)
    op.create_table('alliance_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('deliverable', sa.Text(), nullable=True),
    sa.Column('joint', sa.Boolean(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=True),
    sa.Column('obligation_id', sa.Integer(), nullable=True),
    sa.Column('check_in_days', sa.Integer(), nullable=True),
    sa.Column('last_update_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliances.id'], name=op.f('fk_alliance_activities_alliance_id_alliances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['objective_id'], ['alliance_objectives.id'], name=op.f('fk_alliance_activities_objective_id_alliance_objectives'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['obligation_id'], ['alliance_obligations.id'], name=op.f('fk_alliance_activities_obligation_id_alliance_obligations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_activities')),
    sa.UniqueConstraint('public_id', name=op.f('uq_alliance_activities_public_id'))
    )
    op.create_index(op.f('ix_alliance_activities_alliance_id'), 'alliance_activities', ['alliance_id'], unique=False)
    op.create_index(op.f('ix_alliance_activities_objective_id'), 'alliance_activities', ['objective_id'], unique=False)
    op.create_index(op.f('ix_alliance_activities_obligation_id'), 'alliance_activities', ['obligation_id'], unique=False)
    op.create_table('alliance_measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('value', sa.String(length=48), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['alliance_objectives.id'], name=op.f('fk_alliance_measurements_objective_id_alliance_objectives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_measurements'))
    )
    op.create_index('ix_alliance_measurements_objective', 'alliance_measurements', ['objective_id', 'measured_on'], unique=False)
    op.create_table('alliance_raci',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('letters', sa.String(length=4), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['alliance_activities.id'], name=op.f('fk_alliance_raci_activity_id_alliance_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['alliance_partners.id'], name=op.f('fk_alliance_raci_partner_id_alliance_partners'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_alliance_raci_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_raci'))
    )
    op.create_index(op.f('ix_alliance_raci_activity_id'), 'alliance_raci', ['activity_id'], unique=False)
    op.create_index(op.f('ix_alliance_raci_partner_id'), 'alliance_raci', ['partner_id'], unique=False)
    op.create_index(op.f('ix_alliance_raci_person_id'), 'alliance_raci', ['person_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_alliance_raci_person_id'), table_name='alliance_raci')
    op.drop_index(op.f('ix_alliance_raci_partner_id'), table_name='alliance_raci')
    op.drop_index(op.f('ix_alliance_raci_activity_id'), table_name='alliance_raci')
    op.drop_table('alliance_raci')
    op.drop_index('ix_alliance_measurements_objective', table_name='alliance_measurements')
    op.drop_table('alliance_measurements')
    op.drop_index(op.f('ix_alliance_activities_obligation_id'), table_name='alliance_activities')
    op.drop_index(op.f('ix_alliance_activities_objective_id'), table_name='alliance_activities')
    op.drop_index(op.f('ix_alliance_activities_alliance_id'), table_name='alliance_activities')
    op.drop_table('alliance_activities')
    op.drop_index(op.f('ix_alliance_actions_partner_id'), table_name='alliance_actions')
    op.drop_index(op.f('ix_alliance_actions_decision_id'), table_name='alliance_actions')
    op.drop_index(op.f('ix_alliance_actions_alliance_id'), table_name='alliance_actions')
    op.drop_table('alliance_actions')
    op.drop_index(op.f('ix_alliance_objectives_owner_person_id'), table_name='alliance_objectives')
    op.drop_index(op.f('ix_alliance_objectives_owner_partner_id'), table_name='alliance_objectives')
    op.drop_index(op.f('ix_alliance_objectives_goal_id'), table_name='alliance_objectives')
    op.drop_index(op.f('ix_alliance_objectives_alliance_id'), table_name='alliance_objectives')
    op.drop_table('alliance_objectives')
    op.drop_index(op.f('ix_alliance_decisions_person_id'), table_name='alliance_decisions')
    op.drop_index(op.f('ix_alliance_decisions_partner_id'), table_name='alliance_decisions')
    op.drop_index(op.f('ix_alliance_decisions_meeting_id'), table_name='alliance_decisions')
    op.drop_index(op.f('ix_alliance_decisions_alliance_id'), table_name='alliance_decisions')
    op.drop_table('alliance_decisions')
    op.drop_index(op.f('ix_alliance_obligations_partner_id'), table_name='alliance_obligations')
    op.drop_index(op.f('ix_alliance_obligations_alliance_id'), table_name='alliance_obligations')
    op.drop_table('alliance_obligations')
    op.drop_index(op.f('ix_alliance_meetings_interaction_id'), table_name='alliance_meetings')
    op.drop_index(op.f('ix_alliance_meetings_forum_id'), table_name='alliance_meetings')
    op.drop_index(op.f('ix_alliance_meetings_alliance_id'), table_name='alliance_meetings')
    op.drop_table('alliance_meetings')
    op.drop_index(op.f('ix_alliance_goals_partner_id'), table_name='alliance_goals')
    op.drop_index(op.f('ix_alliance_goals_alliance_id'), table_name='alliance_goals')
    op.drop_table('alliance_goals')
    op.drop_index(op.f('ix_alliance_exit_items_partner_id'), table_name='alliance_exit_items')
    op.drop_index(op.f('ix_alliance_exit_items_alliance_id'), table_name='alliance_exit_items')
    op.drop_table('alliance_exit_items')
    op.drop_index(op.f('ix_alliance_contributions_partner_id'), table_name='alliance_contributions')
    op.drop_index(op.f('ix_alliance_contributions_alliance_id'), table_name='alliance_contributions')
    op.drop_table('alliance_contributions')
    op.drop_index(op.f('ix_alliance_contacts_person_id'), table_name='alliance_contacts')
    op.drop_index(op.f('ix_alliance_contacts_partner_id'), table_name='alliance_contacts')
    op.drop_table('alliance_contacts')
    op.drop_index('ix_alliance_confirmations_subject', table_name='alliance_confirmations')
    op.drop_index(op.f('ix_alliance_confirmations_person_id'), table_name='alliance_confirmations')
    op.drop_index(op.f('ix_alliance_confirmations_partner_id'), table_name='alliance_confirmations')
    op.drop_index(op.f('ix_alliance_confirmations_alliance_id'), table_name='alliance_confirmations')
    op.drop_table('alliance_confirmations')
    op.drop_index(op.f('ix_alliance_check_responses_partner_id'), table_name='alliance_check_responses')
    op.drop_index(op.f('ix_alliance_check_responses_check_id'), table_name='alliance_check_responses')
    op.drop_table('alliance_check_responses')
    op.drop_index('ix_response_links_subject', table_name='response_links')
    op.drop_index(op.f('ix_response_links_person_id'), table_name='response_links')
    op.drop_table('response_links')
    op.drop_index(op.f('ix_alliance_stage_log_alliance_id'), table_name='alliance_stage_log')
    op.drop_table('alliance_stage_log')
    op.drop_index(op.f('ix_alliance_partners_sponsor_id'), table_name='alliance_partners')
    op.drop_index(op.f('ix_alliance_partners_org_id'), table_name='alliance_partners')
    op.drop_index(op.f('ix_alliance_partners_alliance_id'), table_name='alliance_partners')
    op.drop_table('alliance_partners')
    op.drop_index(op.f('ix_alliance_forums_alliance_id'), table_name='alliance_forums')
    op.drop_table('alliance_forums')
    op.drop_index(op.f('ix_alliance_documents_alliance_id'), table_name='alliance_documents')
    op.drop_table('alliance_documents')
    op.drop_index(op.f('ix_alliance_checks_alliance_id'), table_name='alliance_checks')
    op.drop_table('alliance_checks')
    op.drop_index(op.f('ix_alliances_name_folded'), table_name='alliances')
    op.drop_table('alliances')
