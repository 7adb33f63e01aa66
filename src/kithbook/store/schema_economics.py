"""Alliance economics tables (docs/economics.md, "Storage"): agreements with their
terms, the append-only ledger, issued statements, partners' answers and partners' own
reports. Part of the one `metadata` of store/schema.py.

Money is `DecimalText` (exact text). Terms are stored as JSON in the canonical form of
store/economics.py (decimals as strings). Nothing is deleted by a user action: ledger
entries are reversed by a new entry, statements are issued once, answers are appended.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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

AGREEMENT_KINDS = ("royalty", "buying", "bid", "exit")

econ_agreements = Table(
    "econ_agreements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("alliance_id", Integer, ForeignKey("alliances.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("name", String(300), nullable=False),
    Column("name_folded", String(300), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("terms", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("archived_at", TS),
    CheckConstraint("kind IN ('royalty','buying','bid','exit')", name="kind"),
)

econ_entries = Table(
    "econ_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agreement_id", Integer, ForeignKey("econ_agreements.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("on_date", Date, nullable=False),
    Column("booked", Date, nullable=False),
    Column("amount", DecimalText, nullable=False),
    Column("units", DecimalText, nullable=False),
    Column("party", String(300)),
    Column("ref", String(200), nullable=False, default=""),
    Column("product", String(200), nullable=False, default=""),
    Column("reverses", Integer),
    Column("note", Text, nullable=False, default=""),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("agreement_id", "seq"),
)

econ_statements = Table(
    "econ_statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("agreement_id", Integer, ForeignKey("econ_agreements.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("period", Integer, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("last_seq", Integer, nullable=False),
    Column("content", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("agreement_id", "period"),
)

econ_responses = Table(
    "econ_responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("statement_id", Integer, ForeignKey("econ_statements.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("party", String(300), nullable=False),
    Column("verdict", String(10), nullable=False),
    Column("comment", Text),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="SET NULL"), index=True),
    Column("via", String(10), nullable=False),
    Column("created_at", TS, nullable=False),
    CheckConstraint("verdict IN ('confirmed','disputed')", name="verdict"),
)

econ_reports = Table(
    "econ_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("public_id", String(32), nullable=False, unique=True),
    Column("agreement_id", Integer, ForeignKey("econ_agreements.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("period", Integer, nullable=False),
    Column("party", String(300), nullable=False),
    Column("source", String(300), nullable=False),
    Column("lines", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
)

personal_data.register_free_text("econ_responses", "comment")
personal_data.register_free_text("econ_entries", "note")
personal_data.register_owned_by("econ_responses", "person_id")
for _t in ("econ_agreements", "econ_statements", "econ_reports"):
    personal_data.register_no_personal_data(_t)
