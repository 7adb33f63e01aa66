"""The personal-data map is complete: every table is reached by erasure and subject
access, or declared free of contact data (docs/personal-data.md)."""

from __future__ import annotations

from kithbook.store import personal_data as pd
from kithbook.store import schema as s


def test_every_table_is_reached_or_declared() -> None:
    reached = pd.reached_tables(s.metadata)
    declared = pd.no_personal_data()
    missing = sorted(set(s.metadata.tables) - reached - declared)
    assert missing == [], (
        f"tables {missing} are unknown to erasure: register their person references or "
        "free text, or declare them free of contact data (docs/personal-data.md)")


def test_registered_columns_exist() -> None:
    tables = s.metadata.tables
    for name, cols in pd.free_text().items():
        assert name in tables, name
        for col in cols:
            assert col in tables[name].c, f"{name}.{col}"
    for sc in pd.subject_columns():
        assert {sc.kind_column, sc.id_column} <= set(tables[sc.table].c.keys()), sc
    for table in pd.SUBJECT_KINDS.values():
        assert table in tables


def test_foreign_keys_to_people_are_found_by_introspection() -> None:
    found = {(r.table.name, r.column.name, r.nulls) for r in pd.foreign_refs(s.metadata,
                                                                             "people")}
    assert ("person_emails", "person_id", False) in found
    assert ("interactions", "initiated_by_id", True) in found
    assert ("ledger", "receiver_id", False) in found
