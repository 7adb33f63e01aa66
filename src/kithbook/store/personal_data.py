"""Where personal data about a person lives: the map that erasure and subject access
walk (docs/personal-data.md).

Three kinds of reference lead from a person to rows about them:

- foreign keys to `people.id` (and, transitively, to any row that is erased with
  them): found by introspecting the schema, so a new table with such a column needs
  no registration. `ON DELETE SET NULL` columns are nulled; any other column has its
  row erased.
- polymorphic references, a (kind, id) pair such as `notes.subject_kind/subject_id`:
  foreign keys cannot express them, so the table registers them here.
- free text that may name the person (a note on someone else, a shared meeting's
  summary): registered columns are searched for the person's names, e-mails and
  phone numbers, which are replaced by ERASED_MARK.

Every table must be reachable one of these ways or be declared free of contact data;
tests/test_personal_data.py fails for a table that is neither, so nobody can add a
table that erasure silently misses. Register at import time of the module that
defines the table (after the Table(...) call):

    personal_data.register_free_text("alliances", "purpose", "notes")
    personal_data.register_subject_columns("comments", "target_kind", "target_id")
    personal_data.register_no_personal_data("alliance_types")
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Column, MetaData, Table

ERASED_MARK = "[erased]"


@dataclass(frozen=True)
class SubjectColumns:
    """A polymorphic reference: `kind_column` names a kind (SUBJECT_KINDS), `id_column`
    holds the integer key of a row of that kind's table."""

    table: str
    kind_column: str
    id_column: str


@dataclass(frozen=True)
class ForeignRef:
    """A column holding the key of a row of `target` (a foreign key)."""

    table: Table
    column: Column  # type: ignore[type-arg]
    target: str
    nulls: bool  # ON DELETE SET NULL: the row stays, the reference goes


# kind word used in subject columns -> table name
SUBJECT_KINDS: dict[str, str] = {
    "person": "people",
    "org": "orgs",
    "interaction": "interactions",
    "note": "notes",
}
_SUBJECTS: dict[str, SubjectColumns] = {}
_FREE_TEXT: dict[str, tuple[str, ...]] = {}
_NO_PERSONAL_DATA: set[str] = set()
_OWNED_BY: set[tuple[str, str]] = set()
_IDENTITY: dict[str, tuple[str, ...]] = {}
# Handled by erasure itself: the journal is scrubbed entry by entry, search documents are
# rebuilt from what remains.
SPECIAL = frozenset({"changes", "search_docs"})


def register_subject_kind(kind: str, table: str) -> None:
    """A new kind of record that notes or tags (or other subject columns) may point at."""
    SUBJECT_KINDS[kind] = table


def register_subject_columns(table: str, kind_column: str = "subject_kind",
                             id_column: str = "subject_id") -> None:
    _SUBJECTS[table] = SubjectColumns(table, kind_column, id_column)


def register_free_text(table: str, *columns: str) -> None:
    """Columns of free text that may name a person; erasure redacts the name there."""
    _FREE_TEXT[table] = tuple(dict.fromkeys((*_FREE_TEXT.get(table, ()), *columns)))


def register_owned_by(table: str, column: str) -> None:
    """Rows that describe the person they point at through `column` (a foreign key with
    ON DELETE SET NULL, so that ordinary deletes keep them) are erased with the person,
    not just unlinked."""
    _OWNED_BY.add((table, column))


def register_identity_columns(table: str, *columns: str) -> None:
    """Columns that identify someone by themselves (an e-mail address, a display name):
    a row whose value equals one of the person's names, addresses or numbers is erased
    whole, even when nothing links it to the person record."""
    _IDENTITY[table] = tuple(dict.fromkeys((*_IDENTITY.get(table, ()), *columns)))


def owned_by() -> frozenset[tuple[str, str]]:
    return frozenset(_OWNED_BY)


def identity_columns() -> dict[str, tuple[str, ...]]:
    return dict(_IDENTITY)


def register_no_personal_data(*tables: str) -> None:
    """Tables that hold nothing about the people in the network (settings, accounts
    of the app's own users, the erasure register itself)."""
    _NO_PERSONAL_DATA.update(tables)


def subject_columns() -> list[SubjectColumns]:
    return list(_SUBJECTS.values())


def free_text() -> dict[str, tuple[str, ...]]:
    return dict(_FREE_TEXT)


def no_personal_data() -> frozenset[str]:
    return frozenset(_NO_PERSONAL_DATA)


def foreign_refs(metadata: MetaData, target: str) -> Iterator[ForeignRef]:
    """Every column, in every table, that holds a key of a row of `target`."""
    for table in metadata.sorted_tables:
        for col in table.columns:
            for fk in col.foreign_keys:
                if fk.column.table.name == target:
                    nulls = ((fk.ondelete or "").upper() == "SET NULL"
                             and (table.name, col.name) not in _OWNED_BY)
                    yield ForeignRef(table, col, target, nulls)


def reached_tables(metadata: MetaData) -> set[str]:
    """Tables erasure reaches from `people`: by foreign keys (transitively), subject
    columns, free text, or handled specially."""
    reached = {"people"}
    frontier = ["people"]
    while frontier:
        target = frontier.pop()
        for ref in foreign_refs(metadata, target):
            if ref.table.name not in reached:
                reached.add(ref.table.name)
                frontier.append(ref.table.name)
    reached |= set(_SUBJECTS) | set(_FREE_TEXT) | set(_IDENTITY) | SPECIAL
    return reached


# -- the tables of the core schema --------------------------------------------------------

register_subject_columns("notes")
register_subject_columns("taggings")
register_free_text("people", "how_met", "archive_reason")
register_free_text("interactions", "summary", "they_want", "i_want", "agreed", "next_step")
register_free_text("notes", "body")
register_free_text("ties", "note")
register_free_text("promises", "what", "status_reason")
register_free_text("ledger", "what")
register_free_text("needs_offers", "text")
register_free_text("imports", "filename")
register_no_personal_data("meta", "tags", "orgs", "alembic_version")
register_no_personal_data("erasures", "written_files")
register_no_personal_data("users", "sessions", "api_tokens", "login_failures")
