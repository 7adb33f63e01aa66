"""Which module handles which format. Values are "module:function" strings so that
nothing is imported until a format is used. Each feature adds its own lines."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from kithbook.errors import InvalidInput

# An exporter is called as fn(services, *, tag=None) -> bytes.
EXPORTERS: dict[str, str] = {
    "json": "kithbook.services.backup:export_bytes",
    "ics": "kithbook.services.agenda:export_ics",
    "vcard": "kithbook.services.exports:export_vcard",
    "csv": "kithbook.services.exports:export_csv",
    "ties": "kithbook.services.exports:export_ties",
}

# An importer service is called as fn(services, data: bytes, *, filename, dry_run, **opts)
# and returns an ImportReport.
IMPORTERS: dict[str, str] = {
    "json": "kithbook.services.backup:import_bytes",
    "linkedin": "kithbook.services.imports:import_bytes",
    "google": "kithbook.services.imports:import_bytes",
    "outlook": "kithbook.services.imports:import_bytes",
    "vcard": "kithbook.services.imports:import_bytes",
    "ties": "kithbook.services.imports:import_ties",
}


def _load(ref: str) -> Callable[..., Any]:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def exporter(fmt: str) -> Callable[..., Any]:
    if fmt not in EXPORTERS:
        raise InvalidInput(
            f"unknown export format '{fmt}'",
            field="format",
            hint=f"Choose one of: {', '.join(sorted(EXPORTERS))}.",
        )
    return _load(EXPORTERS[fmt])


def importer(fmt: str) -> Callable[..., Any]:
    if fmt not in IMPORTERS:
        raise InvalidInput(
            f"unknown import format '{fmt}'",
            field="format",
            hint=f"Choose one of: {', '.join(sorted(IMPORTERS))}.",
        )
    return _load(IMPORTERS[fmt])
