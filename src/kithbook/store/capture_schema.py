"""Tables for capture: mail and calendar sources, their runs, what each run captured,
and correspondents not yet in the network (the review list). See docs/capture.md.

`captured` is the general "this interaction came from outside" mark: one row per
message or meeting occurrence, unique by (origin, item_key), so a re-run, a second
source holding the same message, or a later importer (LinkedIn messages) never counts
one touch twice."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kithbook.store import personal_data
from kithbook.store.schema import metadata

TS = DateTime(timezone=True)

capture_sources = Table(
    "capture_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("kind", String(10), nullable=False),  # mbox, maildir, imap, ics, caldav
    Column("location", Text, nullable=False),  # a path, or a server URL
    Column("settings", JSON, nullable=False),  # privacy, never-capture, folders, me, user
    Column("cursor", JSON),  # where the next run starts; never a secret
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("deleted_at", TS),
)

capture_runs = Table(
    "capture_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column(
        "source_id",
        Integer,
        ForeignKey("capture_sources.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("batch_id", String(32), nullable=False),  # the journal batch `undo` reverses
    Column("started_at", TS, nullable=False),
    Column("finished_at", TS),
    Column("status", String(12), nullable=False),  # running, done, partial, failed
    Column("message", Text),
    Column("stats", JSON),
)

captured = Table(
    "captured",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("origin", String(20), nullable=False),  # mail, calendar, linkedin, ...
    Column("item_key", String(500), nullable=False),  # Message-ID, UID|RECURRENCE-ID, ...
    Column("thread_key", String(500), nullable=False),
    Column(
        "interaction_id",
        Integer,
        ForeignKey("interactions.id", ondelete="CASCADE"),
        index=True,
    ),
    Column(
        "source_id", Integer, ForeignKey("capture_sources.id", ondelete="SET NULL"), index=True
    ),
    Column("run_id", Integer, ForeignKey("capture_runs.id", ondelete="SET NULL"), index=True),
    Column("locator", String(500)),  # where it was read: folder + UID, file, offset, href
    Column("occurred_at", TS, nullable=False),
    Column("direction", String(4), nullable=False),  # in, out, both
    Column("parties", Text),  # canonical addresses of the others, space separated
    Column("fingerprint", String(64)),  # meetings: what the occurrence looked like
    Column("status", String(10), nullable=False, default="kept"),  # kept, withdrawn
    UniqueConstraint("origin", "item_key"),
    Index("ix_captured_thread", "origin", "thread_key"),
)

capture_contacts = Table(
    "capture_contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("address", String(320), nullable=False, unique=True),  # canonical form
    Column("display_name", String(300)),
    Column("msgs_in", Integer, nullable=False, default=0),
    Column("msgs_out", Integer, nullable=False, default=0),
    Column("first_seen", TS, nullable=False),
    Column("last_seen", TS, nullable=False),
    # seen, proposed, accepted, dismissed
    Column("status", String(10), nullable=False, default="seen"),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="SET NULL"), index=True),
)

# Erasure (docs/personal-data.md): a correspondent row describes its person, and
# `parties` lists the addresses of a captured message's other people.
personal_data.register_owned_by("capture_contacts", "person_id")
personal_data.register_identity_columns("capture_contacts", "address", "display_name")
personal_data.register_free_text("captured", "parties")
personal_data.register_no_personal_data("capture_sources", "capture_runs")
