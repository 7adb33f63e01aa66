"""SQLAlchemy Core tables: the single description of the database.

Integer keys join; `public_id` strings are what users, exports and URLs see.
Multi-valued contact fields live in their own tables with a label and provenance
(`source`: which import or "manual"). Nothing is hard-deleted by a user action:
rows carry `deleted_at` (trash) or, for people, `archived_at` (pruned).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

TS = DateTime(timezone=True)


def _pid() -> Column[str]:
    return Column("public_id", String(32), nullable=False, unique=True)


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

orgs = Table(
    "orgs",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("name", String(300), nullable=False),
    Column("name_folded", String(300), nullable=False, index=True),
    Column("domain", String(255), index=True),
    Column("kind", String(40)),  # customer, supplier, partner, prospect, school, ...
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("name", String(300), nullable=False),  # display name, as the user or file gave it
    Column("name_folded", String(300), nullable=False, index=True),
    Column("given_name", String(200)),
    Column("family_name", String(200)),
    Column("nickname", String(200)),
    Column("is_me", Boolean, nullable=False, default=False),
    Column("tier", String(1)),  # A, B, C
    Column("stage", String(20)),  # target, met, rapport, mutual_help, advocate, dormant
    Column("cadence_days", Integer),  # None: tier default
    Column("how_met", Text),
    Column("met_via_id", Integer, ForeignKey("people.id", ondelete="SET NULL")),
    Column("first_met_on", Date),
    Column("birthday", String(10)),  # YYYY-MM-DD or --MM-DD when the year is unknown
    Column("anniversary", String(10)),  # the same (migration 0011)
    Column("photo", Text),  # data URI, kept as imported
    Column("linkedin_url", String(400), index=True),  # normalized identity key
    Column("snoozed_until", Date),
    Column("last_touch_at", TS, index=True),  # maintained on every touch; see store.touches
    Column("archived_at", TS),
    Column("archive_reason", Text),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
    CheckConstraint("tier IN ('A','B','C') OR tier IS NULL", name="tier"),
    CheckConstraint("cadence_days IS NULL OR cadence_days > 0", name="cadence"),
)


def _contact_table(name: str, *cols: Column[Any]) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column(
            "person_id",
            Integer,
            ForeignKey("people.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        *cols,
        Column("label", String(60)),
        Column("is_primary", Boolean, nullable=False, default=False),
        Column("source", String(200), nullable=False, default="manual"),
        Column("created_at", TS, nullable=False),
    )


person_emails = _contact_table(
    "person_emails",
    Column("value", String(320), nullable=False),
    Column("normalized", String(320), nullable=False, index=True),
)
person_phones = _contact_table(
    "person_phones",
    Column("value", String(100), nullable=False),  # raw, as given
    Column("e164", String(32), index=True),
)
person_urls = _contact_table(
    "person_urls",
    Column("value", String(1000), nullable=False),
    Column("normalized", String(1000), nullable=False),
)
person_addresses = _contact_table(
    "person_addresses",
    Column("value", Text, nullable=False),  # full text as given
    Column("street", Text),
    Column("city", String(200)),
    Column("region", String(200)),
    Column("postcode", String(40)),
    Column("country", String(200)),
)

roles = Table(
    "roles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "person_id",
        Integer,
        ForeignKey("people.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "org_id", Integer, ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("title", String(300)),
    Column("department", String(300)),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("is_current", Boolean, nullable=False, default=True),
    Column("source", String(200), nullable=False, default="manual"),
    Column("created_at", TS, nullable=False),
)

ties = Table(
    "ties",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    # a_id < b_id always: one row per unordered pair and kind
    Column("a_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column(
        "b_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("kind", String(40), nullable=False, default="knows"),
    Column("strength", Integer, nullable=False, default=3),
    Column("since", Date),
    Column("note", Text),
    Column("source", String(200), nullable=False, default="manual"),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
    UniqueConstraint("a_id", "b_id", "kind"),
    CheckConstraint("a_id < b_id", name="ordered"),
    CheckConstraint("strength BETWEEN 1 AND 5", name="strength"),
)

interactions = Table(
    "interactions",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("occurred_at", TS, nullable=False, index=True),
    Column("channel", String(20), nullable=False, default="meeting"),
    Column("minutes", Integer),
    Column("summary", Text),
    Column("initiated_by_id", Integer, ForeignKey("people.id", ondelete="SET NULL")),
    Column("they_want", Text),
    Column("i_want", Text),
    Column("agreed", Text),  # newline-separated items
    Column("next_step", Text),
    Column("source", String(200), nullable=False, default="manual"),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
)

interaction_participants = Table(
    "interaction_participants",
    metadata,
    Column(
        "interaction_id",
        Integer,
        ForeignKey("interactions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_interaction_participants_person", "person_id", "interaction_id"),
)

promises = Table(
    "promises",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column(
        "owed_by_id",
        Integer,
        ForeignKey("people.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column(
        "owed_to_id",
        Integer,
        ForeignKey("people.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("what", Text, nullable=False),
    Column("due", Date, index=True),
    Column("status", String(10), nullable=False, default="open", index=True),
    Column("status_reason", Text),
    Column("closed_at", TS),
    Column("interaction_id", Integer, ForeignKey("interactions.id", ondelete="SET NULL")),
    Column("created_at", TS, nullable=False),
    Column("deleted_at", TS),
    CheckConstraint("status IN ('open','done','broken','released')", name="status"),
    # promises I kept lately, for the agenda's ask-for-a-referral (migration 0012)
    Index("ix_promises_owed_by_closed", "owed_by_id", "closed_at"),
)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("subject_kind", String(20), nullable=False),  # person, org, interaction
    Column("subject_id", Integer, nullable=False),
    Column("body", Text, nullable=False),  # markdown
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
    Index("ix_notes_subject", "subject_kind", "subject_id"),
)

tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
)

taggings = Table(
    "taggings",
    metadata,
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Column("subject_kind", String(20), primary_key=True),
    Column("subject_id", Integer, primary_key=True),
    Index("ix_taggings_subject", "subject_kind", "subject_id"),
)

# Listen and help: what a person needs and offers (issue: matchmaking).
needs_offers = Table(
    "needs_offers",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column(
        "person_id",
        Integer,
        ForeignKey("people.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(5), nullable=False),  # need, offer
    Column("text", Text, nullable=False),
    Column("tags", Text),  # comma-separated, folded
    Column("created_at", TS, nullable=False),
    Column("resolved_at", TS),
    CheckConstraint("kind IN ('need','offer')", name="kind"),
)

# The give/ask ledger: favours, intros, advice given and received.
ledger = Table(
    "ledger",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column(
        "giver_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column(
        "receiver_id",
        Integer,
        ForeignKey("people.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(20), nullable=False),  # favour, intro, advice, referral
    Column("what", Text),
    Column("occurred_on", Date, nullable=False),
    Column("interaction_id", Integer, ForeignKey("interactions.id", ondelete="SET NULL")),
    Column("created_at", TS, nullable=False),
)

# Provenance of imports: which file, when, with what outcome.
imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("filename", String(500), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("format", String(20), nullable=False),
    Column("imported_at", TS, nullable=False),
    Column("stats", JSON),
    Column("batch_id", String(32)),
)

# The change journal: every user-visible write records its inverse here, grouped in
# batches, so `undo` can reverse an import, a merge, an archive or a delete, and the
# audit trail can show who changed what.
changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", String(32), nullable=False, index=True),
    Column("at", TS, nullable=False),
    Column("actor", String(100), nullable=False, default="me"),
    Column("action", String(40), nullable=False),  # the user-level verb: add, merge, import...
    Column("table_name", String(40), nullable=False),
    # primary key columns of the row; of a keyed entry, {"id": runs of keys}
    Column("row_key", JSON, nullable=False),
    # insert, update, delete; insert_keys, update_keys: one entry for many rows
    Column("op", String(12), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("undone_at", TS),
    # rows the entry covers (store/journal.py): the audit trail counts rows
    Column("row_count", Integer, nullable=False, default=1, server_default=text("1")),
)

# Folded search text per record; SQLite indexes it with FTS5, PostgreSQL with tsvector.
search_docs = Table(
    "search_docs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),  # person, org, interaction, note
    Column("ref_id", Integer, nullable=False),
    Column("body", Text, nullable=False),
    UniqueConstraint("kind", "ref_id"),
)

# The words of each live person's name (the words of their `name` search document), in
# byte order: "a name word starts with p" is then an index range `word >= p AND word <
# p'`, which can stop after a page or a capped count; the full-text indexes cannot (a
# prefix query gathers every match first). Derived like search_docs, kept by
# store/search.py (migration 0013, docs/scaling.md "People search").
WORD = String(300).with_variant(String(300, collation="C"), "postgresql")
person_name_words = Table(
    "person_name_words",
    metadata,
    Column("word", WORD, primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"),
           primary_key=True),
    Index("ix_person_name_words_person_id", "person_id"),
)

Index("ix_ties_a", ties.c.a_id)
Index("ix_promises_open_due", promises.c.status, promises.c.due)
# Foreign keys that cascade or null out on delete need an index on the referring
# column, or every delete of a person scans the whole referring table.
Index("ix_people_met_via_id", people.c.met_via_id)
Index("ix_interactions_initiated_by_id", interactions.c.initiated_by_id)
Index("ix_promises_interaction_id", promises.c.interaction_id)
Index("ix_ledger_interaction_id", ledger.c.interaction_id)
Index("ix_roles_current", roles.c.org_id, roles.c.is_current)

# The agenda's day-one reads (store/triage_queries.py, migration 0017): the people with a
# birthday or an anniversary on record (few, or none after a LinkedIn import: the
# partial indexes hold only them) and a tier's people never touched (`today` read the
# whole table for each: 90 ms of 190 at 100,000 people).
_HAS_BIRTHDAY = people.c.birthday.isnot(None)
_HAS_ANNIVERSARY = people.c.anniversary.isnot(None)
Index("ix_people_birthday", people.c.id,
      sqlite_where=_HAS_BIRTHDAY, postgresql_where=_HAS_BIRTHDAY)
Index("ix_people_anniversary", people.c.id,
      sqlite_where=_HAS_ANNIVERSARY, postgresql_where=_HAS_ANNIVERSARY)
Index("ix_people_tier_touch", people.c.tier, people.c.last_touch_at)

# The erasure register: one row per erasure, holding keyed hashes (HMAC-SHA256 with a
# random salt kept in the row) of the public ids that were erased, and nothing else.
# Restoring an older backup re-applies every erasure recorded here (docs/personal-data.md).
erasures = Table(
    "erasures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("erased_at", TS, nullable=False),
    Column("hashes", JSON, nullable=False),
)

# Copies of the data Kithbook wrote outside the database (backups, exports), so that an
# erasure can say which older copies still hold the person.
written_files = Table(
    "written_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", Text, nullable=False),
    Column("kind", String(20), nullable=False),  # backup, auto-backup, export
    Column("written_at", TS, nullable=False),
)

# Capture tables live in their own module; importing it here registers them with the
# one metadata (the journal and merges look tables up there).
from kithbook.store import capture_schema as _capture_schema  # noqa: E402, F401

# Accounts of the people who use this Kithbook (not contacts): the owner now, a team
# later (docs/security.md). Passwords are argon2id hashes; session and API tokens are
# stored only as SHA-256 hashes of 256-bit random values.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("username", String(100), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False, default="owner"),  # owner; member later
    Column("created_at", TS, nullable=False),
    Column("disabled_at", TS),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", TS, nullable=False),
    Column("last_seen_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    _pid(),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", TS, nullable=False),
    Column("last_used_at", TS),
    Column("revoked_at", TS),
)

# Failed logins per key (a username or a client address) for throttling.
login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("first_at", TS, nullable=False),
    Column("locked_until", TS),
)

# Alliance tables share this metadata; imported last because they refer to the above.
from kithbook.store import schema_alliances as _alliances  # noqa: E402, F401

# The craft of networking (docs/networking-craft.md) shares this metadata too.
from kithbook.store import schema_craft as _craft  # noqa: E402, F401

# Economics tables (issue 12) share this metadata too; they refer to alliances.
from kithbook.store import schema_economics as _economics  # noqa: E402, F401
