"""ties CSV: `person_a,person_b,strength[,kind]` to declare who knows whom in bulk.
A person is named by public id, email, LinkedIn URL or exact name."""

from __future__ import annotations

from collections.abc import Iterator

from kithbook.domain.models import TIE_KINDS
from kithbook.io.csv_common import read_rows
from kithbook.io.records import ImportedTie, RowError


def _is_header(cells: list[str]) -> bool:
    return "person_a" in cells and "person_b" in cells


def parse(text: str) -> Iterator[ImportedTie | RowError]:
    for item in read_rows(text, _is_header, max_preamble=1):
        if isinstance(item, RowError):
            yield item
            continue
        line, row = item
        # row.get, not csv_common.get: four lookups a row of a file that may hold
        # 200,000 (the same answer: a cell of blanks counts as empty)
        a, b = (row.get("person_a") or "").strip(), (row.get("person_b") or "").strip()
        if not a or not b:
            yield RowError(line, "person_a and person_b are both required")
            continue
        if a.casefold() == b.casefold():
            yield RowError(line, "a person cannot have a tie to themselves")
            continue
        raw = (row.get("strength") or "").strip() or "3"
        try:
            strength = int(raw)
        except ValueError:
            yield RowError(line, f"strength must be a whole number 1..5, not {raw[:20]!r}")
            continue
        if not 1 <= strength <= 5:
            yield RowError(line, f"strength must be 1..5, not {strength}")
            continue
        kind = ((row.get("kind") or "").strip() or "knows").lower()
        if kind not in TIE_KINDS:
            yield RowError(line, f"unknown tie kind {kind[:30]!r} (one of {', '.join(TIE_KINDS)})")
            continue
        yield ImportedTie(a[:300], b[:300], strength, kind, line)
