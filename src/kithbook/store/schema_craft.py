"""Tables of the craft of networking (docs/networking-craft.md): targets, events and
plans, research notes; pitches with versions, rehearsals and uses; stories and who
heard them; claims people made and what I told whom; surveys and idea tests;
referrals; time invested and value returned. Part of the one `metadata` of
store/schema.py.

Rows point at `people`, `orgs` and `interactions` rather than copying them. Money and
estimates are `DecimalText`. No unique constraint names a person, so a merge of two
people re-points rows without collisions. Nothing is deleted by a user action: records
carry `deleted_at` (undo restores them) or are appended.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
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


def _person(name: str = "person_id", *, nullable: bool = False,
            set_null: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(name, Integer,
                  ForeignKey("people.id", ondelete="SET NULL" if set_null else "CASCADE"),
                  nullable=nullable, index=True)


def _org(name: str = "org_id") -> Column:  # type: ignore[type-arg]
    return Column(name, Integer, ForeignKey("orgs.id", ondelete="SET NULL"), index=True)


def _interaction() -> Column:  # type: ignore[type-arg]
    return Column("interaction_id", Integer,
                  ForeignKey("interactions.id", ondelete="SET NULL"), index=True)


# -- key 1: research ------------------------------------------------------------------

craft_targets = Table(
    "craft_targets",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _person(nullable=True),  # a person, or None for a kind of person (`name`)
    Column("name", String(300), nullable=False),
    _org(),
    Column("why", Text),
    Column("priority", Integer, nullable=False, default=2),
    Column("how", Text),
    Column("status", String(10), nullable=False, default="open"),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
    CheckConstraint("priority IN (1, 2, 3)", name="priority"),
    CheckConstraint("status IN ('open','met','dropped')", name="status"),
)

craft_events = Table(
    "craft_events",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("name", String(300), nullable=False),
    Column("kind", String(20), nullable=False, default="other"),
    Column("on_date", Date, nullable=False, index=True),
    Column("start_time", String(5)),
    Column("place", Text),
    Column("url", Text),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
)

craft_event_people = Table(
    "craft_event_people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("craft_events.id", ondelete="CASCADE"),
           nullable=False, index=True),
    _person(),
    Column("role", String(12), nullable=False, default="attendee"),
    Column("plan_rank", Integer),  # None: attends, not in my plan
    _person("via_id", nullable=True, set_null=True),
    Column("opener", Text),
    Column("met", Boolean, nullable=False, default=False),
)

craft_research = Table(
    "craft_research",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _person(nullable=True),
    _org(),
    Column("text", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
)

# -- key 2: elevator pitches --------------------------------------------------------------

pitches = Table(
    "pitches",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("name", String(300), nullable=False),
    Column("audience", String(200), nullable=False),
    Column("goal", Text),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
)

pitch_versions = Table(
    "pitch_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pitch_id", Integer, ForeignKey("pitches.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("words", Integer, nullable=False),
    Column("seconds", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("pitch_id", "version"),
)

pitch_rehearsals = Table(
    "pitch_rehearsals",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("pitch_id", Integer, ForeignKey("pitches.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("version", Integer, nullable=False),
    Column("on_date", Date, nullable=False),
    Column("seconds", Integer),
    Column("rating", Integer),
    Column("notes", Text),
    Column("created_at", TS, nullable=False),
    CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
)

pitch_uses = Table(
    "pitch_uses",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("pitch_id", Integer, ForeignKey("pitches.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("version", Integer, nullable=False),
    _person(),
    _interaction(),
    Column("used_on", Date, nullable=False),
    Column("outcome", String(12), nullable=False, default="unknown"),
    Column("note", Text),
    Column("created_at", TS, nullable=False),
)

# -- key 8: stories ---------------------------------------------------------------------

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("title", String(300), nullable=False),
    Column("text", Text, nullable=False),
    Column("theme", String(200)),
    Column("audience", String(200)),
    Column("words", Integer, nullable=False),
    Column("seconds", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
)

story_tellings = Table(
    "story_tellings",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False,
           index=True),
    _person(),
    _interaction(),
    Column("told_at", TS, nullable=False),
    Column("landed", Boolean),
    Column("created_at", TS, nullable=False),
)

# -- key 5: honesty -----------------------------------------------------------------------

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _person(),
    Column("text", Text, nullable=False),
    Column("topic", String(200)),
    Column("status", String(10), nullable=False, default="unknown"),
    Column("source", Text),
    Column("said_on", Date),
    Column("checked_on", Date),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
    CheckConstraint("status IN ('verified','false','unknown')", name="status"),
)

statements = Table(
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _person(),
    Column("topic", String(200), nullable=False),
    Column("topic_folded", String(200), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("value", String(200)),
    Column("said_on", Date),
    Column("withdrawn_at", TS),
    Column("created_at", TS, nullable=False),
)

# -- wisdom of crowds ---------------------------------------------------------------------

surveys = Table(
    "surveys",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("question", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("choices", JSON, nullable=False),
    Column("segment", Text),
    Column("created_at", TS, nullable=False),
    Column("closed_at", TS),
    Column("deleted_at", TS),
    CheckConstraint("kind IN ('estimate','choice','open')", name="kind"),
)

survey_asks = Table(
    "survey_asks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("survey_id", Integer, ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False,
           index=True),
    _person(),
    Column("asked_at", TS, nullable=False),
    Column("answer", Text),
    Column("value", DecimalText()),
    Column("answered_at", TS),
    Column("answered_via", String(10)),  # typed, link
    Column("thanked_at", TS),
)

ideas = Table(
    "ideas",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("title", String(300), nullable=False),
    Column("text", Text),
    Column("verdict", String(10)),  # set by hand; None: computed
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
)

idea_feedback = Table(
    "idea_feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("idea_id", Integer, ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False,
           index=True),
    _person(),
    Column("interest", Integer, nullable=False),
    Column("would_use", Integer, nullable=False),
    Column("clarity", Integer, nullable=False),
    Column("liked", Text),
    Column("worries", Text),
    Column("created_at", TS, nullable=False),
)

# -- referrals and advocates ------------------------------------------------------------

referrals = Table(
    "referrals",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    _person("referrer_id"),
    _person("referred_id"),
    _person("to_id"),
    Column("occurred_on", Date, nullable=False),
    Column("status", String(6), nullable=False, default="open"),
    Column("value", DecimalText()),
    Column("met", Boolean, nullable=False, default=False),
    Column("decided_on", Date),
    Column("thanked_at", TS),
    Column("reported_at", TS),
    Column("note", Text),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
    CheckConstraint("status IN ('open','met','won','lost')", name="status"),
)

referral_asks = Table(
    "referral_asks",
    metadata,
    Column("id", Integer, primary_key=True),
    _person(),
    Column("asked_on", Date, nullable=False),
    Column("created_at", TS, nullable=False),
)

# -- time and value -----------------------------------------------------------------------

time_entries = Table(
    "time_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("at", TS, nullable=False, index=True),
    Column("minutes", Integer, nullable=False),
    Column("kind", String(12), nullable=False),
    _person(nullable=True),
    _org(),
    Column("note", Text),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
    CheckConstraint("minutes > 0", name="minutes"),
)

value_entries = Table(
    "value_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("on_date", Date, nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("amount", DecimalText()),
    _person(nullable=True, set_null=True),
    _org(),
    Column("note", Text),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
)

personal_data.register_free_text("craft_targets", "name", "why", "how")
personal_data.register_free_text("craft_events", "name", "place")
personal_data.register_free_text("craft_event_people", "opener")
personal_data.register_free_text("craft_research", "text")
personal_data.register_free_text("pitches", "name", "audience", "goal")
personal_data.register_free_text("pitch_versions", "text")
personal_data.register_free_text("pitch_rehearsals", "notes")
personal_data.register_free_text("pitch_uses", "note")
personal_data.register_free_text("stories", "title", "text")
personal_data.register_free_text("claims", "text", "source")
personal_data.register_free_text("statements", "text")
personal_data.register_free_text("surveys", "question", "segment")
personal_data.register_free_text("survey_asks", "answer")
personal_data.register_free_text("ideas", "title", "text")
personal_data.register_free_text("idea_feedback", "liked", "worries")
personal_data.register_free_text("referrals", "note")
personal_data.register_free_text("time_entries", "note")
personal_data.register_free_text("value_entries", "note")
