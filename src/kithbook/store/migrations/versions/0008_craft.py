"""The craft of networking: targets, events and plans, research notes; pitches with
versions, rehearsals and uses; stories and tellings; claims and statements; surveys and
idea tests; referrals; time invested and value returned (docs/networking-craft.md).

Only new tables: nothing existing is rebuilt. Money and estimates are text columns
holding exact decimals (the application's DecimalText).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('craft_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.String(length=5), nullable=True),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_craft_events')),
    sa.UniqueConstraint('public_id', name=op.f('uq_craft_events_public_id'))
    )
    op.create_index(op.f('ix_craft_events_on_date'), 'craft_events', ['on_date'], unique=False)
    op.create_table('ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('verdict', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ideas')),
    sa.UniqueConstraint('public_id', name=op.f('uq_ideas_public_id'))
    )
    op.create_table('pitches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('audience', sa.String(length=200), nullable=False),
    sa.Column('goal', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pitches')),
    sa.UniqueConstraint('public_id', name=op.f('uq_pitches_public_id'))
    )
    op.create_table('stories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=True),
    sa.Column('audience', sa.String(length=200), nullable=True),
    sa.Column('words', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories')),
    sa.UniqueConstraint('public_id', name=op.f('uq_stories_public_id'))
    )
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('segment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('estimate','choice','open')", name=op.f('ck_surveys_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('public_id', name=op.f('uq_surveys_public_id'))
    )
    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('said_on', sa.Date(), nullable=True),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('verified','false','unknown')", name=op.f('ck_claims_status')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_claims_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('public_id', name=op.f('uq_claims_public_id'))
    )
    op.create_index(op.f('ix_claims_person_id'), 'claims', ['person_id'], unique=False)
    op.create_table('craft_event_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('plan_rank', sa.Integer(), nullable=True),
    sa.Column('via_id', sa.Integer(), nullable=True),
    sa.Column('opener', sa.Text(), nullable=True),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['craft_events.id'], name=op.f('fk_craft_event_people_event_id_craft_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_craft_event_people_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['via_id'], ['people.id'], name=op.f('fk_craft_event_people_via_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_craft_event_people'))
    )
    op.create_index(op.f('ix_craft_event_people_event_id'), 'craft_event_people', ['event_id'], unique=False)
    op.create_index(op.f('ix_craft_event_people_person_id'), 'craft_event_people', ['person_id'], unique=False)
    op.create_index(op.f('ix_craft_event_people_via_id'), 'craft_event_people', ['via_id'], unique=False)
    op.create_table('craft_research',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_craft_research_org_id_orgs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_craft_research_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_craft_research')),
    sa.UniqueConstraint('public_id', name=op.f('uq_craft_research_public_id'))
    )
    op.create_index(op.f('ix_craft_research_org_id'), 'craft_research', ['org_id'], unique=False)
    op.create_index(op.f('ix_craft_research_person_id'), 'craft_research', ['person_id'], unique=False)
    op.create_table('craft_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('why', sa.Text(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('how', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open','met','dropped')", name=op.f('ck_craft_targets_status')),
    sa.CheckConstraint('priority IN (1, 2, 3)', name=op.f('ck_craft_targets_priority')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_craft_targets_org_id_orgs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_craft_targets_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_craft_targets')),
    sa.UniqueConstraint('public_id', name=op.f('uq_craft_targets_public_id'))
    )
    op.create_index(op.f('ix_craft_targets_org_id'), 'craft_targets', ['org_id'], unique=False)
    op.create_index(op.f('ix_craft_targets_person_id'), 'craft_targets', ['person_id'], unique=False)
    op.create_table('idea_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('interest', sa.Integer(), nullable=False),
    sa.Column('would_use', sa.Integer(), nullable=False),
    sa.Column('clarity', sa.Integer(), nullable=False),
    sa.Column('liked', sa.Text(), nullable=True),
    sa.Column('worries', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_feedback_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_idea_feedback_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_feedback'))
    )
    op.create_index(op.f('ix_idea_feedback_idea_id'), 'idea_feedback', ['idea_id'], unique=False)
    op.create_index(op.f('ix_idea_feedback_person_id'), 'idea_feedback', ['person_id'], unique=False)
    op.create_table('pitch_rehearsals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('pitch_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 1 AND 5', name=op.f('ck_pitch_rehearsals_rating')),
    sa.ForeignKeyConstraint(['pitch_id'], ['pitches.id'], name=op.f('fk_pitch_rehearsals_pitch_id_pitches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pitch_rehearsals')),
    sa.UniqueConstraint('public_id', name=op.f('uq_pitch_rehearsals_public_id'))
    )
    op.create_index(op.f('ix_pitch_rehearsals_pitch_id'), 'pitch_rehearsals', ['pitch_id'], unique=False)
    op.create_table('pitch_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pitch_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('words', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pitch_id'], ['pitches.id'], name=op.f('fk_pitch_versions_pitch_id_pitches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pitch_versions')),
    sa.UniqueConstraint('pitch_id', 'version', name=op.f('uq_pitch_versions_pitch_id_version'))
    )
    op.create_table('referral_asks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('asked_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_referral_asks_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_asks'))
    )
    op.create_index(op.f('ix_referral_asks_person_id'), 'referral_asks', ['person_id'], unique=False)
    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('referrer_id', sa.Integer(), nullable=False),
    sa.Column('referred_id', sa.Integer(), nullable=False),
    sa.Column('to_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=6), nullable=False),
    sa.Column('value', sa.String(length=48), nullable=True),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('thanked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open','met','won','lost')", name=op.f('ck_referrals_status')),
    sa.ForeignKeyConstraint(['referred_id'], ['people.id'], name=op.f('fk_referrals_referred_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['referrer_id'], ['people.id'], name=op.f('fk_referrals_referrer_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_id'], ['people.id'], name=op.f('fk_referrals_to_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals')),
    sa.UniqueConstraint('public_id', name=op.f('uq_referrals_public_id'))
    )
    op.create_index(op.f('ix_referrals_referred_id'), 'referrals', ['referred_id'], unique=False)
    op.create_index(op.f('ix_referrals_referrer_id'), 'referrals', ['referrer_id'], unique=False)
    op.create_index(op.f('ix_referrals_to_id'), 'referrals', ['to_id'], unique=False)
    op.create_table('statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('topic_folded', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=True),
    sa.Column('said_on', sa.Date(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_statements_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statements')),
    sa.UniqueConstraint('public_id', name=op.f('uq_statements_public_id'))
    )
    op.create_index(op.f('ix_statements_person_id'), 'statements', ['person_id'], unique=False)
    op.create_index(op.f('ix_statements_topic_folded'), 'statements', ['topic_folded'], unique=False)
    op.create_table('survey_asks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('value', sa.String(length=48), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_via', sa.String(length=10), nullable=True),
    sa.Column('thanked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_survey_asks_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_asks_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_asks'))
    )
    op.create_index(op.f('ix_survey_asks_person_id'), 'survey_asks', ['person_id'], unique=False)
    op.create_index(op.f('ix_survey_asks_survey_id'), 'survey_asks', ['survey_id'], unique=False)
    op.create_table('time_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_time_entries_minutes')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_time_entries_org_id_orgs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_time_entries_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_entries')),
    sa.UniqueConstraint('public_id', name=op.f('uq_time_entries_public_id'))
    )
    op.create_index(op.f('ix_time_entries_at'), 'time_entries', ['at'], unique=False)
    op.create_index(op.f('ix_time_entries_org_id'), 'time_entries', ['org_id'], unique=False)
    op.create_index(op.f('ix_time_entries_person_id'), 'time_entries', ['person_id'], unique=False)
    op.create_table('value_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.String(length=48), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_value_entries_org_id_orgs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_value_entries_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_value_entries')),
    sa.UniqueConstraint('public_id', name=op.f('uq_value_entries_public_id'))
    )
    op.create_index(op.f('ix_value_entries_on_date'), 'value_entries', ['on_date'], unique=False)
    op.create_index(op.f('ix_value_entries_org_id'), 'value_entries', ['org_id'], unique=False)
    op.create_index(op.f('ix_value_entries_person_id'), 'value_entries', ['person_id'], unique=False)
    op.create_table('pitch_uses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('pitch_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.Column('used_on', sa.Date(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_pitch_uses_interaction_id_interactions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_pitch_uses_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pitch_id'], ['pitches.id'], name=op.f('fk_pitch_uses_pitch_id_pitches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pitch_uses')),
    sa.UniqueConstraint('public_id', name=op.f('uq_pitch_uses_public_id'))
    )
    op.create_index(op.f('ix_pitch_uses_interaction_id'), 'pitch_uses', ['interaction_id'], unique=False)
    op.create_index(op.f('ix_pitch_uses_person_id'), 'pitch_uses', ['person_id'], unique=False)
    op.create_index(op.f('ix_pitch_uses_pitch_id'), 'pitch_uses', ['pitch_id'], unique=False)
    op.create_table('story_tellings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.Column('told_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('landed', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_story_tellings_interaction_id_interactions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_story_tellings_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_tellings_story_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_tellings')),
    sa.UniqueConstraint('public_id', name=op.f('uq_story_tellings_public_id'))
    )
    op.create_index(op.f('ix_story_tellings_interaction_id'), 'story_tellings', ['interaction_id'], unique=False)
    op.create_index(op.f('ix_story_tellings_person_id'), 'story_tellings', ['person_id'], unique=False)
    op.create_index(op.f('ix_story_tellings_story_id'), 'story_tellings', ['story_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_story_tellings_story_id'), table_name='story_tellings')
    op.drop_index(op.f('ix_story_tellings_person_id'), table_name='story_tellings')
    op.drop_index(op.f('ix_story_tellings_interaction_id'), table_name='story_tellings')
    op.drop_table('story_tellings')
    op.drop_index(op.f('ix_pitch_uses_pitch_id'), table_name='pitch_uses')
    op.drop_index(op.f('ix_pitch_uses_person_id'), table_name='pitch_uses')
    op.drop_index(op.f('ix_pitch_uses_interaction_id'), table_name='pitch_uses')
    op.drop_table('pitch_uses')
    op.drop_index(op.f('ix_value_entries_person_id'), table_name='value_entries')
    op.drop_index(op.f('ix_value_entries_org_id'), table_name='value_entries')
    op.drop_index(op.f('ix_value_entries_on_date'), table_name='value_entries')
    op.drop_table('value_entries')
    op.drop_index(op.f('ix_time_entries_person_id'), table_name='time_entries')
    op.drop_index(op.f('ix_time_entries_org_id'), table_name='time_entries')
    op.drop_index(op.f('ix_time_entries_at'), table_name='time_entries')
    op.drop_table('time_entries')
    op.drop_index(op.f('ix_survey_asks_survey_id'), table_name='survey_asks')
    op.drop_index(op.f('ix_survey_asks_person_id'), table_name='survey_asks')
    op.drop_table('survey_asks')
    op.drop_index(op.f('ix_statements_topic_folded'), table_name='statements')
    op.drop_index(op.f('ix_statements_person_id'), table_name='statements')
    op.drop_table('statements')
    op.drop_index(op.f('ix_referrals_to_id'), table_name='referrals')
    op.drop_index(op.f('ix_referrals_referrer_id'), table_name='referrals')
    op.drop_index(op.f('ix_referrals_referred_id'), table_name='referrals')
    op.drop_table('referrals')
    op.drop_index(op.f('ix_referral_asks_person_id'), table_name='referral_asks')
    op.drop_table('referral_asks')
    op.drop_table('pitch_versions')
    op.drop_index(op.f('ix_pitch_rehearsals_pitch_id'), table_name='pitch_rehearsals')
    op.drop_table('pitch_rehearsals')
    op.drop_index(op.f('ix_idea_feedback_person_id'), table_name='idea_feedback')
    op.drop_index(op.f('ix_idea_feedback_idea_id'), table_name='idea_feedback')
    op.drop_table('idea_feedback')
    op.drop_index(op.f('ix_craft_targets_person_id'), table_name='craft_targets')
    op.drop_index(op.f('ix_craft_targets_org_id'), table_name='craft_targets')
    op.drop_table('craft_targets')
    op.drop_index(op.f('ix_craft_research_person_id'), table_name='craft_research')
    op.drop_index(op.f('ix_craft_research_org_id'), table_name='craft_research')
    op.drop_table('craft_research')
    op.drop_index(op.f('ix_craft_event_people_via_id'), table_name='craft_event_people')
    op.drop_index(op.f('ix_craft_event_people_person_id'), table_name='craft_event_people')
    op.drop_index(op.f('ix_craft_event_people_event_id'), table_name='craft_event_people')
    op.drop_table('craft_event_people')
    op.drop_index(op.f('ix_claims_person_id'), table_name='claims')
    op.drop_table('claims')
    op.drop_table('surveys')
    op.drop_table('stories')
    op.drop_table('pitches')
    op.drop_table('ideas')
    op.drop_index(op.f('ix_craft_events_on_date'), table_name='craft_events')
    op.drop_table('craft_events')
