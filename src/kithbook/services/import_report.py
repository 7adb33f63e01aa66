"""What an import did (or, previewed, would do): the report every import returns,
contacts, ties or a JSON backup alike (docs/architecture.md, the import pipeline)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kithbook.domain.models import Record


@dataclass
class ImportReport(Record):
    id: str  # the import's batch id: `kithbook undo` takes it
    name: str  # the file name
    format: str
    dry_run: bool = True
    created: int = 0
    updated: int = 0
    merged: int = 0
    skipped: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"line", "reason"}
    details: dict[str, dict[str, int]] = field(default_factory=dict)
    # rows imported with a cell that could not be read (kept as given on the person)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # {"line", "reason"}
    # what to do after this import: {"step": a key the front ends turn into a command or
    # a link, "text": in the product's words}
    next_steps: list[dict[str, str]] = field(default_factory=list)
