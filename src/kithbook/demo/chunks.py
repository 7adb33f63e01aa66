"""The rows the demo generator hands to the loader, a chunk at a time (so a network of
any size is generated in bounded memory), and the shape of a generated person's row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kithbook.domain.text import fold

# Chunk.table names that are not tables: search documents, and the two facts about a
# few of my contacts that are known only after their rows are written
SEARCH = "search"
MET_VIA = "people.met_via_id"  # rows (person key, introducer key)
LAST_TOUCH = "people.last_touch_at"  # rows (person key, time)


@dataclass
class Chunk:
    """A run of rows for one table, in an order that keeps every foreign key satisfied
    as it is written (integer keys already assigned, offset past existing rows)."""

    table: str
    rows: list[Any]


class Out:
    """Collects rows per table and hands them over a chunk at a time, so a network of
    any size is generated in bounded memory (issue 16: the demo streams)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pending: dict[str, list[Any]] = {}

    def add(self, table: str, row: Any, *, hold: bool = False) -> Iterator[Chunk]:
        """`hold`: wait for an explicit flush (a person's name words need the person
        written first, so their search documents go out with the people's chunk)."""
        rows = self.pending.setdefault(table, [])
        rows.append(row)
        if len(rows) >= self.size and not hold:
            yield from self.flush(table)

    def flush(self, *tables: str) -> Iterator[Chunk]:
        for table in tables or tuple(self.pending):
            rows = self.pending.pop(table, [])
            if rows:
                yield Chunk(table, rows)


def person_row(
    key: int, public_id: str, name: str, now: datetime, *, is_me: bool = False
) -> dict[str, Any]:
    return {
        "id": key,
        "public_id": public_id,
        "name": name,
        "name_folded": fold(name),
        "given_name": None,
        "family_name": None,
        "nickname": None,
        "is_me": is_me,
        "tier": None,
        "stage": None,
        "cadence_days": None,
        "how_met": None,
        "met_via_id": None,
        "first_met_on": None,
        "birthday": None,
        "anniversary": None,
        "photo": None,
        "linkedin_url": None,
        "snoozed_until": None,
        "last_touch_at": None,
        "archived_at": None,
        "archive_reason": None,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }
