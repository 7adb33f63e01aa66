"""Alliance tables and the private response links (docs/alliance-management.md, "The record";
docs/private-links.md). Part of the one `metadata` of store/schema.py.

Partners are organizations and their people are people: alliance rows point at
`orgs`, `people`, `interactions` and `promises` rather than copying them. Money and
measured values are `DecimalText`. Nothing here is deleted by a user action: an
alliance is archived (`deleted_at`), ledger lines are appended, confirmations are
appended (the latest per party counts).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kithbook.store import personal_data
from kithbook.store.schema import TS, metadata
from kithbook.store.types import DecimalText


def _pid() -> Column:  # type: ignore[type-arg]
    return Column("public_id", String(32), nullable=False, unique=True)


def _alliance_fk() -> Column:  # type: ignore[type-arg]
    return Column("alliance_id", Integer, ForeignKey("alliances.id", ondelete="CASCADE"),
                  nullable=False, index=True)


def _party_fk(name: str = "partner_id", *, nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(name, Integer,
                  ForeignKey("alliance_partners.id",
                             ondelete="SET NULL" if nullable else "CASCADE"),
                  nullable=nullable, index=True)


def _person_fk(name: str) -> Column:  # type: ignore[type-arg]
    return Column(name, Integer, ForeignKey("people.id", ondelete="SET NULL"), index=True)


alliances = Table(
    "alliances",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("name", String(300), nullable=False),
    Column("name_folded", String(300), nullable=False, index=True),
    Column("type", String(30)),
    Column("purpose", Text),
    Column("rationale", Text),
    Column("stage", String(12), nullable=False, default="explore"),
    Column("currency", String(3), nullable=False, default="EUR"),
    Column("started_on", Date),
    Column("planned_end_on", Date),
    Column("notice_days", Integer),
    Column("decision_on", Date),  # the renewal or exit decision date
    Column("sla_hours", Integer),  # agreed answer time between parties
    Column("termination_code", String(12)),
    Column("termination_reason", Text),
    Column("lessons", Text),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
    CheckConstraint(
        "stage IN ('explore','negotiate','launch','manage','terminate','closed')", name="stage"
    ),
    CheckConstraint(
        "termination_code IS NULL OR termination_code IN ('structural','process','external')",
        name="termination_code",
    ),
    CheckConstraint("notice_days IS NULL OR notice_days >= 0", name="notice"),
)

alliance_partners = Table(
    "alliance_partners",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    Column("org_id", Integer, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("is_us", Boolean, nullable=False, default=False),
    _person_fk("sponsor_id"),
    Column("role", String(40)),  # lead, member, licensor, licensee, school, ...
    Column("share_bp", Integer),  # agreed share in basis points, 10,000 = all
    Column("joined_on", Date),
    Column("left_on", Date),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("alliance_id", "org_id"),
    CheckConstraint("share_bp IS NULL OR share_bp BETWEEN 0 AND 10000", name="share"),
)

alliance_contacts = Table(
    "alliance_contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    _party_fk(),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("role", String(100)),
    Column("departed_on", Date),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("partner_id", "person_id"),
)

alliance_documents = Table(
    "alliance_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    Column("title", String(300), nullable=False),
    Column("location", Text, nullable=False),  # a URL or a file path
    Column("kind", String(20), nullable=False, default="other"),
    Column("added_on", Date),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
)

alliance_obligations = Table(
    "alliance_obligations",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    _party_fk(nullable=True),
    Column("text", Text, nullable=False),
    Column("kind", String(20), nullable=False, default="obligation"),
    Column("due_on", Date),
    Column("done_on", Date),
    Column("created_at", TS, nullable=False),
)

alliance_goals = Table(
    "alliance_goals",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    _party_fk(),
    Column("text", Text, nullable=False),
    Column("kpi", String(200)),  # folded key of the measure the goal moves
    Column("direction", String(10), nullable=False, default="increase"),
    Column("created_at", TS, nullable=False),
)

alliance_objectives = Table(
    "alliance_objectives",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    Column("goal_id", Integer, ForeignKey("alliance_goals.id", ondelete="SET NULL"),
           index=True),
    Column("name", String(300), nullable=False),
    Column("metric", String(200)),
    Column("unit", String(40)),
    Column("kind", String(5), nullable=False, default="ends"),
    Column("baseline", DecimalText),
    Column("target", DecimalText),
    Column("start_on", Date),
    Column("deadline", Date),
    _party_fk("owner_partner_id", nullable=True),
    _person_fk("owner_person_id"),
    Column("weight", Integer, nullable=False, default=1),
    Column("created_at", TS, nullable=False),
    CheckConstraint("weight BETWEEN 1 AND 100", name="weight"),
)

alliance_measurements = Table(
    "alliance_measurements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("objective_id", Integer, ForeignKey("alliance_objectives.id", ondelete="CASCADE"),
           nullable=False),
    Column("measured_on", Date, nullable=False),
    Column("value", DecimalText, nullable=False),
    Column("note", Text),
    Column("created_at", TS, nullable=False),
    Index("ix_alliance_measurements_objective", "objective_id", "measured_on"),
)

alliance_activities = Table(
    "alliance_activities",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    Column("name", String(300), nullable=False),
    Column("deliverable", Text),
    Column("joint", Boolean, nullable=False, default=True),
    Column("objective_id", Integer, ForeignKey("alliance_objectives.id", ondelete="SET NULL"),
           index=True),
    Column("obligation_id", Integer,
           ForeignKey("alliance_obligations.id", ondelete="SET NULL"), index=True),
    Column("check_in_days", Integer),
    Column("last_update_on", Date),
    Column("done_on", Date),
    Column("created_at", TS, nullable=False),
)

alliance_raci = Table(
    "alliance_raci",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("activity_id", Integer, ForeignKey("alliance_activities.id", ondelete="CASCADE"),
           nullable=False, index=True),
    _party_fk(),
    _person_fk("person_id"),
    Column("letters", String(4), nullable=False),
    Column("created_at", TS, nullable=False),
)

alliance_contributions = Table(
    "alliance_contributions",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    _party_fk(),
    Column("kind", String(12), nullable=False),
    Column("stage", String(10), nullable=False),
    Column("amount", DecimalText, nullable=False),
    Column("rate", DecimalText),
    Column("description", Text),
    Column("on_date", Date, nullable=False),
    Column("created_at", TS, nullable=False),
    CheckConstraint("kind IN ('cash','hours','asset','introduction')", name="kind"),
    CheckConstraint("stage IN ('committed','delivered')", name="stage"),
)

alliance_forums = Table(
    "alliance_forums",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    Column("name", String(200), nullable=False),
    Column("layer", String(12), nullable=False, default="management"),
    Column("cadence_days", Integer, nullable=False),
    Column("created_on", Date),
    Column("ended_on", Date),
    Column("created_at", TS, nullable=False),
    CheckConstraint("cadence_days > 0", name="cadence"),
)

alliance_meetings = Table(
    "alliance_meetings",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    Column("forum_id", Integer, ForeignKey("alliance_forums.id", ondelete="SET NULL"),
           index=True),
    Column("interaction_id", Integer, ForeignKey("interactions.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("minutes", Text),
    Column("minutes_on", Date),
    Column("created_at", TS, nullable=False),
)

alliance_decisions = Table(
    "alliance_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    Column("kind", String(12), nullable=False, default="decision"),
    Column("text", Text, nullable=False),
    Column("outcome", String(12)),
    _party_fk(),
    _person_fk("person_id"),
    Column("meeting_id", Integer, ForeignKey("alliance_meetings.id", ondelete="SET NULL"),
           index=True),
    Column("decided_on", Date),
    Column("created_at", TS, nullable=False),
)

alliance_actions = Table(
    "alliance_actions",
    metadata,
    Column("id", Integer, primary_key=True),
    _alliance_fk(),
    Column("promise_id", Integer, ForeignKey("promises.id", ondelete="CASCADE"),
           nullable=False, unique=True),
    _party_fk(),
    Column("decision_id", Integer, ForeignKey("alliance_decisions.id", ondelete="SET NULL"),
           index=True),
)

alliance_checks = Table(
    "alliance_checks",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    Column("opened_on", Date, nullable=False),
    Column("closes_on", Date),
    Column("min_group", Integer, nullable=False, default=3),
    Column("created_at", TS, nullable=False),
    CheckConstraint("min_group >= 1", name="min_group"),
)

# Anonymous on purpose: the party and the day, never the person (docs/alliance-management.md).
alliance_check_responses = Table(
    "alliance_check_responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("check_id", Integer, ForeignKey("alliance_checks.id", ondelete="CASCADE"),
           nullable=False, index=True),
    _party_fk(),
    Column("answered_on", Date, nullable=False),
    Column("ratings", JSON, nullable=False),  # {dimension: 1..5}
    Column("comment", Text),
)

alliance_exit_items = Table(
    "alliance_exit_items",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _alliance_fk(),
    Column("kind", String(12), nullable=False),
    Column("text", Text, nullable=False),
    _party_fk(nullable=True),
    Column("done_on", Date),
    Column("created_at", TS, nullable=False),
)

alliance_stage_log = Table(
    "alliance_stage_log",
    metadata,
    Column("id", Integer, primary_key=True),
    _alliance_fk(),
    Column("at", TS, nullable=False),
    Column("from_stage", String(12), nullable=False),
    Column("to_stage", String(12), nullable=False),
    Column("forced", Boolean, nullable=False, default=False),
    Column("unmet", JSON),  # the criteria that were not met, as text
    Column("reason", Text),
)

# Who confirmed or disputed a goal or a decision, when, and how it reached us.
alliance_confirmations = Table(
    "alliance_confirmations",
    metadata,
    Column("id", Integer, primary_key=True),
    _alliance_fk(),
    Column("subject_kind", String(12), nullable=False),  # goal, decision
    Column("subject_id", Integer, nullable=False),
    _party_fk(),
    _person_fk("person_id"),
    Column("verdict", String(10), nullable=False),
    Column("comment", Text),
    Column("at", TS, nullable=False),
    Column("via", String(10), nullable=False, default="manual"),  # manual, link
    Index("ix_alliance_confirmations_subject", "subject_kind", "subject_id"),
    CheckConstraint("verdict IN ('confirmed','disputed')", name="verdict"),
)

# Private response links (/r/<token>): one purpose, one recipient, expiring, revocable.
# Only the SHA-256 of the token is kept, so the database never holds a usable link.
response_links = Table(
    "response_links",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("purpose", String(40), nullable=False),
    Column("subject_kind", String(30), nullable=False),
    Column("subject_id", Integer, nullable=False),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), index=True),
    Column("context", JSON),  # what the purpose needs besides the subject (keys only)
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("revoked_at", TS),
    Column("answered_at", TS),
    Column("answer", JSON),
    Index("ix_response_links_subject", "subject_kind", "subject_id"),
)

# Erasure and subject access (docs/personal-data.md): people are reached through the
# foreign keys above; free text that may name someone is registered for redaction.
personal_data.register_free_text("alliances", "purpose", "rationale", "termination_reason",
                                 "lessons")
personal_data.register_free_text("alliance_documents", "title", "location")
personal_data.register_free_text("alliance_obligations", "text")
personal_data.register_free_text("alliance_goals", "text")
personal_data.register_free_text("alliance_objectives", "name")
personal_data.register_free_text("alliance_measurements", "note")
personal_data.register_free_text("alliance_activities", "name", "deliverable")
personal_data.register_free_text("alliance_contributions", "description")
personal_data.register_free_text("alliance_forums", "name")
personal_data.register_free_text("alliance_meetings", "minutes")
personal_data.register_free_text("alliance_decisions", "text")
personal_data.register_free_text("alliance_check_responses", "comment")
personal_data.register_free_text("alliance_exit_items", "text")
personal_data.register_free_text("alliance_stage_log", "reason")
personal_data.register_free_text("alliance_confirmations", "comment")
personal_data.register_no_personal_data("alliance_checks")
